package marketotest

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // America/Chicago must load on hosts without zoneinfo
)

var central = func() *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		panic("marketotest: " + err.Error())
	}
	return loc
}()

// centralDay names the US Central calendar day of t.
func centralDay(t time.Time) string { return t.In(central).Format("2006-01-02") }

// limiter enforces the tenant limits. Only authenticated calls that pass the
// limits are counted; calls refused by a limit, by authentication or by
// fault injection are not.
type limiter struct {
	l        Limits
	inFlight atomic.Int64

	mu     sync.Mutex
	recent []time.Time // counted calls within the window
	day    string
	calls  int
	clones int
}

// acquire admits a call in flight, or reports 20024.
func (l *limiter) acquire() *Fault {
	n := l.inFlight.Add(1)
	if l.l.MaxInFlight > 0 && n > int64(l.l.MaxInFlight) {
		l.inFlight.Add(-1)
		return faultf(codeConcurrencyLimitExceeded, "Concurrency limit exceeded: more than %d calls in flight", l.l.MaxInFlight)
	}
	return nil
}

func (l *limiter) release() { l.inFlight.Add(-1) }

func (l *limiter) rollDay(now time.Time) {
	if d := centralDay(now); d != l.day {
		l.day, l.calls, l.clones = d, 0, 0
	}
}

// admit counts an authenticated call, or refuses it with 20015 (daily quota)
// or 20023 (rate) without counting it.
func (l *limiter) admit(now time.Time) *Fault {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rollDay(now)
	if l.l.DailyQuota > 0 && l.calls >= l.l.DailyQuota {
		return faultf(codeRequestLimitExceeded, "Request limit exceeded: %d calls a day", l.l.DailyQuota)
	}
	if l.l.CallsPerWindow > 0 && l.l.Window > 0 {
		// Calls are timed before they take the lock, so recent is not
		// strictly in order: drop every expired entry, not just a prefix.
		cut := now.Add(-l.l.Window)
		l.recent = slices.DeleteFunc(l.recent, func(t time.Time) bool { return !t.After(cut) })
		if len(l.recent) >= l.l.CallsPerWindow {
			return faultf(codeRateLimitExceeded, "Rate limit exceeded: %d calls in %v", l.l.CallsPerWindow, l.l.Window)
		}
		l.recent = append(l.recent, now)
	}
	l.calls++
	return nil
}

// takeClone reserves one of the day's clones, or refuses with
// errCloneLimit.
func (l *limiter) takeClone(now time.Time) *domainErr {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rollDay(now)
	if l.l.DailyClones > 0 && l.clones >= l.l.DailyClones {
		return &domainErr{kind: errCloneLimit, max: l.l.DailyClones}
	}
	l.clones++
	return nil
}

// Usage is a snapshot of the limit counters.
type Usage struct {
	InFlight    int // calls being processed now
	InWindow    int // counted calls in the current rolling window
	CallsToday  int // counted calls this US Central day
	ClonesToday int // successful clones this US Central day
	Day         string
}

func (l *limiter) usage(now time.Time) Usage {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rollDay(now)
	n := 0
	cut := now.Add(-l.l.Window)
	for _, t := range l.recent {
		if t.After(cut) {
			n++
		}
	}
	return Usage{InFlight: int(l.inFlight.Load()), InWindow: n, CallsToday: l.calls, ClonesToday: l.clones, Day: l.day}
}
