package redislimit

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// TestRedisStoppedLongerThanLeaseTTLKeepsTheSlotsOfRunningCalls stops the
// Redis process (SIGSTOP) for three LeaseTTLs while one process's calls
// hold every in-flight slot at the server, and another process keeps
// asking for a slot. Redis's clock runs on while it is stopped, so the
// leases are past their expiry when it resumes; the first script after the
// pause must keep them for the live process to renew, not give their slots
// to the other process (an 11th call in flight at the server).
func TestRedisStoppedLongerThanLeaseTTLKeepsTheSlotsOfRunningCalls(t *testing.T) {
	t.Parallel()
	t.Run("SIGSTOP", func(t *testing.T) {
		t.Parallel()
		testRedisPausedUnderRunningCalls(t, func(srv *redisServer, d time.Duration) {
			require.NoError(t, srv.cmd.Process.Signal(syscall.SIGSTOP))
			time.Sleep(d)
			require.NoError(t, srv.cmd.Process.Signal(syscall.SIGCONT))
		})
	})
	// CLIENT PAUSE keeps Redis running but answering no script; a command
	// of a client that gave up meanwhile never runs, so no stale renewal
	// of the holder's runs first when the pause ends.
	t.Run("CLIENT PAUSE", func(t *testing.T) {
		t.Parallel()
		testRedisPausedUnderRunningCalls(t, func(srv *redisServer, d time.Duration) {
			rdb := srv.client(t)
			require.NoError(t, rdb.Do(context.Background(), "CLIENT", "PAUSE", d.Milliseconds(), "ALL").Err())
			time.Sleep(d)
		})
	})
}

func testRedisPausedUnderRunningCalls(t *testing.T, pause func(*redisServer, time.Duration)) {
	srv := startRedis(t)
	f := newFleet(t, restartLimits)
	release := f.fake.Stall()
	released := false
	defer func() {
		if !released {
			release()
		}
	}()
	const leaseTTL = 1500 * time.Millisecond
	cfg := Config{Tenant: t.Name(), CallsPerWindow: restartLimits.CallsPerWindow, Window: restartLimits.Window,
		MaxInFlight: restartLimits.MaxInFlight, LeaseTTL: leaseTTL, RedisTimeout: 100 * time.Millisecond}
	var clients []*marketo.Client
	var limiters []*Limiter
	for range 2 {
		l := newLimiter(t, srv.client(t), cfg, nil)
		c, err := marketo.NewClient(f.config(), marketo.WithLimiter(l), marketo.WithoutRetries())
		require.NoError(t, err)
		t.Cleanup(c.CloseIdleConnections)
		clients = append(clients, c)
		limiters = append(limiters, l)
	}
	holder, asker := clients[0], clients[1]

	r := &restartRun{}
	params := marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"}
	var wg sync.WaitGroup
	for range restartLimits.MaxInFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if _, err := holder.ScheduleCampaign(ctx, params); err != nil {
				r.other.Add(1)
				r.firstOther.CompareAndSwap(nil, err.Error())
				return
			}
			r.ok.Add(1)
		}()
	}
	waitFor(t, func() bool { return f.inFlight.Load() == int64(restartLimits.MaxInFlight) })

	stop := make(chan struct{})
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
				_, err := asker.ScheduleCampaign(ctx, params)
				cancel()
				if err != nil && !errors.Is(err, ErrUnavailable) && !errors.Is(err, context.DeadlineExceeded) {
					r.other.Add(1)
					r.firstOther.CompareAndSwap(nil, err.Error())
				}
				if errors.Is(err, ErrUnavailable) {
					time.Sleep(10 * time.Millisecond) // Redis is stopped: no busy loop
				}
			}
		}()
	}
	time.Sleep(leaseTTL / 2)
	pause(srv, 3*leaseTTL)
	// The holder's renewals reach Redis again, and the asker keeps asking.
	time.Sleep(2 * leaseTTL)
	assert.LessOrEqual(t, f.peak.Load(), int64(restartLimits.MaxInFlight), "calls in flight at the server after Redis resumed")

	release()
	released = true
	close(stop)
	wg.Wait()
	faults, _ := f.faults()
	assert.Empty(t, faults, "fault codes the server answered")
	assert.Zero(t, r.other.Load(), "calls that failed otherwise: first %v", r.firstOther.Load())
	assert.Equal(t, int64(restartLimits.MaxInFlight), r.ok.Load(), "the held calls succeed")
	assert.Zero(t, limiters[0].Stats().LeasesLost, "no lease of the running calls expired")
}

