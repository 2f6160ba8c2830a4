package marketo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// LimiterConfig sets the limits a Limiter keeps. Zero fields take Marketo's
// documented tenant limits.
type LimiterConfig struct {
	// CallsPerWindow calls may start in any Window (default 100 in 20 s).
	CallsPerWindow int
	Window         time.Duration
	// MaxInFlight calls may run at once (default 10).
	MaxInFlight int
	// ClonesPerDay ScheduleCampaign calls with CloneToProgramName may be
	// made per US Central day (default 10).
	ClonesPerDay int
	// Clock reads the time; the default is time.Now. Waiting for the window
	// uses real timers, so a test clock should advance with real time.
	Clock func() time.Time
}

// Limiter keeps calls within Marketo's tenant limits on the client side:
// calls wait (honouring their context) instead of failing with fault 20023
// or 20024, and the 11th clone of a day is refused before it is sent. A
// Limiter is safe for concurrent use; share one among all clients of a
// tenant with WithLimiter.
type Limiter struct {
	calls         int
	window        time.Duration
	clonesPerDay  int
	now           func() time.Time
	slots         chan struct{} // in-flight semaphore
	done          func()        // release, as Acquire returns it
	giveBackClone func()        // releaseClone, as ReserveClone returns it

	mu     sync.Mutex
	starts []time.Time // start times of the most recent calls, at most calls of them
	oldest int         // index of the oldest start once starts is full
	day    string      // quota day the clone count is for
	clones int
}

// NewLimiter returns a Limiter for cfg.
func NewLimiter(cfg LimiterConfig) (*Limiter, error) {
	if cfg.CallsPerWindow == 0 {
		cfg.CallsPerWindow = 100
	}
	if cfg.Window == 0 {
		cfg.Window = 20 * time.Second
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = 10
	}
	if cfg.ClonesPerDay == 0 {
		cfg.ClonesPerDay = 10
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.CallsPerWindow < 0 || cfg.Window < 0 || cfg.MaxInFlight < 0 || cfg.ClonesPerDay < 0 {
		return nil, fmt.Errorf("marketo: NewLimiter: limits must not be negative (%+v)", cfg)
	}
	l := &Limiter{
		calls:        cfg.CallsPerWindow,
		window:       cfg.Window,
		clonesPerDay: cfg.ClonesPerDay,
		now:          cfg.Clock,
		slots:        make(chan struct{}, cfg.MaxInFlight),
	}
	// Bound once, so that Acquire and ReserveClone cost no allocation.
	l.done, l.giveBackClone = l.release, l.releaseClone
	return l, nil
}

// acquire waits until a call may start: an in-flight slot is free and fewer
// than CallsPerWindow calls started in the last Window. A nil error holds a
// slot, which release frees when the call is done.
func (l *Limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		wait := l.reserve()
		if wait <= 0 {
			return nil
		}
		if err := sleepCtx(ctx, wait); err != nil {
			l.release()
			return err
		}
	}
}

// release frees the in-flight slot of a call that acquire let start.
func (l *Limiter) release() { <-l.slots }

// reserve records a call start and returns 0, or returns how long to wait
// before the window has room. Once CallsPerWindow starts are kept, they are
// a ring: a new start replaces the oldest.
func (l *Limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.starts) < l.calls {
		l.starts = append(l.starts, now)
		return 0
	}
	if wait := l.starts[l.oldest].Add(l.window).Sub(now); wait > 0 {
		return wait
	}
	l.starts[l.oldest] = now
	l.oldest++
	if l.oldest == len(l.starts) {
		l.oldest = 0
	}
	return 0
}

// ErrCloneBudgetExhausted is the cause of the error of a ScheduleCampaign
// with CloneToProgramName refused locally because the day's clones are used
// up. Nothing was sent.
var ErrCloneBudgetExhausted = errors.New("the daily budget of program clones is used up")

// reserveClone counts one clone against today's budget, or says when the
// budget resets. The reservation is returned with releaseClone when the call
// provably did not run.
func (l *Limiter) reserveClone() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if day := quotaDay(now); day != l.day {
		l.day, l.clones = day, 0
	}
	if l.clones >= l.clonesPerDay {
		return fmt.Errorf("%w: %d of %d made today (US Central); the budget resets at %s",
			ErrCloneBudgetExhausted, l.clones, l.clonesPerDay, nextQuotaReset(now).Format(time.RFC3339))
	}
	l.clones++
	return nil
}

func (l *Limiter) releaseClone() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.clones > 0 {
		l.clones--
	}
}

// Acquire waits until a call may start; see RateLimiter.
func (l *Limiter) Acquire(ctx context.Context) (done func(), err error) {
	if err := l.acquire(ctx); err != nil {
		return nil, err
	}
	return l.done, nil
}

// ReserveClone counts one program clone against the day's budget; see
// RateLimiter.
func (l *Limiter) ReserveClone(context.Context) (cancel func(), err error) {
	if err := l.reserveClone(); err != nil {
		return nil, err
	}
	return l.giveBackClone, nil
}
