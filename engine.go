package marketo

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// engine is the call loop both wires share, as a value each backend
// holds: it waits for the limiter, makes attempts (send, read, trace,
// under the attempt timeout, with the client's user agent and clock),
// retries as the RetryPolicy allows, and reports to the Observer. A
// backend builds requests and turns answers into results; the engine
// decides what happens between them. The Client's options configure it
// before the first call; it does not change afterwards.
type engine struct {
	api              api // the wire the backend speaks
	hc               HTTPClient
	logger           *slog.Logger
	userAgent        string
	now              func() time.Time
	maxResponseBytes int64
	trace            *wireTracer
	retry            RetryPolicy
	attemptTimeout   time.Duration
	limiter          RateLimiter
	obs              *Observer // nil: nothing is reported
	host             string    // the endpoint's host, for the Observer
	// afterFunc runs f after d: how an abandoned call's limiter slot is
	// freed AbandonedCallHold later (time.AfterFunc; tests replace it).
	afterFunc func(d time.Duration, f func())
}

// call is the one path every operation takes, on both wires: for each
// attempt wait for the limiter, make the attempt (send, read, decode and
// check the answer), and retry as the RetryPolicy allows what the failure
// proves safe to repeat. It returns nil or an *OperationError.
func (e *engine) call(ctx context.Context, op *operation, s callSettings, attempt func(context.Context) attemptResult) error {
	var r attemptResult
	sent, unknown := false, false
	attempts, retriedOnce := 0, false
	for {
		next, started := e.limitedAttempt(ctx, op, attempts+1, attempt)
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
		if attempts >= e.retry.MaxAttempts || !retryable(ctx, op, s, r) || (o == outcomeRetryableOnce && retriedOnce) {
			break
		}
		retriedOnce = retriedOnce || o == outcomeRetryableOnce
		wait := e.retry.wait(attempts, r)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			break // the context would end during the wait
		}
		if e.obs != nil && e.obs.Retry != nil {
			e.obs.Retry(ctx, Retry{Operation: op.method, Attempt: attempts, Wait: wait, Reason: retryReason(o), Code: faultCode(r.err)})
		}
		if e.logger.Enabled(ctx, slog.LevelDebug) {
			e.logger.DebugContext(ctx, "marketo retry", "operation", op.method, "attempt", attempts, "wait", wait, "error", r.err.Error())
		}
		if err := sleepCtx(ctx, wait); err != nil {
			break
		}
	}
	var f *Fault
	if errors.As(r.err, &f) && f.spendsDailyQuota() {
		f.QuotaResetsAt = nextQuotaReset(e.now())
	}
	return &OperationError{Operation: op.method, Sent: sent, Attempts: attempts, Err: r.err,
		OutcomeUnknown: op.mutating && unknown}
}

// limitedAttempt makes attempt n once the limiter lets it start, and says
// whether it started.
func (e *engine) limitedAttempt(ctx context.Context, op *operation, n int, attempt func(context.Context) attemptResult) (r attemptResult, started bool) {
	if err := ctx.Err(); err != nil {
		return attemptResult{err: err}, false
	}
	if e.limiter != nil {
		var waitStart time.Time
		if e.obs != nil {
			waitStart = time.Now()
		}
		done, err := e.limiter.Acquire(ctx)
		if e.obs != nil && e.obs.LimiterWait != nil {
			e.obs.LimiterWait(ctx, LimiterWait{Operation: op.method, Attempt: n, Waited: time.Since(waitStart), Result: limiterResult(err)})
		}
		if err != nil {
			return attemptResult{err: err}, false
		}
		// r as the attempt left it; the zero result (nothing sent) if it
		// panicked.
		defer func() { e.freeSlot(r, done) }()
	}
	var start time.Time
	logging := e.logger.Enabled(ctx, slog.LevelDebug)
	if logging {
		start = time.Now()
	}
	if e.obs != nil {
		r = e.observedAttempt(ctx, op, n, attempt)
	} else {
		r = attempt(ctx)
	}
	if logging {
		e.logAttempt(ctx, op, r, time.Since(start))
	}
	return r, true
}

// observedAttempt makes attempt n, reported to the Observer and counted
// in its SDK call's tally.
func (e *engine) observedAttempt(ctx context.Context, op *operation, n int, attempt func(context.Context) attemptResult) attemptResult {
	countAttempt(ctx)
	if e.obs.Attempt == nil {
		return attempt(ctx)
	}
	actx, end := e.obs.Attempt(ctx, AttemptStart{Operation: op.method, API: e.api.String(), ServerAddress: e.host, Attempt: n})
	r := attempt(actx)
	if end != nil {
		end(attemptEnd(r))
	}
	return r
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
func (e *engine) freeSlot(r attemptResult, done func()) {
	switch {
	case r.stream != nil:
		r.stream.freeSlotOnEnd(done)
	case abandoned(r):
		e.afterFunc(AbandonedCallHold, done)
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
func (e *engine) logAttempt(ctx context.Context, op *operation, r attemptResult, d time.Duration) {
	attrs := []any{"operation", op.method, "api", e.api.String(), "duration", d}
	if r.status != 0 {
		attrs = append(attrs, "status", r.status)
	}
	if r.err == nil {
		e.logger.DebugContext(ctx, "marketo call", attrs...)
		return
	}
	var f *Fault
	if errors.As(r.err, &f) {
		attrs = append(attrs, "fault_code", int(f.Code))
	}
	attrs = append(attrs, "sent", r.sent, "error", r.err.Error())
	e.logger.DebugContext(ctx, "marketo call failed", attrs...)
}
