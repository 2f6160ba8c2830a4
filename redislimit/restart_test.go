package redislimit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// restartRun makes calls from 16 goroutines through a Redis-backed limiter
// while Redis is stopped and started again, and returns how each ended.
type restartRun struct {
	ok, unavailable, other atomic.Int64
	late                   atomic.Int64 // calls that returned after their context's deadline
	firstOther             atomic.Value
}

func (r *restartRun) call(c *marketo.Client) {
	const deadline = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	began := time.Now()
	_, err := c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"})
	if time.Since(began) > deadline+time.Second {
		r.late.Add(1)
	}
	switch {
	case err == nil:
		r.ok.Add(1)
	case errors.Is(err, ErrUnavailable):
		r.unavailable.Add(1)
	default:
		r.other.Add(1)
		r.firstOther.CompareAndSwap(nil, err.Error())
	}
}

// runThroughRestart calls until some calls succeeded, stops Redis, calls
// until the outage shows (unavailable: at least one call fails with
// ErrUnavailable; otherwise at least 20 calls), starts Redis again and calls
// until calls succeed again.
func runThroughRestart(t *testing.T, srv *redisServer, c *marketo.Client, outageShows func(*restartRun) bool) *restartRun {
	r := &restartRun{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					r.call(c)
				}
			}
		}()
	}
	waitFor(t, func() bool { return r.ok.Load() >= 20 })
	srv.stop()
	before := r.ok.Load() + r.unavailable.Load()
	waitFor(t, func() bool { return outageShows(r) && r.ok.Load()+r.unavailable.Load() >= before+20 })
	srv.restart()
	okBefore := r.ok.Load()
	waitFor(t, func() bool { return r.ok.Load() >= okBefore+20 })
	close(stop)
	wg.Wait()
	return r
}

// TestRedisRestartMidRunFailsClosed: while Redis is down calls fail at once
// with ErrUnavailable, nothing is sent and none waits out its context;
// once Redis is back, calls go through again, within the limits throughout.
// TestMain checks that no goroutine outlives the tests.
func TestRedisRestartMidRunFailsClosed(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	f := newFleet(t, scaledLimits)
	l := newLimiter(t, srv.client(t), Config{CallsPerWindow: scaledLimits.CallsPerWindow, Window: scaledLimits.Window,
		MaxInFlight: scaledLimits.MaxInFlight, LeaseTTL: time.Second, RedisTimeout: 200 * time.Millisecond}, nil)
	c, err := marketo.NewClient(f.config(), marketo.WithLimiter(l), marketo.WithoutRetries())
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	r := runThroughRestart(t, srv, c, func(r *restartRun) bool { return r.unavailable.Load() > 0 })
	assert.Zero(t, r.other.Load(), "calls that failed otherwise: first %v", r.firstOther.Load())
	assert.Zero(t, r.late.Load(), "calls that returned past their context's deadline")
	faults, _ := f.faults()
	assert.Empty(t, faults)
	assert.LessOrEqual(t, f.peak.Load(), int64(scaledLimits.MaxInFlight))
	assert.Equal(t, r.ok.Load(), int64(len(f.fake.Requests())), "calls refused for Redis were not sent")
	assert.Positive(t, l.Stats().RedisErrors)
}

// TestRedisRestartMidRunFallsBackToAShare: with FallbackShare the calls go
// on during the outage. As documented, when the process switches to the
// fallback and back, calls Redis counted and calls the fallback counted may
// add up to the limits plus the process's share (here half) for one
// Window: the fake enforces exactly that much and must answer no fault.
func TestRedisRestartMidRunFallsBackToAShare(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	withShare := scaledLimits
	withShare.CallsPerWindow += scaledLimits.CallsPerWindow / 2
	withShare.MaxInFlight += scaledLimits.MaxInFlight / 2
	f := newFleet(t, withShare)
	l := newLimiter(t, srv.client(t), Config{CallsPerWindow: scaledLimits.CallsPerWindow, Window: scaledLimits.Window,
		MaxInFlight: scaledLimits.MaxInFlight, LeaseTTL: time.Second, RedisTimeout: 200 * time.Millisecond, FallbackShare: 2}, nil)
	c, err := marketo.NewClient(f.config(), marketo.WithLimiter(l), marketo.WithoutRetries())
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	r := runThroughRestart(t, srv, c, func(*restartRun) bool { return l.Stats().Fallbacks >= 20 })
	assert.Zero(t, r.unavailable.Load(), "no call fails for Redis with a fallback")
	assert.Zero(t, r.other.Load(), "calls that failed otherwise: first %v", r.firstOther.Load())
	assert.Zero(t, r.late.Load(), "calls that returned past their context's deadline")
	faults, _ := f.faults()
	assert.Empty(t, faults)
	assert.LessOrEqual(t, f.peak.Load(), int64(withShare.MaxInFlight))
}

