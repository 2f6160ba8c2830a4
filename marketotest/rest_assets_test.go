package marketotest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRESTCampaignByID(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	r := restGet(t, srv, tok, "/rest/v1/campaigns/1002.json?id=1002") // marketo-rest-python repeats the id in the query
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[{"id":1002,"name":"Trigger Campaign Example","description":"Requested by the SOAP API",
		"type":"trigger","programName":"Trav-Demo-Program","programId":1001,"workspaceName":"Default",
		"createdAt":"2026-03-10T16:00:00Z","updatedAt":"2026-03-10T16:00:00Z","active":true}]`, string(r.Result))
	r = restGet(t, srv, tok, "/rest/v1/campaigns/1005.json")
	assert.NotContains(t, string(r.Result), "programName", "a folder campaign")
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns/4242.json"), "1013")
	requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/1002.json", "{}"), "605")
	assert.Equal(t, "getCampaign", srv.Requests()[len(srv.Requests())-2].Operation)
}

func TestRESTDescribe2(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	require.NoError(t, srv.AddLeadField("Shoe Size"))
	r := restGet(t, srv, getToken(t, srv), "/rest/v1/leads/describe2.json")
	requireRESTSuccess(t, r)
	var schemas []struct {
		Name             string     `json:"name"`
		SearchableFields [][]string `json:"searchableFields"`
		Fields           []struct {
			Name, DisplayName, DataType string
			Length                      int
			Updateable                  bool
		} `json:"fields"`
	}
	require.NoError(t, json.Unmarshal(r.Result, &schemas))
	require.Len(t, schemas, 1)
	s := schemas[0]
	assert.Equal(t, "API Lead", s.Name)
	byName := map[string]int{}
	for i, f := range s.Fields {
		byName[f.Name] = i
	}
	id, email, shoe := s.Fields[byName["id"]], s.Fields[byName["email"]], s.Fields[byName["shoeSize"]]
	assert.False(t, id.Updateable)
	assert.Equal(t, "Email Address", email.DisplayName)
	assert.Equal(t, "email", email.DataType)
	assert.Equal(t, MaxFieldLength, email.Length)
	assert.True(t, email.Updateable)
	assert.Equal(t, "Shoe Size", shoe.DisplayName, "custom fields too")
	assert.Contains(t, s.SearchableFields, []string{"email"})
	assert.NotContains(t, r.Raw, `"soap"`)
}

func TestAssetSmartCampaignByID(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	r := restGet(t, srv, tok, "/rest/asset/v1/smartCampaign/1006.json")
	requireRESTSuccess(t, r)
	assert.Contains(t, r.Raw, `"errors":[]`)
	assert.Contains(t, r.Raw, `"warnings":[]`)
	assert.JSONEq(t, fmt.Sprintf(`[{"id":1006,"name":"Paused Request Trigger","description":"Deactivated",
		"createdAt":"2026-03-10T16:00:00Z+0000","updatedAt":"2026-03-10T16:00:00Z+0000",
		"folder":{"id":101,"type":"Folder"},"status":"Inactive","type":"trigger","isSystem":false,
		"isActive":false,"isRequestable":true,"isCommunicationLimitEnabled":false,"recurrence":{"weekdayOnly":false},
		"qualificationRuleType":"once","workspace":"Default","smartListId":1006,"flowId":1006,
		"computedUrl":"%s/#SC1006A1"}]`, srv.URL), string(r.Result))

	status := func(id int) (string, assetFolder, bool) {
		r := restGet(t, srv, tok, fmt.Sprintf("/rest/asset/v1/smartCampaign/%d.json", id))
		var recs []assetSmartCampaign
		require.NoError(t, json.Unmarshal(r.Result, &recs), r.Raw)
		return recs[0].Status, recs[0].Folder, recs[0].IsActive
	}
	st, folder, active := status(1002)
	assert.Equal(t, "Active", st)
	assert.Equal(t, assetFolder{ID: 1001, Type: "Program"}, folder)
	assert.True(t, active)
	st, _, _ = status(1001)
	assert.Equal(t, "Never Run", st)
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/1001/schedule.json", ""))
	st, _, active = status(1001)
	assert.Equal(t, "Single Run", st)
	assert.False(t, active)

	r = restGet(t, srv, tok, "/rest/asset/v1/smartCampaign/4242.json")
	requireRESTSuccess(t, r)
	assert.Contains(t, r.Raw, `"warnings":["No assets found for the given search criteria."]`, "warnings are plain strings")
	assert.NotContains(t, r.Raw, `"result"`)
}

func TestAssetStaticListByName(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	id := folderListID(t, srv, tok)
	r := restGet(t, srv, tok, "/rest/asset/v1/staticList/byName.json?name=Newsletter%20Subscribers")
	requireRESTSuccess(t, r)
	assert.JSONEq(t, fmt.Sprintf(`[{"id":%d,"name":"Newsletter Subscribers","createdAt":"2026-03-10T16:00:00Z+0000",
		"updatedAt":"2026-03-10T16:00:00Z+0000","folder":{"id":101,"type":"Folder"},"computedUrl":"%s/#ST%dA1"}]`, id, srv.URL, id),
		string(r.Result))
	r = restGet(t, srv, tok, "/rest/asset/v1/staticList/byName.json?name=Trav-Test-List")
	assert.Contains(t, string(r.Result), `"folder":{"id":1001,"type":"Program"}`)

	r = restGet(t, srv, tok, "/rest/asset/v1/staticList/byName.json?name=newsletter%20subscribers")
	requireRESTSuccess(t, r)
	assert.Contains(t, r.Raw, noAssetsWarning, "the name matches exactly")
	r = restGet(t, srv, tok, "/rest/asset/v1/staticList/byName.json")
	requireRESTError(t, r, "701")
	assert.Contains(t, r.Raw, `"warnings":[]`)
}
