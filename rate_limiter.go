package marketo

import (
	"context"
	"errors"
)

// RateLimiter decides when a call to one tenant may start. Marketo's limits
// are per tenant: a RateLimiter shared by every Client of a tenant (in one
// process: a *Limiter; across processes: one kept in a shared store, such as
// the redislimit module's) keeps them all within the limits together.
// Implementations must be safe for concurrent use.
type RateLimiter interface {
	// Acquire waits, honouring ctx, until one HTTP attempt may start. On a
	// nil error the caller calls done exactly once, when the attempt's
	// answer has arrived or the attempt failed: the server counts a call
	// when it arrives, which the client only knows to lie between the two.
	// An error means nothing was sent: ctx's error, or one wrapping
	// ErrDailyQuotaExceeded when the day's quota is used up.
	Acquire(ctx context.Context) (done func(), err error)
	// ReserveClone counts one program clone (a ScheduleCampaign with
	// CloneToProgramName) against the day's budget, or returns an error
	// wrapping ErrCloneBudgetExhausted. cancel gives the clone back, for a
	// call that provably did not run.
	ReserveClone(ctx context.Context) (cancel func(), err error)
}

// WithLimiter makes the client wait on l before every attempt. Clients
// sharing l stay within its limits together. Without this option each
// client has a Limiter of its own with Marketo's limits for its API.
func WithLimiter(l RateLimiter) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("marketo: WithLimiter: limiter is nil")
		}
		if p, ok := l.(*Limiter); ok && p == nil {
			return errors.New("marketo: WithLimiter: limiter is nil")
		}
		c.limiter = l
		return nil
	}
}

// WithoutLimiter turns client-side limiting off: calls go out as fast as the
// caller makes them, and Marketo's rate and concurrency faults are retried
// instead of avoided.
func WithoutLimiter() Option {
	return func(c *Client) error {
		c.limiter = nil
		c.noLimiter = true
		return nil
	}
}

// defaultLimiter is the Limiter of a client given none: Marketo's limits for
// the client's API (REST allows 20 clones a day, SOAP 10).
func defaultLimiter(a api) RateLimiter {
	cfg := SOAPLimits()
	if a == apiREST {
		cfg = RESTLimits()
	}
	l, _ := NewLimiter(cfg)
	return l
}
