package marketotest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultRESTLimits(t *testing.T) {
	t.Parallel()
	assert.Equal(t, Limits{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 50000, DailyClones: 20}, DefaultRESTLimits())
}

func TestRESTRateLimitTripsAtCall101(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	tok := getToken(t, srv)
	for i := range 100 {
		requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
		if i%10 == 9 {
			clock.Advance(time.Second)
		}
	}
	errs := requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "606")
	assert.Equal(t, "Max rate limit '100' exceeded with in '20' secs", errs[0].Message)
	requireSuccess(t, call(t, srv, listSources)) // SOAP counts apart
	clock.Set(t0.Add(20 * time.Second))
	for range 10 {
		requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
	}
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "606")
	assert.Equal(t, 110, srv.RESTUsage().CallsToday)
	assert.Equal(t, 1, srv.Usage().CallsToday)
}

func TestRESTConcurrencyLimitTripsAtCall11(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	release := srv.Stall()
	var wg sync.WaitGroup
	answers := make(chan restResp, 10)
	for range 10 {
		wg.Go(func() { answers <- restGet(t, srv, tok, "/rest/v1/campaigns.json") })
	}
	require.Eventually(t, func() bool { return srv.RESTUsage().InFlight == 10 }, 10*time.Second, time.Millisecond)
	errs := requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "615")
	assert.Equal(t, "Concurrent access limit reached", errs[0].Message)
	release()
	wg.Wait()
	close(answers)
	for r := range answers {
		requireRESTSuccess(t, r)
	}
	assert.Equal(t, 10, srv.RESTUsage().CallsToday)
}

func TestRESTDailyQuotaIsConfigurableAndResetsAtMidnightChicago(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t, WithRESTLimits(Limits{DailyQuota: 3}))
	clock.Set(time.Date(2026, 3, 10, 23, 30, 0, 0, central))
	tok := getToken(t, srv)
	for range 3 {
		requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
	}
	errs := requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "607")
	assert.Equal(t, "Daily quota reached", errs[0].Message)
	assert.Empty(t, srv.Runs())
	requireRESTError(t, restPost(t, srv, tok, scheduleBatch, `{}`), "607")
	assert.Empty(t, srv.Runs(), "a refused call does not run")
	clock.Advance(30 * time.Minute)
	requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
}

func TestRESTRateLimitMessageNamesTheWindow(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t, WithRESTLimits(Limits{CallsPerWindow: 2, Window: 5 * time.Second}))
	tok := getToken(t, srv)
	for range 2 {
		requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
	}
	errs := requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "606")
	assert.Equal(t, "Max rate limit '2' exceeded with in '5' secs", errs[0].Message)

	srv.FailNext(1, 606)
	injected := requireRESTError(t, restGet(t, srv, tok, "/rest/v1/lists.json"), "606")
	assert.Equal(t, "Max rate limit '100' exceeded with in '20' secs", injected[0].Message, "an injected 606 reads as Marketo's own")
}
