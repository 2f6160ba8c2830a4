package marketo

import (
	"context"
	"errors"
	"strconv"
)

// CallOption changes how one call of an operation method behaves, e.g.
// c.ScheduleCampaign(ctx, p, marketo.WithRetryUnknownOutcome()). Every
// operation method takes them last; the context only carries the call's
// cancellation and deadline. A CallOption is also a WaitOption: the
// status reads of WaitForImport and WaitForImports follow it.
type CallOption func(*callSettings)

// callSettings is what a call's options chose.
type callSettings struct {
	// retryUnknown lets a call that changes the tenant be retried after a
	// failure that leaves open whether it ran.
	retryUnknown bool
}

// WithRetryUnknownOutcome lets a call that changes the tenant be retried
// within the client's RetryPolicy even after a failure that leaves open
// whether Marketo acted on it (a timeout after sending, a gateway's 502).
// Use it only for calls that are harmless to run twice: a request for a
// campaign that a lead may run once, a schedule that replaces itself.
// Without it such a failure ends the call with ErrOutcomeUnknown. Read-only
// calls retry such failures anyway.
func WithRetryUnknownOutcome() CallOption {
	return func(s *callSettings) { s.retryUnknown = true }
}

// applyWait makes a CallOption a WaitOption: the waits' status reads are
// calls with it.
func (o CallOption) applyWait(c *waitConfig) error {
	if o == nil {
		return &ValidationError{Field: "WaitOption", Rule: "CallOption is nil"}
	}
	c.call = append(c.call, o)
	return nil
}

// callOptions returns the settings opts choose, and a *ValidationError
// for each nil option. The settings travel with the call to the engine
// (backend.forCall), never in its context.
func callOptions(opts []CallOption) (callSettings, error) {
	var s callSettings
	var errs []error
	for i, o := range opts {
		if o == nil {
			errs = append(errs, &ValidationError{Field: "opts[" + strconv.Itoa(i) + "]", Rule: "CallOption is nil"})
			continue
		}
		o(&s)
	}
	return s, errors.Join(errs...)
}

// legacyRetryUnknown reports a context made by the deprecated
// RetryUnknownOutcome, which still lets its calls retry an unknown
// outcome.
func legacyRetryUnknown(ctx context.Context) bool {
	legacy, _ := ctx.Value(retryUnknownKey{}).(bool)
	return legacy
}
