package redislimit

import (
	"context"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // America/Chicago must load on hosts without zoneinfo

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// clock is a settable clock for the scripts' fixed-now argument.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// newLimiter returns a Limiter on rdb for a tenant of the test's own, closed
// when the test ends; with c, the scripts read c instead of Redis's TIME.
// The tenant is one this Redis has kept the counts of all along (see
// keptAllAlong).
func newLimiter(t *testing.T, rdb *redis.Client, cfg Config, c *clock) *Limiter {
	t.Helper()
	if cfg.Tenant == "" {
		cfg.Tenant = t.Name()
	}
	keptAllAlong(t, rdb, cfg.Tenant)
	l, err := newWith(rdb, cfg, func(l *Limiter) {
		if c != nil {
			l.fixedNow = c.Now
		}
		// The tests' calls end within LeaseTTL; Marketo's own bound (30 s)
		// would keep every fallback test waiting that long.
		l.callBound = 0
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// keptAllAlong marks tenant as one the running Redis has kept the counts of
// since before the test, as a Redis that has served a fleet for a while
// has: the test's Redis, just started, would otherwise assume the tenant's
// window and slots full (as after a restart) for one Window and LeaseTTL.
// A restart of the Redis forgets the mark.
func keptAllAlong(t testing.TB, rdb *redis.Client, tenant string) {
	t.Helper()
	ctx := context.Background()
	info, err := rdb.Info(ctx, "server").Result()
	require.NoError(t, err)
	m := regexp.MustCompile(`run_id:([0-9a-f]+)`).FindStringSubmatch(info)
	require.NotNil(t, m, "run_id in INFO server")
	require.NoError(t, rdb.HSet(ctx, tenantKeys(tenant).marker, "run", m[1], "since", 1).Err())
}

// decideAt runs one acquire decision. A started call holds its lease and
// window entry until the test releases it.
func decideAt(t *testing.T, l *Limiter) verdict {
	t.Helper()
	v, err := l.decide(context.Background())
	require.NoError(t, err)
	return v
}

func TestScriptCountsAnEndedCallForOneWindowFromItsEnd(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(t, srv.client(t), Config{CallsPerWindow: 3, Window: time.Second}, c)

	var ids []string
	for range 3 {
		v := decideAt(t, l)
		require.Equal(t, started, v.code)
		ids = append(ids, v.id)
	}
	v := decideAt(t, l)
	assert.Equal(t, waitWindow, v.code, "a 4th call in the window")
	assert.Equal(t, int64(3), v.inWindow)

	// The calls end 400 ms after they started: they count until one Window
	// after that (and 1 ms for the clock's truncation), not after their start.
	c.Advance(400 * time.Millisecond)
	for _, id := range ids {
		l.release(id)
	}
	c.Advance(time.Second)
	v = decideAt(t, l)
	assert.Equal(t, waitWindow, v.code, "one Window after the ends, less 1 ms")
	assert.Equal(t, time.Millisecond, v.wait)
	c.Advance(time.Millisecond)
	v = decideAt(t, l)
	assert.Equal(t, started, v.code)
	assert.Equal(t, int64(1), v.inWindow, "the ended calls left the window")
}

func TestScriptCountsARunningCallWhateverItsAge(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(t, srv.client(t), Config{CallsPerWindow: 1, Window: time.Second, LeaseTTL: time.Minute}, c)

	first := decideAt(t, l)
	require.Equal(t, started, first.code)
	// Marketo may not have seen the call yet: it counts until its answer.
	c.Advance(30 * time.Second)
	v := decideAt(t, l)
	assert.Equal(t, waitWindow, v.code)
	l.release(first.id)
	c.Advance(time.Second)
	assert.Equal(t, waitWindow, decideAt(t, l).code)
	c.Advance(time.Millisecond)
	assert.Equal(t, started, decideAt(t, l).code)
}

func TestScriptBoundsCallsInFlightAndExpiresLeases(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(t, srv.client(t), Config{MaxInFlight: 2, LeaseTTL: 3 * time.Second}, c)

	a, b := decideAt(t, l), decideAt(t, l)
	require.Equal(t, started, a.code)
	require.Equal(t, started, b.code)
	c.Advance(time.Second)
	v := decideAt(t, l)
	assert.Equal(t, waitInFlight, v.code)
	assert.Equal(t, int64(2), v.inFlight)
	assert.Equal(t, 2*time.Second, v.wait, "until the first lease expires")

	// Renewing keeps the slots past their first expiry.
	l.leases[a.id], l.leases[b.id] = a.epoch, b.epoch
	c.Advance(1500 * time.Millisecond)
	l.renew(context.Background())
	// Scripts run less than half a lease apart (a waiter's, say): Redis
	// answered all along, so an expiry is a dead process's, not a pause's.
	for range 2 {
		c.Advance(time.Second)
		assert.Equal(t, waitInFlight, decideAt(t, l).code, "renewed leases hold their slots")
	}

	// A process that stops renewing loses its slots when the lease expires.
	c.Advance(time.Second)
	v = decideAt(t, l)
	assert.Equal(t, started, v.code, "an expired lease gave its slot back")
	assert.Equal(t, int64(1), v.inFlight)

	// The next renewal reports the leases it could not renew.
	l.renew(context.Background())
	assert.Equal(t, int64(2), l.Stats().LeasesLost)
	delete(l.leases, a.id)
	delete(l.leases, b.id)
}

func TestScriptKeepsTheDailyQuotaOfTheCentralDay(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	// 23:59 CST on 1 December.
	c := &clock{now: time.Date(2026, 12, 2, 5, 59, 0, 0, time.UTC)}
	l := newLimiter(t, srv.client(t), Config{DailyQuota: 2}, c)
	for range 2 {
		v := decideAt(t, l)
		require.Equal(t, started, v.code)
		l.release(v.id)
	}
	v := decideAt(t, l)
	assert.Equal(t, quotaUsed, v.code)
	assert.Equal(t, "2026-12-01", v.day)
	assert.Equal(t, time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC), v.reset.UTC())

	_, err := l.Acquire(context.Background())
	require.ErrorIs(t, err, marketo.ErrDailyQuotaExceeded)
	assert.EqualError(t, err, `the daily quota of calls is used up: 2 calls today (US Central) by every process of tenant "`+t.Name()+`"; the quota resets at 2026-12-02T06:00:00Z`)

	c.Advance(time.Minute)
	v = decideAt(t, l)
	assert.Equal(t, started, v.code, "a new US Central day brings a new quota")
	assert.Equal(t, "2026-12-02", v.day)
	assert.Equal(t, int64(1), v.today)
}

func TestScriptKeepsTheCloneBudget(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)} // 06:00 CST
	rdb := srv.client(t)
	a := newLimiter(t, rdb, Config{Tenant: t.Name(), ClonesPerDay: 2}, c)
	b := newLimiter(t, rdb, Config{Tenant: t.Name(), ClonesPerDay: 2}, c)
	ctx := context.Background()

	_, err := a.ReserveClone(ctx)
	require.NoError(t, err)
	cancel, err := b.ReserveClone(ctx)
	require.NoError(t, err)
	_, err = a.ReserveClone(ctx)
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted, "the budget is the tenant's, not the process's")
	assert.Contains(t, err.Error(), "2 of 2 made today")
	assert.Contains(t, err.Error(), "resets at 2026-11-29T06:00:00Z")

	cancel(marketo.CloneNotRun)
	cancel(marketo.CloneNotRun) // once only
	_, err = a.ReserveClone(ctx)
	require.NoError(t, err, "a clone given back is available again")
	_, err = a.ReserveClone(ctx)
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted, "cancel gave back one clone, not two")

	// A clone reserved yesterday is not given back to today's budget.
	late, err := func() (func(marketo.CloneRefusal), error) {
		c.Set(time.Date(2026, 11, 29, 5, 59, 0, 0, time.UTC))
		return newLimiter(t, rdb, Config{Tenant: t.Name() + "/2", ClonesPerDay: 1}, c).ReserveClone(ctx)
	}()
	require.NoError(t, err)
	c.Set(time.Date(2026, 11, 29, 6, 0, 1, 0, time.UTC))
	l2 := newLimiter(t, rdb, Config{Tenant: t.Name() + "/2", ClonesPerDay: 1}, c)
	_, err = l2.ReserveClone(ctx)
	require.NoError(t, err, "a new day brings a new budget")
	late(marketo.CloneNotRun)
	_, err = l2.ReserveClone(ctx)
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted)
}

