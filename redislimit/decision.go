package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// verdict is the acquire script's answer.
type verdict struct {
	id       string
	code     int64         // started, waitInFlight, waitWindow or quotaUsed
	wait     time.Duration // until the first lease or window entry expires
	inFlight int64         // tenant-wide, when the script ran
	inWindow int64
	today    int64 // calls this US Central day
	day      string
	reset    time.Time // when the day's counters start afresh
	epoch    int64     // when Redis began keeping the counts without a gap (ms)
	more     []string  // calls started beside id, for callers queued behind this one
}

const (
	started int64 = iota
	waitInFlight
	waitWindow
	quotaUsed
)

// decide runs the acquire script once for a new call. A call started for a
// caller that has gone meanwhile is ended at once.
func (l *Limiter) decide(ctx context.Context) (verdict, error) {
	if l.isDown() {
		return verdict{}, errNotAsked
	}
	id := l.newID()
	v, err := bounded(ctx, l.cfg.RedisTimeout, l.dials, func(rctx context.Context) (verdict, error) {
		return l.runAcquire(rctx, id)
	}, func(v verdict) {
		if v.code == started {
			l.releaseUnused(id)
			for _, more := range v.more {
				l.releaseUnused(more)
			}
		}
	})
	switch {
	case err == nil:
		l.redisAnswered()
	case ctx.Err() == nil:
		l.redisFailed(ctx, "acquire", err)
	}
	return v, err
}

func (l *Limiter) runAcquire(ctx context.Context, id string) (verdict, error) {
	c := l.cfg
	returning, admitted := l.returning()
	r, err := acquireScript.Run(ctx, l.rdb, []string{l.keys.window, l.keys.leases, l.keys.daily, l.keys.marker},
		id, l.nowArg(), ms(c.Window), c.CallsPerWindow, c.MaxInFlight, ms(c.LeaseTTL), c.DailyQuota, returning, l.queued()).Slice()
	if err != nil {
		return verdict{}, err
	}
	if len(r) != 9 {
		return verdict{}, fmt.Errorf("acquire script answered %d values, want 9", len(r))
	}
	v := verdict{id: id, day: fmt.Sprint(r[5])}
	for i, p := range []*int64{&v.code, nil, &v.inFlight, &v.inWindow, &v.today} {
		n, ok := r[i].(int64)
		if !ok {
			return verdict{}, fmt.Errorf("acquire script answered %T at %d, want an integer", r[i], i)
		}
		if p != nil {
			*p = n
		} else {
			v.wait = max(time.Duration(n)*time.Millisecond, time.Millisecond)
		}
	}
	reset, ok1 := r[6].(int64)
	epoch, ok2 := r[7].(int64)
	if !ok1 || !ok2 {
		return verdict{}, fmt.Errorf("acquire script answered %T and %T for the reset and epoch, want integers", r[6], r[7])
	}
	v.reset, v.epoch = time.UnixMilli(reset), epoch
	n, _ := r[8].(int64)
	for i := int64(2); i <= n; i++ {
		v.more = append(v.more, id+"/"+strconv.FormatInt(i, 10))
	}
	l.returned(returning, admitted)
	l.sawEpoch(ctx, epoch)
	return v, nil
}

// queued is how many calls a round trip asks for: the head's, and one for
// each caller queued behind it, up to MaxInFlight. When the window frees
// room while the head's wake-up or its round trip is delayed, the room
// freed meanwhile goes to the queue at once, not one round trip a call.
func (l *Limiter) queued() int64 {
	return min(max(1, l.stats.waiting.Load()), int64(l.cfg.MaxInFlight))
}

// sawEpoch notes the epoch a script answered: a new one after another
// means Redis lost the counts, and the calls pause while it assumes them
// full, which an operator should hear of.
func (l *Limiter) sawEpoch(ctx context.Context, epoch int64) {
	last := l.stats.epoch.Swap(epoch)
	if last == 0 || last == epoch {
		return
	}
	l.stats.countsLost.Add(1)
	l.cfg.Logger.WarnContext(ctx, "marketo limiter: Redis has not kept the tenant's counts (a restart or a failover): every process waits while it assumes the window and the in-flight slots full",
		"tenant", l.cfg.Tenant, "window", l.cfg.Window, "lease_ttl", l.cfg.LeaseTTL)
}

func (l *Limiter) logWait(ctx context.Context, v verdict) {
	if !l.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	reason := "window"
	if v.code == waitInFlight {
		reason = "in flight"
	}
	l.cfg.Logger.DebugContext(ctx, "marketo limiter: waiting", "tenant", l.cfg.Tenant, "reason", reason,
		"in_flight", v.inFlight, "in_window", v.inWindow, "calls_today", v.today, "wait_at_most", v.wait)
}

// cloneResult is the clone script's answer.
type cloneResult struct {
	taken  bool
	clones int64
	day    string
	reset  time.Time
	spent  bool // Marketo said the day's clones are spent
}

// runClone takes one of the day's clones (day ""), or settles one of day
// that was not made: given back (why "back") or the day's budget marked
// spent (why "spent").
func (l *Limiter) runClone(ctx context.Context, day, why string) (cloneResult, error) {
	r, err := cloneScript.Run(ctx, l.rdb, []string{l.keys.daily}, l.nowArg(), l.cfg.ClonesPerDay, day, why).Slice()
	if err != nil {
		return cloneResult{}, err
	}
	if len(r) != 5 {
		return cloneResult{}, fmt.Errorf("clone script answered %d values, want 5", len(r))
	}
	taken, ok1 := r[0].(int64)
	clones, ok2 := r[1].(int64)
	reset, ok3 := r[3].(int64)
	spent, ok4 := r[4].(int64)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return cloneResult{}, fmt.Errorf("clone script answered %v, want integers", r)
	}
	return cloneResult{taken: taken == 1, clones: clones, day: fmt.Sprint(r[2]), reset: time.UnixMilli(reset), spent: spent == 1}, nil
}
