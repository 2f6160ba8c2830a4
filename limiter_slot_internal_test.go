package marketo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldSlots wraps a RateLimiter and counts the slots taken and not yet
// given back with done.
type heldSlots struct {
	RateLimiter
	held atomic.Int64
}

func (h *heldSlots) Acquire(ctx context.Context) (func(), error) {
	done, err := h.RateLimiter.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	h.held.Add(1)
	var once sync.Once
	return func() { once.Do(func() { h.held.Add(-1); done() }) }, nil
}

// slowTenant is a REST tenant that keeps working on a request after the
// client has gone, as Marketo does: each request under /rest or /bulk
// reports its arrival on arrived, then waits for one value on finish
// before it stops counting as running (active) and answers.
type slowTenant struct {
	srv       *httptest.Server
	stop      chan struct{} // closed at the test's end: every request finishes
	arrived   chan struct{}
	finish    chan struct{}
	finished  chan struct{}
	active    atomic.Int64
	maxActive atomic.Int64
	// body answers a request after finish, or nil for a schedule's answer.
	body func(w http.ResponseWriter)
}

func newSlowTenant(t *testing.T, body func(w http.ResponseWriter)) *slowTenant {
	st := &slowTenant{stop: make(chan struct{}), arrived: make(chan struct{}, 100), finish: make(chan struct{}),
		finished: make(chan struct{}, 100), body: body}
	st.srv = httptest.NewServer(http.HandlerFunc(st.serve))
	t.Cleanup(st.srv.Close)
	t.Cleanup(func() { close(st.stop) }) // before Close, which waits for the handlers
	return st
}

func (st *slowTenant) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/identity/") {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"tok-1:int","token_type":"bearer","expires_in":3599,"scope":"apis@slow"}`)
		return
	}
	n := st.active.Add(1)
	for m := st.maxActive.Load(); n > m && !st.maxActive.CompareAndSwap(m, n); m = st.maxActive.Load() {
	}
	st.arrived <- struct{}{}
	if st.body != nil {
		st.body(w) // it finishes while it answers
		st.active.Add(-1)
		st.finished <- struct{}{}
		return
	}
	select {
	case <-st.finish:
	case <-st.stop:
	}
	st.active.Add(-1)
	st.finished <- struct{}{}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = io.WriteString(w, `{"requestId":"1#2","result":[{"id":1001}],"success":true}`)
}

func (st *slowTenant) client(t *testing.T, lim RateLimiter) *Client {
	return st.clientAt(t, st.srv.URL+"/rest", lim)
}

