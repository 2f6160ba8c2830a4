package redislimit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
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
