package marketotest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

const listSources = `<ns1:paramsGetCampaignsForSource><source>MKTOWS</source></ns1:paramsGetCampaignsForSource>`

func TestDefaultLimits(t *testing.T) {
	t.Parallel()
	assert.Equal(t, Limits{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 10000, DailyClones: 10}, DefaultLimits())
}

func TestRateLimitTripsAtCall101(t *testing.T) {
	t.Parallel()
	srv, clock := newTestServer(t)
	for i := 0; i < 100; i++ {
		requireSuccess(t, call(t, srv, listSources))
		if i%10 == 9 {
			clock.Advance(time.Second) // 100 calls spread over 10 s
		}
	}
	requireFault(t, call(t, srv, listSources), marketo.CodeRateLimitExceeded)
	// Refused calls are not counted: once the first 10 calls leave the
	// rolling window, exactly 10 more fit.
	clock.Set(t0.Add(20 * time.Second))
	for i := 0; i < 10; i++ {
		requireSuccess(t, call(t, srv, listSources))
	}
	requireFault(t, call(t, srv, listSources), marketo.CodeRateLimitExceeded)
	assert.Equal(t, 110, srv.Usage().CallsToday)
}

func TestUnauthenticatedCallsDoNotCount(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t, WithLimits(Limits{CallsPerWindow: 2, Window: 20 * time.Second}))
	for i := 0; i < 5; i++ {
		requireFault(t, post(t, srv, envelopeAt("x", "y", srv.Now(), listSources)), marketo.CodeAuthenticationFailed)
	}
	requireSuccess(t, call(t, srv, listSources))
	requireFault(t, call(t, srv, schedule("Nope", "Nope", "")), marketo.CodeCampaignNotFound) // counted: authenticated
	requireFault(t, call(t, srv, listSources), marketo.CodeRateLimitExceeded)
}

func TestDailyQuotaResetsAtMidnightChicago(t *testing.T) {
	t.Parallel()
	chicagoLate := time.Date(2026, 3, 10, 23, 59, 50, 0, central)
	srv, clock := newTestServer(t, WithLimits(Limits{DailyQuota: 3}))
	clock.Set(chicagoLate)
	for i := 0; i < 3; i++ {
		requireSuccess(t, call(t, srv, listSources))
	}
	f := requireFault(t, call(t, srv, listSources), marketo.CodeRequestLimitExceeded)
	assert.Contains(t, f.Message, "3 calls a day")
	clock.Advance(10 * time.Second) // 00:00:00 in Chicago
	requireSuccess(t, call(t, srv, listSources))
	assert.Equal(t, 1, srv.Usage().CallsToday)
}

func TestDailyQuotaDoesNotResetAtMidnightUTC(t *testing.T) {
	t.Parallel()
	srv, clock := newTestServer(t, WithLimits(Limits{DailyQuota: 1}))
	clock.Set(time.Date(2026, 3, 10, 23, 59, 50, 0, time.UTC))
	requireSuccess(t, call(t, srv, listSources))
	clock.Advance(20 * time.Second) // next day in UTC, still the same day in Chicago
	requireFault(t, call(t, srv, listSources), marketo.CodeRequestLimitExceeded)
}

func TestEleventhCloneOfTheDayIsRefused(t *testing.T) {
	t.Parallel()
	srv, clock := newTestServer(t)
	clone := func(i int) string {
		return schedule("Trav-Demo-Program", "Batch Campaign Example", "<cloneToProgramName>Clone "+string(rune('A'+i))+"</cloneToProgramName>")
	}
	for i := 0; i < 10; i++ {
		requireSuccess(t, call(t, srv, clone(i)))
	}
	f := requireFault(t, call(t, srv, clone(10)), marketo.CodeRequestLimitExceeded)
	assert.Contains(t, f.Message, "cloneToProgramName")
	// Scheduling without a clone still works.
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "")))
	clock.Advance(24 * time.Hour)
	requireSuccess(t, call(t, srv, clone(10)))
	assert.Equal(t, 1, srv.Usage().ClonesToday)
}

func TestInFlightLimit(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	release := srv.Stall()
	var wg sync.WaitGroup
	results := make([]response, 10)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = call(t, srv, listSources)
		}()
	}
	require.Eventually(t, func() bool { return srv.Usage().InFlight == 10 }, 10*time.Second, time.Millisecond)
	requireFault(t, call(t, srv, listSources), marketo.CodeConcurrencyLimitExceeded)
	release()
	wg.Wait()
	for _, r := range results {
		requireSuccess(t, r)
	}
	assert.Equal(t, 0, srv.Usage().InFlight)
	requireSuccess(t, call(t, srv, listSources))
}

func TestLimitsCanBeDisabled(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t, WithLimits(Limits{}))
	for i := 0; i < 150; i++ {
		requireSuccess(t, call(t, srv, listSources))
	}
}

// TestRateWindowToleratesOutOfOrderArrivals counts calls timed before a
// later one took the lock: an expired entry behind a fresh one must not be
// counted.
func TestRateWindowToleratesOutOfOrderArrivals(t *testing.T) {
	t.Parallel()
	l := &limiter{l: Limits{CallsPerWindow: 2, Window: time.Second}}
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	require.Nil(t, l.admit(t0.Add(500*time.Millisecond)))
	require.Nil(t, l.admit(t0)) // timed earlier, admitted later
	// At t0+1.2s the call at t0 has left the window; the one at +0.5s has not.
	assert.Nil(t, l.admit(t0.Add(1200*time.Millisecond)))
	assert.NotNil(t, l.admit(t0.Add(1300*time.Millisecond)), "two calls are in the window")
}
