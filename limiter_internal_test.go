package marketo

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manualClock is a settable clock for a Limiter's decisions.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestLimiterDefaultsAreMarketosLimits(t *testing.T) {
	t.Parallel()
	assert.Equal(t, LimiterConfig{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 10000, ClonesPerDay: 10}, SOAPLimits())
	assert.Equal(t, LimiterConfig{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 50000, ClonesPerDay: 20}, RESTLimits())
	l, err := NewLimiter(LimiterConfig{})
	require.NoError(t, err)
	l.cfg.Clock = nil
	assert.Equal(t, SOAPLimits(), l.cfg)
	assert.Equal(t, 10, cap(l.slots))

	for a, want := range map[api]LimiterConfig{apiSOAP: SOAPLimits(), apiREST: RESTLimits()} {
		l := defaultLimiter(a).(*Limiter)
		l.cfg.Clock = nil
		assert.Equal(t, want, l.cfg, "default limiter of %v", a)
	}

	_, err = NewLimiter(LimiterConfig{CallsPerWindow: -1, Window: -1, DailyQuota: -1})
	assert.EqualError(t, err, "marketo: NewLimiter: CallsPerWindow, DailyQuota, Window must not be negative")
}

// TestLimiterWindowCountsFromStartUntilAWindowAfterTheAnswer pins the
// window's decisions on a manual clock: which call frees room, when, and
// how long the next call is told to wait.
func TestLimiterWindowCountsFromStartUntilAWindowAfterTheAnswer(t *testing.T) {
	t.Parallel()
	c := &manualClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l, err := NewLimiter(LimiterConfig{Clock: c.Now}) // Marketo's 100 in 20 s
	require.NoError(t, err)
	t0 := c.Now()

	entries := make([]int, 100)
	for i := range entries {
		e, wait, _, err := l.reserve()
		require.NoError(t, err)
		require.GreaterOrEqual(t, e, 0, "call %d of 100 starts at once", i+1)
		require.Zero(t, wait)
		entries[i] = e
	}
	e, wait, _, err := l.reserve()
	require.NoError(t, err)
	require.Equal(t, -1, e, "the 101st call in 20 s waits")
	assert.Zero(t, wait, "all 100 are running: it waits for an answer, not a timer")

	// Answers arrive 1 ms apart, in reverse order of the starts.
	for i := len(entries) - 1; i >= 0; i-- {
		c.Advance(time.Millisecond)
		l.slots <- struct{}{} // the slot end frees; reserve does not take one
		l.end(entries[i])
	}
	firstAnswer := t0.Add(time.Millisecond)
	_, wait, _, _ = l.reserve()
	assert.Equal(t, firstAnswer.Add(20*time.Second).Sub(c.Now()), wait, "until the first answer is a window old")

	c.Advance(wait)
	e, _, _, _ = l.reserve()
	assert.Equal(t, entries[len(entries)-1], e, "the call answered first frees its entry first")
	_, wait, _, _ = l.reserve()
	assert.Equal(t, time.Millisecond, wait, "the next answer was 1 ms later")
	c.Advance(time.Millisecond)
	e, _, _, _ = l.reserve()
	assert.Equal(t, entries[len(entries)-2], e)

	// Every entry frees in turn, never one twice.
	c.Advance(time.Second)
	seen := map[int]bool{}
	for {
		e, _, _, _ := l.reserve()
		if e < 0 {
			break
		}
		require.False(t, seen[e], "entry %d handed out twice", e)
		seen[e] = true
	}
	assert.Len(t, seen, 98)
}

func TestLimiterWaitsForARunningCallWhateverItsAge(t *testing.T) {
	t.Parallel()
	c := &manualClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l, err := NewLimiter(LimiterConfig{CallsPerWindow: 1, Window: time.Second, Clock: c.Now})
	require.NoError(t, err)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	c.Advance(time.Hour)
	e, wait, ended, _ := l.reserve()
	assert.Equal(t, -1, e, "a running call counts however long ago it started")
	assert.Zero(t, wait)
	done()
	select {
	case <-ended:
	default:
		t.Fatal("the answer did not wake the waiters")
	}
	_, wait, _, _ = l.reserve()
	assert.Equal(t, time.Second, wait, "one window from the answer")
	done() // a second call is ignored
	assert.Equal(t, 0, len(l.slots))
}

func TestLimiterKeepsTheDailyQuota(t *testing.T) {
	t.Parallel()
	c := &manualClock{now: time.Date(2026, 12, 2, 5, 59, 0, 0, time.UTC)} // 23:59 CST
	l, err := NewLimiter(LimiterConfig{DailyQuota: 2, Clock: c.Now})
	require.NoError(t, err)
	for range 2 {
		done, err := l.Acquire(context.Background())
		require.NoError(t, err)
		done()
	}
	_, err = l.Acquire(context.Background())
	require.ErrorIs(t, err, ErrDailyQuotaExceeded)
	assert.EqualError(t, err, "the daily quota of calls is used up: 2 calls made today (US Central); the quota resets at 2026-12-02T00:00:00-06:00")
	var oc outcomeClassifier
	require.True(t, errors.As(err, &oc))
	assert.Equal(t, outcomeRefused, oc.outcome(), "retrying before the reset is futile")
	assert.Equal(t, 0, len(l.slots), "the refused call gave its slot back")

	c.Advance(time.Minute)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err, "a new US Central day brings a new quota")
	done()
}

// BenchmarkLimiterAcquire is the Limiter's bookkeeping per call when
// nothing waits: Marketo's 100 calls per window, each window entry ending
// long ago.
func BenchmarkLimiterAcquire(b *testing.B) {
	l, err := NewLimiter(LimiterConfig{CallsPerWindow: 100, Window: time.Nanosecond, MaxInFlight: 10, DailyQuota: math.MaxInt})
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		done, err := l.Acquire(ctx)
		if err != nil {
			b.Fatal(err)
		}
		done()
	}
}