// TestScriptKeepsLeasesThroughAPauseOfRedis: Redis runs no script for three
// LeaseTTLs (stopped, its clock running on) while a call holds the only
// slot. The first script after the pause keeps the lease one LeaseTTL from
// then, time for its process to renew it, rather than give its slot away.
// That is also the bound on what it costs: a lease of a process that died
// before the pause (or a quiet fleet that looks paused) holds its slot at
// most one LeaseTTL past the first script after it.
func TestScriptKeepsLeasesThroughAPauseOfRedis(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Config{MaxInFlight: 1, LeaseTTL: 3 * time.Second}
	holder := newLimiter(t, srv.client(t), cfg, c)
	asker := newLimiter(t, srv.client(t), cfg, c)
	running := decideAt(t, holder)
	require.Equal(t, started, running.code)

	c.Advance(3 * cfg.LeaseTTL)
	u, err := asker.Usage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1), u.InFlight, "Usage, before any script after the pause, counts the lease")
	v := decideAt(t, asker)
	assert.Equal(t, waitInFlight, v.code, "the lease is kept through the pause")
	assert.Equal(t, cfg.LeaseTTL, v.wait, "for one LeaseTTL from the pause's end")

	// Not renewed (its process died), it expires one LeaseTTL after the
	// pause, with the asker's scripts less than half a lease apart.
	for range 2 {
		c.Advance(time.Second)
		assert.Equal(t, waitInFlight, decideAt(t, asker).code)
	}
	c.Advance(time.Second)
	assert.Equal(t, started, decideAt(t, asker).code, "the dead process's slot is back one LeaseTTL after the pause")
}

// TestScriptKeepsOnlyTheLeasesAPauseInterrupted: a lease that expired while
// Redis still ran scripts less than half a lease apart was a dead
// process's, even if no script dropped it before a pause: only the leases
// still valid when the pause began are kept, and renewed ones stay.
func TestScriptKeepsOnlyTheLeasesAPauseInterrupted(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	c := &clock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Config{MaxInFlight: 2, LeaseTTL: 3 * time.Second}
	dead := newLimiter(t, srv.client(t), cfg, c)
	live := newLimiter(t, srv.client(t), cfg, c)
	require.Equal(t, started, decideAt(t, dead).code)
	running := decideAt(t, live)
	require.Equal(t, started, running.code)
	live.leases[running.id] = running.epoch
	defer func() { live.release(running.id) }()

	// Only renewals run (they drop no lease); the dead lease expires at 3 s.
	for range 4 {
		c.Advance(time.Second)
		require.True(t, live.renew(context.Background()))
	}
	c.Advance(3 * cfg.LeaseTTL)
	v := decideAt(t, dead)
	assert.Equal(t, started, v.code, "the lease that expired before the pause gave its slot back")
	assert.Equal(t, int64(2), v.inFlight, "the live lease, kept through the pause, and the new call")
	dead.releaseUnused(v.id)
	assert.True(t, live.renew(context.Background()))
	assert.Zero(t, live.Stats().LeasesLost, "the live process's lease was kept")
	delete(live.leases, running.id)
}

// TestAFailedRenewalIsTriedAgainAfterRedisTimeout: a renewal that Redis
// did not answer is tried again once RedisTimeout has passed, not at the
// next tick, so a renewal is waiting when Redis answers again and lands well
// within the LeaseTTL for which a pause's leases are kept.
func TestAFailedRenewalIsTriedAgainAfterRedisTimeout(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	rdb := srv.client(t)
	// The ticker's renewals (every 10 s) stay out of the test.
	l := newLimiter(t, srv.client(t), Config{LeaseTTL: time.Minute, RedisTimeout: 100 * time.Millisecond}, nil)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	defer done()
	var id string
	l.mu.Lock()
	for id = range l.leases {
	}
	l.mu.Unlock()
	ctx := context.Background()
	before, err := rdb.ZScore(ctx, l.keys.leases, id).Result()
	require.NoError(t, err)

	require.NoError(t, rdb.Do(ctx, "CLIENT", "PAUSE", 1000, "ALL").Err())
	l.renewNow <- struct{}{} // a renewal while Redis answers no one
	waitFor(t, func() bool { return l.Stats().RedisErrors > 0 })
	deadline := time.Now().Add(5 * time.Second) // half the ticker's period
	for {
		after, err := rdb.ZScore(ctx, l.keys.leases, id).Result()
		require.NoError(t, err)
		if after > before {
			break
		}
		require.True(t, time.Now().Before(deadline), "the lease renewed once Redis answered again")
		time.Sleep(20 * time.Millisecond)
	}
}