// clientAt is a client of st's identity endpoint and the REST endpoint
// endpoint.
func (st *slowTenant) clientAt(t *testing.T, endpoint string, lim RateLimiter) *Client {
	c, err := NewRESTClient(RESTConfig{Endpoint: endpoint, IdentityURL: st.srv.URL + "/identity",
		ClientID: "3f2b6c1e-ab12-4d5e-9f00-1234567890ab", ClientSecret: "s3cr3t"},
		WithLimiter(lim), WithoutRetries())
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// recv takes n values from ch, failing the test if they do not come.
func recv[T any](t *testing.T, ch <-chan T, n int, what string) []T {
	t.Helper()
	var out []T
	for range n {
		select {
		case v := <-ch:
			out = append(out, v)
		case <-time.After(10 * time.Second): // a hang guard, not a timing
			t.Fatalf("%s: got %d of %d", what, len(out), n)
		}
	}
	return out
}

// TestAnAbandonedCallKeepsItsSlotWhileMarketoMayRunIt: callers that give
// up on calls Marketo is still running do not free the slots of those
// calls; the slots free AbandonedCallHold later (Marketo ends a request
// that runs that long), and the server never sees more than MaxInFlight
// requests at once.
func TestAnAbandonedCallKeepsItsSlotWhileMarketoMayRunIt(t *testing.T) {
	t.Parallel()
	const maxInFlight = 3
	st := newSlowTenant(t, nil)
	lim, err := NewLimiter(LimiterConfig{MaxInFlight: maxInFlight, CallsPerWindow: 1000})
	require.NoError(t, err)
	h := &heldSlots{RateLimiter: lim}
	c := st.client(t, h)
	var mu sync.Mutex
	var holds []func()
	c.afterFunc = func(d time.Duration, f func()) {
		assert.Equal(t, AbandonedCallHold, d)
		mu.Lock()
		holds = append(holds, f)
		mu.Unlock()
	}
	p := ScheduleCampaignParams{CampaignID: 1001}
	schedule := func(ctx context.Context, errs chan<- error) {
		_, err := c.ScheduleCampaign(ctx, p)
		errs <- err
	}

	// The first callers give up while Marketo runs their calls.
	ctx, cancel := context.WithCancel(context.Background())
	abandoned := make(chan error, maxInFlight)
	for range maxInFlight {
		go schedule(ctx, abandoned)
	}
	recv(t, st.arrived, maxInFlight, "first calls at the server")
	cancel()
	for _, err := range recv(t, abandoned, maxInFlight, "abandoned calls") {
		require.ErrorIs(t, err, context.Canceled)
		require.ErrorIs(t, err, ErrOutcomeUnknown)
	}
	assert.EqualValues(t, maxInFlight, st.active.Load(), "the server still runs them")
	assert.EqualValues(t, maxInFlight, h.held.Load(), "so their slots stay taken")
	mu.Lock()
	require.Len(t, holds, maxInFlight, "each slot frees AbandonedCallHold later")
	mu.Unlock()

	// Later callers wait for those slots.
	later := make(chan error, maxInFlight)
	for range maxInFlight {
		go schedule(context.Background(), later)
	}
	// Marketo ends the abandoned calls (it answers 604 at 30 s); then the
	// holds end.
	for range maxInFlight {
		st.finish <- struct{}{}
	}
	recv(t, st.finished, maxInFlight, "abandoned calls ended at the server")
	mu.Lock()
	for _, free := range holds {
		free()
	}
	mu.Unlock()
	recv(t, st.arrived, maxInFlight, "later calls at the server")
	for range maxInFlight {
		st.finish <- struct{}{}
	}
	recv(t, st.finished, maxInFlight, "later calls ended at the server")
	for _, err := range recv(t, later, maxInFlight, "later calls") {
		require.NoError(t, err)
	}
	assert.EqualValues(t, maxInFlight, st.maxActive.Load(), "the server never ran more than MaxInFlight calls at once")
	assert.Zero(t, h.held.Load(), "answered calls free their slots at once")
	mu.Lock()
	assert.Len(t, holds, maxInFlight, "no hold for an answered call")
	mu.Unlock()
}

// TestACallThatNeverLeftFreesItsSlotAtOnce: a refused connection proves
// the request never reached Marketo, so nothing is held.
func TestACallThatNeverLeftFreesItsSlotAtOnce(t *testing.T) {
	t.Parallel()
	st := newSlowTenant(t, nil)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	h := &heldSlots{RateLimiter: defaultLimiter(apiREST)}
	c := st.clientAt(t, gone.URL+"/rest", h) // the access token comes; the call cannot connect
	c.afterFunc = func(time.Duration, func()) { t.Error("a request that never left was held") }
	_, err := c.ScheduleCampaign(context.Background(), ScheduleCampaignParams{CampaignID: 1001})
	var oe *OperationError
	require.ErrorAs(t, err, &oe)
	require.False(t, oe.Sent)
	assert.Zero(t, h.held.Load())
}

// TestAnOpenImportFileKeepsItsSlot: Marketo is still sending a failures
// file while the caller reads it, so the call keeps its slot until the file
// is read to its end, or closed.
func TestAnOpenImportFileKeepsItsSlot(t *testing.T) {
	t.Parallel()
	for _, readAll := range []bool{true, false} {
		t.Run(fmt.Sprintf("read to the end %v", readAll), func(t *testing.T) {
			t.Parallel()
			rest := make(chan struct{})
			var st *slowTenant
			st = newSlowTenant(t, func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "text/csv;charset=UTF-8")
				_, _ = io.WriteString(w, "email,Import Failure Reason\n")
				w.(http.Flusher).Flush()
				select {
				case <-rest:
				case <-st.stop:
				}
				_, _ = io.WriteString(w, "a@example.com,Value for lookup field 'email' not found\n")
			})
			h := &heldSlots{RateLimiter: defaultLimiter(apiREST)}
			c := st.client(t, h)
			c.afterFunc = func(time.Duration, func()) { t.Error("an answered call was held") }
			rows, err := c.ImportFailures(context.Background(), "3404")
			require.NoError(t, err)
			assert.Equal(t, []string{"email"}, rows.Header())
			assert.EqualValues(t, 1, h.held.Load(), "the file is still arriving")
			if readAll {
				close(rest)
				row, err := rows.Next()
				require.NoError(t, err)
				assert.Equal(t, "a@example.com", row.Fields[0])
				_, err = rows.Next()
				require.ErrorIs(t, err, io.EOF)
				assert.Zero(t, h.held.Load(), "read to its end")
			}
			require.NoError(t, rows.Close())
			assert.Zero(t, h.held.Load(), "closed")
			if !readAll {
				close(rest)
			}
		})
	}
}

