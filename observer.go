package marketo

import (
	"context"
	"errors"
	"net/url"
	"time"
)

// Observer receives what the call loop proves about each call, for
// telemetry (the otelmarketo module turns it into OpenTelemetry spans and
// metrics). Every field is optional; a nil field is never called, and a
// client without an Observer pays one nil check per event.
//
// It is a struct of funcs, as net/http/httptrace.ClientTrace is, rather
// than an interface: a later SDK version can add an event by adding a field
// without breaking any Observer written today, and an observer sets only
// the events it wants.
//
// The events carry no secret and no lead data: no credential, access
// token, signature, email address, lead key, row, token value, asset name
// or error text, only operations, numbers, codes, outcomes and requestIds.
// The funcs are called on the caller's goroutine (TokenRequest on the
// goroutine fetching the token) and must be safe for concurrent use.
type Observer struct {
	// Call is called when an SDK call starts (ScheduleCampaign, …). The
	// context it returns is the call's from then on: its lookups, attempts
	// and token requests start from it. end, if not nil, is called once
	// when the call returns.
	Call func(ctx context.Context, e CallStart) (_ context.Context, end func(CallEnd))
	// Lookup is called when a REST call starts a lookup (a GET that turns
	// a campaign's, list's or lead's names into IDs); its attempts start
	// from the context it returns, and end is called once when it ends.
	Lookup func(ctx context.Context, e LookupStart) (_ context.Context, end func(LookupEnd))
	// LimiterWait is called each time an attempt has waited for the
	// RateLimiter, with how long and how the wait ended.
	LimiterWait func(ctx context.Context, e LimiterWait)
	// Attempt is called when an HTTP attempt starts, after the limiter let
	// it; end is called once when the attempt ends.
	Attempt func(ctx context.Context, e AttemptStart) (_ context.Context, end func(AttemptEnd))
	// Retry is called when the call loop repeats a failed attempt, before
	// it waits.
	Retry func(ctx context.Context, e Retry)
	// TokenRequest is called when a REST client asks the identity endpoint
	// for an access token; end is called once with its answer. Callers
	// that wait for the same token share one request.
	TokenRequest func(ctx context.Context) (_ context.Context, end func(TokenRequestEnd))
}

// WithObserver makes the client report its calls to o (see Observer). A nil
// o is an error.
func WithObserver(o *Observer) Option {
	return func(c *Client) error {
		if o == nil {
			return errors.New("marketo: WithObserver: observer is nil")
		}
		c.obs = o
		return nil
	}
}

// Outcome is what a call or an attempt proved about whether Marketo acted
// on it.
type Outcome uint8

const (
	// OutcomeRan: Marketo answered with success.
	OutcomeRan Outcome = iota + 1
	// OutcomeRefused: the request did not run, and repeating it as it is
	// will not help (a bad parameter, a missing campaign, a daily quota).
	OutcomeRefused
	// OutcomeRetryable: the request did not run, and a later attempt may
	// succeed (rate and concurrency limits, a connection not made, a
	// context that ended before anything was sent).
	OutcomeRetryable
	// OutcomeUnknown: the request may have run (a lost answer, a timeout
	// after sending, an internal error, a garbled answer).
	OutcomeUnknown
)

// String returns "ran", "refused", "retryable" or "unknown".
func (o Outcome) String() string {
	switch o {
	case OutcomeRan:
		return "ran"
	case OutcomeRefused:
		return "refused"
	case OutcomeRetryable:
		return "retryable"
	case OutcomeUnknown:
		return "unknown"
	}
	return "none"
}

// CallStart describes an SDK call as it starts.
type CallStart struct {
	Operation     string // the SDK method, e.g. "ScheduleCampaign"
	API           string // "REST" or "SOAP"
	ServerAddress string // the endpoint's host, e.g. "123-ABC-456.mktorest.com"
	CampaignID    int    // the campaign's ID when the params give it, else 0
}

