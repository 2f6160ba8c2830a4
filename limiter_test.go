package marketo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func newLimiter(t *testing.T, cfg marketo.LimiterConfig) *marketo.Limiter {
	t.Helper()
	l, err := marketo.NewLimiter(cfg)
	require.NoError(t, err)
	return l
}

func TestLimiterKeepsTheRollingWindow(t *testing.T) {
	t.Parallel()
	const perWindow, window = 5, 200 * time.Millisecond
	// Arrivals are read on the limiter's clock: the limiter decides on its
	// clock, and a call arrives after it starts and before its answer, so
	// no slack is needed.
	clock := time.Now
	var mu sync.Mutex
	var arrivals []time.Time
	rec := &recorder{}
	c := newMockClient(t, func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		arrivals = append(arrivals, clock())
		mu.Unlock()
		return respond(rec, 200, "text/xml", successScheduleXML)(req)
	}, marketo.WithLimiter(newLimiter(t, marketo.LimiterConfig{CallsPerWindow: perWindow, Window: window, Clock: clock})))

	var wg sync.WaitGroup
	for i := 0; i < 3*perWindow; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ScheduleCampaign(context.Background(), runNowParams())
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	require.Len(t, arrivals, 3*perWindow)
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	// No perWindow+1 calls within one window.
	for i := perWindow; i < len(arrivals); i++ {
		assert.GreaterOrEqual(t, arrivals[i].Sub(arrivals[i-perWindow]), window, "call %d", i)
	}
}

// TestLimiterHoldsTheWindowAtTheServer sends calls whose latency to the
// server varies per call (0 to 30 ms, against a 100 ms window), so a call
// started later may arrive earlier. The window the server sees must still
// never hold more than the limit, and the fake must answer no rate or
// concurrency fault.
func TestLimiterHoldsTheWindowAtTheServer(t *testing.T) {
	t.Parallel()
	const perWindow, window, inFlight, calls = 10, 100 * time.Millisecond, 10, 60
	fake := marketotest.NewUnstartedServer(marketotest.WithLimits(marketotest.Limits{
		CallsPerWindow: perWindow, Window: window, MaxInFlight: inFlight,
	}))
	var mu sync.Mutex
	var arrivals []time.Time
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Latency that varies per call: 0, 3, 6, ... 30 ms, in no order
		// the limiter could guess.
		time.Sleep(time.Duration(n.Add(7)%11) * 3 * time.Millisecond)
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cfg := fake.Config()
	cfg.Endpoint = srv.URL + marketotest.EndpointPath
	lim := newLimiter(t, marketo.LimiterConfig{CallsPerWindow: perWindow, Window: window, MaxInFlight: inFlight})
	c, err := marketo.NewClient(cfg, marketo.WithLimiter(lim), marketo.WithoutRetries())
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	var wg sync.WaitGroup
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ScheduleCampaign(context.Background(), runNowParams())
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	for _, r := range fake.Requests() {
		assert.Zero(t, r.FaultCode, "fault at %v", r.Time)
	}
	require.Len(t, arrivals, calls)
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	for i := perWindow; i < len(arrivals); i++ {
		assert.GreaterOrEqual(t, arrivals[i].Sub(arrivals[i-perWindow]), window, "%d calls arrived within one window", perWindow+1)
	}
}

// TestLimiterBoundsCallsInFlightAcrossClients checks both bounds: never
// more than MaxInFlight calls at once, and MaxInFlight of them do run at
// once (each call waits at the server until the peak is reached, so a
// limiter that runs calls one at a time never gets there).
func TestLimiterBoundsCallsInFlightAcrossClients(t *testing.T) {
	t.Parallel()
	const maxInFlight = 3
	l := newLimiter(t, marketo.LimiterConfig{MaxInFlight: maxInFlight})
	var inFlight, peak atomic.Int64
	full := make(chan struct{})
	var fullOnce sync.Once
	patience, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	responder := func(req *http.Request) (*http.Response, error) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n == maxInFlight {
			fullOnce.Do(func() { close(full) })
		}
		select {
		case <-full:
		case <-patience.Done():
			t.Error("never had MaxInFlight calls in flight at once")
		}
		inFlight.Add(-1)
		return respond(&recorder{}, 200, "text/xml", successScheduleXML)(req)
	}
	a := newMockClient(t, responder, marketo.WithLimiter(l))
	b := newMockClient(t, responder, marketo.WithLimiter(l))
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(c *marketo.Client) {
			defer wg.Done()
			_, err := c.ScheduleCampaign(context.Background(), runNowParams())
			assert.NoError(t, err)
		}([]*marketo.Client{a, b}[i%2])
	}
	wg.Wait()
	assert.Equal(t, int64(maxInFlight), peak.Load())
}

func TestLimiterQueueHonoursContext(t *testing.T) {
	t.Parallel()
	l := newLimiter(t, marketo.LimiterConfig{CallsPerWindow: 1, Window: time.Hour})
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML), marketo.WithLimiter(l))
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.ScheduleCampaign(ctx, seedParams())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent, "a call that waited in the queue was never sent")
	assert.Equal(t, 1, rec.count())
}

func TestCloneBudgetIsGuardedLocally(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) // 06:00 CST
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	l := newLimiter(t, marketo.LimiterConfig{ClonesPerDay: 2, Clock: clock})
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML), marketo.WithLimiter(l), marketo.WithClock(clock))

	for i := 0; i < 2; i++ {
		_, err := c.ScheduleCampaign(context.Background(), seedParams())
		require.NoError(t, err)
	}
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted)
	assert.Contains(t, err.Error(), "2 of 2 made today")
	assert.Contains(t, err.Error(), "resets at 2026-11-29T00:00:00-06:00")
	assert.Equal(t, 2, rec.count(), "the refused clone was not sent")

	// Calls without a clone are not limited by the budget.
	p := seedParams()
	p.CloneToProgramName = ""
	_, err = c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)

	// A new US Central day brings a new budget.
	mu.Lock()
	now = time.Date(2026, 11, 29, 6, 0, 1, 0, time.UTC)
	mu.Unlock()
	_, err = c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
}