// restartLimits are Marketo's limits with the window scaled to 1 s: a
// Redis restart (stop and start) takes well under it, so the calls Redis
// forgets still count at the server when it is back.
var restartLimits = marketotest.Limits{CallsPerWindow: 100, Window: time.Second, MaxInFlight: 10, DailyClones: 10}

// restartFleet is 4 processes of 16 goroutines, each process a Limiter of
// its own (own Redis connections), against the fake enforcing
// restartLimits exactly, with the given FallbackShare.
func restartFleet(t *testing.T, srv *redisServer, share int) (*fleet, []*Limiter, []*marketo.Client) {
	f := newFleet(t, restartLimits)
	cfg := Config{Tenant: t.Name(), CallsPerWindow: restartLimits.CallsPerWindow, Window: restartLimits.Window,
		MaxInFlight: restartLimits.MaxInFlight, LeaseTTL: 600 * time.Millisecond, RedisTimeout: 200 * time.Millisecond, FallbackShare: share}
	var ls []*Limiter
	var cs []*marketo.Client
	for range 4 {
		l := newLimiter(t, srv.client(t), cfg, nil)
		c, err := marketo.NewClient(f.config(), marketo.WithLimiter(l), marketo.WithoutRetries())
		require.NoError(t, err)
		t.Cleanup(c.CloseIdleConnections)
		ls = append(ls, l)
		cs = append(cs, c)
	}
	return f, ls, cs
}

// runFleetThrough runs 16 goroutines per client until ok calls succeeded,
// then runs outage (which returns once the outage is over) and goes on
// until ok more calls succeeded.
func runFleetThrough(t *testing.T, cs []*marketo.Client, ok int64, outage func(r *restartRun)) *restartRun {
	r := &restartRun{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range cs {
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
						before := r.unavailable.Load()
						if r.call(c); r.unavailable.Load() > before {
							time.Sleep(10 * time.Millisecond) // Redis is down: no busy loop
						}
					}
				}
			}()
		}
	}
	waitFor(t, func() bool { return r.ok.Load() >= ok })
	outage(r)
	okBefore := r.ok.Load()
	waitFor(t, func() bool { return r.ok.Load() >= okBefore+ok })
	close(stop)
	wg.Wait()
	return r
}

// assertNoLimitFault checks what the server saw: no fault, never more than
// MaxInFlight calls at once.
func assertNoLimitFault(t *testing.T, f *fleet, r *restartRun) {
	t.Helper()
	assert.Zero(t, r.other.Load(), "calls that failed otherwise: first %v", r.firstOther.Load())
	faults, arrivals := f.faults()
	assert.Empty(t, faults, "fault codes the server answered")
	assert.LessOrEqual(t, f.peak.Load(), int64(restartLimits.MaxInFlight), "calls in flight at the server")
	t.Logf("%d calls succeeded, %d refused for Redis; %d counted by the server; peak %d in flight",
		r.ok.Load(), r.unavailable.Load(), len(arrivals), f.peak.Load())
}

