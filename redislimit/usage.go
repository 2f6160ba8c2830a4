package redislimit

import (
	"context"

	"github.com/mktows/marketo"
)

var _ marketo.UsageReporter = (*Limiter)(nil)

// DailyUsage reads the tenant's daily counts from Redis, every process's
// together, against the configured limits: the marketo.UsageReporter that
// telemetry such as otelmarketo's quota gauges reads.
func (l *Limiter) DailyUsage(ctx context.Context) (marketo.LimiterUsage, error) {
	u, err := l.Usage(ctx)
	if err != nil {
		return marketo.LimiterUsage{}, err
	}
	return marketo.LimiterUsage{Calls: int(u.CallsToday), DailyQuota: l.cfg.DailyQuota, Clones: int(u.ClonesToday),
		ClonesPerDay: l.cfg.ClonesPerDay, ClonesSpent: u.ClonesSpent}, nil
}
