package marketo

import (
	"context"
	"errors"
	"time"
)

// RateLimiter decides when a call to one tenant may start. Marketo's limits
// are per tenant: a RateLimiter shared by every Client of a tenant (in one
// process: a *Limiter; across processes: one kept in a shared store, such as
// the redislimit module's) keeps them all within the limits together.
// Implementations must be safe for concurrent use.
type RateLimiter interface {
	// Acquire waits, honouring ctx, until one HTTP attempt may start. An
	// error means nothing was sent: ctx's error, or one wrapping
	// ErrDailyQuotaExceeded when the day's quota is used up.
	//
	// On a nil error the caller calls done exactly once, when the request
	// can no longer be running at Marketo: at once when it never left or
	// its answer was read (a stream: to its end or closed), or
	// AbandonedCallHold after the client or a gateway gave up on it. The
	// implementation keeps the call's in-flight slot until done, and counts
	// the call in its rate window from Acquire until one window after done
	// (Marketo counts a call when it arrives, between the two).
	Acquire(ctx context.Context) (done func(), err error)
	// ReserveClone counts one program clone (a ScheduleCampaign with
	// CloneToProgramName) against the current US Central day's budget, or
	// returns an error wrapping ErrCloneBudgetExhausted.
	//
	// On a nil error the caller calls refused at most once, only when the
	// answer proves no program was cloned. CloneNotRun gives the clone
	// back; CloneBudgetSpent (REST 1020) makes every later ReserveClone of
	// the day the clone was reserved in fail without the call being sent.
	// A report for a day that has ended changes nothing.
	ReserveClone(ctx context.Context) (refused func(CloneRefusal), err error)
}

// CloneRefusal says why a clone reserved with RateLimiter.ReserveClone was
// not made.
type CloneRefusal uint8

const (
	// CloneNotRun: the call provably did not run; the clone is given back.
	CloneNotRun CloneRefusal = iota
	// CloneBudgetSpent: Marketo refused the clone because the day's
	// budget of clones is spent (1020). Marketo's count, not the
	// RateLimiter's, is the truth: another client of the tenant, or a
	// person in Marketo's UI, may have cloned too.
	CloneBudgetSpent
)

// AbandonedCallHold is how long a call the client gave up on before its
// answer arrived keeps its in-flight slot (and its place in the rate
// window) after the client gave up: Marketo ends a request that runs 30 s
// (REST code 604), so by then it no longer runs there. Releasing the slot
// sooner would let the client start calls while abandoned ones still run,
// beyond Marketo's limit of calls in flight.
const AbandonedCallHold = 30 * time.Second

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
