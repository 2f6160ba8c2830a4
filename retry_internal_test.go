package marketo

import (
	"testing"
	"time"
)

// TestBackoffGrowsExponentiallyWithEqualJitter samples the wait after each
// failed attempt: it lies between half and all of BaseDelay·2^(n-1), and the
// samples spread over that whole range (with 2,000 samples, missing the lowest
// or the highest eighth of it by chance has probability (7/8)^2000 ≈ 1e-116).
func TestBackoffGrowsExponentiallyWithEqualJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Hour}
	steps := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond}
	for i, step := range steps {
		n := i + 1
		lo, hi := sampleBackoff(p, n, 0, 2000)
		if lo < step/2 || hi > step {
			t.Errorf("backoff(%d): waits from %v to %v, want within [%v, %v]", n, lo, hi, step/2, step)
		}
		if lo > step/2+step/16 || hi < step-step/16 {
			t.Errorf("backoff(%d): waits from %v to %v do not spread over [%v, %v]", n, lo, hi, step/2, step)
		}
	}
}

func TestBackoffIsCappedAtMaxDelay(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: 5 * time.Second}
	// 1 s, 2 s, 4 s, then 8 s capped to 5 s: waits between 2.5 s and 5 s.
	lo, hi := sampleBackoff(p, 3, 0, 500)
	if lo < 2*time.Second || hi > 4*time.Second {
		t.Errorf("backoff(3): waits from %v to %v, want within [2s, 4s]", lo, hi)
	}
	for _, n := range []int{4, 5, 31, 32, 64, 1 << 20} {
		lo, hi := sampleBackoff(p, n, 0, 500)
		if lo < 2500*time.Millisecond || hi > 5*time.Second {
			t.Errorf("backoff(%d): waits from %v to %v, want within [2.5s, 5s]", n, lo, hi)
		}
	}
	// A base that doubles to exactly 2^64 wraps to a step of 0: capped too,
	// not a wait of nothing.
	pow2 := RetryPolicy{MaxAttempts: 100, BaseDelay: 1 << 34, MaxDelay: time.Hour}
	if lo, hi := sampleBackoff(pow2, 31, 0, 200); lo < 30*time.Minute || hi > time.Hour {
		t.Errorf("base 2^34 ns, backoff(31): waits from %v to %v, want within [30m, 1h]", lo, hi)
	}
	// A base whose doubling overflows int64 is capped too, not wrapped.
	huge := RetryPolicy{MaxAttempts: 100, BaseDelay: 1000 * time.Hour, MaxDelay: 2000 * time.Hour}
	for n := 2; n <= 100; n++ {
		lo, hi := sampleBackoff(huge, n, 0, 20)
		if lo < 1000*time.Hour || hi > 2000*time.Hour {
			t.Errorf("huge base, backoff(%d): waits from %v to %v, want within [1000h, 2000h]", n, lo, hi)
		}
	}
}

func TestBackoffHonoursRetryAfterWithinMaxDelay(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: 10 * time.Second}
	cases := []struct {
		n          int
		retryAfter time.Duration
		lo, hi     time.Duration
	}{
		{1, 3 * time.Second, 3 * time.Second, 3 * time.Second},                // longer than the backoff: wins
		{1, 10 * time.Second, 10 * time.Second, 10 * time.Second},             // equal to the cap
		{1, time.Hour, 10 * time.Second, 10 * time.Second},                    // capped at MaxDelay
		{2, time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}, // shorter: the backoff wins
	}
	for _, tc := range cases {
		lo, hi := sampleBackoff(p, tc.n, tc.retryAfter, 200)
		if lo < tc.lo || hi > tc.hi {
			t.Errorf("backoff(%d, Retry-After %v): waits from %v to %v, want within [%v, %v]", tc.n, tc.retryAfter, lo, hi, tc.lo, tc.hi)
		}
	}
}

// sampleBackoff returns the shortest and longest of count waits.
func sampleBackoff(p RetryPolicy, n int, retryAfter time.Duration, count int) (lo, hi time.Duration) {
	lo = time.Duration(1<<63 - 1)
	for range count {
		d := p.backoff(n, retryAfter)
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}
