package redislimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mktows/marketo"
)

// Limiter keeps one tenant's limits for every process that has a Limiter
// with the same Tenant on the same Redis. It implements marketo.RateLimiter;
// New returns the concrete type because a Limiter runs two goroutines (lease
// renewal, wake-ups) that Close stops, and because Stats and Usage are for
// the operator, not the client. Safe for concurrent use.
type Limiter struct {
	rdb      redis.UniversalClient
	dials    *dialWatch // tells a round trip at once that Redis refused a connection
	cfg      Config
	keys     keys
	idPrefix string
	seq      atomic.Uint64
	fixedNow func() time.Time // tests fix the scripts' clock; nil: Redis's TIME
	fallback *marketo.Limiter // nil: fail closed

	head    chan struct{} // held by the one waiter of this process that asks Redis
	handoff chan grant    // the head's extra calls, to callers queued behind it

	wakeMu sync.Mutex
	wake   chan struct{} // closed, and replaced, when a call may have ended

	mu     sync.Mutex
	leases map[string]int64 // this process's calls in flight, renewed: the epoch each was last known in
	// renewing is held by a renewal from reading leases until Redis
	// answered, and by each release while it runs, so a renewal never makes
	// the lease of a call that has just ended again.
	renewing sync.RWMutex
	// renewNow renews at once, when Redis answers again after a failure.
	renewNow chan struct{}

	downUntil atomic.Int64 // Unix nanoseconds; Redis is not asked before
	// lastRenewal is when the last renewal that reached Redis was sent
	// (Unix nanoseconds), and errsAtRenewal the Redis errors counted then.
	lastRenewal   atomic.Int64
	errsAtRenewal atomic.Int64
	outage        atomic.Bool // a round trip failed since the last acquire Redis answered
	fallbackState
	stats counters

	stop      context.CancelFunc
	closeOnce sync.Once
	closed    atomic.Bool
	wg        sync.WaitGroup
}

var _ marketo.RateLimiter = (*Limiter)(nil)

// New returns a Limiter keeping cfg's limits on rdb. It does not contact
// Redis: a Redis that is down at start is handled like one that goes down
// later. Set ContextTimeoutEnabled in rdb's options so that RedisTimeout
// also ends the Redis client's wait, not only the caller's. Close the
// Limiter when done with it; Close does not close rdb.
func New(rdb redis.UniversalClient, cfg Config) (*Limiter, error) {
	return newWith(rdb, cfg, nil)
}

// newWith is New with setup run on the Limiter before its goroutines
// start: the tests fix its clock there.
func newWith(rdb redis.UniversalClient, cfg Config, setup func(*Limiter)) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("redislimit: New: Redis client is nil")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	l := &Limiter{
		rdb:      rdb,
		dials:    newDialWatch(),
		cfg:      cfg,
		keys:     tenantKeys(cfg.Tenant),
		idPrefix: hex.EncodeToString(id[:]) + ":",
		head:     make(chan struct{}, 1),
		handoff:  make(chan grant),
		wake:     make(chan struct{}),
		leases:   map[string]int64{},
		renewNow: make(chan struct{}, 1),
	}
	rdb.AddHook(l.dials)
	l.lastRenewal.Store(time.Now().UnixNano())
	ctx, stop := context.WithCancel(context.Background())
	l.stop = stop
	if cfg.FallbackShare > 0 {
		l.callBound = marketo.AbandonedCallHold
	}
	if setup != nil {
		setup(l)
	}
	if cfg.FallbackShare > 0 {
		if l.fallback, err = marketo.NewLimiter(fallbackLimits(cfg)); err != nil {
			stop()
			return nil, fmt.Errorf("redislimit: New: fallback: %w", err)
		}
		l.holds = make(chan struct{}, 1)
		l.wg.Add(1)
		go l.holdFallbackSlots(ctx)
	}
	l.wg.Add(2)
	go l.listen(ctx)
	go l.renewLeases(ctx)
	routeRedisLog(l)
	return l, nil
}