func TestCloneThatWasNeverSentDoesNotUseTheBudget(t *testing.T) {
	t.Parallel()
	l := newLimiter(t, marketo.LimiterConfig{ClonesPerDay: 1})
	c := newMockClient(t, respond(&recorder{}, 200, "text/xml", successScheduleXML), marketo.WithLimiter(l))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.ScheduleCampaign(ctx, seedParams())
	require.ErrorIs(t, err, context.Canceled)
	_, err = c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err, "the cancelled call gave its clone back")
}

func TestLimiterOptions(t *testing.T) {
	t.Parallel()
	_, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: -1})
	assert.Error(t, err)
	cfg := marketo.Config{Endpoint: testEndpoint, UserID: "u", EncryptionKey: "k"}
	_, err = marketo.NewClient(cfg, marketo.WithLimiter(nil))
	assert.Error(t, err)
	_, err = marketo.NewClient(cfg, marketo.WithoutLimiter())
	assert.NoError(t, err)
}

// refusingLimiter lets `allow` attempts start, then refuses with err.
type refusingLimiter struct {
	allow atomic.Int64
	err   error
}

func (l *refusingLimiter) Acquire(context.Context) (func(), error) {
	if l.allow.Add(-1) < 0 {
		return nil, l.err
	}
	return func() {}, nil
}

func (l *refusingLimiter) ReserveClone(context.Context) (func(marketo.CloneRefusal), error) {
	return func(marketo.CloneRefusal) {}, nil
}

// TestALimiterRefusalEndsTheCall: an error from a RateLimiter other than
// the context's (a shared store that is down, a quota) ends the call: as its
// failure, not sent, before the first attempt; after an attempt, that
// attempt's failure stays the call's.
func TestALimiterRefusalEndsTheCall(t *testing.T) {
	t.Parallel()
	refused := errors.New("the limit store is down")
	for _, allow := range []int64{0, 1} {
		lim := &refusingLimiter{err: refused}
		lim.allow.Store(allow)
		rec := &recorder{}
		c := newMockClient(t, respond(rec, 503, "text/plain", "busy"), marketo.WithLimiter(lim),
			marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
		_, err := c.ScheduleCampaign(context.Background(), runNowParams())
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, int(allow), oe.Attempts, "attempts that started")
		assert.Equal(t, allow > 0, oe.Sent)
		assert.Equal(t, int(allow), rec.count(), "requests sent")
		if allow == 0 {
			assert.ErrorIs(t, err, refused)
		} else {
			var re *marketo.ResponseError
			assert.ErrorAs(t, err, &re, "the 503 of the attempt that ran")
		}
	}
}

// TestA1020SpendsTheDaysCloneBudget: Marketo's count of clones is the
// truth (another client, or a person in Marketo's UI, may have cloned). Once
// it answers 1020, the later clones of that US Central day fail without
// being sent, calls without a clone still go out, and the next day brings a
// new budget.
func TestA1020SpendsTheDaysCloneBudget(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) // 06:00 CST
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var answered atomic.Int64
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
		if answered.Add(1) == 2 {
			return 200, restErr(1020, "Clone to program daily limit reached")
		}
		return 200, restOK(`[{"id":1001}]`)
	})
	c := stub.client(t, marketo.WithLimiter(newLimiter(t, marketo.LimiterConfig{ClonesPerDay: 25, Clock: clock})))
	p := marketo.ScheduleCampaignParams{CampaignID: 1001, CloneToProgramName: "Copy"}

	_, err := c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)
	_, err = c.ScheduleCampaign(context.Background(), p)
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	require.Equal(t, marketo.CodeCloneLimitReached, f.Code)
	for range 23 {
		_, err = c.ScheduleCampaign(context.Background(), p)
		require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted)
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		require.False(t, oe.Sent)
	}
	assert.Contains(t, err.Error(), "Marketo refused a clone today")
	assert.Contains(t, err.Error(), "resets at 2026-11-29T00:00:00-06:00")
	assert.Len(t, stub.posts(), 2, "the clones after the 1020 were not sent")

	noClone := p
	noClone.CloneToProgramName = ""
	_, err = c.ScheduleCampaign(context.Background(), noClone)
	require.NoError(t, err, "a schedule without a clone is not held back")

	mu.Lock()
	now = time.Date(2026, 11, 29, 6, 0, 1, 0, time.UTC)
	mu.Unlock()
	_, err = c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err, "a new US Central day brings a new budget")
	assert.Len(t, stub.posts(), 4)
}

// TestACloneRefusalForADayThatEndedChangesNothing: a 1020 for a clone
// reserved yesterday does not spend today's budget, nor does a clone given
// back from yesterday free one today.
func TestACloneRefusalForADayThatEndedChangesNothing(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 29, 5, 59, 0, 0, time.UTC) // 23:59 CST
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	l := newLimiter(t, marketo.LimiterConfig{ClonesPerDay: 1, Clock: clock})
	spent, err := l.ReserveClone(context.Background())
	require.NoError(t, err)
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	spent(marketo.CloneBudgetSpent)
	givenBack, err := l.ReserveClone(context.Background())
	require.NoError(t, err, "yesterday's 1020 left today's budget alone")
	_, err = l.ReserveClone(context.Background())
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted, "today's only clone is taken")
	givenBack(marketo.CloneNotRun)
	_, err = l.ReserveClone(context.Background())
	require.NoError(t, err, "the clone given back today is free again")
}
