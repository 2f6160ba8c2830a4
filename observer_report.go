package marketo

import (
	"context"
	"errors"

	"github.com/mktows/marketo/internal/restwire"
)

// How the call loop reports to an Observer: the SDK call around a backend
// method (backend.go's observedBackend), and what each event proves, drawn
// from the errors without their text.

// inCallKey marks a context inside an observed SDK call.
type inCallKey struct{}

// observeCall runs one SDK call between the Observer's call start and end.
func observeCall[R any](ctx context.Context, e *engine, op *operation, campaignID int, run func(context.Context) (*R, error), meta func(*R) (ResultMetadata, int)) (*R, error) {
	ctx, end := e.callStart(ctx, op, campaignID)
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
func (e *engine) callStart(ctx context.Context, op *operation, campaignID int) (context.Context, func(CallEnd)) {
	ctx, end := e.obs.Call(ctx, CallStart{Operation: op.method, API: e.api.String(), ServerAddress: e.host, CampaignID: campaignID})
	return context.WithValue(ctx, inCallKey{}, true), end
}

// loopCallStart reports a call the call loop makes outside any observed SDK
// call (ImportFailures, ImportWarnings), or returns a nil end.
func (e *engine) loopCallStart(ctx context.Context, op *operation) (context.Context, func(CallEnd)) {
	if e.obs == nil || e.obs.Call == nil || ctx.Value(inCallKey{}) != nil {
		return ctx, nil
	}
	return e.callStart(ctx, op, 0)
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
func (e *engine) lookupStart(ctx context.Context, op *operation, path string) (context.Context, func(LookupEnd)) {
	if e.obs == nil || e.obs.Lookup == nil {
		return ctx, nil
	}
	return e.obs.Lookup(ctx, LookupStart{Operation: op.method, Path: path})
}

// lookupEnd is what a lookup that returned err proved.
func lookupEnd(env *restwire.Envelope, err error) LookupEnd {
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
func (e *engine) tokenRequestStart(ctx context.Context) (context.Context, func(TokenRequestEnd)) {
	if e.obs == nil || e.obs.TokenRequest == nil {
		return ctx, nil
	}
	return e.obs.TokenRequest(ctx)
}

// faultCode returns the Marketo code err carries, or 0.
func faultCode(err error) Code {
	code, _, _ := failureFacts(err)
	return code
}
