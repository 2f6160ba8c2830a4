package marketotest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const scheduleBatch = "/rest/v1/campaigns/1001/schedule.json"

func TestRESTScheduleRecordsTheRun(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	r := restPost(t, srv, getToken(t, srv), scheduleBatch, `{"input":{"runAt":"2026-03-11T18:05:00+0000",
		"tokens":[{"name":"{{my.message}}","value":"Updated message"},{"name":"{{my.unknown}}","value":"x"}]}}`)
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[{"id":1001}]`, string(r.Result))
	runs := srv.Runs()
	require.Len(t, runs, 1)
	run := runs[0]
	assert.Equal(t, APIREST, run.API)
	assert.Equal(t, "scheduleCampaign", run.Operation)
	assert.Equal(t, 1001, run.CampaignID)
	assert.Equal(t, "Batch Campaign Example", run.Campaign)
	assert.True(t, run.RunAt.Equal(time.Date(2026, 3, 11, 18, 5, 0, 0, time.UTC)), run.RunAt)
	assert.Equal(t, "Updated message", run.Tokens["{{my.message}}"])
	assert.Equal(t, "Default other token", run.Tokens["{{my.other token}}"])
	assert.Equal(t, []string{"{{my.unknown}}"}, run.IgnoredTokens)
	assert.False(t, run.Cloned)
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "scheduleCampaign", last.Operation)
	assert.Equal(t, "POST", last.Method)
	assert.Equal(t, scheduleBatch, last.Path)
	assert.Contains(t, string(last.Body), "Updated message")
}

func TestRESTScheduleWaitsAtLeastFiveMinutes(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	for _, body := range []string{`{}`, `{"input":{}}`, `{"input":{"runAt":null}}`, `{"input":{"runAt":"2026-03-10T16:01:00Z"}}`, `{"input":{"runAt":"2020-01-01T00:00:00-06:00"}}`} {
		requireRESTSuccess(t, restPost(t, srv, tok, scheduleBatch, body))
	}
	for _, run := range srv.Runs() {
		assert.Equal(t, t0.Add(MinScheduleDelay), run.RunAt)
	}
	requireRESTSuccess(t, restPost(t, srv, tok, scheduleBatch, `{"input":{"runAt":"2026-03-10T10:06:00.000-06:00"}}`))
	runs := srv.Runs()
	assert.True(t, runs[len(runs)-1].RunAt.Equal(t0.Add(6*time.Minute)))
}

func TestRESTScheduleRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	require.NoError(t, srv.AddProgram("Taken", nil))
	tok := getToken(t, srv)
	twoYears := t0.AddDate(2, 0, 0)
	cases := []struct {
		name, path, body, code string
	}{
		{"unknown campaign", "/rest/v1/campaigns/9999/schedule.json", `{}`, "1013"},
		{"trigger campaign", "/rest/v1/campaigns/1002/schedule.json", `{}`, "1003"},
		{"runAt over two years ahead", scheduleBatch, `{"input":{"runAt":"` + twoYears.Add(time.Second).Format(time.RFC3339) + `"}}`, "1042"},
		{"runAt without offset", scheduleBatch, `{"input":{"runAt":"2026-03-11T18:05:00"}}`, "1001"},
		{"runAt not a time", scheduleBatch, `{"input":{"runAt":"tomorrow"}}`, "1001"},
		{"misspelt key", scheduleBatch, `{"input":{"cloneToProgram":"Copy"}}`, "609"},
		{"runAt a number", scheduleBatch, `{"input":{"runAt":1}}`, "609"},
		{"unknown campaign, no body", "/rest/v1/campaigns/9999/schedule.json", ``, "1013"}, // the body is optional
		{"not JSON", scheduleBatch, `{"input":`, "609"},
		{"two objects", scheduleBatch, `{}{}`, "609"},
		{"token name", scheduleBatch, `{"input":{"tokens":[{"name":"message","value":"x"}]}}`, "1003"},
		{"token repeated", scheduleBatch, `{"input":{"tokens":[{"name":"{{my.a}}","value":"x"},{"name":"{{MY.A}}","value":"y"}]}}`, "1003"},
		{"clone to an existing program", scheduleBatch, `{"input":{"cloneToProgramName":"Taken"}}`, "1003"},
		{"clone to an empty name", scheduleBatch, `{"input":{"cloneToProgramName":""}}`, "1003"},
	}
	for _, c := range cases {
		errs := requireRESTError(t, restPost(t, srv, tok, c.path, c.body), c.code)
		assert.NotEmpty(t, errs[0].Message, c.name)
	}
	assert.Empty(t, srv.Runs())
	requireRESTSuccess(t, restPost(t, srv, tok, scheduleBatch, `{"input":{"runAt":"`+twoYears.Format(time.RFC3339)+`"}}`))
}

func TestRESTScheduleClonesAndKeepsTheDailyCloneBudget(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	clock.Set(time.Date(2026, 3, 10, 23, 0, 0, 0, central))
	tok := getToken(t, srv)
	clone := func(name string) restResp {
		return restPost(t, srv, tok, scheduleBatch, `{"input":{"cloneToProgramName":"`+name+`"}}`)
	}
	for i := range 20 {
		requireRESTSuccess(t, clone(fmt.Sprintf("Copy %d", i)))
	}
	errs := requireRESTError(t, clone("Copy 20"), "1020")
	assert.Contains(t, errs[0].Message, "20 a day")
	_, exists := srv.Program("Copy 20")
	assert.False(t, exists, "a refused clone creates nothing")
	assert.Equal(t, 20, srv.RESTUsage().ClonesToday)
	assert.Equal(t, 0, srv.Usage().ClonesToday, "SOAP keeps its own clone allowance")

	run := srv.Runs()[0]
	assert.True(t, run.Cloned)
	assert.Equal(t, "Trav-Demo-Program", run.CloneOf)
	assert.Equal(t, "Copy 0", run.Program)
	p, ok := srv.Program("Copy 0")
	require.True(t, ok)
	assert.Equal(t, "Trav-Demo-Program", p.ClonedFrom)
	assert.Equal(t, p.Campaigns[0].ID, run.CampaignID)

	clock.Advance(time.Hour) // midnight in Chicago
	tok = getToken(t, srv)
	requireRESTSuccess(t, clone("Copy 20"))
}

func TestRESTTriggerRecordsTheRun(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	r := restPost(t, srv, getToken(t, srv), "/rest/v1/campaigns/1002/trigger.json",
		`{"input":{"leads":[{"id":2},{"id":1},{"id":2}],"tokens":[{"name":"{{my.message}}","value":"Hi"}]}}`)
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[{"id":1002}]`, string(r.Result))
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, APIREST, runs[0].API)
	assert.Equal(t, "requestCampaign", runs[0].Operation)
	assert.Equal(t, []int{2, 1}, runs[0].LeadIDs)
	assert.Equal(t, "Hi", runs[0].Tokens["{{my.message}}"])
	assert.Equal(t, t0, runs[0].RunAt)
	assert.Empty(t, runs[0].Source)
}

func TestRESTTriggerRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	leads := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":%d}`, i%3+1)
		}
		return b.String()
	}
	tokens := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"name":"{{my.t%d}}","value":"v"}`, i)
		}
		return b.String()
	}
	cases := []struct {
		name, id, body, code string
	}{
		{"batch campaign", "1001", `{"input":{"leads":[{"id":1}]}}`, "1003"},
		{"not requestable", "1004", `{"input":{"leads":[{"id":1}]}}`, "1003"},
		{"unknown campaign", "9999", `{"input":{"leads":[{"id":1}]}}`, "1013"},
		{"no input", "1002", `{}`, "701"},
		{"no leads", "1002", `{"input":{"leads":[]}}`, "701"},
		{"lead without id", "1002", `{"input":{"leads":[{}]}}`, "701"},
		{"lead id not a number", "1002", `{"input":{"leads":[{"id":"1"}]}}`, "609"},
		{"101 leads", "1002", `{"input":{"leads":[` + leads(101) + `]}}`, "1003"},
		{"101 tokens", "1002", `{"input":{"leads":[{"id":1}],"tokens":[` + tokens(101) + `]}}`, "1003"},
	}
	for _, c := range cases {
		requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/"+c.id+"/trigger.json", c.body), c.code)
	}
	errs := requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002/trigger.json", `{"input":{"leads":[{"id":1},{"id":77},{"id":78}]}}`), "1004")
	assert.Equal(t, []restErr{{"1004", "Lead 77 not found"}, {"1004", "Lead 78 not found"}}, errs, "one error per missing lead")
	assert.Empty(t, srv.Runs(), "nothing runs")
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002/trigger.json", `{"input":{"leads":[`+leads(100)+`],"tokens":[`+tokens(100)+`]}}`))
}

// TestScheduleReadsTheSameOnBothAPIs runs one scenario through SOAP and
// REST and compares what the tenant recorded.
func TestScheduleReadsTheSameOnBothAPIs(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example",
		`<campaignRunAt>2026-03-11T10:00:00-06:00</campaignRunAt><programTokenList><attrib><name>{{my.message}}</name><value>Both</value></attrib></programTokenList>`)))
	requireRESTSuccess(t, restPost(t, srv, getToken(t, srv), scheduleBatch,
		`{"input":{"runAt":"2026-03-11T16:00:00+0000","tokens":[{"name":"{{my.message}}","value":"Both"}]}}`))
	runs := srv.Runs()
	require.Len(t, runs, 2)
	soap, rest := runs[0], runs[1]
	assert.Equal(t, APISOAP, soap.API)
	assert.Equal(t, APIREST, rest.API)
	assert.True(t, soap.RunAt.Equal(rest.RunAt))
	soap.ID, rest.ID, soap.API, rest.API = 0, 0, "", ""
	soap.RunAt, rest.RunAt = time.Time{}, time.Time{}
	assert.Equal(t, soap, rest)
}
