package marketo

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"
)

// Version is the SDK version, sent in the default User-Agent.
const Version = "0.1.0"

const defaultUserAgent = "mktows-marketo-go/" + Version

// DefaultMaxResponseBytes caps how much of an answer the client reads. The
// largest campaign answers are a few hundred kilobytes.
const DefaultMaxResponseBytes = 8 << 20

// HTTPClient is the part of *http.Client the SDK uses. Any *http.Client
// satisfies it.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Client calls one Marketo tenant's SOAP API. Create it with NewClient. A
// Client is immutable and safe for concurrent use; share one per tenant.
type Client struct {
	endpoint         string
	userID           string
	key              []byte
	hc               HTTPClient
	logger           *slog.Logger
	userAgent        string
	now              func() time.Time
	maxResponseBytes int64
	trace            *wireTracer
	retry            RetryPolicy
	attemptTimeout   time.Duration
	limiter          *Limiter
	noLimiter        bool
	signers          sync.Pool // *signer keyed with key
}

// Option configures a Client. Options check their arguments: NewClient
// returns an error for a bad one instead of falling back to a default.
type Option func(*Client) error

// WithHTTPClient makes the client send requests with hc instead of the SDK's
// own *http.Client. A nil hc is an error.
func WithHTTPClient(hc HTTPClient) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("marketo: WithHTTPClient: client is nil")
		}
		if p, ok := hc.(*http.Client); ok && p == nil {
			return errors.New("marketo: WithHTTPClient: client is nil")
		}
		c.hc = hc
		return nil
	}
}

// WithLogger makes the client log each call at debug level (operation,
// attempt, HTTP status, duration, fault code). Logs never contain the
// encryption key or signatures. The default discards logs.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("marketo: WithLogger: logger is nil")
		}
		c.logger = l
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("marketo: WithUserAgent: user agent is empty")
		}
		if strings.ContainsAny(ua, "\r\n\x00") {
			return errors.New("marketo: WithUserAgent: user agent contains a line break or NUL")
		}
		c.userAgent = ua
		return nil
	}
}

// WithClock makes the client read the time for request timestamps from now
// instead of time.Now, for deterministic tests.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("marketo: WithClock: clock is nil")
		}
		c.now = now
		return nil
	}
}

// DefaultAttemptTimeout bounds one HTTP attempt, from sending the request to
// the last byte of the answer, when WithAttemptTimeout is not given.
const DefaultAttemptTimeout = 5 * time.Minute

// WithAttemptTimeout bounds each HTTP attempt, answer body included, by d,
// whatever the caller's context allows: a server that stalls or trickles
// its answer cannot hold a call forever. The caller's context still bounds
// the whole call, retries included.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("marketo: WithAttemptTimeout: %v is not positive", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithMaxResponseBytes caps how many bytes of an answer are read; a larger
// answer is an error. The default is DefaultMaxResponseBytes.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("marketo: WithMaxResponseBytes: %d is not positive", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithWireTrace writes every raw request and answer to w, like the trace of
// PHP's SoapClient, for debugging. The request signature is replaced by
// "[REDACTED]"; the encryption key is never sent and so never traced.
// Writes to w are serialised. An ImportToList request whose rows take more
// than 1 MiB is traced with its first rows only: an XML comment in place of
// the others says how many more were sent and how many bytes they took;
// the rest of the envelope is traced as sent.
func WithWireTrace(w io.Writer) Option {
	return func(c *Client) error {
		if w == nil {
			return errors.New("marketo: WithWireTrace: writer is nil")
		}
		c.trace = &wireTracer{w: w}
		return nil
	}
}

