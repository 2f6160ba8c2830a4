package marketo_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// One scenario suite, run against both backends on the fake: the same
// tenant (marketotest's default seed: campaigns, tokens, leads), the same
// calls, the same assertions on what the tenant recorded. A user's code
// written against the SOAP client reads the same on REST.

// backends are the two ways to reach the same fake tenant.
var backends = []struct {
	name   string
	client func(t *testing.T, srv *marketotest.Server) *marketo.Client
}{
	{"soap", func(t *testing.T, srv *marketotest.Server) *marketo.Client {
		c, err := marketo.NewClient(srv.Config(), marketo.WithoutRetries())
		require.NoError(t, err)
		return c
	}},
	{"rest", func(t *testing.T, srv *marketotest.Server) *marketo.Client {
		c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithoutRetries())
		require.NoError(t, err)
		return c
	}},
}

// forEachBackend runs scenario on a fresh fake for each backend.
func forEachBackend(t *testing.T, scenario func(t *testing.T, srv *marketotest.Server, c *marketo.Client)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			srv := marketotest.NewServer()
			t.Cleanup(srv.Close)
			c := b.client(t, srv)
			t.Cleanup(c.CloseIdleConnections)
			scenario(t, srv, c)
		})
	}
}

func TestScenarioScheduleWithTokensAndRunAt(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *marketotest.Server, c *marketo.Client) {
		// Whole seconds and an hour ahead: what both APIs carry alike.
		runAt := time.Now().Add(time.Hour).Truncate(time.Second).In(time.FixedZone("PDT", -7*3600))
		res, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
			ProgramName:  "Trav-Demo-Program",
			CampaignName: "Batch Campaign Example",
			RunAt:        runAt,
			Tokens:       []marketo.Token{{Name: "{{my.message}}", Value: "Updated message"}},
		})
		require.NoError(t, err)
		assert.True(t, res.RunAt.Equal(runAt))
		runs := srv.Runs()
		require.Len(t, runs, 1)
		r := runs[0]
		assert.Equal(t, "scheduleCampaign", r.Operation)
		assert.Equal(t, "Trav-Demo-Program", r.Program)
		assert.Equal(t, "Batch Campaign Example", r.Campaign)
		assert.Equal(t, 1001, r.CampaignID)
		assert.True(t, r.RunAt.Equal(runAt), "run at %v, want %v", r.RunAt, runAt)
		assert.Equal(t, map[string]string{"{{my.message}}": "Updated message", "{{my.other token}}": "Default other token"}, r.Tokens)
		assert.False(t, r.Cloned)
	})
}

func TestScenarioScheduleAClone(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *marketotest.Server, c *marketo.Client) {
		_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
			ProgramName:        "Trav-Demo-Program",
			CampaignName:       "Batch Campaign Example",
			RunAt:              time.Now().Add(2 * time.Hour).Truncate(time.Second),
			CloneToProgramName: "Trav-Demo-Program Copy",
			Tokens:             []marketo.Token{{Name: "my.other token", Value: "Cloned"}},
		})
		require.NoError(t, err)
		runs := srv.Runs()
		require.Len(t, runs, 1)
		assert.True(t, runs[0].Cloned)
		assert.Equal(t, "Trav-Demo-Program", runs[0].CloneOf)
		assert.Equal(t, "Trav-Demo-Program Copy", runs[0].Program)
		assert.Equal(t, "Cloned", runs[0].Tokens["{{my.other token}}"])
		_, ok := srv.Program("Trav-Demo-Program Copy")
		assert.True(t, ok, "the clone exists")
	})
}

func TestScenarioRequestByNameWithEmailAndIDKeys(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *marketotest.Server, c *marketo.Client) {
		_, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
			ProgramName:  "Trav-Demo-Program",
			CampaignName: "Trigger Campaign Example",
			Leads: []marketo.LeadKey{
				{Type: marketo.LeadKeyEmail, Value: "jdoe@janeconsulting.com"},
				{Type: marketo.LeadKeyIDNum, Value: "3"},
			},
			Tokens: []marketo.Token{{Name: "{{my.message}}", Value: "Hello"}},
		})
		require.NoError(t, err)
		runs := srv.Runs()
		require.Len(t, runs, 1)
		r := runs[0]
		assert.Equal(t, "requestCampaign", r.Operation)
		assert.Equal(t, 1002, r.CampaignID)
		assert.ElementsMatch(t, []int{1, 3}, r.LeadIDs)
		assert.Equal(t, "Hello", r.Tokens["{{my.message}}"])
	})
}