// CallEnd is what an SDK call proved.
type CallEnd struct {
	Outcome    Outcome
	Attempts   int  // on failure, the attempts OperationError.Attempts counts
	Sent       bool // something of the call may have reached Marketo
	Code       Code // Marketo's code of the failure, 0 without one
	HTTPStatus int  // the HTTP status of the failure, 0 without one
	// RequestID is Marketo's requestId of the failure, or of the success's
	// first request (REST only).
	RequestID  string
	CampaignID int // the campaign's ID, once known
}

// LookupStart describes a REST lookup as it starts.
type LookupStart struct {
	Operation string // the SDK call the lookup is for
	Path      string // the endpoint, without the query (which holds the names)
}

// LookupEnd is what a lookup proved. It has no outcome beyond success: a
// lookup only reads.
type LookupEnd struct {
	OK         bool
	Code       Code
	HTTPStatus int
	RequestID  string
}

// LimiterResult says how a wait for the RateLimiter ended.
type LimiterResult uint8

const (
	LimiterAcquired      LimiterResult = iota // the attempt may start
	LimiterQuotaExceeded                      // refused: the day's quota is used up (ErrDailyQuotaExceeded)
	LimiterCanceled                           // the context ended first
	LimiterFailed                             // the RateLimiter failed otherwise
)

// String returns "acquired", "quota_exceeded", "canceled" or "failed".
func (r LimiterResult) String() string {
	switch r {
	case LimiterAcquired:
		return "acquired"
	case LimiterQuotaExceeded:
		return "quota_exceeded"
	case LimiterCanceled:
		return "canceled"
	}
	return "failed"
}

// LimiterWait is one wait for the RateLimiter. RateLimiter does not say
// why it made an attempt wait (window full or calls in flight); Result says
// how the wait ended.
type LimiterWait struct {
	Operation string
	Attempt   int // the attempt that waited, from 1
	Waited    time.Duration
	Result    LimiterResult
}

// AttemptStart describes an HTTP attempt as it starts.
type AttemptStart struct {
	Operation     string
	API           string
	ServerAddress string // the endpoint's host
	Attempt       int    // from 1
}

// AttemptEnd is what an attempt proved.
type AttemptEnd struct {
	Outcome    Outcome
	Sent       bool // the request may have reached Marketo
	HTTPStatus int  // 0 without an answer
	Code       Code // Marketo's code of the failure, 0 without one
	RequestID  string
}

// Retry is the call loop's decision to repeat a failed attempt.
type Retry struct {
	Operation string
	Attempt   int           // the attempt that failed, from 1
	Wait      time.Duration // before the next attempt
	// Reason is why the failure may be repeated: "retryable" (it did not
	// run and may succeed later), "retryable_once" (REST 611) or
	// "unknown_outcome" (a read-only call, or one that opted in with
	// RetryUnknownOutcome).
	Reason string
	Code   Code // the failure's Marketo code, 0 without one
}

// TokenRequestEnd is the answer to a request for an access token.
type TokenRequestEnd struct {
	HTTPStatus int  // 0 without an answer
	OK         bool // an HTTP 200 answer (the token in it is checked afterwards)
}

// inCallKey marks a context inside an observed SDK call.
type inCallKey struct{}

// observedBackend reports each SDK call of its backend to the client's
// Observer.
type observedBackend struct {
	backend
	c *Client
}

// observed returns b reporting to c's Observer, or b itself without one.
func (c *Client) observed(b backend) backend {
	if c.obs == nil {
		return b
	}
	if e, ok := b.(interface{ endpointURL() string }); ok {
		if u, err := url.Parse(e.endpointURL()); err == nil {
			c.host = u.Hostname()
		}
	}
	if c.obs.Call == nil {
		return b
	}
	return &observedBackend{backend: b, c: c}
}

// wireOf returns the backend that speaks the wire under b's observer.
func wireOf(b backend) backend {
	if o, ok := b.(*observedBackend); ok {
		return o.backend
	}
	return b
}

