package marketo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
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

// Client calls one Marketo tenant, over the SOAP API (NewClient) or the
// REST API (NewRESTClient): the methods, parameters, results and errors are
// the same on both. A Client is immutable and safe for concurrent use; share
// one per tenant.
type Client struct {
	api              api     // the wire the backend speaks
	backend          backend // the operations on that wire
	hc               HTTPClient
	logger           *slog.Logger
	userAgent        string
	now              func() time.Time
	maxResponseBytes int64
	trace            *wireTracer
	retry            RetryPolicy
	attemptTimeout   time.Duration
	limiter          RateLimiter
	noLimiter        bool
	obs              *Observer     // nil: nothing is reported
	host             string        // the endpoint's host, for the Observer
	splitImportPoll  time.Duration // REST: how often a split import reads its previous job's status
	// afterFunc runs f after d: how an abandoned call's limiter slot is
	// freed AbandonedCallHold later (time.AfterFunc; tests replace it).
	afterFunc func(d time.Duration, f func())
}

// api names the wire a Client speaks.
type api uint8

const (
	apiSOAP api = iota
	apiREST
)

func (a api) String() string {
	if a == apiREST {
		return "REST"
	}
	return "SOAP"
}

// Option configures a Client. Options check their arguments: NewClient
// returns an error for a bad one instead of falling back to a default.
type Option func(*Client) error

// WithHTTPClient makes the client send requests with hc instead of the SDK's
// own *http.Client. A nil hc is an error.
//
// Whatever hc does, a request leaves at most once per attempt (it has no
// GetBody to be sent again with), and an answer that is a redirect, or that
// comes from another URL because hc followed one, fails the attempt: a
// Marketo endpoint does not redirect. The SDK's own client never follows
// redirects.
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
// encryption key, signatures, the REST client secret or access tokens. The
// default discards logs.
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

// WithClock makes the client read the time from now instead of time.Now,
// for deterministic tests: SOAP request timestamps; on REST, the access
// token's expiry, the campaign name cache and the RunAt limit.
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
// "[REDACTED]" wherever it appears, in an answer's status line, headers or
// body as in the request; the encryption key is never sent and so never
// traced. On REST the Authorization header, the client secret in the
// identity URL and the access token in the identity answer are replaced
// the same way. Writes to w are serialised.
//
// An ImportToList request whose rows take more than 1 MiB is traced with
// its first rows only; in place of the others, an XML comment (SOAP) or a
// line of the CSV part (REST, per job) says how many more were sent and how
// many bytes they took; the rest of the request is traced as sent.
func WithWireTrace(w io.Writer) Option {
	return func(c *Client) error {
		if w == nil {
			return errors.New("marketo: WithWireTrace: writer is nil")
		}
		c.trace = &wireTracer{w: w}
		return nil
	}
}

// NewClient checks cfg and the options and returns a Client for the SOAP
// API. It sends nothing.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	u, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("marketo: NewClient: %w", err)
	}
	c, err := newClient(apiSOAP, opts)
	if err != nil {
		return nil, err
	}
	c.backend = c.observed(newSOAPBackend(c, u.String(), cfg))
	return c, nil
}

// newClient applies the options shared by both wires and fills in the
// defaults of those not given.
func newClient(a api, opts []Option) (*Client, error) {
	c := &Client{
		api:              a,
		logger:           slog.New(slog.DiscardHandler),
		userAgent:        defaultUserAgent,
		now:              time.Now,
		maxResponseBytes: DefaultMaxResponseBytes,
		retry:            DefaultRetryPolicy,
		attemptTimeout:   DefaultAttemptTimeout,
		afterFunc:        func(d time.Duration, f func()) { time.AfterFunc(d, f) },
	}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("marketo: nil Option")
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.hc == nil {
		c.hc = newDefaultHTTPClient()
	}
	if c.limiter == nil && !c.noLimiter {
		c.limiter = defaultLimiter(a)
	}
	return c, nil
}

// call is the one path every operation takes, on both wires: for each
// attempt wait for the limiter, make the attempt (send, read, decode and
// check the answer), and retry as the RetryPolicy allows what the failure
// proves safe to repeat. It returns nil or an *OperationError.
func (c *Client) call(ctx context.Context, op *operation, attempt func(context.Context) attemptResult) error {
	ctx, end := c.loopCallStart(ctx, op)
	err := c.callLoop(ctx, op, attempt)
	if end != nil {
		end(callEnd(err))
	}
	return err
}

