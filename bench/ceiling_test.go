package bench

import (
	"context"
	"errors"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// The tenant limits of the ceiling test: Marketo's 100 calls per 20 s and 10
// in flight, with the window scaled down to 200 ms so that the ceiling is
// reached in seconds.
const (
	ceilingCalls      = 1000
	ceilingGoroutines = 50
	ceilingPerWindow  = 100
	ceilingWindow     = 200 * time.Millisecond
	ceilingInFlight   = 10
)

// TestThroughputAtTheCeiling makes 1,000 ScheduleCampaign calls from 50
// goroutines against the fake enforcing the scaled limits, once with a
// Limiter set to the same limits and once without (and without retries),
// and reports the rate the server saw against its ceiling and the faults.
// It takes a few seconds, so it runs only with MARKETO_BENCH_CEILING=1.
func TestThroughputAtTheCeiling(t *testing.T) {
	if os.Getenv("MARKETO_BENCH_CEILING") == "" || testing.Short() {
		t.Skip("set MARKETO_BENCH_CEILING=1 to run (takes a few seconds)")
	}
	ceiling := float64(ceilingPerWindow) / ceilingWindow.Seconds()

	t.Run("limiter", func(t *testing.T) {
		l, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: ceilingPerWindow, Window: ceilingWindow, MaxInFlight: ceilingInFlight})
		if err != nil {
			t.Fatal(err)
		}
		r := runCeiling(t, marketo.WithLimiter(l))
		t.Logf("with Limiter: %d calls in %v, %d failed; faults: %v", ceilingCalls, r.elapsed.Round(time.Millisecond), r.failed, r.faults)
		t.Logf("steady-state rate seen by the server %.1f calls/s = %.1f%% of the ceiling (%.0f calls/s); overall %.1f calls/s",
			r.steadyRate, 100*r.steadyRate/ceiling, ceiling, float64(ceilingCalls)/r.elapsed.Seconds())
		if r.failed > 0 || len(r.faults) > 0 {
			t.Errorf("%d calls failed, faults %v; want none", r.failed, r.faults)
		}
		if r.steadyRate < 0.95*ceiling {
			t.Errorf("steady-state rate %.1f calls/s is below 95%% of the ceiling %.0f calls/s", r.steadyRate, ceiling)
		}
	})
	t.Run("naive", func(t *testing.T) {
		r := runCeiling(t, marketo.WithoutLimiter())
		t.Logf("without Limiter or retries: %d calls in %v, %d failed; faults: %v", ceilingCalls, r.elapsed.Round(time.Millisecond), r.failed, r.faults)
	})
}

type ceilingResult struct {
	elapsed    time.Duration
	failed     int
	faults     map[marketo.Code]int // fault code → count, as the server recorded them
	steadyRate float64              // calls/s after the first window's burst
}

func runCeiling(t *testing.T, opt marketo.Option) ceilingResult {
	t.Helper()
	fake := marketotest.NewServer(marketotest.WithLimits(marketotest.Limits{
		CallsPerWindow: ceilingPerWindow, Window: ceilingWindow, MaxInFlight: ceilingInFlight,
	}))
	defer fake.Close()
	c, err := marketo.NewClient(fake.Config(), opt, marketo.WithoutRetries())
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	p := marketo.ScheduleCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Batch Campaign Example",
		Tokens:       []marketo.Token{{Name: "{{my.message}}", Value: "Hello"}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range ceilingGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= ceilingCalls {
				if _, err := c.ScheduleCampaign(ctx, p); err != nil {
					var f *marketo.Fault
					if !errors.As(err, &f) {
						t.Errorf("call failed without a fault: %v", err)
					}
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	r := ceilingResult{elapsed: time.Since(start), failed: int(failed.Load()), faults: map[marketo.Code]int{}}

	var ok []time.Time
	for _, req := range fake.Requests() {
		if req.FaultCode != 0 {
			r.faults[req.FaultCode]++
			continue
		}
		ok = append(ok, req.Time)
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].Before(ok[j]) })
	if n := len(ok); n > ceilingPerWindow {
		r.steadyRate = float64(n-ceilingPerWindow) / ok[n-1].Sub(ok[0]).Seconds()
	}
	return r
}
