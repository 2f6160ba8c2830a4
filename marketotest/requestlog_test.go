package marketotest

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestLogKeepsTheMostRecentRequests(t *testing.T) {
	t.Parallel()
	l := requestLog{max: 3, maxBody: 4}
	for i := range 7 {
		l.add(Request{Operation: string(rune('a' + i)), Body: []byte("0123456789")})
	}
	got := l.snapshot()
	require.Len(t, got, 3)
	for i, want := range []string{"e", "f", "g"} {
		assert.Equal(t, want, got[i].Operation, "oldest first")
		assert.Equal(t, "0123", string(got[i].Body))
	}
	got[0].Body[0] = 'X'
	assert.Equal(t, "0123", string(l.snapshot()[0].Body), "snapshots do not share bodies")

	none := requestLog{max: 0, maxBody: 4}
	none.add(Request{Operation: "a"})
	assert.Empty(t, none.snapshot())
}

// TestRequestsAreBoundedByDefault checks that a long body is kept only up
// to the default limit, its whole size still told.
func TestRequestsAreBoundedByDefault(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	padding := "<!--" + strings.Repeat("x", 200<<10) + "-->"
	body := signed(srv, listSources+padding)
	requireSuccess(t, post(t, srv, body))
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Len(t, reqs[0].Body, DefaultRequestLogBody)
	assert.Equal(t, len(body), reqs[0].BodySize)
	assert.True(t, strings.HasPrefix(body, strings.SplitN(string(reqs[0].Body), "REDACTED", 2)[0]))
	assert.Contains(t, string(reqs[0].Body), "<requestSignature>REDACTED</requestSignature>")
}

func TestWithRequestLog(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t, WithRequestLog(2, 10))
	requireSuccess(t, call(t, srv, listSources))
	requireFault(t, call(t, srv, schedule("Nope", "Nope", "")), codeCampaignNotFound)
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "")))
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, codeCampaignNotFound, reqs[0].FaultCode)
	assert.Equal(t, "scheduleCampaign", reqs[1].Operation)
	assert.Equal(t, `<?xml vers`, string(reqs[1].Body))
	assert.Greater(t, reqs[1].BodySize, 10)
	assert.Equal(t, 3, srv.Usage().CallsToday, "forgotten requests still counted")

	assert.PanicsWithValue(t, "marketotest: WithRequestLog(-1, 10): the request count and the body size must not be negative", func() { WithRequestLog(-1, 10) })
}

// watchedServer serves srv through a handler that reports each request
// once the fake has read the first bytes of its body: whatever the fake
// does before reading a body has been done by then.
func watchedServer(t *testing.T, srv *Server) (reading <-chan struct{}) {
	t.Helper()
	ch := make(chan struct{}, 100)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &watchedBody{ReadCloser: r.Body, reading: ch}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	srv.URL = ts.URL
	return ch
}

type watchedBody struct {
	io.ReadCloser
	reading chan<- struct{}
	once    sync.Once
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.once.Do(func() { b.reading <- struct{}{} })
	return n, err
}

// startSlowPost opens a connection and sends the headers of a POST and the
// first byte of its body, no more.
func startSlowPost(t *testing.T, srv *Server) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	_, err = conn.Write([]byte("POST " + EndpointPath + " HTTP/1.1\r\nHost: fake\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 1000\r\n\r\n<"))
	require.NoError(t, err)
	return conn
}

// TestSlowBodiesHoldNoInFlightSlot sends ten requests that stop after one
// byte of body, waits until the fake is reading all ten, and checks that a
// real call is still admitted: a call is in flight only once it has arrived.
func TestSlowBodiesHoldNoInFlightSlot(t *testing.T) {
	t.Parallel()
	clock := NewManualClock(t0)
	srv := NewUnstartedServer(WithClock(clock.Now))
	reading := watchedServer(t, srv)
	for range DefaultLimits().MaxInFlight {
		startSlowPost(t, srv)
		<-reading
	}
	assert.Equal(t, 0, srv.Usage().InFlight)
	requireSuccess(t, call(t, srv, listSources))
}

// TestSlowBodyIsAnswered408 checks that a body that does not arrive within
// the body timeout is answered 408 and recorded, instead of waiting on.
func TestSlowBodyIsAnswered408(t *testing.T) {
	t.Parallel()
	srv := NewUnstartedServer()
	srv.bodyTimeout = 50 * time.Millisecond
	watchedServer(t, srv)
	conn := startSlowPost(t, srv)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second))) // a hang fails, not blocks
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.StatusRequestTimeout, reqs[0].HTTPStatus)
	assert.Equal(t, 0, srv.Usage().InFlight)
}
