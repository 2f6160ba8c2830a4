package marketo_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

var seedCampaigns = campaignsJSON(1001, "Batch Campaign Example", "Trav-Demo-Program")

func TestRESTScheduleCampaignRequest(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	c := stub.client(t)
	res, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
	assert.Equal(t, 1001, res.CampaignID)
	assert.Equal(t, "TestProgramCloneFromSOAP", res.CloneToProgramName)
	assert.True(t, res.RunAt.Equal(seedParams().RunAt))

	reqs := stub.requests()
	require.Len(t, reqs, 2)
	lookup, schedule := reqs[0], reqs[1]
	assert.Equal(t, http.MethodGet, lookup.Method)
	assert.Equal(t, "/rest/v1/campaigns.json", lookup.Path)
	q, err := url.ParseQuery(lookup.RawQuery)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"name": {"Batch Campaign Example"}, "programName": {"Trav-Demo-Program"}, "batchSize": {"300"}}, q)

	assert.Equal(t, http.MethodPost, schedule.Method)
	assert.Equal(t, "/rest/v1/campaigns/1001/schedule.json", schedule.Path)
	assert.Empty(t, schedule.RawQuery, "nothing in the URL, the token least of all")
	assert.Equal(t, "application/json", schedule.ContentType)
	for _, r := range reqs {
		assert.Equal(t, "Bearer tok-1:int", r.Auth)
	}
	jsonEqualGolden(t, "schedule_campaign_request.json", schedule.Body)
	assert.Equal(t, int64(1), stub.identityCalls.Load())
}

func TestRESTScheduleCampaignByIDSendsNoLookupAndNoRunAt(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	res, err := stub.client(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.NoError(t, err)
	assert.True(t, res.RunAt.IsZero())
	reqs := stub.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/rest/v1/campaigns/1001/schedule.json", reqs[0].Path)
	jsonEqualGolden(t, "schedule_campaign_minimal_request.json", reqs[0].Body)
}

func TestRESTScheduleCampaignCachesTheCampaignID(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	c := stub.client(t)
	for range 3 {
		_, err := c.ScheduleCampaign(context.Background(), runNowParams())
		require.NoError(t, err)
	}
	var lookups int
	for _, r := range stub.requests() {
		if r.Path == "/rest/v1/campaigns.json" {
			lookups++
		}
	}
	assert.Equal(t, 1, lookups)
	assert.Len(t, stub.posts(), 3)
}

func TestRESTRunAtIsWrittenWithItsOffsetToTheSecond(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := stub.client(t, marketo.WithClock(func() time.Time { return now }))
	runAt := time.Date(2026, 12, 24, 9, 30, 15, 750_000_000, time.FixedZone("IST", 5*3600+1800))
	res, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 7, RunAt: runAt})
	require.NoError(t, err)
	assert.Contains(t, string(stub.posts()[0].Body), `"runAt":"2026-12-24T09:30:15+0530"`)
	assert.True(t, res.RunAt.Equal(runAt.Truncate(time.Second)), "the result says what was sent")
}

func TestRESTRunAtMoreThanTwoYearsAheadIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := stub.client(t, marketo.WithClock(func() time.Time { return now }))
	_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 7, RunAt: now.AddDate(2, 0, 0).Add(time.Second)})
	var ve *marketo.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "RunAt", ve.Field)
	assert.Contains(t, ve.Rule, "two years")
	assert.Empty(t, stub.requests())
	assert.Zero(t, stub.identityCalls.Load())

	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 7, RunAt: now.AddDate(2, 0, 0)})
	require.NoError(t, err, "exactly two years ahead is allowed")
}

