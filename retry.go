package marketo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy says how often a failed call is repeated and how long the
// client waits in between. Which failures are repeated is fixed, because
// repeating the wrong ones schedules campaigns twice: those that prove the
// request did not run (no connection, rate and concurrency limits, SOAP's
// 20016, REST's 6xx, a busy import queue, HTTP 429 and 503); and, for
// read-only calls or a call given WithRetryUnknownOutcome, those whose
// outcome is unknown. Nothing else is retried: the daily quotas, other
// faults, invalid parameters, a done context. Waits grow exponentially from
// BaseDelay with jitter, are capped at MaxDelay, honour Retry-After, and end
// with the context. docs/errors.md lists every code.
type RetryPolicy struct {
	// MaxAttempts is the most attempts a call makes, the first included.
	// 1 turns retries off.
	MaxAttempts int
	// BaseDelay is the wait before the second attempt, before jitter.
	BaseDelay time.Duration
	// MaxDelay caps every wait, Retry-After included.
	MaxDelay time.Duration
}

// DefaultRetryPolicy is the policy of a client without WithRetryPolicy.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: 30 * time.Second}

// WithRetryPolicy replaces DefaultRetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 1 {
			return fmt.Errorf("marketo: WithRetryPolicy: MaxAttempts is %d; want 1 or more (1 turns retries off)", p.MaxAttempts)
		}
		if p.MaxAttempts > 1 && (p.BaseDelay <= 0 || p.MaxDelay < p.BaseDelay) {
			return fmt.Errorf("marketo: WithRetryPolicy: want 0 < BaseDelay <= MaxDelay, have BaseDelay %v, MaxDelay %v", p.BaseDelay, p.MaxDelay)
		}
		c.retry = p
		return nil
	}
}

// WithoutRetries makes every call a single attempt.
func WithoutRetries() Option {
	return WithRetryPolicy(RetryPolicy{MaxAttempts: 1})
}

// retryUnknownKey is the context key of the deprecated RetryUnknownOutcome.
type retryUnknownKey struct{}

// RetryUnknownOutcome returns a context that lets a call that changes the
// tenant be retried even after a failure that leaves open whether Marketo
// acted on it. Use it only for calls that are harmless to run twice.
//
// Deprecated: pass WithRetryUnknownOutcome() to the call instead, e.g.
// c.ScheduleCampaign(ctx, p, marketo.WithRetryUnknownOutcome()); the
// context is for cancellation.
func RetryUnknownOutcome(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryUnknownKey{}, true)
}

// outcome is what a failed attempt proves about the call.
type outcome int

const (
	// outcomeUnknown: the request may have run (a timeout or reset after
	// sending, an internal error, a garbled answer).
	outcomeUnknown outcome = iota
	// outcomeRefused: the request did not run, and repeating it as it is
	// will not help (a bad parameter, a missing campaign, the daily quota).
	outcomeRefused
	// outcomeRetryable: the request did not run, and a later attempt may
	// succeed (rate and concurrency limits, an expired signature, 503).
	outcomeRetryable
	// outcomeRetryableOnce: the request did not run; one more attempt may
	// succeed, more are unlikely to (REST's 611 system error, which Adobe
	// says to retry at most once).
	outcomeRetryableOnce
)

// outcomeClassifier is implemented by the errors that know what their
// failure proves: *Fault (by code, SOAP and REST alike), *ResponseError (by
// HTTP status) and *ValidationError. The retry loop and OperationError ask
// it instead of switching on one API's codes.
type outcomeClassifier interface{ outcome() outcome }

// classify says what a failed attempt proves. An error that does not
// classify itself is a transport failure: known not to have run only when
// the request never left.
func classify(r attemptResult) outcome {
	var oc outcomeClassifier
	if errors.As(r.err, &oc) {
		return oc.outcome()
	}
	if errors.Is(r.err, ErrNotSuccessful) {
		return outcomeRefused
	}
	if !r.sent {
		return outcomeRetryable
	}
	return outcomeUnknown
}

// retryable reports whether a failed attempt may be repeated: always when it
// provably did not run and may succeed later, never when it was refused, and
// after an unknown outcome only for read-only operations or calls that opted
// in with WithRetryUnknownOutcome.
func retryable(ctx context.Context, op *operation, s callSettings, r attemptResult) bool {
	if ctx.Err() != nil {
		return false
	}
	switch classify(r) {
	case outcomeRetryable, outcomeRetryableOnce:
		return true
	case outcomeRefused:
		return false
	}
	return !op.mutating || s.retryUnknown || legacyRetryUnknown(ctx)
}

// busyWait is the first wait after a busy queue or list (1016, 1019,
// 1029): Adobe asks bulk clients to wait 5 to 30 seconds between calls.
const busyWait = 5 * time.Second

// wait returns the wait before attempt n+1 after n failed attempts, the
// last of which failed as r: the backoff, at least what the answer asked
// for (Retry-After), and after a busy queue or list at least busyWait,
// doubling with each attempt (5, 10, 20 s, capped by MaxDelay, 30 s by
// default).
func (p RetryPolicy) wait(n int, r attemptResult) time.Duration {
	floor := r.retryAfter
	var f *Fault
	if errors.As(r.err, &f) && f.busy() {
		floor = max(floor, busyWait<<min(n-1, 8))
	}
	return p.backoff(n, floor)
}

// backoff returns the wait before attempt n+1 after n failed attempts:
// exponential from BaseDelay with "equal jitter" (between half and all of the
// step), at least retryAfter, at most MaxDelay.
func (p RetryPolicy) backoff(n int, retryAfter time.Duration) time.Duration {
	step := p.BaseDelay << min(n-1, 30)
	if step <= 0 || step > p.MaxDelay {
		step = p.MaxDelay
	}
	d := step/2 + rand.N(step/2+1)
	if retryAfter > d {
		d = retryAfter
	}
	return min(d, p.MaxDelay)
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(v string, now func() time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if n := now(); t.After(n) {
			return t.Sub(n)
		}
	}
	return 0
}