// NewClient checks cfg and the options and returns a Client. It sends
// nothing.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	u, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("marketo: NewClient: %w", err)
	}
	c := &Client{
		endpoint:         u.String(),
		userID:           cfg.UserID,
		key:              []byte(cfg.EncryptionKey),
		logger:           slog.New(slog.DiscardHandler),
		userAgent:        defaultUserAgent,
		now:              time.Now,
		maxResponseBytes: DefaultMaxResponseBytes,
		retry:            DefaultRetryPolicy,
		attemptTimeout:   DefaultAttemptTimeout,
	}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("marketo: NewClient: nil Option")
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.hc == nil {
		c.hc = newDefaultHTTPClient()
	}
	if c.limiter == nil && !c.noLimiter {
		c.limiter, _ = NewLimiter(LimiterConfig{})
	}
	return c, nil
}

// newDefaultHTTPClient returns the SDK's own HTTP client: keep-alive with an
// idle pool sized for Marketo's 10 concurrent calls, bounded dial, TLS and
// response-header waits, TLS 1.2 or later with verification, and no
// redirects (a SOAP endpoint does not redirect; following one would resend a
// signed request elsewhere). The whole call is bounded by the caller's
// context, not by a client timeout.
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

// operation describes one SOAP operation.
type operation struct {
	name     string // SOAP operation, e.g. "scheduleCampaign"
	method   string // SDK method, e.g. "ScheduleCampaign"
	params   string // request element, e.g. "ns1:paramsScheduleCampaign"
	success  string // answer element (local name), e.g. "successScheduleCampaign"
	action   string // SOAPAction header
	mutating bool   // the call changes the tenant, so a lost answer leaves its outcome unknown
}

func newOperation(name string, mutating bool) *operation {
	return &operation{
		name:     name,
		method:   upperFirst(name),
		params:   "ns1:params" + upperFirst(name),
		success:  "success" + upperFirst(name),
		action:   nsMktows + name,
		mutating: mutating,
	}
}

// call is the one path every operation takes: encode params once, then for
// each attempt wait for the limiter, sign, send and decode the answer into
// out, retrying as the RetryPolicy allows.
func (c *Client) call(ctx context.Context, op *operation, params, out any) error {
	body := encodeParams(op.params, params)
	var r attemptResult
	sent := false
	attempts := 0
	for {
		attempts++
		r = c.limitedAttempt(ctx, op, body, out)
		sent = sent || r.sent
		if r.err == nil {
			return nil
		}
		if attempts >= c.retry.MaxAttempts || !retryable(ctx, op, r) {
			break
		}
		wait := c.retry.backoff(attempts, r.retryAfter)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			break // the context would end during the wait
		}
		if c.logger.Enabled(ctx, slog.LevelDebug) {
			c.logger.DebugContext(ctx, "marketo retry", "operation", op.name, "attempt", attempts, "wait", wait, "error", r.err.Error())
		}
		if err := sleepCtx(ctx, wait); err != nil {
			break
		}
	}
	var f *Fault
	if errors.As(r.err, &f) && f.Code == CodeRequestLimitExceeded {
		f.QuotaResetsAt = nextQuotaReset(c.now())
	}
	return c.opErrorAttempts(op, sent, attempts, r.err)
}

// limitedAttempt makes one attempt once the limiter lets it start.
func (c *Client) limitedAttempt(ctx context.Context, op *operation, body requestParams, out any) attemptResult {
	if c.limiter != nil {
		if err := c.limiter.acquire(ctx); err != nil {
			return attemptResult{err: err}
		}
		defer c.limiter.release()
	}
	return c.attempt(ctx, op, body, out)
}

// opError wraps err with the operation and whether its outcome is known.
func (c *Client) opError(op *operation, sent bool, err error) error {
	return c.opErrorAttempts(op, sent, 1, err)
}

func (c *Client) opErrorAttempts(op *operation, sent bool, attempts int, err error) *OperationError {
	oe := &OperationError{Operation: op.method, Sent: sent, Attempts: attempts, Err: err}
	if sent && op.mutating && outcomeUnknown(err) {
		oe.OutcomeUnknown = true
	}
	return oe
}