// TestScriptNamesTheCentralDayAsTheTimeZoneDatabaseDoes compares the
// script's US Central day and next midnight with America/Chicago's, around
// every change of offset from 2007 to 2040 and at midnight.
func TestScriptNamesTheCentralDayAsTheTimeZoneDatabaseDoes(t *testing.T) {
	t.Parallel()
	chicago, err := time.LoadLocation("America/Chicago")
	require.NoError(t, err)
	srv := startRedis(t)
	rdb := srv.client(t)
	var instants []time.Time
	for y := 2007; y <= 2040; y++ {
		for _, d := range []time.Time{
			time.Date(y, 3, 8, 0, 0, 0, 0, chicago), time.Date(y, 11, 1, 0, 0, 0, 0, chicago),
			time.Date(y, 1, 1, 0, 0, 0, 0, chicago), time.Date(y, 6, 30, 0, 0, 0, 0, chicago),
		} {
			for day := 0; day < 7; day++ {
				for _, h := range []time.Duration{0, 59*time.Minute + 59*time.Second, 2 * time.Hour, 3 * time.Hour, 23*time.Hour + 59*time.Minute} {
					instants = append(instants, d.AddDate(0, 0, day).Add(h), d.AddDate(0, 0, day).Add(h).Add(-time.Millisecond))
				}
			}
		}
	}
	args := make([]any, 0, len(instants))
	for _, in := range instants {
		args = append(args, in.UnixMilli())
	}
	const probe = `
local out = {}
for i = 1, #ARGV do
  local day, reset = central_day(tonumber(ARGV[i]))
  out[#out + 1] = day
  out[#out + 1] = reset
end
return out`
	r, err := rdb.Eval(context.Background(), prelude+probe, nil, args...).Slice()
	require.NoError(t, err)
	require.Len(t, r, 2*len(instants))
	for i, in := range instants {
		local := in.In(chicago)
		y, m, d := local.Date()
		wantReset := time.Date(y, m, d+1, 0, 0, 0, 0, chicago)
		assert.Equal(t, local.Format("2006-01-02"), r[2*i], "day of %v", local)
		assert.Equal(t, wantReset.UnixMilli(), r[2*i+1], "next midnight after %v", local)
	}
	assert.Greater(t, len(instants), 1000)
}