// TestRedisRestartedEmptyMidWindowKeepsTheLimits restarts Redis empty while
// the calls of the last window still count at the server: the scripts see
// that this Redis has not kept the tenant's counts and assume the window
// and the in-flight slots full until they provably are not, so the four
// processes cause no limit fault.
func TestRedisRestartedEmptyMidWindowKeepsTheLimits(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	f, ls, cs := restartFleet(t, srv, 0)
	var restartedAt time.Time
	r := runFleetThrough(t, cs, 150, func(*restartRun) {
		srv.restart()
		restartedAt = time.Now()
	})
	assertNoLimitFault(t, f, r)
	_, arrivals := f.faults()
	var soon int
	for _, a := range arrivals {
		if a.After(restartedAt) && a.Before(restartedAt.Add(restartLimits.Window-100*time.Millisecond)) {
			soon++
		}
	}
	assert.Zero(t, soon, "calls that reached the server less than a Window after Redis came back")
	var lost int64
	for i, l := range ls {
		lost += l.Stats().LeasesLost
		assert.Equal(t, int64(1), l.Stats().CountsLost, "process %d saw Redis lose the counts once", i)
	}
	assert.Zero(t, lost, "leases Redis lost in the restart are made again, not counted as expired")
}

// TestRedisDownAndBackWithFallbackKeepsTheLimits stops Redis for two
// windows and starts it empty, with FallbackShare 4 for the 4 processes:
// the switch to the fallback and the return to a Redis that forgot the
// counts each assume the other side's calls, and the server, enforcing
// the limits exactly, answers no fault.
func TestRedisDownAndBackWithFallbackKeepsTheLimits(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	f, ls, cs := restartFleet(t, srv, 4)
	r := runFleetThrough(t, cs, 150, func(r *restartRun) {
		srv.stop()
		waitFor(t, func() bool { return fallbacks(ls) >= 50 })
		srv.restart()
	})
	assert.Zero(t, r.unavailable.Load(), "no call fails for Redis with a fallback")
	assertNoLimitFault(t, f, r)
}

// TestRedisUnreachableAndBackWithFallbackKeepsTheLimits stops the Redis
// process (SIGSTOP) and resumes it with its counts: the same Redis run, so
// only the processes' return from their fallbacks tells it of the calls it
// did not see.
func TestRedisUnreachableAndBackWithFallbackKeepsTheLimits(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	f, ls, cs := restartFleet(t, srv, 4)
	r := runFleetThrough(t, cs, 150, func(r *restartRun) {
		require.NoError(t, srv.cmd.Process.Signal(syscall.SIGSTOP))
		waitFor(t, func() bool { return fallbacks(ls) >= 50 })
		require.NoError(t, srv.cmd.Process.Signal(syscall.SIGCONT))
	})
	assert.Zero(t, r.unavailable.Load(), "no call fails for Redis with a fallback")
	assertNoLimitFault(t, f, r)
}

func fallbacks(ls []*Limiter) int64 {
	var n int64
	for _, l := range ls {
		n += l.Stats().Fallbacks
	}
	return n
}

// TestAFallbackCallStillRunningBecomesALeaseWhenRedisIsBack: Redis, back
// with its counts, did not see the fallback's calls; the process's first
// script back makes it assume the window and slots full, and the renewal
// records the fallback call still running as a lease, until its done.
func TestAFallbackCallStillRunningBecomesALeaseWhenRedisIsBack(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const leaseTTL = 300 * time.Millisecond
	l := newLimiter(t, srv.client(t), Config{MaxInFlight: 2, Window: 100 * time.Millisecond, LeaseTTL: leaseTTL,
		RedisTimeout: 100 * time.Millisecond, FallbackShare: 1}, nil)
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGSTOP))
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	require.Equal(t, int64(1), l.Stats().Fallbacks)
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGCONT))

	ctx := context.Background()
	waitFor(t, func() bool { l.renew(ctx); return !l.isDown() })
	u, err := l.Usage(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(2+1), u.InFlight, "every slot assumed taken, beside the fallback call's lease")
	assert.GreaterOrEqual(t, u.InWindow, int64(100), "the window assumed full")

	time.Sleep(2 * leaseTTL)
	u, err = l.Usage(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), u.InFlight, "the fallback call holds its slot in Redis while it runs")
	done()
	u, err = l.Usage(ctx)
	require.NoError(t, err)
	assert.Zero(t, u.InFlight)
}

