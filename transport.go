package marketo

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"

	"github.com/mktows/marketo/internal/redact"
)

// newDefaultHTTPClient returns the SDK's own HTTP client: keep-alive with an
// idle pool sized for Marketo's 10 concurrent calls, bounded dial, TLS and
// response-header waits, TLS 1.2 or later with verification, and no
// redirects (a Marketo endpoint does not redirect; following one would
// resend a signed or authorised request elsewhere). The whole call is
// bounded by the caller's context, not by a client timeout.
func newDefaultHTTPClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 2 * time.Minute,
			ExpectContinueTimeout: time.Second,
			MaxIdleConns:          10,
			MaxIdleConnsPerHost:   10,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// httpAttempt is the HTTP exchange of one attempt, the same on both wires:
// bounded by the client's attempt timeout even when the caller's context
// is not, traced to tell whether the request left, and read through the
// answer size cap. Every error it returns has had secret removed.
type httpAttempt struct {
	c       *engine
	callCtx context.Context    // the caller's context
	ctx     context.Context    // callCtx bounded by the attempt timeout, traced; requests use it
	cancel  context.CancelFunc // ends ctx
	secret  string             // the attempt's credential (a signature, an access token)
	st      attemptTrace
}

// attemptTrace records what the transport did with one attempt's request.
type attemptTrace struct {
	trace      httptrace.ClientTrace
	mu         sync.Mutex
	wrote      bool // the request headers were written
	dialFailed bool // the TLS handshake failed
}

// startAttempt begins an attempt; the caller ends it with a.cancel.
func (c *engine) startAttempt(callCtx context.Context) *httpAttempt {
	a := &httpAttempt{c: c, callCtx: callCtx}
	a.st.trace.WroteHeaders = func() { a.st.mu.Lock(); a.st.wrote = true; a.st.mu.Unlock() }
	a.st.trace.TLSHandshakeDone = func(_ tls.ConnectionState, err error) {
		if err != nil {
			a.st.mu.Lock()
			a.st.dialFailed = true
			a.st.mu.Unlock()
		}
	}
	ctx, cancel := callCtx, context.CancelFunc(noCancel)
	if d, ok := callCtx.Deadline(); !ok || !d.Before(time.Now().Add(c.attemptTimeout)) {
		ctx, cancel = context.WithTimeout(callCtx, c.attemptTimeout)
	}
	// else the caller's deadline ends the attempt first: no timer, and no
	// context of its own, which context.WithTimeout would make for nothing.
	a.ctx, a.cancel = httptrace.WithClientTrace(ctx, &a.st.trace), cancel
	return a
}

// noCancel ends an attempt that has no context of its own.
func noCancel() {}

// answer is an HTTP answer read whole.
type answer struct {
	status      int
	header      http.Header
	contentType string
	body        []byte
}

// do sends req, which must carry a.ctx, and reads the answer. It returns the
// answer and the attempt's result so far (sent, status, Retry-After); when
// the result has an error there is no answer.
//
// The request leaves the process at most once: its body can be read once
// and GetBody is nil, so no transport can send it again on its own. Go's
// HTTP/2 transport otherwise resends a request that a server answered with
// RST_STREAM (PROTOCOL_ERROR, REFUSED_STREAM) or a GOAWAY excluding its
// stream, up to seven times per round trip and without end across round
// trips, below the SDK's retry policy: a server that ran the request
// before answering so would run a state-changing call again and again.
// Resending is the retry policy's decision alone, for what a failure
// proves safe to repeat. (A failure that resending would have hidden is
// then a failed attempt, sent as far as the SDK can tell.)
func (a *httpAttempt) do(req *http.Request) (answer, attemptResult) {
	resp, r := a.send(req)
	if r.err != nil {
		return answer{}, r
	}
	defer resp.Body.Close()
	ans, r := a.read(resp)
	r.method = req.Method
	return ans, r
}

// send sends req, which must carry a.ctx, once (see do), and returns the
// endpoint's answer with its body unread, or the failed result.
func (a *httpAttempt) send(req *http.Request) (*http.Response, attemptResult) {
	req.GetBody = nil
	resp, err := a.c.hc.Do(req)
	if err != nil {
		a.st.mu.Lock()
		notSent := !a.st.wrote && (a.st.dialFailed || isDialError(err))
		a.st.mu.Unlock()
		if e := a.ctxErr(); e != nil {
			err = e
		}
		return nil, attemptResult{sent: !notSent, err: redact.Err(err, a.secret), method: req.Method}
	}
	if err := redirected(req, resp); err != nil {
		resp.Body.Close()
		return nil, attemptResult{sent: true, status: resp.StatusCode, err: a.scrub(err), method: req.Method}
	}
	return resp, attemptResult{sent: true, status: resp.StatusCode, method: req.Method}
}