func TestRESTRequestCampaignRequest(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(campaignsJSON(2001, "Trigger", "P"), map[string]int{"jdoe@example.com": 318593}))
	res, err := stub.client(t).RequestCampaign(context.Background(), marketo.RequestCampaignParams{
		ProgramName:  "P",
		CampaignName: "Trigger",
		Leads:        []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "318592"}, {Type: marketo.LeadKeyEmail, Value: "JDoe@example.com"}},
		Tokens:       []marketo.Token{{Name: "my.message", Value: "Updated message <b>&</b>"}},
	})
	require.NoError(t, err)
	assert.Equal(t, 2001, res.CampaignID)
	assert.Equal(t, []int{318592, 318593}, res.LeadIDs)
	assert.Equal(t, []marketo.Token{{Name: "{{my.message}}", Value: "Updated message <b>&</b>"}}, res.Tokens)
	posts := stub.posts()
	require.Len(t, posts, 1)
	assert.Equal(t, "/rest/v1/campaigns/2001/trigger.json", posts[0].Path)
	jsonEqualGolden(t, "request_campaign_request.json", posts[0].Body)
	var leadLookup stubRequest
	for _, r := range stub.requests() {
		if r.Path == "/rest/v1/leads.json" {
			leadLookup = r
		}
	}
	q, _ := url.ParseQuery(leadLookup.RawQuery)
	assert.Equal(t, url.Values{"filterType": {"email"}, "filterValues": {"JDoe@example.com"}, "fields": {"id,email"}, "batchSize": {"300"}}, q)
}

func TestRESTRequestCampaignWithUnresolvedLeadsTriggersNothing(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(campaignsJSON(2001, "Trigger", "P"), map[string]int{"a@example.com": 1}))
	_, err := stub.client(t).RequestCampaign(context.Background(), marketo.RequestCampaignParams{
		CampaignID: 2001,
		Leads:      []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "a@example.com"}, {Type: marketo.LeadKeyEmail, Value: "gone@example.com"}},
	})
	var le *marketo.LeadLookupError
	require.ErrorAs(t, err, &le)
	assert.ErrorIs(t, err, marketo.ErrLeadNotFound)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Contains(t, err.Error(), `EMAIL "gone@example.com"`)
	assert.Empty(t, stub.posts())
}

func TestRESTRequestCampaignRefusesWhatRESTCannotDo(t *testing.T) {
	t.Parallel()
	tokens := make([]marketo.Token, 101)
	for i := range tokens {
		tokens[i] = marketo.Token{Name: "my.t" + strings.Repeat("x", i), Value: "v"}
	}
	cases := map[string]struct {
		p     marketo.RequestCampaignParams
		field string
	}{
		"SALES":        {marketo.RequestCampaignParams{Source: marketo.SourceSales, CampaignID: 1, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "1"}}}, "Source"},
		"cookie key":   {marketo.RequestCampaignParams{CampaignID: 1, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyCookie, Value: "id:123-ABC-456&token:_mch"}}}, "Leads[0].Type"},
		"comma":        {marketo.RequestCampaignParams{CampaignID: 1, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: `"a,b"@example.com`}}}, "Leads[0].Value"},
		"101 tokens":   {marketo.RequestCampaignParams{CampaignID: 1, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "1"}}, Tokens: tokens}, "Tokens"},
		"owner e-mail": {marketo.RequestCampaignParams{CampaignID: 1, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "1"}, {Type: marketo.LeadKeyLeadOwnerEmail, Value: "o@example.com"}}}, "Leads[1].Type"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, tenant(seedCampaigns, nil))
			_, err := stub.client(t).RequestCampaign(context.Background(), tc.p)
			ves := marketo.ValidationErrors(err)
			require.Len(t, ves, 1, "%v", err)
			assert.Equal(t, tc.field, ves[0].Field)
			assert.Empty(t, stub.requests())
			assert.Zero(t, stub.identityCalls.Load())
		})
	}
}