func (o *observedBackend) endpointURL() string {
	e, ok := o.backend.(interface{ endpointURL() string })
	if !ok {
		return ""
	}
	return e.endpointURL()
}

func (o *observedBackend) scheduleCampaign(ctx context.Context, p *ScheduleCampaignParams) (*ScheduleCampaignResult, error) {
	return observeCall(ctx, o.c, opScheduleCampaign, p.CampaignID, func(ctx context.Context) (*ScheduleCampaignResult, error) {
		return o.backend.scheduleCampaign(ctx, p)
	}, func(r *ScheduleCampaignResult) (ResultMetadata, int) { return r.Metadata, r.CampaignID })
}

func (o *observedBackend) requestCampaign(ctx context.Context, p *RequestCampaignParams) (*RequestCampaignResult, error) {
	return observeCall(ctx, o.c, opRequestCampaign, p.CampaignID, func(ctx context.Context) (*RequestCampaignResult, error) {
		return o.backend.requestCampaign(ctx, p)
	}, func(r *RequestCampaignResult) (ResultMetadata, int) { return r.Metadata, r.CampaignID })
}

func (o *observedBackend) getCampaignsForSource(ctx context.Context, p *GetCampaignsForSourceParams) (*GetCampaignsForSourceResult, error) {
	return observeCall(ctx, o.c, opGetCampaignsForSource, 0, func(ctx context.Context) (*GetCampaignsForSourceResult, error) {
		return o.backend.getCampaignsForSource(ctx, p)
	}, func(r *GetCampaignsForSourceResult) (ResultMetadata, int) { return r.Metadata, 0 })
}

func (o *observedBackend) importToList(ctx context.Context, p *ImportToListParams) (*ImportToListResult, error) {
	return observeCall(ctx, o.c, opImportToList, 0, func(ctx context.Context) (*ImportToListResult, error) {
		return o.backend.importToList(ctx, p)
	}, func(r *ImportToListResult) (ResultMetadata, int) { return r.Metadata, 0 })
}

func (o *observedBackend) getImportToListStatus(ctx context.Context, p *GetImportToListStatusParams) (*ImportToListStatus, error) {
	return observeCall(ctx, o.c, opGetImportToListStatus, 0, func(ctx context.Context) (*ImportToListStatus, error) {
		return o.backend.getImportToListStatus(ctx, p)
	}, func(r *ImportToListStatus) (ResultMetadata, int) { return r.Metadata, 0 })
}

// observeCall runs one SDK call between the Observer's call start and end.
func observeCall[R any](ctx context.Context, c *Client, op *operation, campaignID int, run func(context.Context) (*R, error), meta func(*R) (ResultMetadata, int)) (*R, error) {
	ctx, end := c.callStart(ctx, op, campaignID)
	res, err := run(ctx)
	if end != nil {
		e := callEnd(err)
		if err == nil && res != nil {
			var md ResultMetadata
			md, e.CampaignID = meta(res)
			e.RequestID = md.RequestID
		}
		if e.CampaignID == 0 {
			e.CampaignID = campaignID
		}
		end(e)
	}
	return res, err
}

// callStart reports the start of an SDK call, and marks ctx as inside it
// so that the call loop does not report it again.
func (c *Client) callStart(ctx context.Context, op *operation, campaignID int) (context.Context, func(CallEnd)) {
	ctx, end := c.obs.Call(ctx, CallStart{Operation: op.method, API: c.api.String(), ServerAddress: c.host, CampaignID: campaignID})
	return context.WithValue(ctx, inCallKey{}, true), end
}

// loopCallStart reports a call the call loop makes outside any observed SDK
// call (ImportFailures, ImportWarnings), or returns a nil end.
func (c *Client) loopCallStart(ctx context.Context, op *operation) (context.Context, func(CallEnd)) {
	if c.obs == nil || c.obs.Call == nil || ctx.Value(inCallKey{}) != nil {
		return ctx, nil
	}
	return c.callStart(ctx, op, 0)
}

