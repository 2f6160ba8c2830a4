package marketo

import (
	"context"
	"errors"
	"time"
)

// Observer receives what the call loop proves about each call, for
// telemetry (the otelmarketo module turns it into OpenTelemetry spans and
// metrics). Every field is optional; a nil field is never called. It is a
// struct of funcs, as httptrace.ClientTrace is, so that a new event is a
// new field that breaks no Observer written before it.
//
// The events carry no secret and no lead data, only operations, numbers,
// codes, outcomes and requestIds. The funcs are called on the caller's
// goroutine (TokenRequest on the one fetching the token) and must be safe
// for concurrent use. docs/observability.md shows the events in use.
type Observer struct {
	// Call is called when an SDK call starts (ScheduleCampaign, …), once
	// per call of a public operation method however many requests it
	// makes. The context it returns is the call's from then on: its
	// lookups, attempts and token requests start from it. end, if not
	// nil, is called once when the call returns. A call refused before
	// anything is sent is reported too: end follows at once, with
	// CallEnd.Refusal set.
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
	Outcome Outcome
	// Attempts counts the HTTP attempts the call started, its lookups'
	// and retries included; 0 for a call refused before anything was
	// sent.
	Attempts   int
	Sent       bool // something of the call may have reached Marketo
	Code       Code // Marketo's code of the failure, 0 without one
	HTTPStatus int  // the HTTP status of the failure, 0 without one
	// RequestID is Marketo's requestId of the failure, or of the success's
	// first request (REST only).
	RequestID  string
	CampaignID int // the campaign's ID, once known
	// Refusal says why a call was refused before its request was sent:
	// "invalid" (its parameters or options broke a rule, InvalidFields
	// names them), "rest_only" (ErrRESTOnly), "clone_budget_exhausted"
	// (ErrCloneBudgetExhausted) or "daily_quota_exceeded"
	// (ErrDailyQuotaExceeded). Empty otherwise.
	Refusal string
	// InvalidFields are the Go fields (e.g. "Leads[0].Value") whose rules
	// a call refused as "invalid" broke, the first 10 of them.
	// The rules themselves, which may quote a value, are left out.
	InvalidFields []string
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
	Sent       bool   // the request may have reached Marketo
	HTTPMethod string // the request's method, e.g. "GET"; empty if none was built
	HTTPStatus int    // 0 without an answer
	Code       Code   // Marketo's code of the failure, 0 without one
	// RequestID is Marketo's requestId of the answer, success or failure
	// (REST only).
	RequestID string
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
