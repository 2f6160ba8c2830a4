package marketotest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// targetClients returns a fresh client of srv on each API: the REST one has
// made no call yet, so its first schedule looks the campaign up first.
func targetClients(t *testing.T, srv *marketotest.Server) map[string]*marketo.Client {
	t.Helper()
	soap, err := marketo.NewClient(srv.Config())
	require.NoError(t, err)
	rest, err := marketo.NewRESTClient(srv.RESTConfig())
	require.NoError(t, err)
	return map[string]*marketo.Client{marketotest.APISOAP: soap, marketotest.APIREST: rest}
}

var batchSchedule = marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"}

// A dropped answer aimed at ScheduleCampaign skips the REST campaign
// lookup that comes first and lands on the schedule, on both APIs: the
// call ran and the client cannot know it.
func TestOnScheduleCampaignDropAnswerSkipsTheLookup(t *testing.T) {
	t.Parallel()
	for api := range targetClients(t, marketotest.NewServer()) {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			srv := marketotest.NewServer()
			t.Cleanup(srv.Close)
			client := targetClients(t, srv)[api]
			srv.On(marketotest.TargetScheduleCampaign).DropAnswerNext(1)

			_, err := client.ScheduleCampaign(context.Background(), batchSchedule)
			require.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
			assert.Len(t, srv.Runs(), 1, "the schedule ran before its answer was lost")
			for _, r := range srv.Requests() {
				if r.Operation != "scheduleCampaign" {
					assert.Empty(t, r.Injected, "%s %s was injected", r.Method, r.Path)
				}
			}

			_, err = client.ScheduleCampaign(context.Background(), batchSchedule)
			require.NoError(t, err, "the injection applied once")
		})
	}
}

// A fault aimed at RequestCampaign leaves the REST lead lookup alone and
// refuses the trigger itself: nothing ran.
func TestOnRequestCampaignFailSkipsTheLeadLookup(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	client := targetClients(t, srv)[marketotest.APIREST]
	srv.On(marketotest.TargetRequestCampaign).FailNext(1, marketo.CodeInvalidData)

	_, err := client.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
		CampaignID: 1002,
		Leads:      []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "sam@example.com"}},
	})
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeInvalidData, f.Code)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Empty(t, srv.Runs())
	assert.Equal(t, []string{"POST /rest/v1/campaigns/1002/trigger.json"}, injected(srv))
}

// An injection aimed at a lookup reaches it, and only it: the SDK retries
// the read-only lookup and the schedule then runs.
func TestOnCampaignLookupReachesTheLookup(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	client := targetClients(t, srv)[marketotest.APIREST]
	srv.On(marketotest.TargetCampaignLookup).GarbageNext(1, marketotest.GarbageHTML502)

	res, err := client.ScheduleCampaign(context.Background(), batchSchedule)
	require.NoError(t, err)
	assert.Equal(t, 1001, res.CampaignID)
	assert.Equal(t, []string{"GET /rest/v1/campaigns.json"}, injected(srv))
}

// injected returns the requests an injection answered, as "METHOD path".
func injected(srv *marketotest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Injected != "" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// Targeted and untargeted injections share one queue: a call takes the
// first that applies to it, so an untargeted fault queued behind one aimed
// elsewhere reaches the next call of any kind.
func TestInjectionsTakeTheFirstThatApplies(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	client := targetClients(t, srv)[marketotest.APISOAP]
	srv.On(marketotest.TargetImportToList).FailNext(1, marketo.CodeListNotFound)
	srv.FailNext(1, marketo.CodeAccessDenied)

	_, err := client.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{Source: marketo.SourceMKTOWS})
	require.ErrorIs(t, err, marketo.ErrAccessDenied, "the untargeted fault reached the first call")
	_, err = client.ScheduleCampaign(context.Background(), batchSchedule)
	require.NoError(t, err, "the ImportToList fault waits for an import")
	_, err = client.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List", Mode: marketo.ImportModeUpsertLeads,
		Header: []string{"Email Address"}, Rows: [][]string{{"ann@example.com"}},
	})
	require.ErrorIs(t, err, marketo.ErrListNotFound)
	assert.False(t, errors.Is(err, marketo.ErrOutcomeUnknown))
}
