package marketotest

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenRequest is one request a real client sent, as recorded.
type goldenRequest struct {
	Name        string `json:"name"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Query       string `json:"query"`
	ContentType string `json:"contentType"`
	Body        string `json:"body"`
	// Want is "token" (an identity call), "success", or the error code
	// Marketo refuses the request with.
	Want string `json:"want"`
}

func loadGolden(t *testing.T, name string) []goldenRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "clients", name))
	require.NoError(t, err)
	var doc struct {
		Requests []goldenRequest `json:"requests"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.Requests)
	return doc.Requests
}

// replay sends the recorded requests in order to a fresh default tenant,
// the access token in an Authorization header as the client sent it, and
// checks each answer against its want.
func replay(t *testing.T, srv *Server, reqs []goldenRequest) map[string]restResp {
	t.Helper()
	answers := map[string]restResp{}
	token := ""
	for _, g := range reqs {
		target := g.Path
		if g.Query != "" {
			q := strings.NewReplacer("{{client_id}}", testClientID, "{{client_secret}}", testClientSecret).Replace(g.Query)
			target += "?" + q
		}
		var header []string
		if g.ContentType != "" {
			header = append(header, "Content-Type", g.ContentType)
		}
		if token != "" {
			header = append(header, "Authorization", "Bearer "+token)
		}
		r := restDo(t, srv, g.Method, target, g.Body, header...)
		switch g.Want {
		case "token":
			require.Equal(t, http.StatusOK, r.Status, "%s: %s", g.Name, r.Raw)
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.Raw), &tok), g.Name)
			token = tok.AccessToken
		case "success":
			require.True(t, r.Success, "%s: %s", g.Name, r.Raw)
		default:
			require.False(t, r.Success, "%s: %s", g.Name, r.Raw)
			require.NotEmpty(t, r.Errors, g.Name)
			assert.Equal(t, g.Want, r.Errors[0].Code, "%s: %s", g.Name, r.Raw)
		}
		answers[g.Name] = r
	}
	return answers
}

// TestMarketoRestPythonGoldenRequests replays the requests of
// marketo-rest-python, the most used REST client, in its own forms: a
// POST with _method=GET in the query and an empty form body (campaigns),
// _method=GET inside a form body with no query (leads by email),
// schedule.json with a JSON Content-Type and no body, bulk import
// parameters in the query.
//
// Recorded by hand on 2026-12-05: marketo-rest-python 0.5.25 (commit
// 3d8985acf958 of github.com/jepcastelein/marketo-rest-python, run from a
// clone) with Debian's /usr/bin/python3 3.11.2 and its python3-requests
// 2.28.1, python3-backoff 2.2.1 and python3-tz 2022.7.1. The client's host
// (fixed to https://<munchkin>.mktorest.com) was set to a default-tenant
// fake wrapped in a handler that wrote down each request's method, path,
// query, Content-Type and body; the script called, in order,
// get_multiple_campaigns (by name, then by ids), get_campaign_by_id,
// get_multiple_leads_by_filter_type (email), request_campaign with a
// token, schedule_campaign without parameters, get_list_by_name,
// import_lead into that list, get_import_lead_status, and two calls
// Marketo refuses: request_campaign on a batch campaign (1003) and
// schedule_campaign on a missing one (1013).
func TestMarketoRestPythonGoldenRequests(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t, WithImportDuration(time.Minute))
	answers := replay(t, srv, loadGolden(t, "marketo-rest-python.json"))

	assert.Equal(t, []int{1005}, resultIDs(t, answers["get_multiple_campaigns(name=...)"]))
	assert.Equal(t, []int{1001, 1003}, resultIDs(t, answers["get_multiple_campaigns(id=[...])"]))
	assert.Equal(t, []int{1005}, resultIDs(t, answers["get_campaign_by_id"]))
	assert.Equal(t, []int{1}, resultIDs(t, answers["get_multiple_leads_by_filter_type(email)"]))
	assert.Contains(t, string(answers["get_multiple_leads_by_filter_type(email)"].Result), `"firstName":"Jane"`)

	runs := srv.Runs()
	require.Len(t, runs, 2, "the refused calls ran nothing")
	assert.Equal(t, "requestCampaign", runs[0].Operation)
	assert.Equal(t, []int{1}, runs[0].LeadIDs)
	assert.Equal(t, "Sent by marketo-rest-python", runs[0].Tokens["{{my.message}}"])
	assert.Equal(t, "scheduleCampaign", runs[1].Operation)
	assert.Equal(t, 1001, runs[1].CampaignID)
	assert.Equal(t, runs[1].Requested.Add(MinScheduleDelay), runs[1].RunAt)

	jobs := srv.BulkImports()
	require.Len(t, jobs, 1)
	assert.Equal(t, "Newsletter Subscribers", jobs[0].List)
	assert.Equal(t, "Operational Campaigns", jobs[0].Folder)
	clock.Advance(time.Minute)
	f, _ := srv.Folder("Operational Campaigns")
	assert.Len(t, f.Lists[0].Members, 2, "the imported lead joined the folder's list")
}
