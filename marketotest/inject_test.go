package marketotest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestFailNext(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.FailNext(2, marketo.CodeAPIInternalError)
	srv.FailNext(1, marketo.CodeRateLimitExceeded)
	f := requireFault(t, call(t, srv, listSources), marketo.CodeAPIInternalError)
	assert.Equal(t, "SOAP-ENV:Server", f.FaultCode)
	assert.Equal(t, "20011 - Internal error", f.FaultString)
	requireFault(t, call(t, srv, listSources), marketo.CodeAPIInternalError)
	requireFault(t, call(t, srv, listSources), marketo.CodeRateLimitExceeded)
	requireSuccess(t, call(t, srv, listSources))
	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "fail", reqs[0].Injected)
	assert.Equal(t, "", reqs[3].Injected)
	assert.Equal(t, 1, srv.Usage().CallsToday, "injected answers are not counted")
}

func TestFailNextDoesNotRunTheCall(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.FailNext(1, marketo.CodeInternalError)
	requireFault(t, call(t, srv, seedSchedule), marketo.CodeInternalError)
	assert.Empty(t, srv.Runs())
}

func TestDropNext(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.DropNext(1)
	req, err := http.NewRequest(http.MethodPost, srv.Config().Endpoint, strings.NewReader(signed(srv, seedSchedule)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.Error(t, err)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.True(t, strings.HasPrefix(string(body), "<?xml"))
	assert.Empty(t, srv.Runs())
	requireSuccess(t, call(t, srv, seedSchedule))
}

func TestGarbageNext(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.GarbageNext(1, GarbageHTML502)
	srv.GarbageNext(1, GarbageNotXML)
	srv.GarbageNext(1, GarbageWrongXML)
	r := call(t, srv, listSources)
	assert.Equal(t, http.StatusBadGateway, r.Status)
	assert.Equal(t, "text/html", r.ContentType)
	assert.Contains(t, r.Body, "502 Bad Gateway")
	r = call(t, srv, listSources)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, r.Body, "not XML")
	r = call(t, srv, listSources)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, r.Body, "<html>")
	requireSuccess(t, call(t, srv, listSources))
}

// TestLatencyHonoursClientCancellation checks that a delayed call stops
// holding its slot when the client gives up. The client gives up once the
// call is in flight, not after a deadline that could race the request.
func TestLatencyHonoursClientCancellation(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := postAsync(t, ctx, srv, signed(srv, listSources))
	waitUntil(t, "the call is in flight", func() bool { return srv.Usage().InFlight == 1 })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	waitUntil(t, "the delayed call is released", func() bool { return srv.Usage().InFlight == 0 })
	srv.SetLatency(0)
	requireSuccess(t, call(t, srv, listSources))
}

// TestStalledCallWhoseClientGivesUpDoesNotRun checks that a held call is
// dropped, not run, once its client has gone.
func TestStalledCallWhoseClientGivesUpDoesNotRun(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	release := srv.Stall()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := postAsync(t, ctx, srv, signed(srv, seedSchedule))
	waitUntil(t, "the call is held", func() bool { return srv.Usage().InFlight == 1 })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	waitUntil(t, "the held call is dropped", func() bool { return srv.Usage().InFlight == 0 })
	assert.Empty(t, srv.Runs())
	assert.Empty(t, srv.Requests())
	assert.Zero(t, srv.Usage().CallsToday)
}

func TestCloseReleasesStalledCalls(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	srv.Stall()
	done := make(chan response)
	go func() { done <- call(t, srv, listSources) }()
	require.Eventually(t, func() bool { return srv.Usage().InFlight == 1 }, 10*time.Second, time.Millisecond)
	srv.Close()
	r := <-done
	requireSuccess(t, r)
}

func TestDropAnswerNextRunsTheCallAndClosesTheConnection(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.DropAnswerNext(1)
	req, err := http.NewRequest(http.MethodPost, srv.Config().Endpoint, strings.NewReader(signed(srv, seedSchedule)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer is written")
	require.Len(t, srv.Runs(), 1, "the call ran")
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "drop-answer", reqs[0].Injected)
	assert.Equal(t, http.StatusOK, reqs[0].HTTPStatus)
	assert.Equal(t, 1, srv.Usage().CallsToday, "the call is counted")
	requireSuccess(t, call(t, srv, seedSchedule))
	assert.Len(t, srv.Runs(), 2)
}

func TestStallAnswerNextRunsTheCallAndHoldsTheAnswer(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.StallAnswerNext(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := postAsync(t, ctx, srv, signed(srv, seedSchedule))
	waitUntil(t, "the call has run", func() bool { return len(srv.Runs()) == 1 })
	select {
	case err := <-done:
		t.Fatalf("the answer was not held: %v", err)
	default:
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	// The fake logs the request after the call has run, just before it
	// stalls the answer: a loaded machine can show the run first.
	waitUntil(t, "the stalled call is logged", func() bool { return len(srv.Requests()) > 0 })
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "stall-answer", reqs[0].Injected)
	requireSuccess(t, call(t, srv, seedSchedule))
}

// postAsync posts body with ctx on a connection of its own and reports the
// client's error (nil once an answer has been read whole).
func postAsync(t *testing.T, ctx context.Context, srv *Server, body string) <-chan error {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.Config().Endpoint, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	done := make(chan error, 1)
	go func() {
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		done <- err
	}()
	return done
}

// waitUntil waits for what the fake reports to make cond true: a signal
// from the server, not a guess at how long the machine takes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 30*time.Second, time.Millisecond, "waiting until %s", what)
}