// ErrClosed is the error of Acquire and ReserveClone after Close.
var ErrClosed = errors.New("redislimit: the Limiter is closed")

// Close stops the Limiter's goroutines, after which Acquire and
// ReserveClone return ErrClosed. Close it after the last done: leases of
// calls not yet done are no longer renewed (their done still works). The
// client calls done up to marketo.AbandonedCallHold after it gave up on a
// call.
func (l *Limiter) Close() error {
	l.closeOnce.Do(func() {
		l.closed.Store(true)
		l.stop()
		l.wg.Wait()
		unrouteRedisLog(l)
	})
	return nil
}

// Acquire waits, honouring ctx, until every process's calls together leave
// room for one more, and takes it. See marketo.RateLimiter.
func (l *Limiter) Acquire(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if l.closed.Load() {
		return nil, ErrClosed
	}
	began := time.Now()
	l.stats.waiting.Add(1)
	defer l.stats.waiting.Add(-1)
	waited := false
	select {
	case l.head <- struct{}{}:
	default:
		waited = true
		select {
		case l.head <- struct{}{}:
		case g := <-l.handoff:
			// Even if ctx has just ended: the caller calls done.
			l.stats.started(true, time.Since(began))
			return l.doneFunc(g.id, g.epoch), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer func() { <-l.head }()
	for ; ; waited = true {
		wake := l.wakeup()
		v, err := l.decide(ctx)
		switch {
		case err == nil && v.code == started:
			// Even if ctx has just ended: the caller calls done.
			l.stats.started(waited, time.Since(began))
			l.handOff(v)
			return l.doneFunc(v.id, v.epoch), nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil && l.fallback == nil:
			return nil, &UnavailableError{Op: "acquire", Err: err}
		case err != nil:
			if wait := l.fallbackGate(); wait > 0 {
				// Redis is asked again meanwhile: it may be back.
				if err := sleep(ctx, min(wait, l.untilAsked()), nil); err != nil {
					return nil, err
				}
				continue
			}
			return l.fallbackAcquire(ctx)
		case v.code == quotaUsed:
			return nil, &QuotaError{Tenant: l.cfg.Tenant, Calls: v.today, ResetsAt: v.reset}
		}
		l.stats.waited(v.code)
		l.logWait(ctx, v)
		if v.code == waitWindow && v.wait <= l.cfg.Window+time.Millisecond {
			// The first entry to expire is an answered call's (a running
			// call's expires a lease later): only time frees it, the ends
			// of other calls do not.
			wake = nil
		}
		// Asked again at least every renewEvery: the scripts take a
		// longer gap between them for a pause of Redis and keep the leases
		// through it (see prelude.lua), and a waiter's scripts keep a
		// dead process's leases from looking paused.
		if err := sleep(ctx, min(v.wait, renewEvery(l.cfg)), wake); err != nil {
			return nil, err
		}
	}
}

// handOff gives the calls Redis let start beside the head's to callers
// queued behind it, without a round trip each; a call no caller is there
// to take is given back unused.
func (l *Limiter) handOff(v verdict) {
	for _, id := range v.more {
		select {
		case l.handoff <- grant{id: id, epoch: v.epoch}:
		default:
			l.releaseUnused(id)
		}
	}
}

// grant is a call Redis let start, handed from the head to a queued caller.
type grant struct {
	id    string
	epoch int64
}

// doneFunc registers a started call for lease renewal and returns the func
// that ends it, once. The lease is renewed until then, however long after
// the caller's context ended: the call may still run at Marketo.
func (l *Limiter) doneFunc(id string, epoch int64) func() {
	return l.track(id, epoch, func() { l.release(id) })
}

// track registers call id, of the given epoch, for lease renewal and
// returns the func that ends it once: it stops the renewal, then runs end,
// which frees the call's slot.
func (l *Limiter) track(id string, epoch int64, end func()) func() {
	l.mu.Lock()
	l.leases[id] = epoch
	l.mu.Unlock()
	l.stats.inFlight.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.leases, id)
			l.mu.Unlock()
			l.stats.inFlight.Add(-1)
			end()
		})
	}
}

