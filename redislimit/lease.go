package redislimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// renewLeases renews this process's leases every LeaseTTL/6 until ctx ends,
// so a call keeps its slot until its done, however long after its
// caller's context that comes, and a process that dies gives its slots
// back within LeaseTTL. Redis answering again after a failure renews at
// once: a lease that expired meanwhile is made again before more calls
// take its slot.
func (l *Limiter) renewLeases(ctx context.Context) {
	defer l.wg.Done()
	t := time.NewTicker(renewEvery(l.cfg))
	defer t.Stop()
	var retry <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.renewNow:
		case <-retry:
		}
		retry = nil
		began := time.Now()
		if !l.renew(ctx) {
			// Tried again once RedisTimeout has passed since this try, not
			// at the next tick: while Redis answers no one a renewal is
			// always waiting, and lands as soon as it answers again, well
			// within the LeaseTTL a pause's leases are kept (prelude.lua).
			retry = time.After(l.cfg.RedisTimeout - time.Since(began))
		}
	}
}

// renewEvery is how often leases are renewed, and the longest a waiting
// process sleeps between two questions to Redis: with a round trip shorter
// than RedisTimeout, at most LeaseTTL/3 (Config's rule), a live lease's
// process or a waiter runs a script less than LeaseTTL/2 after the last,
// the gap the scripts take for a pause of Redis; and a pause that lets a
// lease expire before its renewal lands lasts more than 5/6 LeaseTTL less
// RedisTimeout, at least LeaseTTL/2, so the scripts see it.
func renewEvery(cfg Config) time.Duration { return cfg.LeaseTTL / 6 }

// renew extends the leases of this process's calls. A lease Redis no
// longer had is made again, as the call still runs; if Redis kept the
// counts all along it had expired, and its slot may have gone to another
// call meanwhile: LeasesLost counts it. It reports whether Redis answered.
func (l *Limiter) renew(ctx context.Context) bool {
	l.renewing.Lock()
	defer l.renewing.Unlock()
	l.mu.Lock()
	c := l.cfg
	returning, admitted := l.returning()
	args := make([]any, 0, 6+len(l.leases))
	args = append(args, l.nowArg(), ms(c.Window), c.CallsPerWindow, c.MaxInFlight, ms(c.LeaseTTL), returning)
	for id := range l.leases {
		args = append(args, id)
	}
	l.mu.Unlock()
	if len(args) == 6 && returning == 0 {
		l.renewed(time.Now())
		return true // nothing to renew, and no fallback call to report
	}
	sent := time.Now()
	r, err := bounded(ctx, l.cfg.RedisTimeout, l.dials, func(rctx context.Context) ([]any, error) {
		return renewScript.Run(rctx, l.rdb, []string{l.keys.window, l.keys.leases, l.keys.marker}, args...).Slice()
	}, nil)
	if err == nil && len(r) == 0 {
		err = errors.New("renew script answered nothing")
	}
	if err != nil {
		if ctx.Err() == nil {
			l.redisFailed(ctx, "renew", err)
		}
		return false
	}
	l.returned(returning, admitted)
	unreachable, since := l.renewed(sent)
	epoch, _ := r[0].(int64)
	l.sawEpoch(ctx, epoch)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range r[1:] {
		id := fmt.Sprint(v)
		known, running := l.leases[id]
		switch {
		case !running: // it ended meanwhile: its release, waiting for this renewal, ends it in Redis
		case known != epoch:
			l.leases[id] = epoch // Redis lost it with the rest of the counts
		default:
			l.stats.leasesLost.Add(1)
			l.logLeaseLost(ctx, id, unreachable, since)
		}
	}
	for id, known := range l.leases {
		if known != epoch {
			l.leases[id] = epoch
		}
	}
	return true
}

// renewed notes a renewal that reached Redis, sent at sent, and returns
// whether a round trip failed since the one before, and how long before
// this one that was: a lease lost then expired because Redis was
// unreachable, not because LeaseTTL is short.
func (l *Limiter) renewed(sent time.Time) (unreachable bool, since time.Duration) {
	errs := l.stats.redisErrors.Load()
	unreachable = errs != l.errsAtRenewal.Swap(errs)
	since = sent.Sub(time.Unix(0, l.lastRenewal.Swap(sent.UnixNano())))
	return unreachable, since
}

// logLeaseLost warns of a running call's lease that expired before its
// renewal, saying why: Redis was unreachable from this process for longer
// than LeaseTTL while others reached it (a pause of Redis itself keeps the
// leases), or (Redis answering) the renewal came too late for the LeaseTTL.
func (l *Limiter) logLeaseLost(ctx context.Context, id string, unreachable bool, since time.Duration) {
	if unreachable {
		l.cfg.Logger.WarnContext(ctx, "marketo limiter: a running call's lease expired while Redis was unreachable, longer than LeaseTTL; its slot may have gone to another call meanwhile, and the renewal has made the lease again",
			"tenant", l.cfg.Tenant, "lease", id, "lease_ttl", l.cfg.LeaseTTL, "no_renewal_for", since.Round(time.Millisecond))
		return
	}
	l.cfg.Logger.WarnContext(ctx, "marketo limiter: a running call's lease expired before it was renewed, though Redis answered; raise LeaseTTL above this process's longest pause",
		"tenant", l.cfg.Tenant, "lease", id, "lease_ttl", l.cfg.LeaseTTL, "no_renewal_for", since.Round(time.Millisecond))
}

// listen wakes this process's waiter whenever a call of any process ends,
// until ctx ends. It wakes it too whenever the subscription is made, the
// first time and after the Redis client resubscribes on a lost connection:
// a call that ended before then published to no one, and the waiter must
// look again rather than sleep until its timer (a lease's end, maybe).
func (l *Limiter) listen(ctx context.Context) {
	defer l.wg.Done()
	sub := l.rdb.Subscribe(ctx, l.keys.channel)
	defer func() { _ = sub.Close() }()
	ch := sub.ChannelWithSubscriptions()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
			l.broadcast()
		}
	}
}