// outcomeUnknown reports whether a failure after sending leaves open whether
// Marketo acted: only a fault that refuses the request, a result of
// success=false, or an explicit "try later" status say it did not.
func outcomeUnknown(err error) bool {
	var f *Fault
	if errors.As(err, &f) {
		return f.Code == CodeInternalError || f.Code == CodeAPIInternalError || f.Code == 0
	}
	if errors.Is(err, ErrNotSuccessful) {
		return false
	}
	var re *ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatus != http.StatusServiceUnavailable && re.HTTPStatus != http.StatusTooManyRequests
	}
	return true
}

// attempt signs and sends one HTTP request.
func (c *Client) attempt(callCtx context.Context, op *operation, body requestParams, out any) attemptResult {
	if err := callCtx.Err(); err != nil {
		return attemptResult{err: err}
	}
	// The attempt, answer included, is bounded even when the caller's
	// context is not: a server that trickles its answer cannot hold a call.
	ctx, cancel := context.WithTimeout(callCtx, c.attemptTimeout)
	defer cancel()
	ctxErr := func() error {
		if err := callCtx.Err(); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return &AttemptTimeoutError{Timeout: c.attemptTimeout}
		}
		return nil
	}
	// A small request is sent from one buffer: net/http writes it with its
	// headers in one go. A large one is read from its parts, so the params
	// are not copied and an import's rows are encoded as they are sent;
	// net/http then flushes the headers first.
	var sig [2 * sha1.Size]byte
	headSize := len(envelopeStart) + len(c.userID) + 256
	var reqBody io.Reader
	var head, small []byte
	var gate *envelopeGate
	if body.size <= maxCopiedBody {
		small = c.appendSignedHead(make([]byte, 0, headSize+body.size+len(envelopeEnd)), &sig)
		small = append(body.appendTo(small), envelopeEnd...)
		reqBody = bytes.NewReader(small)
	} else {
		head = c.appendSignedHead(make([]byte, 0, headSize), &sig)
		gate = &envelopeGate{}
		defer gate.close()
		reqBody = newEnvelopeReader(gate, head, body)
	}

	st := &attemptTrace{}
	st.trace.WroteHeaders = func() { st.mu.Lock(); st.wrote = true; st.mu.Unlock() }
	st.trace.TLSHandshakeDone = func(_ tls.ConnectionState, err error) {
		if err != nil {
			st.mu.Lock()
			st.dialFailed = true
			st.mu.Unlock()
		}
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, &st.trace), http.MethodPost, c.endpoint, reqBody)
	if err != nil {
		return attemptResult{err: err}
	}
	if gate != nil {
		req.ContentLength = int64(len(head) + body.size + len(envelopeEnd))
		req.GetBody = envelopeGetBody(gate, head, body)
		if c.trace != nil {
			small = appendTrace(nil, head, body)
		}
	}
	// The headers Header.Set would write, with their values in one slice.
	hv := &[4]string{"text/xml; charset=utf-8", op.action, c.userAgent, "text/xml"}
	req.Header["Content-Type"] = hv[0:1:1]
	req.Header["Soapaction"] = hv[1:2:2]
	req.Header["User-Agent"] = hv[2:3:3]
	req.Header["Accept"] = hv[3:4:4]

	if c.trace != nil {
		c.trace.request(c.endpoint, req.Header, small, string(sig[:]))
	}
	logging := c.logger.Enabled(ctx, slog.LevelDebug)
	var start time.Time
	if logging {
		start = time.Now()
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		st.mu.Lock()
		notSent := !st.wrote && (st.dialFailed || isDialError(err))
		st.mu.Unlock()
		if e := ctxErr(); e != nil {
			err = e
		}
		err = redactErr(err, string(sig[:]))
		if logging {
			c.logger.DebugContext(ctx, "marketo call failed", "operation", op.name, "sent", !notSent, "duration", time.Since(start), "error", err.Error())
		}
		return attemptResult{sent: !notSent, err: err}
	}
	defer resp.Body.Close()
	data, readErr := readCapped(resp.Body, c.maxResponseBytes)
	ct := resp.Header.Get("Content-Type")
	if c.trace != nil {
		c.trace.response(resp.Status, resp.Header, data, string(sig[:]))
	}
	if readErr != nil {
		if e := ctxErr(); e != nil {
			readErr = e
		}
		if logging {
			c.logger.DebugContext(ctx, "marketo call failed", "operation", op.name, "status", resp.StatusCode, "duration", time.Since(start), "error", readErr.Error())
		}
		return attemptResult{sent: true, err: &ResponseError{HTTPStatus: resp.StatusCode, ContentType: ct, Reason: "reading the body failed", Excerpt: redact(excerpt(data), string(sig[:])), Err: readErr}}
	}
	err = decodeResponse(data, resp.StatusCode, ct, op.success, out)
	if err != nil {
		var re *ResponseError
		if errors.As(err, &re) {
			re.Excerpt = redact(re.Excerpt, string(sig[:]))
		}
	}
	if logging {
		attrs := []any{"operation", op.name, "status", resp.StatusCode, "duration", time.Since(start)}
		var f *Fault
		if errors.As(err, &f) {
			attrs = append(attrs, "fault_code", int(f.Code))
		}
		c.logger.DebugContext(ctx, "marketo call", attrs...)
	}
	return attemptResult{sent: true, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), c.now), err: err}
}