// release ends a call in Redis. If Redis does not answer, the lease expires
// within LeaseTTL and the window entry one Window later.
func (l *Limiter) release(id string) { l.runRelease(id, time.Now(), 0) }

// releaseUnused gives back a call Redis let start that never started: it
// never reached Marketo, so it leaves the window too.
func (l *Limiter) releaseUnused(id string) { l.runRelease(id, time.Now(), 1) }

func (l *Limiter) runRelease(id string, ended time.Time, unused int) {
	// Not while a renewal is on its way: it would make the lease again.
	l.renewing.RLock()
	defer l.renewing.RUnlock()
	_, err := bounded(context.Background(), l.cfg.RedisTimeout, l.dials, func(ctx context.Context) (any, error) {
		// The window counts the call from its end, not from when Redis
		// hears of it: a loaded process may take milliseconds to say.
		since := float64(time.Since(ended).Microseconds()) / 1000
		if l.fixedNow != nil {
			since = 0
		}
		return releaseScript.Run(ctx, l.rdb, []string{l.keys.window, l.keys.leases, l.keys.marker},
			id, l.nowArg(), ms(l.cfg.Window), ms(l.cfg.LeaseTTL), l.keys.channel, since, unused).Result()
	}, nil)
	if err != nil {
		l.redisFailed(context.Background(), "release", err)
	}
	l.broadcast()
}

// ReserveClone counts one program clone against the tenant's budget for the
// day. See marketo.RateLimiter. A refusal with marketo.CloneBudgetSpent
// marks the day's budget spent in Redis, so every process refuses the
// day's later clones.
func (l *Limiter) ReserveClone(ctx context.Context) (func(marketo.CloneRefusal), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if l.closed.Load() {
		return nil, ErrClosed
	}
	if l.isDown() {
		return nil, &UnavailableError{Op: "clone", Err: errNotAsked}
	}
	r, err := bounded(ctx, l.cfg.RedisTimeout, l.dials, func(rctx context.Context) (cloneResult, error) {
		return l.runClone(rctx, "", "")
	}, func(r cloneResult) {
		if r.taken {
			l.settleClone(r.day, "back")
		}
	})
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		l.redisFailed(ctx, "clone", err)
		return nil, &UnavailableError{Op: "clone", Err: err}
	case !r.taken && r.spent:
		return nil, fmt.Errorf("%w: Marketo refused a clone of tenant %q today (US Central) because the day's clones are spent; the budget resets at %s",
			marketo.ErrCloneBudgetExhausted, l.cfg.Tenant, r.reset.UTC().Format(time.RFC3339))
	case !r.taken:
		return nil, fmt.Errorf("%w: %d of %d made today (US Central) by every process of tenant %q; the budget resets at %s",
			marketo.ErrCloneBudgetExhausted, r.clones, l.cfg.ClonesPerDay, l.cfg.Tenant, r.reset.UTC().Format(time.RFC3339))
	}
	var once sync.Once
	return func(why marketo.CloneRefusal) {
		once.Do(func() {
			if why == marketo.CloneBudgetSpent {
				l.settleClone(r.day, "spent")
			} else {
				l.settleClone(r.day, "back")
			}
		})
	}, nil
}

// settleClone gives back a clone reserved on day that did not run, or
// marks day's budget spent (why "back" or "spent").
func (l *Limiter) settleClone(day, why string) {
	_, err := bounded(context.Background(), l.cfg.RedisTimeout, l.dials, func(ctx context.Context) (cloneResult, error) {
		return l.runClone(ctx, day, why)
	}, nil)
	if err != nil {
		l.redisFailed(context.Background(), "clone", err)
	}
}

