package marketo

import (
	"context"
	"errors"
	"math"
	"runtime"
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

	calls := make([]*limiterCall, 100)
	for i := range calls {
		call, wait, _, err := l.reserve()
		require.NoError(t, err)
		require.NotNil(t, call, "call %d of 100 starts at once", i+1)
		require.Zero(t, wait)
		calls[i] = call
	}
	call, wait, _, err := l.reserve()
	require.NoError(t, err)
	require.Nil(t, call, "the 101st call in 20 s waits")
	assert.Zero(t, wait, "all 100 are running: it waits for an answer, not a timer")

	// Answers arrive 1 ms apart, in reverse order of the starts.
	for i := len(calls) - 1; i >= 0; i-- {
		c.Advance(time.Millisecond)
		l.slots <- struct{}{} // the call's end frees a slot; reserve does not take one
		calls[i].end()
	}
	firstAnswer := t0.Add(time.Millisecond)
	_, wait, _, _ = l.reserve()
	assert.Equal(t, firstAnswer.Add(20*time.Second).Sub(c.Now()), wait, "until the first answer is a window old")

	c.Advance(wait - time.Nanosecond)
	call, _, _, _ = l.reserve()
	require.Nil(t, call, "a nanosecond early")
	c.Advance(time.Nanosecond)
	call, _, _, _ = l.reserve()
	require.NotNil(t, call, "the first answer a window old frees room for one call")
	call, wait, _, _ = l.reserve()
	require.Nil(t, call, "for one only")
	assert.Equal(t, time.Millisecond, wait, "the next answer was 1 ms later")
	c.Advance(time.Millisecond)
	call, _, _, _ = l.reserve()
	assert.NotNil(t, call)

	// Every answer frees room for one call, once.
	c.Advance(time.Second)
	started := 0
	for {
		call, _, _, _ := l.reserve()
		if call == nil {
			break
		}
		started++
	}
	assert.Equal(t, 98, started)
}

func TestLimiterWaitsForARunningCallWhateverItsAge(t *testing.T) {
	t.Parallel()
	c := &manualClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	l, err := NewLimiter(LimiterConfig{CallsPerWindow: 1, Window: time.Second, Clock: c.Now})
	require.NoError(t, err)
	done, err := l.Acquire(context.Background())
	require.NoError(t, err)
	c.Advance(time.Hour)
	call, wait, ended, _ := l.reserve()
	assert.Nil(t, call, "a running call counts however long ago it started")
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

// TestLimiterMemoryDoesNotFollowItsLimits: a Limiter's memory follows the
// calls made, not the limits; NewLimiter with CallsPerWindow 1<<30 used to
// allocate 24 GiB for the window and die out of memory. (The byte bounds
// leave room for the tests running alongside, which the runtime counts
// too; the structure's own sizes are the precise check.)
func TestLimiterMemoryDoesNotFollowItsLimits(t *testing.T) {
	t.Parallel()
	huge := LimiterConfig{CallsPerWindow: 1 << 30, MaxInFlight: 1 << 30, DailyQuota: 1 << 62, ClonesPerDay: 1 << 30}
	var l *Limiter
	allocated := bytesAllocated(func() {
		var err error
		l, err = NewLimiter(huge)
		require.NoError(t, err)
	})
	assert.Less(t, allocated, uint64(64<<20), "NewLimiter allocated %d bytes", allocated)
	assert.Zero(t, cap(l.ends.ring), "nothing counts yet")

	// 1,000 calls, one at a time, all in one window: the memory follows
	// the 1,000 calls counting, and the one claim is reused.
	allocated = bytesAllocated(func() {
		for range 1000 {
			done, err := l.Acquire(context.Background())
			require.NoError(t, err)
			done()
		}
	})
	assert.Less(t, allocated, uint64(64<<20), "1,000 calls allocated %d bytes", allocated)
	assert.Equal(t, 1000, l.ends.len())
	assert.Equal(t, 1024, cap(l.ends.ring), "the ring grew with the calls")
	assert.Len(t, l.idle, 1, "one call at a time needs one claim")
}

// bytesAllocated returns the bytes of heap f allocated, as the runtime
// counts them (other goroutines' allocations are counted too, so a bound
// on it must leave room for them).
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestTimeQueueIsFirstInFirstOutAcrossGrowth(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var q timeQueue
	next, dropped := 0, 0
	for round := range 5 {
		for range 7 + round*5 { // grows while the head moves around the ring
			q.push(t0.Add(time.Duration(next) * time.Second))
			next++
		}
		q.dropUntil(t0.Add(time.Duration(dropped+2) * time.Second))
		dropped += 3
		first, ok := q.first()
		require.True(t, ok)
		assert.Equal(t, t0.Add(time.Duration(dropped)*time.Second), first, "round %d", round)
		assert.Equal(t, next-dropped, q.len())
	}
	q.dropUntil(t0.Add(time.Hour))
	_, ok := q.first()
	assert.False(t, ok)
	assert.Zero(t, q.len())
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