// maxCopiedBody is the largest params element an attempt copies into one
// request buffer; larger ones are streamed from the call's encoding.
const maxCopiedBody = 32 << 10

// envelopeGetBody returns the GetBody of a streamed request: a new reader of
// the same envelope, which encodes the rows again.
func envelopeGetBody(gate *envelopeGate, head []byte, body requestParams) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return newEnvelopeReader(gate, head, body), nil }
}

// attemptTrace records what the transport did with one attempt's request.
type attemptTrace struct {
	trace      httptrace.ClientTrace
	mu         sync.Mutex
	wrote      bool // the request headers were written
	dialFailed bool // the TLS handshake failed
}

// appendSignedHead appends the envelope start and the AuthenticationHeader
// signed now, and writes the signature to sig.
func (c *Client) appendSignedHead(b []byte, sig *[2 * sha1.Size]byte) []byte {
	s, _ := c.signers.Get().(*signer)
	if s == nil {
		s = &signer{mac: hmac.New(sha1.New, c.key)}
	}
	ts := s.sign(sig, c.now(), c.userID)
	b = appendHead(b, c.userID, sig[:], ts)
	c.signers.Put(s)
	return b
}

// ErrResponseTooLarge is the cause of an error for an answer larger than the
// client's limit (see WithMaxResponseBytes).
var ErrResponseTooLarge = errors.New("response body exceeds the size limit")

// readCapped reads all of r, failing once more than max bytes arrive.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b := make([]byte, 0, 512)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > max {
			return b[:max], fmt.Errorf("%w (%d bytes)", ErrResponseTooLarge, max)
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

// redact removes the signature from text that might echo the request.
func redact(s, sig string) string {
	if sig == "" {
		return s
	}
	return strings.ReplaceAll(s, sig, "[REDACTED]")
}

// redactErr keeps a transport error whose text would contain the signature
// from reaching the caller with it. The replacement still matches the
// original's sentinels with errors.Is, but does not unwrap to it, since
// anything reached by unwrapping could print the signature.
func redactErr(err error, sig string) error {
	if msg := err.Error(); strings.Contains(msg, sig) {
		return &redactedError{msg: redact(msg, sig), err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// GoString keeps %#v from printing the original error.
func (e *redactedError) GoString() string { return e.msg }

// CloseIdleConnections closes the idle keep-alive connections of the
// client's HTTP client, if it has any (an *http.Client does). Calls in
// flight are not affected; later calls open new connections.
func (c *Client) CloseIdleConnections() {
	if ci, ok := c.hc.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