func TestRESTGetCampaignsForSourceReadsEveryPageAndFiltersOnTheClient(t *testing.T) {
	t.Parallel()
	pages := []string{
		`{"requestId":"1","success":true,"nextPageToken":"NEXT","result":[{"id":1,"name":"Welcome Email","description":"hi","programName":"P"},{"id":2,"name":"Reminder","programName":"P"}]}`,
		`{"requestId":"2","success":true,"result":[{"id":3,"name":"welcome email","programName":"Q"}]}`,
	}
	stub := newRESTStub(t, func(_ int, r *http.Request, _ []byte) (int, string) {
		if r.URL.Query().Get("nextPageToken") == "NEXT" {
			return 200, pages[1]
		}
		return 200, pages[0]
	})
	c := stub.client(t)
	cases := []struct {
		p    marketo.GetCampaignsForSourceParams
		want []int
	}{
		{marketo.GetCampaignsForSourceParams{}, []int{1, 2, 3}},
		{marketo.GetCampaignsForSourceParams{Name: "WELCOME"}, []int{1, 3}},
		{marketo.GetCampaignsForSourceParams{Name: "Welcome Email", ExactName: true}, []int{1}},
	}
	for _, tc := range cases {
		res, err := c.GetCampaignsForSource(context.Background(), tc.p)
		require.NoError(t, err)
		var ids []int
		for _, cp := range res.Campaigns {
			ids = append(ids, cp.ID)
		}
		assert.Equal(t, tc.want, ids, "%+v", tc.p)
	}
	res, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{Name: "Welcome Email", ExactName: true})
	require.NoError(t, err)
	assert.Equal(t, []marketo.Campaign{{ID: 1, Name: "Welcome Email", Description: "hi", ProgramName: "P"}}, res.Campaigns)
	assert.Equal(t, marketo.ResultMetadata{RequestID: "1", RequestIDs: []string{"1", "2"}}, res.Metadata, "every page's requestId")
	for _, r := range stub.requests() {
		q, _ := url.ParseQuery(r.RawQuery)
		assert.Equal(t, "true", q.Get("isTriggerable"))
		assert.Equal(t, "300", q.Get("batchSize"))
	}
}

func TestNewRESTClientTakesEveryOption(t *testing.T) {
	t.Parallel()
	l, err := marketo.NewLimiter(marketo.LimiterConfig{})
	require.NoError(t, err)
	var trace strings.Builder
	_, err = marketo.NewRESTClient(marketo.RESTConfig{Endpoint: "https://284-RPR-133.mktorest.com/rest", ClientID: "id", ClientSecret: "secret"},
		marketo.WithHTTPClient(http.DefaultClient), marketo.WithLogger(slog.New(slog.DiscardHandler)), marketo.WithUserAgent("ua"),
		marketo.WithClock(time.Now), marketo.WithRetryPolicy(marketo.DefaultRetryPolicy), marketo.WithoutRetries(),
		marketo.WithLimiter(l), marketo.WithoutLimiter(), marketo.WithAttemptTimeout(time.Second),
		marketo.WithMaxResponseBytes(1<<20), marketo.WithWireTrace(&trace))
	require.NoError(t, err)

	_, err = marketo.NewRESTClient(marketo.RESTConfig{Endpoint: "http://example.com/rest", ClientID: "id", ClientSecret: "secret"})
	var ve *marketo.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "RESTConfig.Endpoint", ve.Field)
	_, err = marketo.NewRESTClient(marketo.RESTConfig{Endpoint: "https://284-RPR-133.mktorest.com/rest", ClientID: "id", ClientSecret: "secret"}, marketo.WithAttemptTimeout(0))
	require.Error(t, err)
}