// read reads the body of resp, an answer from send, through the size cap;
// the caller closes it.
func (a *httpAttempt) read(resp *http.Response) (answer, attemptResult) {
	data, readErr := readCapped(resp.Body, a.c.maxResponseBytes)
	// An answer that echoes the credential loses it before anything reads
	// it: the trace, an excerpt cut through it, a value decoded from it,
	// success included (its requestId goes to the result's metadata and
	// to the Observer). For an answer without the secret this is a scan
	// of its bytes and no allocation.
	data = redact.Bytes(data, a.secret)
	ans := answer{status: resp.StatusCode, header: resp.Header, contentType: redact.String(resp.Header.Get("Content-Type"), a.secret), body: data}
	if a.c.trace != nil {
		a.c.trace.response(resp.Status, resp.Header, data, a.secret)
	}
	r := attemptResult{sent: true, status: resp.StatusCode}
	if readErr != nil {
		if e := a.ctxErr(); e != nil {
			readErr = e
		}
		r.err = &ResponseError{HTTPStatus: resp.StatusCode, ContentType: ans.contentType, Reason: "reading the body failed",
			Excerpt: excerpt(data), Err: redact.Err(readErr, a.secret)}
		return answer{}, r
	}
	r.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), a.c.now)
	return ans, r
}

// redirected returns an error for an answer that is a redirect, or that
// came from anywhere but req's URL because the caller's HTTP client followed
// a redirect (the SDK's own never does). A Marketo endpoint does not
// redirect, so neither answer is the endpoint's answer to the call. A
// redirect not followed proves, for 307 and 308 (send this request there
// instead), that the endpoint did not run the call; a followed one may have
// taken the signed or authorised request to a host that ran it.
func redirected(req *http.Request, resp *http.Response) error {
	// An answer to req itself (no redirect followed) is told apart without
	// printing its URL twice on every call.
	if final := resp.Request; final != nil && final != req && final.URL.String() != req.URL.String() {
		status := resp.StatusCode
		if final.Response != nil {
			status = final.Response.StatusCode // the endpoint's own answer
		}
		return &ResponseError{HTTPStatus: status, ContentType: resp.Header.Get("Content-Type"), redirectFollowed: true,
			Reason: fmt.Sprintf("redirected to %s, and the HTTP client followed it; the answer from there is not the endpoint's", hostPath(final.URL))}
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return &ResponseError{HTTPStatus: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
			Reason: fmt.Sprintf("redirect to %q, not followed: a Marketo endpoint does not redirect", resp.Header.Get("Location"))}
	}
	return nil
}

// hostPath is u without its query and user information, which may carry
// credentials.
func hostPath(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// ctxErr returns the caller's context error, an *AttemptTimeoutError when
// only the attempt timed out, or nil.
func (a *httpAttempt) ctxErr() error {
	if err := a.callCtx.Err(); err != nil {
		return err
	}
	if a.ctx.Err() != nil {
		return &AttemptTimeoutError{Timeout: a.c.attemptTimeout}
	}
	return nil
}

// readCapped reads all of r, failing once more than max bytes arrive.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b := make([]byte, 0, 512)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > max {
			return b[:max], withDetail(ErrResponseTooLarge, " (%d bytes)", max)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow
		}
	}
}

// isDialError reports errors that prove the request never left: the
// connection could not be made at all.
func isDialError(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// scrub removes the attempt's secret from an error about its answer,
// keeping the error's type: a *Fault's and a *ResponseError's fields are
// redacted in place (a value decoded from the answer can carry the secret
// even when the answer's bytes did not spell it, as character references),
// anything else is replaced as redactErr does.
func (a *httpAttempt) scrub(err error) error {
	if a.secret == "" || err == nil {
		return err // before the targets of errors.As, which escape
	}
	var f *Fault
	var re *ResponseError
	switch {
	case errors.As(err, &f):
		for _, s := range []*string{&f.FaultCode, &f.FaultString, &f.Message, &f.RequestID} {
			*s = redact.String(*s, a.secret)
		}
	case errors.As(err, &re):
		for _, s := range []*string{&re.ContentType, &re.Reason, &re.Excerpt} {
			*s = redact.String(*s, a.secret)
		}
		re.Err = redact.Err(re.Err, a.secret)
	default:
		return redact.Err(err, a.secret)
	}
	return err
}

// CloseIdleConnections closes the idle keep-alive connections of the
// client's HTTP client, if it has any (an *http.Client does). Calls in
// flight are not affected; later calls open new connections.
func (c *Client) CloseIdleConnections() {
	if ci, ok := c.hc.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
