package marketo

import "context"

// LimiterUsage is how much of a tenant's daily limits a RateLimiter has
// counted so far in the current US Central day.
type LimiterUsage struct {
	Calls        int  // calls started today
	DailyQuota   int  // calls allowed per day
	Clones       int  // program clones reserved today
	ClonesPerDay int  // program clones allowed per day
	ClonesSpent  bool // Marketo refused a clone today because the day's clones are spent (1020)
}

// UsageReporter is implemented by a RateLimiter that can say how much of the
// daily limits is used (*Limiter does), for telemetry such as otelmarketo's
// gauges. It is optional: a RateLimiter need not implement it.
type UsageReporter interface {
	DailyUsage(ctx context.Context) (LimiterUsage, error)
}

var _ UsageReporter = (*Limiter)(nil)

// DailyUsage returns the day's counts. A day that has ended counts nothing.
func (l *Limiter) DailyUsage(context.Context) (LimiterUsage, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rollDay(l.cfg.Clock())
	return LimiterUsage{Calls: l.calls, DailyQuota: l.cfg.DailyQuota, Clones: l.clones,
		ClonesPerDay: l.cfg.ClonesPerDay, ClonesSpent: l.clonesSpent}, nil
}