// TestScriptKeepsMarketosWordThatTheClonesAreSpent: after one process
// reports Marketo's 1020 (the day's clones are spent), every process
// refuses the day's later clones without sending them, whatever the
// count; the next US Central day starts afresh.
func TestScriptKeepsMarketosWordThatTheClonesAreSpent(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)} // 06:00 CST
	rdb := srv.client(t)
	a := newLimiter(t, rdb, Config{Tenant: t.Name(), ClonesPerDay: 5}, c)
	b := newLimiter(t, rdb, Config{Tenant: t.Name(), ClonesPerDay: 5}, c)
	ctx := context.Background()

	refused, err := a.ReserveClone(ctx)
	require.NoError(t, err)
	refused(marketo.CloneBudgetSpent)
	refused(marketo.CloneNotRun) // once only: the clone is not given back
	_, err = b.ReserveClone(ctx)
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted, "another process learns it")
	assert.EqualError(t, err, "marketo: the daily budget of program clones is used up: Marketo refused a clone of tenant \""+t.Name()+
		"\" today (US Central) because the day's clones are spent; the budget resets at 2026-11-29T06:00:00Z")
	u, err := b.Usage(ctx)
	require.NoError(t, err)
	assert.True(t, u.ClonesSpent)
	assert.Equal(t, int64(1), u.ClonesToday, "the refused clone is not given back")

	c.Set(time.Date(2026, 11, 29, 6, 0, 1, 0, time.UTC))
	_, err = b.ReserveClone(ctx)
	require.NoError(t, err, "a new day brings a new budget")
	a.settleClone("2026-11-28", "spent") // a late report of yesterday's 1020
	_, err = a.ReserveClone(ctx)
	require.NoError(t, err, "a report for a day that has ended changes nothing")
}

