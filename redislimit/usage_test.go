package redislimit

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestDailyUsageCountsEveryProcessAgainstTheLimits(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	cfg := Config{Tenant: t.Name(), DailyQuota: 50, ClonesPerDay: 3}
	a := newLimiter(t, srv.client(t), cfg, nil)
	b := newLimiter(t, srv.client(t), cfg, nil)
	ctx := context.Background()
	for _, l := range []*Limiter{a, b} {
		done, err := l.Acquire(ctx)
		require.NoError(t, err)
		done()
	}
	_, err := b.ReserveClone(ctx)
	require.NoError(t, err)
	u, err := a.DailyUsage(ctx)
	require.NoError(t, err)
	require.Equal(t, marketo.LimiterUsage{Calls: 2, DailyQuota: 50, Clones: 1, ClonesPerDay: 3}, u)
}
