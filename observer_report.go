package marketo

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/mktows/marketo/internal/restwire"
)

// How the call loop reports to an Observer: the SDK call around a backend
// method (backend.go's observedBackend), and what each event proves, drawn
// from the errors without their text.

// observeCall runs one SDK call between the Observer's call start and end.
func observeCall[R any](ctx context.Context, e *engine, op *operation, campaignID int, run func(context.Context) (*R, error), meta func(*R) (ResultMetadata, int)) (*R, error) {
	ctx, end := e.obs.Call(ctx, CallStart{Operation: op.method, API: e.api.String(), ServerAddress: e.host, CampaignID: campaignID})
	if end == nil {
		return run(ctx)
	}
	tc := &tallyCtx{Context: ctx}
	res, err := run(tc)
	ce := callEnd(err)
	ce.Attempts = int(tc.attempts.Load())
	if err == nil && res != nil {
		var md ResultMetadata
		md, ce.CampaignID = meta(res)
		ce.RequestID = md.RequestID
	}
	if ce.CampaignID == 0 {
		ce.CampaignID = campaignID
	}
	end(ce)
	return res, err
}

// tallyCtx is the context of an observed SDK call: it counts the call's
// attempts, which the call loop adds as they start (countAttempt). One
// value, rather than a context.WithValue and a counter, keeps an observed
// call to one allocation.
type tallyCtx struct {
	context.Context
	attempts atomic.Int32
}

// tallyKey finds the tallyCtx of the call a context belongs to.
type tallyKey struct{}

func (c *tallyCtx) Value(key any) any {
	if key == (tallyKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// countAttempt counts an attempt that started in ctx in its SDK call's
// tally, if the call is observed.
func countAttempt(ctx context.Context) {
	if tc, ok := ctx.Value(tallyKey{}).(*tallyCtx); ok {
		tc.attempts.Add(1)
	}
}

// reportRefused reports a call of op refused before anything was sent, as
// one call without attempts. err is the call's *OperationError.
func (e *engine) reportRefused(ctx context.Context, op *operation, err error) {
	if e.obs == nil || e.obs.Call == nil {
		return
	}
	_, end := e.obs.Call(ctx, CallStart{Operation: op.method, API: e.api.String(), ServerAddress: e.host})
	if end != nil {
		end(callEnd(err))
	}
}

// callEnd is what err, an SDK call's error, proves.
func callEnd(err error) CallEnd {
	if err == nil {
		return CallEnd{Outcome: OutcomeRan, Sent: true}
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
	if !e.Sent && e.Attempts == 0 {
		e.Refusal, e.InvalidFields = refusal(err)
		if e.Refusal != "" {
			e.Outcome = OutcomeRefused
		}
	}
	return e
}

// maxInvalidFields bounds CallEnd.InvalidFields: an import's rows may
// break rules by the thousand.
const maxInvalidFields = 10

// refusal names why err refused a call before sending, and the fields of
// its *ValidationErrors (never their rules, which may quote a value); ""
// when it is no refusal.
func refusal(err error) (string, []string) {
	switch {
	case errors.Is(err, ErrRESTOnly):
		return "rest_only", nil
	case errors.Is(err, ErrCloneBudgetExhausted):
		return "clone_budget_exhausted", nil
	case errors.Is(err, ErrDailyQuotaExceeded):
		return "daily_quota_exceeded", nil
	}
	ves := ValidationErrors(err)
	if len(ves) == 0 {
		return "", nil
	}
	fields := make([]string, 0, min(len(ves), maxInvalidFields))
	for _, ve := range ves[:cap(fields)] {
		fields = append(fields, ve.Field)
	}
	return "invalid", fields
}

// attemptEnd is what r, an attempt's result, proves.
func attemptEnd(r attemptResult) AttemptEnd {
	e := AttemptEnd{Outcome: OutcomeRan, Sent: r.sent, HTTPMethod: r.method, HTTPStatus: r.status, RequestID: r.requestID}
	if r.err != nil {
		e.Outcome = publicOutcome(classify(r))
		code, status, requestID := failureFacts(r.err)
		e.Code = code
		if e.HTTPStatus == 0 {
			e.HTTPStatus = status
		}
		if requestID != "" {
			e.RequestID = requestID
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