// callLoop is call without its report to the Observer.
func (c *Client) callLoop(ctx context.Context, op *operation, attempt func(context.Context) attemptResult) error {
	var r attemptResult
	sent, unknown := false, false
	attempts, retriedOnce := 0, false
	for {
		next, started := c.limitedAttempt(ctx, op, attempts+1, attempt)
		if !started {
			if attempts == 0 {
				r = next // nothing was sent: the limiter's refusal or the context's end is the call's failure
			}
			// The limiter waited as long as it could or refused for good;
			// after an attempt, that attempt's failure is the call's.
			break
		}
		r = next
		attempts++
		if r.err == nil {
			return nil
		}
		sent = sent || r.sent
		o := classify(r)
		unknown = unknown || (r.sent && o == outcomeUnknown)
		if attempts >= c.retry.MaxAttempts || !retryable(ctx, op, r) || (o == outcomeRetryableOnce && retriedOnce) {
			break
		}
		retriedOnce = retriedOnce || o == outcomeRetryableOnce
		wait := c.retry.wait(attempts, r)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			break // the context would end during the wait
		}
		if c.obs != nil && c.obs.Retry != nil {
			c.obs.Retry(ctx, Retry{Operation: op.method, Attempt: attempts, Wait: wait, Reason: retryReason(o), Code: faultCode(r.err)})
		}
		if c.logger.Enabled(ctx, slog.LevelDebug) {
			c.logger.DebugContext(ctx, "marketo retry", "operation", op.method, "attempt", attempts, "wait", wait, "error", r.err.Error())
		}
		if err := sleepCtx(ctx, wait); err != nil {
			break
		}
	}
	var f *Fault
	if errors.As(r.err, &f) && f.spendsDailyQuota() {
		f.QuotaResetsAt = nextQuotaReset(c.now())
	}
	return &OperationError{Operation: op.method, Sent: sent, Attempts: attempts, Err: r.err,
		OutcomeUnknown: op.mutating && unknown}
}

// limitedAttempt makes attempt n once the limiter lets it start, and says
// whether it started.
func (c *Client) limitedAttempt(ctx context.Context, op *operation, n int, attempt func(context.Context) attemptResult) (r attemptResult, started bool) {
	if err := ctx.Err(); err != nil {
		return attemptResult{err: err}, false
	}
	if c.limiter != nil {
		var waitStart time.Time
		if c.obs != nil {
			waitStart = time.Now()
		}
		done, err := c.limiter.Acquire(ctx)
		if c.obs != nil && c.obs.LimiterWait != nil {
			c.obs.LimiterWait(ctx, LimiterWait{Operation: op.method, Attempt: n, Waited: time.Since(waitStart), Result: limiterResult(err)})
		}
		if err != nil {
			return attemptResult{err: err}, false
		}
		// r as the attempt left it; the zero result (nothing sent) if it
		// panicked.
		defer func() { c.freeSlot(r, done) }()
	}
	var start time.Time
	logging := c.logger.Enabled(ctx, slog.LevelDebug)
	if logging {
		start = time.Now()
	}
	if c.obs != nil && c.obs.Attempt != nil {
		actx, end := c.obs.Attempt(ctx, AttemptStart{Operation: op.method, API: c.api.String(), ServerAddress: c.host, Attempt: n})
		r = attempt(actx)
		if end != nil {
			end(attemptEnd(r))
		}
	} else {
		r = attempt(ctx)
	}
	if logging {
		c.logAttempt(ctx, op, r, time.Since(start))
	}
	return r, true
}

// freeSlot calls done, which frees the attempt's limiter slot, once the
// attempt's request can no longer be running at Marketo (see
// RateLimiter.Acquire). A request the client gave up on (its context or
// attempt timeout ended) before an answer arrived may still run there, and
// Marketo counts it in flight until it ends: its slot frees
// AbandonedCallHold later, as does one a gateway gave up on (a 502 or 504
// page). Otherwise the slot frees at once: the request
// never left, or it was answered (a failed access token ends the attempt
// after the answer to its request), or the server closed the connection,
// which ends the request there; or, for a streamed answer, when it ends.
func (c *Client) freeSlot(r attemptResult, done func()) {
	switch {
	case r.stream != nil:
		r.stream.freeSlotOnEnd(done)
	case abandoned(r):
		c.afterFunc(AbandonedCallHold, done)
	default:
		done()
	}
}

// abandoned reports an attempt whose request may have left and that the
// client gave up on before an answer arrived, or that a gateway gave up
// on: a 502 or 504 that is not Marketo's answer (a proxy's error page)
// says the gateway stopped waiting, not that Marketo stopped running.
func abandoned(r attemptResult) bool {
	if r.err == nil {
		return false // before the targets of errors.As, which escape
	}
	var te *tokenError
	var re *ResponseError
	if errors.As(r.err, &re) && r.sent && (re.HTTPStatus == http.StatusBadGateway || re.HTTPStatus == http.StatusGatewayTimeout) {
		return true
	}
	return r.sent && r.status == 0 && !errors.As(r.err, &te) &&
		(errors.Is(r.err, context.Canceled) || errors.Is(r.err, context.DeadlineExceeded))
}

// logAttempt logs one attempt at debug level. Errors reaching it have had
// every secret removed.
func (c *Client) logAttempt(ctx context.Context, op *operation, r attemptResult, d time.Duration) {
	attrs := []any{"operation", op.method, "api", c.api.String(), "duration", d}
	if r.status != 0 {
		attrs = append(attrs, "status", r.status)
	}
	if r.err == nil {
		c.logger.DebugContext(ctx, "marketo call", attrs...)
		return
	}
	var f *Fault
	if errors.As(r.err, &f) {
		attrs = append(attrs, "fault_code", int(f.Code))
	}
	attrs = append(attrs, "sent", r.sent, "error", r.err.Error())
	c.logger.DebugContext(ctx, "marketo call failed", attrs...)
}

// invalid is the error of a call refused before anything was sent.
func invalid(op *operation, err error) error {
	return &OperationError{Operation: op.method, Err: err}
}
