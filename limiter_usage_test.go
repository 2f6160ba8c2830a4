package marketo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestLimiterDailyUsage(t *testing.T) {
	t.Parallel()
	l, err := marketo.NewLimiter(marketo.LimiterConfig{DailyQuota: 7, ClonesPerDay: 2})
	require.NoError(t, err)
	ctx := context.Background()
	done, err := l.Acquire(ctx)
	require.NoError(t, err)
	done()
	refused, err := l.ReserveClone(ctx)
	require.NoError(t, err)
	refused(marketo.CloneBudgetSpent)
	u, err := l.DailyUsage(ctx)
	require.NoError(t, err)
	require.Equal(t, marketo.LimiterUsage{Calls: 1, DailyQuota: 7, Clones: 1, ClonesPerDay: 2, ClonesSpent: true}, u)
}
