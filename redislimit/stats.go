package redislimit

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// Stats are this process's counts since New, for an operator asking why
// calls wait.
type Stats struct {
	Started          int64         // calls Redis let start
	Waited           int64         // of them, calls that did not start at once
	WaitTime         time.Duration // total time calls spent in Acquire before starting
	Waiting          int64         // callers in Acquire now
	InFlight         int64         // this process's calls running now
	WaitsForInFlight int64         // times a caller slept because MaxInFlight calls ran
	WaitsForWindow   int64         // times a caller slept because the window was full
	Fallbacks        int64         // calls the in-process fallback let start while Redis was unreachable
	RedisErrors      int64         // round trips that failed or timed out
	LeasesLost       int64         // leases that expired before their renewal: this process could not reach Redis for longer than LeaseTTL while others did, or LeaseTTL is short (the warning says which)
	CountsLost       int64         // times Redis was seen to have lost the tenant's counts (a restart, a failover): calls paused
}

type counters struct {
	startedN, waitedN, waitNanos, waiting, inFlight atomic.Int64
	waitsInFlight, waitsWindow                      atomic.Int64
	fallbacks, redisErrors, leasesLost              atomic.Int64
	countsLost                                      atomic.Int64
	epoch                                           atomic.Int64 // the last epoch seen
}

func (c *counters) started(waited bool, d time.Duration) {
	c.startedN.Add(1)
	c.waitNanos.Add(int64(d))
	if waited {
		c.waitedN.Add(1)
	}
}

func (c *counters) waited(code int64) {
	if code == waitInFlight {
		c.waitsInFlight.Add(1)
	} else {
		c.waitsWindow.Add(1)
	}
}

// Stats returns this process's counts.
func (l *Limiter) Stats() Stats {
	c := &l.stats
	return Stats{
		Started:          c.startedN.Load(),
		Waited:           c.waitedN.Load(),
		WaitTime:         time.Duration(c.waitNanos.Load()),
		Waiting:          c.waiting.Load(),
		InFlight:         c.inFlight.Load(),
		WaitsForInFlight: c.waitsInFlight.Load(),
		WaitsForWindow:   c.waitsWindow.Load(),
		Fallbacks:        c.fallbacks.Load(),
		RedisErrors:      c.redisErrors.Load(),
		LeasesLost:       c.leasesLost.Load(),
		CountsLost:       c.countsLost.Load(),
	}
}

// Usage is the tenant's counters in Redis, for every process together.
// After Redis lost calls it had counted (see the package doc), InFlight and
// InWindow include the calls it assumes until they provably ended.
type Usage struct {
	InFlight    int64  // calls running now
	InWindow    int64  // calls counting in the window now (running, or answered less than a Window ago)
	CallsToday  int64  // calls started this US Central day
	ClonesToday int64  // clones reserved this US Central day
	ClonesSpent bool   // Marketo refused a clone today because the day's clones are spent
	Day         string // the US Central day, YYYY-MM-DD
}

// Usage reads the tenant's counters from Redis.
func (l *Limiter) Usage(ctx context.Context) (Usage, error) {
	r, err := usageScript.Run(ctx, l.rdb, []string{l.keys.window, l.keys.leases, l.keys.daily, l.keys.marker}, l.nowArg(), ms(l.cfg.LeaseTTL)).Slice()
	if err != nil {
		return Usage{}, &UnavailableError{Op: "usage", Err: err}
	}
	var u Usage
	if len(r) != 6 {
		return Usage{}, fmt.Errorf("redislimit: usage script answered %d values, want 6", len(r))
	}
	for i, p := range []*int64{&u.InFlight, &u.InWindow, &u.CallsToday, &u.ClonesToday} {
		n, ok := r[i].(int64)
		if !ok {
			return Usage{}, fmt.Errorf("redislimit: usage script answered %T at %d, want an integer", r[i], i)
		}
		*p = n
	}
	u.Day = fmt.Sprint(r[4])
	u.ClonesSpent = r[5] == int64(1)
	return u, nil
}
