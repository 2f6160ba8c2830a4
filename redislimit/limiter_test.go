package redislimit

import (
	"context"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// span is one call as the test saw it: from Acquire's return to just before
// done. Redis counted it from before the start to after the end.
type span struct{ start, end time.Time }

// maxInWindow returns the most calls that counted at one instant in the
// sense of the limit: started, and not ended one window earlier.
func maxInWindow(spans []span, window time.Duration) int {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start.Before(spans[j].start) })
	most := 0
	for _, s := range spans {
		n := 0
		for _, o := range spans {
			if !o.start.After(s.start) && o.end.Add(window).After(s.start) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

func TestLimitersOfManyProcessesShareTheLimits(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const (
		processes, goroutines, callsEach = 6, 8, 5
		perWindow, window, inFlight      = 40, 200 * time.Millisecond, 4
	)
	cfg := Config{Tenant: t.Name(), CallsPerWindow: perWindow, Window: window, MaxInFlight: inFlight, LeaseTTL: 3 * time.Second, RedisTimeout: time.Second}
	var running, peak atomic.Int64
	var mu sync.Mutex
	var spans []span
	var wg sync.WaitGroup
	for range processes {
		l := newLimiter(t, srv.client(t), cfg, nil)
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range callsEach {
					done, err := l.Acquire(context.Background())
					if !assert.NoError(t, err) {
						return
					}
					s := span{start: time.Now()}
					n := running.Add(1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
					running.Add(-1)
					s.end = time.Now()
					done()
					mu.Lock()
					spans = append(spans, s)
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	require.Len(t, spans, processes*goroutines*callsEach)
	assert.Equal(t, int64(inFlight), peak.Load(), "calls ran MaxInFlight at once, never more")
	assert.LessOrEqual(t, maxInWindow(spans, window), perWindow)
	assert.Equal(t, perWindow, maxInWindow(spans, window), "the window filled up")
}

func TestAWaiterWakesWhenAnotherProcessEndsACall(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	// A lease far longer than the test's deadline: only the wake-up that
	// Redis publishes when a call ends can let the waiter start in time.
	cfg := Config{Tenant: t.Name(), MaxInFlight: 1, LeaseTTL: time.Hour}
	a := newLimiter(t, srv.client(t), cfg, nil)
	b := newLimiter(t, srv.client(t), cfg, nil)
	done, err := a.Acquire(context.Background())
	require.NoError(t, err)

	got := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		d, err := b.Acquire(ctx)
		if err == nil {
			d()
		}
		got <- err
	}()
	waitFor(t, func() bool { return b.Stats().WaitsForInFlight > 0 })
	done()
	require.NoError(t, <-got)
	s := b.Stats()
	assert.Equal(t, int64(1), s.Started)
	assert.Equal(t, int64(1), s.Waited)
	assert.Equal(t, int64(0), s.Waiting)
	assert.Equal(t, int64(0), s.InFlight)
}

func TestAcquireHonoursContextWhileWaiting(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	l := newLimiter(t, srv.client(t), Config{MaxInFlight: 1, LeaseTTL: time.Hour}, nil)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	defer done()

	// Several waiters: one asks Redis, the others queue in the process.
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := l.Acquire(ctx)
			errs <- err
		}()
	}
	waitFor(t, func() bool { return l.Stats().Waiting == 3 && l.Stats().WaitsForInFlight > 0 })
	cancel()
	for range 3 {
		assert.ErrorIs(t, <-errs, context.Canceled)
	}
	assert.Equal(t, int64(0), l.Stats().Waiting)
	_, err = l.Acquire(ctx)
	assert.ErrorIs(t, err, context.Canceled, "a done context is refused before Redis is asked")
	_, err = l.ReserveClone(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRedisDownFailsClosed(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	// A short Window and LeaseTTL: the Redis that comes back is empty, and
	// assumes the tenant's window and slots full for that long.
	l := newLimiter(t, srv.client(t), Config{Window: 200 * time.Millisecond, LeaseTTL: 300 * time.Millisecond, RedisTimeout: 100 * time.Millisecond}, nil)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	srv.stop()
	done() // the release fails; the lease would expire on its own

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = l.Acquire(ctx)
	var ue *UnavailableError
	require.ErrorAs(t, err, &ue)
	assert.ErrorIs(t, err, ErrUnavailable)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context did not end")
	assert.Equal(t, "acquire", ue.Op)
	_, err = l.ReserveClone(ctx)
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "clone", ue.Op)
	assert.Positive(t, l.Stats().RedisErrors)

	srv.restart()
	waitFor(t, func() bool {
		d, err := l.Acquire(ctx)
		if err == nil {
			d()
		}
		return err == nil
	})
}

func TestRedisDownFallsBackToAShare(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const window = 300 * time.Millisecond
	l := newLimiter(t, srv.client(t), Config{MaxInFlight: 4, Window: window, LeaseTTL: 300 * time.Millisecond,
		FallbackShare: 2, RedisTimeout: 100 * time.Millisecond}, nil)
	srv.stop()

	began := time.Now()
	var dones []func()
	for range 2 {
		d, err := l.Acquire(context.Background())
		require.NoError(t, err, "the fallback keeps its share")
		dones = append(dones, d)
	}
	assert.GreaterOrEqual(t, time.Since(began), window,
		"the fallback lets nothing start for one Window: it cannot know what Redis let start just before")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := l.Acquire(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "a third call waits: 2 of 4 in flight are this process's share")
	for _, d := range dones {
		d()
	}
	assert.Equal(t, int64(2), l.Stats().Fallbacks)
	_, err = l.ReserveClone(context.Background())
	assert.ErrorIs(t, err, ErrUnavailable, "clones are refused without Redis, fallback or not")
}

// TestTheFallbackHoldsItsSlotsWhileACallOfTheFleetMayRun: at the switch to
// the fallback, calls Redis let start in other processes may run at Marketo
// until Marketo ends them (marketo.AbandonedCallHold), however short the
// LeaseTTL: the fallback's in-flight share stays taken that long.
func TestTheFallbackHoldsItsSlotsWhileACallOfTheFleetMayRun(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	l, err := New(srv.client(t), Config{Tenant: t.Name(), MaxInFlight: 1, Window: 100 * time.Millisecond,
		LeaseTTL: 300 * time.Millisecond, RedisTimeout: 100 * time.Millisecond, FallbackShare: 1})
	require.NoError(t, err)
	defer l.Close()
	assert.Equal(t, marketo.AbandonedCallHold, l.callBound)
	srv.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, err = l.Acquire(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "five LeaseTTLs after the switch, the slot is still held")
	assert.Zero(t, l.Stats().Fallbacks)
}

func TestConfigIsChecked(t *testing.T) {
	t.Parallel()
	_, err := New(nil, Config{Tenant: "t"})
	assert.EqualError(t, err, "redislimit: New: Redis client is nil")
	srv := startRedis(t)
	rdb := srv.client(t)
	_, err = New(rdb, Config{CallsPerWindow: -1, Window: 1500 * time.Microsecond, FallbackShare: -1, LeaseTTL: time.Second})
	assert.EqualError(t, err, "redislimit: Config: Tenant is required; CallsPerWindow must not be negative; FallbackShare must not be negative; "+
		"Window must be whole milliseconds (Redis keeps milliseconds), got 1.5ms; "+
		"LeaseTTL (1s) must be at least 3 x RedisTimeout (500ms), so a renewal lands before the lease expires")
	l, err := New(rdb, Config{Tenant: "t"})
	require.NoError(t, err)
	defer func() {
		require.NoError(t, l.Close())
		require.NoError(t, l.Close(), "twice")
		_, err := l.Acquire(context.Background())
		assert.ErrorIs(t, err, ErrClosed)
		_, err = l.ReserveClone(context.Background())
		assert.ErrorIs(t, err, ErrClosed)
	}()
	assert.Equal(t, Config{Tenant: "t", CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 10000,
		ClonesPerDay: 10, LeaseTTL: 10 * time.Second, RedisTimeout: 500 * time.Millisecond}, withoutLogger(l.cfg))
}

func withoutLogger(c Config) Config { c.Logger = nil; return c }

// waitFor polls cond, which watches the code under test, until it holds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 30 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestATenantWithABraceIsRefused: the tenant is the hash tag of the keys,
// so a brace in it would split them over Redis Cluster slots, and every
// script would fail with CROSSSLOT. New refuses it, naming the field.
func TestATenantWithABraceIsRefused(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	for _, tenant := range []string{"}284-RPR-133", "284-RPR-133}", "284-{RPR}-133", "{"} {
		_, err := New(srv.client(t), Config{Tenant: tenant})
		assert.EqualError(t, err, `redislimit: Config: Tenant must not contain '{' or '}' (it is the hash tag of the tenant's Redis keys), got "`+tenant+`"`)
	}
}

// TestASlotIsHeldUntilDoneAfterTheCallersContextEnds: the client calls
// done up to marketo.AbandonedCallHold after it gave up on a call that may
// still run at Marketo; until then the lease is renewed, whatever became of
// the context the call was acquired with.
func TestASlotIsHeldUntilDoneAfterTheCallersContextEnds(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const leaseTTL = 600 * time.Millisecond
	cfg := Config{MaxInFlight: 1, LeaseTTL: leaseTTL, RedisTimeout: 100 * time.Millisecond}
	a := newLimiter(t, srv.client(t), cfg, nil)
	b := newLimiter(t, srv.client(t), cfg, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done, err := a.Acquire(ctx)
	require.NoError(t, err)
	cancel()

	time.Sleep(3 * leaseTTL)
	wctx, wcancel := context.WithTimeout(context.Background(), leaseTTL)
	_, err = b.Acquire(wctx)
	wcancel()
	require.ErrorIs(t, err, context.DeadlineExceeded, "the slot is still held, three LeaseTTLs after the caller's context ended")
	assert.Zero(t, a.Stats().LeasesLost)

	done()
	wctx, wcancel = context.WithTimeout(context.Background(), time.Minute)
	defer wcancel()
	d, err := b.Acquire(wctx)
	require.NoError(t, err, "done frees it")
	d()
}

// TestARenewalNeverMakesTheLeaseOfAnEndedCallAgain: a renewal makes the
// leases Redis no longer has again (Redis may have lost them), so a call
// that ends while a renewal is on its way must not have its lease made
// again: its slot would stay taken for a LeaseTTL with nothing running.
func TestARenewalNeverMakesTheLeaseOfAnEndedCallAgain(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	l := newLimiter(t, srv.client(t), Config{CallsPerWindow: 1 << 20, Window: time.Millisecond, MaxInFlight: 1 << 10, LeaseTTL: time.Minute}, nil)
	stop := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		for {
			select {
			case <-stop:
				return
			default:
				l.renew(context.Background())
			}
		}
	}()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				done, err := l.Acquire(context.Background())
				if !assert.NoError(t, err) {
					return
				}
				done()
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-renewed
	u, err := l.Usage(context.Background())
	require.NoError(t, err)
	assert.Zero(t, u.InFlight, "leases left in Redis after every call ended")
}

// TestASecondSwitchToTheFallbackHoldsItsShareFromThatSwitch: Redis answers
// between two outages; at the second switch the calls Redis let start
// meanwhile may still run, so the hold of the fallback's in-flight share,
// still on from the first switch, lasts from the second, without a moment
// free between the two for a caller waiting on the share.
func TestASecondSwitchToTheFallbackHoldsItsShareFromThatSwitch(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const hold = 600 * time.Millisecond
	l := newLimiter(t, srv.client(t), Config{MaxInFlight: 1, Window: 50 * time.Millisecond, LeaseTTL: hold,
		RedisTimeout: 100 * time.Millisecond, FallbackShare: 1}, nil)
	first := time.Now()
	l.fallbackGate()
	waitFor(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		done, err := l.fallback.Acquire(ctx)
		if err == nil {
			done()
		}
		return err != nil
	})
	time.Sleep(time.Until(first.Add(200 * time.Millisecond)))
	l.redisAnswered()
	second := time.Now()
	l.fallbackGate()

	// A caller waits on the share across the first switch's end.
	ctx, cancel := context.WithDeadline(context.Background(), second.Add(hold-100*time.Millisecond))
	defer cancel()
	done, err := l.fallback.Acquire(ctx)
	if err == nil {
		done()
	}
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the share was free between the two holds")
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done, err = l.fallback.Acquire(ctx)
	require.NoError(t, err, "given back after the second switch's hold")
	assert.GreaterOrEqual(t, time.Since(second), hold)
	done()
}