// TestOneRoundTripStartsTheCallersQueuedBehindTheHead: when the window
// frees room for several calls while callers queue, the round trip of the
// one caller asking Redis starts all of them, instead of one round trip
// each, so room freed while a loaded process was slow to wake is not left
// unused meanwhile.
func TestOneRoundTripStartsTheCallersQueuedBehindTheHead(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	rdb := srv.client(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(t, rdb, Config{CallsPerWindow: 3, Window: 200 * time.Millisecond}, c)
	for range 3 {
		v := decideAt(t, l)
		require.Equal(t, started, v.code)
		l.release(v.id)
	}
	dones := make(chan func(), 3)
	for range 3 {
		go func() {
			d, err := l.Acquire(context.Background())
			assert.NoError(t, err)
			dones <- d
		}()
	}
	waitFor(t, func() bool { return l.Stats().Waiting == 3 && l.Stats().WaitsForWindow == 1 })
	before := scriptRuns(t, rdb)
	c.Advance(200*time.Millisecond + time.Millisecond) // the three entries expire; the head wakes at its timer
	for range 3 {
		(<-dones)()
	}
	assert.Equal(t, 1+3, scriptRuns(t, rdb)-before, "one acquire for three calls, and three releases")
	s := l.Stats()
	assert.Equal(t, int64(3), s.Started)
	assert.Equal(t, int64(1), s.WaitsForWindow)
}

// scriptRuns is how many scripts Redis has run.
func scriptRuns(t *testing.T, rdb *redis.Client) int {
	t.Helper()
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	require.NoError(t, err)
	n := 0
	for _, m := range regexp.MustCompile(`cmdstat_eval(?:sha)?:calls=(\d+)`).FindAllStringSubmatch(info, -1) {
		k, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		n += k
	}
	return n
}

// TestScriptCountsAnEndedCallFromItsEndToTheMicrosecond: on Redis's own
// clock a call counts one Window from its end, to the microsecond, and not
// from when Redis heard of the end (it was a whole millisecond later
// before): in a window scaled down for tests, a millisecond a call is
// half a percent of the ceiling.
func TestScriptCountsAnEndedCallFromItsEndToTheMicrosecond(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	rdb := srv.client(t)
	const window = time.Second
	l := newLimiter(t, rdb, Config{Window: window}, nil)
	ctx := context.Background()
	for range 20 {
		v := decideAt(t, l)
		require.Equal(t, started, v.code)
		before, err := rdb.Time(ctx).Result()
		require.NoError(t, err)
		l.release(v.id)
		after, err := rdb.Time(ctx).Result()
		require.NoError(t, err)
		score, err := rdb.ZScore(ctx, l.keys.window, v.id).Result()
		require.NoError(t, err)
		msOf := func(tm time.Time) float64 { return float64(tm.UnixMicro()) / 1000 }
		assert.GreaterOrEqual(t, score, msOf(before)+ms64(window), "it counts one Window from its end")
		assert.LessOrEqual(t, score, msOf(after)+ms64(window)+0.001, "and no longer")
	}
}

func ms64(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