// callEnd is what err, an SDK call's error, proves.
func callEnd(err error) CallEnd {
	if err == nil {
		return CallEnd{Outcome: OutcomeRan}
	}
	var e CallEnd
	var oe *OperationError
	r := attemptResult{sent: true, err: err}
	if errors.As(err, &oe) {
		e.Attempts, e.Sent = oe.Attempts, oe.Sent
		r = attemptResult{sent: oe.Sent, err: oe.Err}
	}
	e.Outcome = publicOutcome(classify(r))
	if errors.Is(err, ErrOutcomeUnknown) {
		e.Outcome = OutcomeUnknown
	}
	e.Code, e.HTTPStatus, e.RequestID = failureFacts(err)
	return e
}

// attemptEnd is what r, an attempt's result, proves.
func attemptEnd(r attemptResult) AttemptEnd {
	e := AttemptEnd{Outcome: OutcomeRan, Sent: r.sent, HTTPStatus: r.status}
	if r.err != nil {
		e.Outcome = publicOutcome(classify(r))
		var status int
		e.Code, status, e.RequestID = failureFacts(r.err)
		if e.HTTPStatus == 0 {
			e.HTTPStatus = status
		}
	}
	return e
}

// failureFacts returns the Marketo code, HTTP status and requestId an
// error carries, if any.
func failureFacts(err error) (Code, int, string) {
	var f *Fault
	if errors.As(err, &f) {
		return f.Code, f.HTTPStatus, f.RequestID
	}
	var re *ResponseError
	if errors.As(err, &re) {
		return 0, re.HTTPStatus, ""
	}
	return 0, 0, ""
}

func publicOutcome(o outcome) Outcome {
	switch o {
	case outcomeRefused:
		return OutcomeRefused
	case outcomeRetryable, outcomeRetryableOnce:
		return OutcomeRetryable
	}
	return OutcomeUnknown
}

// retryReason names why a failure with outcome o may be repeated.
func retryReason(o outcome) string {
	switch o {
	case outcomeRetryable:
		return "retryable"
	case outcomeRetryableOnce:
		return "retryable_once"
	}
	return "unknown_outcome"
}

// limiterResult says how a wait for the RateLimiter that returned err ended.
func limiterResult(err error) LimiterResult {
	switch {
	case err == nil:
		return LimiterAcquired
	case errors.Is(err, ErrDailyQuotaExceeded):
		return LimiterQuotaExceeded
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return LimiterCanceled
	}
	return LimiterFailed
}

// lookupStart reports the start of a lookup GET to path, or returns a nil
// end without an Observer.
func (c *Client) lookupStart(ctx context.Context, op *operation, path string) (context.Context, func(LookupEnd)) {
	if c.obs == nil || c.obs.Lookup == nil {
		return ctx, nil
	}
	return c.obs.Lookup(ctx, LookupStart{Operation: op.method, Path: path})
}

// lookupEnd is what a lookup that returned err proved.
func lookupEnd(env *restEnvelope, err error) LookupEnd {
	if err == nil {
		e := LookupEnd{OK: true}
		if env != nil {
			e.RequestID = env.RequestID
		}
		return e
	}
	var e LookupEnd
	e.Code, e.HTTPStatus, e.RequestID = failureFacts(err)
	return e
}

// tokenRequestStart reports the start of an identity request, or returns a
// nil end without an Observer.
func (c *Client) tokenRequestStart(ctx context.Context) (context.Context, func(TokenRequestEnd)) {
	if c.obs == nil || c.obs.TokenRequest == nil {
		return ctx, nil
	}
	return c.obs.TokenRequest(ctx)
}

// faultCode returns the Marketo code err carries, or 0.
func faultCode(err error) Code {
	code, _, _ := failureFacts(err)
	return code
}