// TestAbandonedIsAGiveUpBeforeAnAnswer pins which attempts hold their slot
// for AbandonedCallHold: those that may have left and that the client gave
// up on before any answer.
func TestAbandonedIsAGiveUpBeforeAnAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		r    attemptResult
		want bool
	}{
		{"the caller's context ended", attemptResult{sent: true, err: context.Canceled}, true},
		{"the caller's deadline passed", attemptResult{sent: true, err: context.DeadlineExceeded}, true},
		{"the attempt timed out", attemptResult{sent: true, err: &AttemptTimeoutError{Timeout: time.Second}}, true},
		{"it never left", attemptResult{err: context.Canceled}, false},
		{"the answer arrived, its body timed out", attemptResult{sent: true, status: 200,
			err: &ResponseError{HTTPStatus: 200, Err: context.DeadlineExceeded}}, false},
		{"the server closed the connection", attemptResult{sent: true, err: io.ErrUnexpectedEOF}, false},
		{"a new access token was not had after a 601", attemptResult{sent: true, err: &tokenError{err: context.Canceled}}, false},
		{"it succeeded", attemptResult{sent: true, status: 200}, false},
		{"a gateway's 502 page", attemptResult{sent: true, status: 502, err: &ResponseError{HTTPStatus: 502, ContentType: "text/html"}}, true},
		{"a gateway's 504 page", attemptResult{sent: true, status: 504, err: &ResponseError{HTTPStatus: 504, ContentType: "text/html"}}, true},
		{"a gateway's 503 page: it refused the call", attemptResult{sent: true, status: 503, err: &ResponseError{HTTPStatus: 503}}, false},
		{"Marketo's own answer over a 502", attemptResult{sent: true, status: 502, err: &Fault{Code: CodeBadGateway, HTTPStatus: 502}}, false},
	} {
		assert.Equal(t, tc.want, abandoned(tc.r), tc.name)
	}
}

// TestAGatewaysGiveUpKeepsTheSlot: a proxy's 502 or 504 page means the
// gateway stopped waiting while Marketo may still run the call behind it,
// so the slot is held for AbandonedCallHold as for a call the client gave
// up on; a 503 page (the gateway refused the call) frees it at once.
func TestAGatewaysGiveUpKeepsTheSlot(t *testing.T) {
	t.Parallel()
	for status, held := range map[int]bool{http.StatusBadGateway: true, http.StatusGatewayTimeout: true, http.StatusServiceUnavailable: false} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			st := newSlowTenant(t, func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, "<html><body>gateway</body></html>")
			})
			h := &heldSlots{RateLimiter: defaultLimiter(apiREST)}
			c := st.client(t, h)
			var holds []time.Duration
			var release []func()
			c.afterFunc = func(d time.Duration, f func()) { holds, release = append(holds, d), append(release, f) }
			_, err := c.ScheduleCampaign(context.Background(), ScheduleCampaignParams{CampaignID: 1001})
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			if !held {
				assert.Empty(t, holds)
				assert.Zero(t, h.held.Load(), "freed at once")
				return
			}
			require.Equal(t, []time.Duration{AbandonedCallHold}, holds)
			assert.EqualValues(t, 1, h.held.Load(), "held while Marketo may run the call")
			release[0]()
			assert.Zero(t, h.held.Load())
		})
	}
}