// newID names one call's lease and window entry: unique across processes.
func (l *Limiter) newID() string {
	return l.idPrefix + strconv.FormatUint(l.seq.Add(1), 36)
}

// nowArg is the scripts' clock argument: 0 makes them read Redis's TIME.
func (l *Limiter) nowArg() int64 {
	if l.fixedNow == nil {
		return 0
	}
	return l.fixedNow().UnixMilli()
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

// errNotAsked is the cause of an *UnavailableError returned without asking
// Redis, because it failed less than RedisTimeout ago.
var errNotAsked = errors.New("not asked again yet after a recent failure")

func (l *Limiter) isDown() bool { return time.Now().UnixNano() < l.downUntil.Load() }

// untilAsked is how long until Redis is asked again, at least 1 ms.
func (l *Limiter) untilAsked() time.Duration {
	return max(time.Duration(l.downUntil.Load()-time.Now().UnixNano()), time.Millisecond)
}

// redisAnswered notes that Redis answered an acquire: calls stop falling
// back (a later failure is a new switch to the fallback), and after a
// failure the leases are renewed at once.
func (l *Limiter) redisAnswered() {
	l.inFallback.Store(false)
	if l.outage.Swap(false) {
		select {
		case l.renewNow <- struct{}{}:
		default:
		}
	}
}

// redisFailed notes a failed round trip: Redis is not asked again for
// RedisTimeout, so callers do not each wait RedisTimeout for a dead Redis.
func (l *Limiter) redisFailed(ctx context.Context, op string, err error) {
	if errors.Is(err, errNotAsked) {
		return
	}
	l.downUntil.Store(time.Now().Add(l.cfg.RedisTimeout).UnixNano())
	l.outage.Store(true)
	l.stats.redisErrors.Add(1)
	l.cfg.Logger.WarnContext(ctx, "marketo limiter: Redis failed", "tenant", l.cfg.Tenant, "op", op, "error", err.Error())
}

// wakeup returns the channel the next broadcast closes. A waiter takes it
// before asking Redis, so a call that ends meanwhile still wakes it.
func (l *Limiter) wakeup() <-chan struct{} {
	l.wakeMu.Lock()
	defer l.wakeMu.Unlock()
	return l.wake
}

// broadcast wakes the waiter: a call ended, in this process or another.
func (l *Limiter) broadcast() {
	l.wakeMu.Lock()
	defer l.wakeMu.Unlock()
	close(l.wake)
	l.wake = make(chan struct{})
}

// sleep waits for d, a wake-up or the end of ctx.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// bounded runs f with a deadline of timeout, returning early when ctx ends
// or when a connection to Redis could not be made meanwhile (dials reports
// it; nil: not watched). Redis may still answer after that: abandoned then
// receives the answer (a slot or a clone the caller no longer wants), so it
// can be given back.
func bounded[T any](ctx context.Context, timeout time.Duration, dials *dialWatch, f func(context.Context) (T, error), abandoned func(T)) (T, error) {
	var dialFailed <-chan struct{}
	if dials != nil {
		dialFailed = dials.next()
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	type result struct {
		v   T
		err error
	}
	answer := make(chan result)
	gone := make(chan struct{})
	go func() {
		defer cancel()
		v, err := f(rctx)
		select {
		case answer <- result{v, err}:
		case <-gone:
			if err == nil && abandoned != nil {
				abandoned(v)
			}
		}
	}()
	var zero T
	select {
	case r := <-answer:
		return r.v, r.err
	case <-ctx.Done():
		close(gone)
		return zero, ctx.Err()
	case <-rctx.Done():
		close(gone)
		return zero, fmt.Errorf("no answer within RedisTimeout (%v)", timeout)
	case <-dialFailed:
		// The Redis client would try again until the timeout: say now
		// what it met.
		close(gone)
		return zero, fmt.Errorf("cannot connect to Redis: %w", dials.lastErr())
	}
}
