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

func TestRESTFailNextSpeaksREST(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	srv.FailNext(1, marketo.CodeRateLimitExceeded) // a SOAP code with a REST counterpart: 606
	srv.FailNext(1, marketo.CodeAPIInternalError)  // 611
	srv.FailNext(1, 1013)                          // a REST code, as given
	srv.FailNext(1, marketo.CodeLeadAttributeBad)  // no counterpart: as given
	requireRESTError(t, restPost(t, srv, tok, scheduleBatch, `{}`), "606")
	errs := requireRESTError(t, restPost(t, srv, tok, scheduleBatch, `{}`), "611")
	assert.Equal(t, "System error", errs[0].Message)
	requireRESTError(t, restPost(t, srv, tok, scheduleBatch, `{}`), "1013")
	requireRESTError(t, restPost(t, srv, tok, scheduleBatch, `{}`), "20105")
	requireRESTSuccess(t, restPost(t, srv, tok, scheduleBatch, `{}`))
	assert.Len(t, srv.Runs(), 1, "injected faults do not run the call")
	assert.Equal(t, 1, srv.RESTUsage().CallsToday, "nor count it")
	reqs := srv.Requests()
	require.Len(t, reqs, 6)
	assert.Equal(t, "fail", reqs[1].Injected)
	assert.Equal(t, marketo.Code(606), reqs[1].FaultCode)
	assert.Equal(t, http.StatusOK, reqs[1].HTTPStatus)
}

func TestRESTIdentityIsNotInjected(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	srv.FailNext(1, 606)
	tok := getToken(t, srv)
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "606")
}

func TestRESTDropNextCutsTheAnswer(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	srv.DropNext(1)
	req, err := http.NewRequest(http.MethodPost, srv.URL+scheduleBatch, strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json;charset=UTF-8", resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.True(t, strings.HasPrefix(string(body), `{"requestId":`), string(body))
	assert.Empty(t, srv.Runs())
}

func TestRESTGarbageNext(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	srv.GarbageNext(1, GarbageHTML502)
	srv.GarbageNext(1, GarbageNotXML)
	srv.GarbageNext(1, GarbageWrongXML)
	r := restGet(t, srv, tok, "/rest/v1/campaigns.json")
	assert.Equal(t, http.StatusBadGateway, r.Status)
	assert.Contains(t, r.Raw, "502 Bad Gateway")
	r = restGet(t, srv, tok, "/rest/v1/campaigns.json")
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "application/json;charset=UTF-8", r.ContentType)
	assert.Contains(t, r.Raw, "not JSON")
	r = restGet(t, srv, tok, "/rest/v1/campaigns.json")
	assert.JSONEq(t, `{"status":"ok","data":[1,2,3]}`, r.Raw)
	requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
}

func TestRESTDropAnswerNextRunsTheCall(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	srv.DropAnswerNext(1)
	req, err := http.NewRequest(http.MethodPost, srv.URL+scheduleBatch, strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer is written")
	require.Len(t, srv.Runs(), 1, "the call ran")
	reqs := srv.Requests()
	assert.Equal(t, "drop-answer", reqs[len(reqs)-1].Injected)
	assert.Equal(t, 1, srv.RESTUsage().CallsToday)
}

func TestRESTStallAnswerNextRunsTheCallAndHoldsTheAnswer(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	srv.StallAnswerNext(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+scheduleBatch, strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	require.Eventually(t, func() bool { return len(srv.Runs()) == 1 }, 10*time.Second, time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("the answer was not held: %v", err)
	default:
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	// The fake logs the request after the call has run, just before it
	// stalls the answer: a loaded machine can show the run first.
	require.Eventually(t, func() bool { return len(srv.Requests()) == 2 }, 10*time.Second, time.Millisecond)
	assert.Equal(t, "stall-answer", srv.Requests()[1].Injected)
}

func TestRESTStallHoldsIdentityCalls(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	release := srv.Stall()
	done := make(chan string, 1)
	go func() { done <- getToken(t, srv) }()
	select {
	case <-done:
		t.Fatal("the identity call was not held")
	case <-time.After(20 * time.Millisecond):
	}
	release()
	assert.NotEmpty(t, <-done)
}