func TestScenarioRequestByID(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *marketotest.Server, c *marketo.Client) {
		res, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
			CampaignID: 1003,
			Leads:      []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "2"}},
		})
		require.NoError(t, err)
		assert.Equal(t, 1003, res.CampaignID)
		runs := srv.Runs()
		require.Len(t, runs, 1)
		assert.Equal(t, "Welcome Email Trigger", runs[0].Campaign)
		assert.Equal(t, []int{2}, runs[0].LeadIDs)
	})
}

func TestScenarioGetCampaignsForSource(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, _ *marketotest.Server, c *marketo.Client) {
		ids := func(p marketo.GetCampaignsForSourceParams) []int {
			res, err := c.GetCampaignsForSource(context.Background(), p)
			require.NoError(t, err)
			var out []int
			for _, cp := range res.Campaigns {
				out = append(out, cp.ID)
			}
			slices.Sort(out) // SOAP lists by name, REST by ID
			return out
		}
		assert.Equal(t, []int{1002, 1003}, ids(marketo.GetCampaignsForSourceParams{}), "requestable trigger campaigns only")
		assert.Equal(t, []int{1003}, ids(marketo.GetCampaignsForSourceParams{Name: "welcome"}))
		assert.Equal(t, []int{1002}, ids(marketo.GetCampaignsForSourceParams{Name: "Trigger Campaign Example", ExactName: true}))
		assert.Empty(t, ids(marketo.GetCampaignsForSourceParams{Name: "Trigger Campaign", ExactName: true}))
	})
}

func TestScenarioFailuresRunNothing(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, srv *marketotest.Server, c *marketo.Client) {
		_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "No Such Campaign"})
		require.ErrorIs(t, err, marketo.ErrCampaignNotFound)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)

		// A trigger of a batch campaign is refused by Marketo itself.
		_, err = c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
			CampaignID: 1001, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "1"}},
		})
		var f *marketo.Fault
		require.True(t, errors.As(err, &f), "a fault, got %v", err)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		assert.Empty(t, srv.Runs())
	})
}

// The REST client's own duties, on the fake: token expiry, the first-call
// storm, backoff on the rate limit, a lost answer.

func newRESTFake(t *testing.T, opts ...marketo.Option) (*marketotest.Server, *marketo.Client) {
	t.Helper()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	c, err := marketo.NewRESTClient(srv.RESTConfig(), append([]marketo.Option{marketo.WithoutRetries()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return srv, c
}

func identityRequests(srv *marketotest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Operation == "identity" {
			n++
		}
	}
	return n
}

func TestScenarioRESTExpiredTokenIsRenewed(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t)
	p := marketo.ScheduleCampaignParams{CampaignID: 1001, RunAt: time.Now().Add(time.Hour).Truncate(time.Second)}
	_, err := c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)
	srv.ExpireAccessTokens() // the fake answers the next use 602
	_, err = c.ScheduleCampaign(context.Background(), p)
	require.NoError(t, err)
	assert.Len(t, srv.Runs(), 2)
	assert.Equal(t, 2, identityRequests(srv))
	var refused int
	for _, r := range srv.Requests() {
		if r.FaultCode == marketo.CodeAccessTokenExpired {
			refused++
		}
	}
	assert.Equal(t, 1, refused, "one 602, then the call with the new token")
}

func TestScenarioRESTFirstCallStorm(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t, marketo.WithoutLimiter())
	const callers = 64
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			_, errs[i] = c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
		})
	}
	wg.Wait()
	for _, err := range errs {
		// The fake allows 10 calls in flight; what it refuses with 615 is
		// not the point here, the token fetch is.
		if err != nil {
			require.ErrorIs(t, err, marketo.ErrConcurrencyLimitExceeded)
		}
	}
	assert.Equal(t, 1, identityRequests(srv))
}

func TestScenarioRESTRateLimitIsRetried(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t, marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001}) // the token first
	require.NoError(t, err)
	srv.FailNext(2, marketo.CodeMaxRateExceeded)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.NoError(t, err)
	assert.Len(t, srv.Runs(), 2, "each call ran once")
}

func TestScenarioRESTLostAnswerLeavesTheOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t, marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	_, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{}) // the token first
	require.NoError(t, err)
	srv.DropAnswerNext(1)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Len(t, srv.Runs(), 1, "it ran, and was not repeated")
}
