package redislimit

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// epochConfig is small enough to count by hand: 5 calls in 1 s, 2 in
// flight, leases of 3 s.
var epochConfig = Config{CallsPerWindow: 5, Window: time.Second, MaxInFlight: 2, LeaseTTL: 3 * time.Second}

// TestScriptAssumesTheCountsFullAfterARestart restarts Redis empty under a
// running call. The first script to run after it assumes every in-flight
// slot taken for one LeaseTTL, by calls that count in the window one Window
// more, and the rest of the window full for one Window; the running call's
// renewal makes its lease again without counting it lost.
func TestScriptAssumesTheCountsFullAfterARestart(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(t, srv.client(t), epochConfig, c)
	running := decideAt(t, l)
	require.Equal(t, started, running.code)
	l.leases[running.id] = running.epoch

	srv.restart()
	base := c.Now()
	v := decideAt(t, l)
	assert.Equal(t, waitInFlight, v.code, "the slots are assumed taken")
	assert.Equal(t, int64(2), v.inFlight)
	assert.Equal(t, int64(5), v.inWindow, "and the window full")
	assert.Equal(t, 3*time.Second, v.wait, "until one LeaseTTL from the restart")
	assert.Equal(t, base.UnixMilli(), v.epoch, "a new epoch")
	assert.Equal(t, int64(1), l.Stats().CountsLost)

	l.renew(context.Background())
	assert.Zero(t, l.Stats().LeasesLost, "a lease the restart lost is not one that expired")
	u, err := l.Usage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(3), u.InFlight, "the running call's lease is made again, beside the assumed ones")

	// One Window on, the slots are still assumed taken.
	c.Advance(time.Second)
	assert.Equal(t, waitInFlight, decideAt(t, l).code)
	c.Advance(time.Second)
	l.renew(context.Background())

	// One LeaseTTL on, the assumed calls have ended; they count in the
	// window one Window more (2 of 5), beside the running call.
	c.Advance(time.Second)
	next := decideAt(t, l)
	require.Equal(t, started, next.code)
	assert.Equal(t, int64(2), next.inFlight)
	assert.Equal(t, int64(4), next.inWindow)
	l.release(next.id)
	fifth := decideAt(t, l)
	require.Equal(t, started, fifth.code, "the 5th of the window")
	l.release(fifth.id)
	v = decideAt(t, l)
	assert.Equal(t, waitWindow, v.code)
	assert.Equal(t, time.Second, v.wait, "until the assumed calls leave the window, one Window after their assumed end")
	l.release(running.id)
	delete(l.leases, running.id)
}

// TestScriptAssumesFromTheStartOfARedisThatLostTheTenant: a Redis with no
// trace of the tenant (restarted empty, or new) assumes the counts full
// from its own start, which it knows to the second, so the assumption
// ends no later than it would have from the restart itself.
func TestScriptAssumesFromTheStartOfARedisThatLostTheTenant(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	rdb := srv.client(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	cfg := epochConfig
	cfg.Tenant = t.Name()
	l, err := newWith(rdb, cfg, func(l *Limiter) { l.fixedNow = c.Now }) // no keptAllAlong: the tenant is new to this Redis
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	waitFor(t, func() bool { return uptime(t, srv) >= 2 })

	before := uptime(t, srv)
	v := decideAt(t, l)
	after := uptime(t, srv)
	assert.Equal(t, waitInFlight, v.code)
	// The start is taken a second later than uptime says, the latest it can be.
	assert.Contains(t, []time.Duration{3*time.Second - time.Duration(before-1)*time.Second, 3*time.Second - time.Duration(after-1)*time.Second}, v.wait)
}

// TestScriptAssumesFromNowWhenAnotherRunKeptTheCounts: a marker of another
// Redis run means the counts survived a restart or a failover, all but the
// last writes, of an instant the script cannot know: the assumption starts
// when the script sees it.
func TestScriptAssumesFromNowWhenAnotherRunKeptTheCounts(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	rdb := srv.client(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(t, rdb, epochConfig, c)
	require.Equal(t, started, decideAt(t, l).code, "the counts kept all along: no assumption")

	require.NoError(t, rdb.HSet(context.Background(), l.keys.marker, "run", "a-run-before-a-restart").Err())
	c.Advance(time.Minute)
	v := decideAt(t, l)
	assert.Equal(t, waitInFlight, v.code)
	assert.Equal(t, 3*time.Second, v.wait)
	assert.Equal(t, c.Now().UnixMilli(), v.epoch)
	assert.Equal(t, int64(1), l.Stats().CountsLost)
	c.Advance(3 * time.Second)
	assert.Equal(t, started, decideAt(t, l).code)
}

func uptime(t *testing.T, srv *redisServer) int {
	t.Helper()
	info, err := srv.client(t).Info(context.Background(), "server").Result()
	require.NoError(t, err)
	m := regexp.MustCompile(`uptime_in_seconds:(\d+)`).FindStringSubmatch(info)
	require.NotNil(t, m)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}
