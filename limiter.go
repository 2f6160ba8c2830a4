package marketo

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// LimiterConfig sets the limits a Limiter keeps. Zero fields take Marketo's
// SOAP limits (SOAPLimits).
type LimiterConfig struct {
	// CallsPerWindow calls may start in any Window (default 100 in 20 s).
	CallsPerWindow int
	Window         time.Duration
	// MaxInFlight calls may run at once (default 10).
	MaxInFlight int
	// DailyQuota calls may start per US Central day (default 10,000 for
	// SOAP, 50,000 for REST).
	DailyQuota int
	// ClonesPerDay ScheduleCampaign calls with CloneToProgramName may be
	// made per US Central day (default 10 for SOAP, 20 for REST).
	ClonesPerDay int
	// Clock reads the time; the default is time.Now. Waiting for the window
	// uses real timers, so a test clock should advance with real time.
	Clock func() time.Time
}

// SOAPLimits returns Marketo's limits for the SOAP API, which NewClient's
// default Limiter keeps. A function, not a variable, so that no caller can
// change another's defaults.
func SOAPLimits() LimiterConfig {
	return LimiterConfig{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 10000, ClonesPerDay: 10}
}

// RESTLimits returns Marketo's limits for the REST API, which
// NewRESTClient's default Limiter keeps.
func RESTLimits() LimiterConfig {
	return LimiterConfig{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 50000, ClonesPerDay: 20}
}

// Limiter keeps calls within Marketo's tenant limits on the client side:
// calls wait (honouring their context) instead of failing with a rate or
// concurrency fault, and a call beyond the day's quota or the clone beyond
// the day's budget is refused before it is sent. It is safe for concurrent
// use; share one among a tenant's clients with WithLimiter (across
// processes, see the redislimit module).
//
// Marketo counts a call when it arrives, which the client cannot see, so a
// call counts in the window from its start until one Window after its
// answer: the window Marketo sees never holds more than CallsPerWindow.
// Memory grows with the calls counted, not with the limits. docs/limits.md
// has the details.
type Limiter struct {
	cfg   LimiterConfig
	slots chan struct{} // in-flight semaphore

	mu      sync.Mutex
	running int            // calls started and not yet done
	ends    timeQueue      // when each done call stops counting in the window, oldest first
	idle    []*limiterCall // claims of done calls, for the next calls
	ended   chan struct{}  // closed, and replaced, when a call is done
	waiting bool           // someone waits on ended
	day     string         // US Central day the daily counts are for
	// The counts are the day's from dayBegins (the first call seen that
	// day, or later) to dayEnds (its midnight); a clock that goes back
	// before dayBegins names the day again.
	dayBegins, dayEnds time.Time
	calls              int
	clones             int
	clonesSpent        bool // Marketo said the day's clones are spent
}

// limiterCall is one call's claim on the window. Claims are reused once
// done, each with its done func made once, so a call allocates nothing.
type limiterCall struct {
	l       *Limiter
	running bool
	done    func()
}