func TestNewClientFromEnvPicksTheAPI(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	rest := []string{marketo.EnvRESTEndpoint, "https://284-RPR-133.mktorest.com/rest", marketo.EnvRESTClientID, "id", marketo.EnvRESTClientSecret, "secret"}
	soap := []string{marketo.EnvEndpoint, testEndpoint, marketo.EnvUserID, vectorUserID, marketo.EnvEncryptionKey, vectorKey}

	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	c, err := marketo.NewClientFromEnvFunc(env(append(soap, marketo.EnvRESTEndpoint, stub.srv.URL+"/rest", marketo.EnvRESTClientID, stubClientID, marketo.EnvRESTClientSecret, stubSecret)...), marketo.WithoutRetries())
	require.NoError(t, err)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.NoError(t, err, "REST wins when both sets are given")
	assert.Len(t, stub.posts(), 1)

	_, err = marketo.NewClientFromEnvFunc(env(rest...))
	require.NoError(t, err)
	soapClient, err := marketo.NewClientFromEnvFunc(env(soap...))
	require.NoError(t, err)
	_, err = soapClient.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1})
	assert.Equal(t, "CampaignID", marketo.ValidationErrors(err)[0].Field, "a SOAP client")

	_, err = marketo.NewClientFromEnvFunc(env(marketo.EnvRESTEndpoint, "https://284-RPR-133.mktorest.com/rest"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), marketo.EnvRESTClientID)
	assert.Contains(t, err.Error(), marketo.EnvRESTClientSecret)

	_, err = marketo.NewClientFromEnvFunc(env())
	require.Error(t, err)
	for _, v := range []string{marketo.EnvRESTEndpoint, marketo.EnvRESTClientID, marketo.EnvRESTClientSecret, marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey} {
		assert.Contains(t, err.Error(), v)
	}
}

func TestRESTCloneBudgetIs20ADay(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	c := stub.client(t)
	p := marketo.ScheduleCampaignParams{CampaignID: 1001, CloneToProgramName: "Copy"}
	for i := range 20 {
		_, err := c.ScheduleCampaign(context.Background(), p)
		require.NoError(t, err, "clone %d", i+1)
	}
	_, err := c.ScheduleCampaign(context.Background(), p)
	require.ErrorIs(t, err, marketo.ErrCloneBudgetExhausted)
	assert.Len(t, stub.posts(), 20)
}

func TestRESTErrorsAreFaultsWithRESTCodes(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
		return 200, restErr(1003, "Campaign 1001 is a batch campaign")
	})
	_, err := stub.client(t, fastRetries).RequestCampaign(context.Background(), marketo.RequestCampaignParams{CampaignID: 1001, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "5"}}})
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeInvalidData, f.Code)
	assert.Equal(t, "e42b#14272d07d79", f.RequestID)
	assert.Equal(t, "marketo: RequestCampaign: fault 1003 (invalid data): Campaign 1001 is a batch campaign", err.Error())
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Len(t, stub.posts(), 1, "a refusal is not retried")
}

func TestRESTGoesBackToTheSameHostForTheIdentity(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	cfg := stub.config()
	cfg.Endpoint += "/" // as pasted with a trailing slash
	c, err := marketo.NewRESTClient(cfg, marketo.WithoutRetries())
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.NoError(t, err)
	assert.Equal(t, "/rest/v1/campaigns/1001/schedule.json", stub.posts()[0].Path)
}

func TestRESTBodyOverOneMegabyteIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	big := strings.Repeat("x", 600_000)
	_, err := stub.client(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		CampaignID: 1001,
		Tokens:     []marketo.Token{{Name: "my.a", Value: big}, {Name: "my.b", Value: big}},
	})
	ves := marketo.ValidationErrors(err)
	require.Len(t, ves, 1, "%v", err)
	assert.Equal(t, "Tokens", ves[0].Field)
	assert.Contains(t, ves[0].Rule, "at most 1000000 bytes")
	assert.Empty(t, stub.posts())
}

func TestRESTClientPrintsItsEndpointOnly(t *testing.T) {
	t.Parallel()
	c, err := marketo.NewRESTClient(marketo.RESTConfig{Endpoint: "https://284-RPR-133.mktorest.com/rest", ClientID: "id", ClientSecret: "s3cret"})
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		assert.Equal(t, "marketo.Client{REST https://284-RPR-133.mktorest.com/rest}", s)
	}
}