// TestAProcessWithoutCallsReportsItsFallbackCallsWhenRedisIsBack: the
// fallback calls have ended and no caller asks Redis, but they still count
// at Marketo: the lease renewal, which runs whether or not a call runs,
// tells Redis.
func TestAProcessWithoutCallsReportsItsFallbackCallsWhenRedisIsBack(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	l := newLimiter(t, srv.client(t), Config{MaxInFlight: 2, Window: time.Second, LeaseTTL: 300 * time.Millisecond,
		RedisTimeout: 100 * time.Millisecond, FallbackShare: 1}, nil)
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGSTOP))
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	done()
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGCONT))

	ctx := context.Background()
	waitFor(t, func() bool {
		u, err := l.Usage(ctx)
		return err == nil && u.InWindow >= 100
	})
	assert.Zero(t, l.Stats().Started, "no call asked Redis: the renewal reported the fallback's")
}

// logBuffer is a Logger's output, safe to read while the Limiter writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *logBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// answering advances c by d while Redis answers another process's
// scripts, less than half a lease apart: Redis does not pause, so leases
// not renewed meanwhile expire.
func answering(t *testing.T, c *clock, other *Limiter, d time.Duration) {
	t.Helper()
	step := other.cfg.LeaseTTL / 4
	for passed := time.Duration(0); passed < d; passed += step {
		c.Advance(step)
		if v := decideAt(t, other); v.code == started {
			other.releaseUnused(v.id)
		}
	}
}

// TestALeaseLostWhileRedisWasUnreachableSaysSo: a call's lease expires
// because this process could not reach Redis for longer than LeaseTTL
// while the others did (a partition), not because LeaseTTL is short: the
// warning says Redis was unreachable, and does not ask to raise LeaseTTL.
func TestALeaseLostWhileRedisWasUnreachableSaysSo(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const leaseTTL = time.Minute // the ticker's renewals stay out of the test
	var logged logBuffer
	c := &clock{now: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	cfg := Config{LeaseTTL: leaseTTL, RedisTimeout: 100 * time.Millisecond, FallbackShare: 2,
		Logger: slog.New(slog.NewTextHandler(&logged, nil))}
	l := newLimiter(t, srv.client(t), cfg, c)
	other := newLimiter(t, srv.client(t), Config{Tenant: cfg.Tenant, LeaseTTL: leaseTTL, RedisTimeout: 100 * time.Millisecond}, c)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	defer done()

	ctx := context.Background()
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGSTOP))
	l.renew(ctx) // fails: Redis is stopped
	require.NoError(t, srv.cmd.Process.Signal(syscall.SIGCONT))
	require.Positive(t, l.Stats().RedisErrors)
	answering(t, c, other, 2*leaseTTL) // to the others, not to this process
	d, err := other.Acquire(ctx)
	require.NoError(t, err, "the expired lease's slot went to another call")
	d()
	waitFor(t, func() bool { l.renew(ctx); return l.Stats().LeasesLost == 1 })

	assert.Contains(t, logged.String(), "a running call's lease expired while Redis was unreachable, longer than LeaseTTL")
	assert.NotContains(t, logged.String(), "raise LeaseTTL")
}

// TestALeaseLostWithRedisAnsweringAsksToRaiseLeaseTTL: a lease that
// expired while every round trip reached Redis (the process paused longer
// than LeaseTTL) is LeaseTTL's fault: the warning says to raise it.
func TestALeaseLostWithRedisAnsweringAsksToRaiseLeaseTTL(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const leaseTTL = time.Minute
	var logged logBuffer
	c := &clock{now: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)}
	cfg := Config{LeaseTTL: leaseTTL, Logger: slog.New(slog.NewTextHandler(&logged, nil))}
	l := newLimiter(t, srv.client(t), cfg, c)
	other := newLimiter(t, srv.client(t), Config{Tenant: cfg.Tenant, LeaseTTL: leaseTTL}, c)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	defer done()

	ctx := context.Background()
	answering(t, c, other, 2*leaseTTL) // the process paused past its lease
	d, err := other.Acquire(ctx)
	require.NoError(t, err)
	d()
	l.renew(ctx)
	assert.Equal(t, int64(1), l.Stats().LeasesLost)
	assert.Contains(t, logged.String(), "a running call's lease expired before it was renewed, though Redis answered; raise LeaseTTL")
}