// NewLimiter returns a Limiter for cfg.
func NewLimiter(cfg LimiterConfig) (*Limiter, error) {
	def := SOAPLimits()
	var bad []string
	for _, f := range []struct {
		name string
		v    *int
		def  int
	}{
		{"CallsPerWindow", &cfg.CallsPerWindow, def.CallsPerWindow},
		{"MaxInFlight", &cfg.MaxInFlight, def.MaxInFlight},
		{"DailyQuota", &cfg.DailyQuota, def.DailyQuota},
		{"ClonesPerDay", &cfg.ClonesPerDay, def.ClonesPerDay},
	} {
		if *f.v < 0 {
			bad = append(bad, f.name)
		}
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if cfg.Window < 0 {
		bad = append(bad, "Window")
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("marketo: NewLimiter: %s must not be negative", strings.Join(bad, ", "))
	}
	if cfg.Window == 0 {
		cfg.Window = def.Window
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &Limiter{
		cfg:   cfg,
		slots: make(chan struct{}, cfg.MaxInFlight), // no memory per slot: the elements are empty
		ended: make(chan struct{}),
	}, nil
}

// Acquire waits until a call may start: an in-flight slot is free and fewer
// than CallsPerWindow calls count in the window. See RateLimiter.
func (l *Limiter) Acquire(ctx context.Context) (done func(), err error) {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		call, wait, ended, err := l.reserve()
		if err != nil {
			<-l.slots
			return nil, err
		}
		if call != nil {
			return call.done, nil
		}
		if err := waitForRoom(ctx, wait, ended); err != nil {
			<-l.slots
			return nil, err
		}
	}
}

// reserve counts a new call in the window and the day and returns its
// claim, or returns nil and how long to wait before the window has room
// (0: until a running call is done, which closes ended).
func (l *Limiter) reserve() (call *limiterCall, wait time.Duration, ended <-chan struct{}, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.cfg.Clock()
	l.rollDay(now)
	if l.calls >= l.cfg.DailyQuota {
		return nil, 0, nil, &quotaError{calls: l.calls, resets: nextQuotaReset(now)}
	}
	l.ends.dropUntil(now)
	if l.running+l.ends.len() < l.cfg.CallsPerWindow {
		l.running++
		l.calls++
		return l.claim(), 0, nil, nil
	}
	if first, ok := l.ends.first(); ok {
		wait = first.Sub(now)
	}
	l.waiting = true
	return nil, wait, l.ended, nil
}

// claim returns an idle claim, or a new one, marked running.
func (l *Limiter) claim() *limiterCall {
	var c *limiterCall
	if n := len(l.idle); n > 0 {
		c = l.idle[n-1]
		l.idle = l.idle[:n-1]
	} else {
		c = &limiterCall{l: l}
		c.done = c.end
	}
	c.running = true
	return c
}

// end marks a call done: it counts for one more Window, its in-flight slot
// is free, and waiters look again. Calling it again before the claim is
// reused does nothing.
func (c *limiterCall) end() {
	l := c.l
	l.mu.Lock()
	if !c.running {
		l.mu.Unlock()
		return // ended already
	}
	c.running = false
	l.running--
	l.ends.push(l.cfg.Clock().Add(l.cfg.Window))
	l.idle = append(l.idle, c)
	if l.waiting {
		close(l.ended)
		l.ended = make(chan struct{})
		l.waiting = false
	}
	l.mu.Unlock()
	<-l.slots
}

// waitForRoom waits for d (0: no timer), for a call to end, or for ctx.
func waitForRoom(ctx context.Context, d time.Duration, ended <-chan struct{}) error {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return nil
	case <-ended:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rollDay starts the daily counts afresh on a new US Central day. The day
// is named only when it changes: naming it costs more than the rest of a
// call's bookkeeping.
func (l *Limiter) rollDay(now time.Time) {
	if now.Before(l.dayEnds) && !now.Before(l.dayBegins) {
		return
	}
	if day := quotaDay(now); day != l.day {
		l.day, l.calls, l.clones, l.clonesSpent = day, 0, 0, false
	}
	l.dayEnds = nextQuotaReset(now)
	l.dayBegins = now
}

// quotaError is a call refused because the day's quota is used up. It
// proves the call did not run and that retrying before the reset is futile.
type quotaError struct {
	calls  int
	resets time.Time
}

// Error says it once: the OperationError around it names the SDK.
func (e *quotaError) Error() string {
	return fmt.Sprintf("the daily quota of calls is used up: %d calls made today (US Central); the quota resets at %s",
		e.calls, e.resets.Format(time.RFC3339))
}

func (e *quotaError) Unwrap() error    { return ErrDailyQuotaExceeded }
func (e *quotaError) outcome() outcome { return outcomeRefused }

// ReserveClone counts one program clone against the day's budget; see
// RateLimiter.
func (l *Limiter) ReserveClone(context.Context) (refused func(CloneRefusal), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.cfg.Clock()
	l.rollDay(now)
	resets := nextQuotaReset(now).Format(time.RFC3339)
	if l.clonesSpent {
		return nil, withDetail(ErrCloneBudgetExhausted, ": Marketo refused a clone today (US Central) because the day's clones are spent; the budget resets at %s", resets)
	}
	if l.clones >= l.cfg.ClonesPerDay {
		return nil, withDetail(ErrCloneBudgetExhausted, ": %d of %d made today (US Central); the budget resets at %s",
			l.clones, l.cfg.ClonesPerDay, resets)
	}
	l.clones++
	day := l.day
	var once sync.Once
	return func(why CloneRefusal) { once.Do(func() { l.cloneRefused(day, why) }) }, nil
}

// cloneRefused settles a clone reserved on day that was not made, unless
// that day is over: given back if it did not run, or the day's budget
// marked spent if Marketo said so.
func (l *Limiter) cloneRefused(day string, why CloneRefusal) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.day != day {
		return
	}
	switch {
	case why == CloneBudgetSpent:
		l.clonesSpent = true
	case l.clones > 0:
		l.clones--
	}
}
