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
	cfg      Config
	keys     keys
	idPrefix string
	seq      atomic.Uint64
	fixedNow func() time.Time // tests fix the scripts' clock; nil: Redis's TIME
	fallback *marketo.Limiter // nil: fail closed

	head chan struct{} // held by the one waiter of this process that asks Redis

	wakeMu sync.Mutex
	wake   chan struct{} // closed, and replaced, when a call may have ended

	mu     sync.Mutex
	leases map[string]struct{} // this process's calls in flight, renewed

	downUntil atomic.Int64 // Unix nanoseconds; Redis is not asked before
	stats     counters

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
		cfg:      cfg,
		keys:     tenantKeys(cfg.Tenant),
		idPrefix: hex.EncodeToString(id[:]) + ":",
		head:     make(chan struct{}, 1),
		wake:     make(chan struct{}),
		leases:   map[string]struct{}{},
	}
	if cfg.FallbackShare > 0 {
		if l.fallback, err = marketo.NewLimiter(fallbackLimits(cfg)); err != nil {
			return nil, fmt.Errorf("redislimit: New: fallback: %w", err)
		}
	}
	ctx, stop := context.WithCancel(context.Background())
	l.stop = stop
	l.wg.Add(2)
	go l.listen(ctx)
	go l.renewLeases(ctx)
	return l, nil
}

// fallbackLimits is 1/FallbackShare of cfg's limits, at least one of each.
// Clones have no share: they are refused while Redis is unreachable.
func fallbackLimits(cfg Config) marketo.LimiterConfig {
	n := cfg.FallbackShare
	return marketo.LimiterConfig{
		CallsPerWindow: max(1, cfg.CallsPerWindow/n),
		Window:         cfg.Window,
		MaxInFlight:    max(1, cfg.MaxInFlight/n),
		DailyQuota:     max(1, cfg.DailyQuota/n),
	}
}

// ErrClosed is the error of Acquire and ReserveClone after Close.
var ErrClosed = errors.New("redislimit: the Limiter is closed")

// Close stops the Limiter's goroutines, after which Acquire and
// ReserveClone return ErrClosed. Close it after the last call has ended:
// leases of calls still running are no longer renewed (their done still
// works).
func (l *Limiter) Close() error {
	l.closeOnce.Do(func() {
		l.closed.Store(true)
		l.stop()
		l.wg.Wait()
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
			return l.doneFunc(v.id), nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			return l.withoutRedis(ctx, err)
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
		if err := sleep(ctx, v.wait, wake); err != nil {
			return nil, err
		}
	}
}

// withoutRedis answers an Acquire that Redis could not: the fallback's
// share, or an *UnavailableError.
func (l *Limiter) withoutRedis(ctx context.Context, err error) (func(), error) {
	if l.fallback == nil {
		return nil, &UnavailableError{Op: "acquire", Err: err}
	}
	done, ferr := l.fallback.Acquire(ctx)
	if ferr == nil {
		l.stats.fallbacks.Add(1)
	}
	return done, ferr
}

// doneFunc registers a started call for lease renewal and returns the func
// that ends it, once.
func (l *Limiter) doneFunc(id string) func() {
	l.mu.Lock()
	l.leases[id] = struct{}{}
	l.mu.Unlock()
	l.stats.inFlight.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.leases, id)
			l.mu.Unlock()
			l.stats.inFlight.Add(-1)
			l.release(id)
		})
	}
}

// release ends a call in Redis. If Redis does not answer, the lease expires
// within LeaseTTL and the window entry one Window later.
func (l *Limiter) release(id string) {
	_, err := bounded(context.Background(), l.cfg.RedisTimeout, func(ctx context.Context) (any, error) {
		return releaseScript.Run(ctx, l.rdb, []string{l.keys.window, l.keys.leases},
			id, l.nowArg(), ms(l.cfg.Window), ms(l.cfg.LeaseTTL), l.keys.channel).Result()
	}, nil)
	if err != nil {
		l.redisFailed(context.Background(), "release", err)
	}
	l.broadcast()
}

// ReserveClone counts one program clone against the tenant's budget for the
// day. See marketo.RateLimiter.
func (l *Limiter) ReserveClone(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if l.closed.Load() {
		return nil, ErrClosed
	}
	if l.isDown() {
		return nil, &UnavailableError{Op: "clone", Err: errNotAsked}
	}
	r, err := bounded(ctx, l.cfg.RedisTimeout, func(rctx context.Context) (cloneResult, error) {
		return l.runClone(rctx, "")
	}, func(r cloneResult) {
		if r.taken {
			l.giveBackClone(r.day)
		}
	})
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		l.redisFailed(ctx, "clone", err)
		return nil, &UnavailableError{Op: "clone", Err: err}
	case !r.taken:
		return nil, fmt.Errorf("%w: %d of %d made today (US Central) by every process of tenant %q; the budget resets at %s",
			marketo.ErrCloneBudgetExhausted, r.clones, l.cfg.ClonesPerDay, l.cfg.Tenant, r.reset.UTC().Format(time.RFC3339))
	}
	var once sync.Once
	return func() { once.Do(func() { l.giveBackClone(r.day) }) }, nil
}

func (l *Limiter) giveBackClone(day string) {
	_, err := bounded(context.Background(), l.cfg.RedisTimeout, func(ctx context.Context) (cloneResult, error) {
		return l.runClone(ctx, day)
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

// redisFailed notes a failed round trip: Redis is not asked again for
// RedisTimeout, so callers do not each wait RedisTimeout for a dead Redis.
func (l *Limiter) redisFailed(ctx context.Context, op string, err error) {
	if errors.Is(err, errNotAsked) {
		return
	}
	l.downUntil.Store(time.Now().Add(l.cfg.RedisTimeout).UnixNano())
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

// bounded runs f with a deadline of timeout, returning early when ctx ends.
// Redis may still answer after that: abandoned then receives the answer (a
// slot or a clone the caller no longer wants), so it can be given back.
func bounded[T any](ctx context.Context, timeout time.Duration, f func(context.Context) (T, error), abandoned func(T)) (T, error) {
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
	}
}
