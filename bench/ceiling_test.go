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

// ceilingLoad is one run of calls against the fake at a scaled tenant limit.
type ceilingLoad struct {
	calls      int
	goroutines int
	perWindow  int
	window     time.Duration
	inFlight   int
}

// The ceiling test's load: Marketo's 100 calls per 20 s and 10 in flight,
// with the window scaled down to 200 ms so that the ceiling is reached in
// seconds, 1,000 calls from 50 goroutines.
var longCeiling = ceilingLoad{calls: 1000, goroutines: 50, perWindow: 100, window: 200 * time.Millisecond, inFlight: 10}

// shortCeiling is the load of the check that runs in every go test: a
// third of the calls, half the window.
var shortCeiling = ceilingLoad{calls: 300, goroutines: 30, perWindow: 50, window: 100 * time.Millisecond, inFlight: 10}

// TestCallsAtTheCeilingRunOnce drives the fake at its (scaled) limits
// through a Limiter set to the same limits, without retries. The Limiter
// keeps the calls within the limits as the server counts them, so every call
// succeeds, the fake answers no limit fault, and it starts exactly one
// campaign run per call. It checks outcomes only, not speed;
// TestThroughputAtTheCeiling measures the rate.
func TestCallsAtTheCeilingRunOnce(t *testing.T) {
	t.Parallel()
	l, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: shortCeiling.perWindow, Window: shortCeiling.window, MaxInFlight: shortCeiling.inFlight})
	if err != nil {
		t.Fatal(err)
	}
	r := runCeiling(t, shortCeiling, marketo.WithLimiter(l), marketo.WithoutRetries())
	t.Logf("%d calls in %v, %d failed; faults seen by the server: %v", shortCeiling.calls, r.elapsed.Round(time.Millisecond), r.failed, r.faults)
	if r.failed > 0 || len(r.faults) > 0 {
		t.Errorf("%d calls failed, faults %v; want none", r.failed, r.faults)
	}
	if r.runs != shortCeiling.calls {
		t.Errorf("the fake started %d campaign runs for %d calls; want one each", r.runs, shortCeiling.calls)
	}
}

// TestThroughputAtTheCeiling makes 1,000 ScheduleCampaign calls from 50
// goroutines against the fake enforcing the scaled limits, once with a
// Limiter set to the same limits and once without (and without retries),
// and reports the rate the server saw against its ceiling and the faults.
// It asserts a rate, which a loaded machine cannot promise, so it runs only
// with MARKETO_BENCH_CEILING=1 (it takes a few seconds).
func TestThroughputAtTheCeiling(t *testing.T) {
	if os.Getenv("MARKETO_BENCH_CEILING") == "" || testing.Short() {
		t.Skip("set MARKETO_BENCH_CEILING=1 to run (takes a few seconds)")
	}
	load := longCeiling
	ceiling := float64(load.perWindow) / load.window.Seconds()

	t.Run("limiter", func(t *testing.T) {
		l, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: load.perWindow, Window: load.window, MaxInFlight: load.inFlight})
		if err != nil {
			t.Fatal(err)
		}
		r := runCeiling(t, load, marketo.WithLimiter(l), marketo.WithoutRetries())
		t.Logf("with Limiter: %d calls in %v, %d failed; faults: %v", load.calls, r.elapsed.Round(time.Millisecond), r.failed, r.faults)
		t.Logf("steady-state rate seen by the server %.1f calls/s = %.1f%% of the ceiling (%.0f calls/s); overall %.1f calls/s",
			r.steadyRate, 100*r.steadyRate/ceiling, ceiling, float64(load.calls)/r.elapsed.Seconds())
		if r.failed > 0 || len(r.faults) > 0 {
			t.Errorf("%d calls failed, faults %v; want none", r.failed, r.faults)
		}
		if r.steadyRate < 0.95*ceiling {
			t.Errorf("steady-state rate %.1f calls/s is below 95%% of the ceiling %.0f calls/s", r.steadyRate, ceiling)
		}
	})
	t.Run("naive", func(t *testing.T) {
		r := runCeiling(t, load, marketo.WithoutLimiter(), marketo.WithoutRetries())
		t.Logf("without Limiter or retries: %d calls in %v, %d failed; faults: %v", load.calls, r.elapsed.Round(time.Millisecond), r.failed, r.faults)
	})
}

type ceilingResult struct {
	elapsed    time.Duration
	failed     int
	runs       int                  // campaign runs the fake started
	faults     map[marketo.Code]int // fault code → count, as the server recorded them
	steadyRate float64              // calls/s after the first window's burst
}

func runCeiling(t *testing.T, load ceilingLoad, opts ...marketo.Option) ceilingResult {
	t.Helper()
	fake := marketotest.NewServer(marketotest.WithLimits(marketotest.Limits{
		CallsPerWindow: load.perWindow, Window: load.window, MaxInFlight: load.inFlight,
	}))
	defer fake.Close()
	c, err := marketo.NewClient(fake.Config(), opts...)
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
	for range load.goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(load.calls) {
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
	r := ceilingResult{elapsed: time.Since(start), failed: int(failed.Load()), runs: len(fake.Runs()), faults: map[marketo.Code]int{}}

	var ok []time.Time
	for _, req := range fake.Requests() {
		if req.FaultCode != 0 {
			r.faults[req.FaultCode]++
			continue
		}
		ok = append(ok, req.Time)
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].Before(ok[j]) })
	if n := len(ok); n > load.perWindow {
		r.steadyRate = float64(n-load.perWindow) / ok[n-1].Sub(ok[0]).Seconds()
	}
	return r
}
