package redislimit

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/mktows/marketo"
)

// fallbackState is what a Limiter with FallbackShare knows of its switches
// between Redis and the in-process fallback. Neither side sees the calls
// the other let start, so each switch assumes the other side's window and
// in-flight slots full until they provably are not:
//   - to the fallback: it lets nothing start for one Window, and holds its
//     share of in-flight slots while the calls Redis let start may still
//     run at Marketo (callBound, at least one LeaseTTL), which then count
//     in its window one Window more;
//   - back to Redis: the first script that runs with this process's
//     fallback calls not yet reported makes Redis assume the tenant's
//     window and slots full from then on (assume_full), for every process;
//     the fallback calls still running are renewed as leases.
type fallbackState struct {
	inFallback atomic.Bool   // calls fall back since the last acquire Redis answered
	gate       atomic.Int64  // Unix nanoseconds; the fallback lets no call start before
	holdUntil  atomic.Int64  // Unix nanoseconds; the fallback's in-flight share is held until
	holds      chan struct{} // wakes holdFallbackSlots
	admitted   atomic.Int64  // fallback calls let start, ever
	reported   atomic.Int64  // of them, those before a script told Redis
	// callBound is how long a call started before a switch may still run
	// at Marketo: marketo.AbandonedCallHold, as Marketo ends a request at
	// 30 s; the client calls done no later (tests shorten it).
	callBound time.Duration
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

// fallbackGate switches to the fallback if calls did not fall back yet, and
// returns how long until the fallback may let a call start.
func (l *Limiter) fallbackGate() time.Duration {
	now := time.Now()
	if l.inFallback.CompareAndSwap(false, true) {
		l.gate.Store(now.Add(l.cfg.Window).UnixNano())
		l.holdUntil.Store(now.Add(max(l.cfg.LeaseTTL, l.callBound)).UnixNano())
		select {
		case l.holds <- struct{}{}:
		default: // a hold is on: it holds until the new holdUntil
		}
	}
	return time.Duration(l.gate.Load() - now.UnixNano())
}

// holdFallbackSlots takes the fallback's in-flight slots at each switch to
// it and holds them until holdUntil: the calls Redis let start before the
// switch may run until then. Ended, they count in the fallback's window one
// Window more, as those calls may at Marketo; so do as many more as this
// process's share of MaxInFlight rounds down.
func (l *Limiter) holdFallbackSlots(ctx context.Context) {
	defer l.wg.Done()
	n := fallbackLimits(l.cfg).MaxInFlight
	extra := (l.cfg.MaxInFlight+l.cfg.FallbackShare-1)/l.cfg.FallbackShare - n
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.holds:
		}
		dones := l.holdUntilDone(ctx, n)
		for _, done := range dones {
			done()
		}
		for range extra {
			if done, err := l.fallback.Acquire(ctx); err == nil {
				done()
			}
		}
	}
}

// holdUntilDone takes up to n of the fallback's slots and keeps them until
// holdUntil, which a new switch may move later meanwhile, or ctx ends.
func (l *Limiter) holdUntilDone(ctx context.Context, n int) []func() {
	var dones []func()
	for {
		until := time.Unix(0, l.holdUntil.Load())
		if !time.Now().Before(until) {
			return dones
		}
		hctx, cancel := context.WithDeadline(ctx, until)
		for len(dones) < n {
			done, err := l.fallback.Acquire(hctx)
			if err != nil {
				break
			}
			dones = append(dones, done)
		}
		<-hctx.Done()
		cancel()
		if ctx.Err() != nil {
			return dones
		}
	}
}

// fallbackAcquire lets a call start under the fallback's share. The call
// holds a lease in this process like a call Redis let start: once Redis
// answers again, the renewal records it there until its done.
func (l *Limiter) fallbackAcquire(ctx context.Context) (func(), error) {
	done, err := l.fallback.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	l.admitted.Add(1)
	l.stats.fallbacks.Add(1)
	id := l.newID()
	return l.track(id, noEpoch, func() {
		done()
		if !l.isDown() {
			l.release(id) // if the renewal recorded it, the slot is free
		}
	}), nil
}

// noEpoch is the epoch of a lease Redis never had: a fallback call's.
const noEpoch = -1

// returning says whether a script must tell Redis of fallback calls it did
// not count (1 or 0), and how many calls the fallback had let start then.
func (l *Limiter) returning() (int, int64) {
	admitted := l.admitted.Load()
	if admitted > l.reported.Load() {
		return 1, admitted
	}
	return 0, admitted
}

// returned notes that a script told Redis of the fallback calls up to
// admitted.
func (l *Limiter) returned(returning int, admitted int64) {
	if returning == 1 {
		l.reported.Store(admitted)
	}
}
