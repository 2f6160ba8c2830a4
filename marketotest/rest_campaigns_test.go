package marketotest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRESTCampaignRecord(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	r := restGet(t, srv, getToken(t, srv), "/rest/v1/campaigns.json?id=1002")
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[{"id":1002,"name":"Trigger Campaign Example","description":"Requested by the SOAP API",
		"type":"trigger","programName":"Trav-Demo-Program","programId":1001,"workspaceName":"Default",
		"createdAt":"2026-03-10T16:00:00Z","updatedAt":"2026-03-10T16:00:00Z","active":true}]`, string(r.Result))
	assert.Empty(t, r.NextPage)
	assert.NotContains(t, r.Raw, "moreResult")
}

func TestRESTCampaignFilters(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	cases := []struct {
		query string
		ids   []int
	}{
		{"", []int{1001, 1002, 1003, 1004, 1005, 1006}},
		{"?isTriggerable=true", []int{1002, 1003}}, // 1006 is requestable but inactive
		{"?isTriggerable=false", []int{1001, 1004, 1005, 1006}},
		{"?name=trigger", []int{1002, 1003, 1004, 1006}}, // a case-insensitive substring
		{"?name=Batch%20Campaign%20Example,Welcome", []int{1001, 1003}},
		{"?name=Trigger&isTriggerable=true", []int{1002, 1003}},
		{"?name=Monthly%20Newsletter%20Send", []int{1005}}, // in a folder: found by name alone
		{"?programName=Trav-Demo-Program", []int{1001, 1002, 1003, 1004}},
		{"?programName=Operational%20Campaigns", []int{}}, // a folder is not a program
		{"?programName=Nope", []int{}},
		{"?workspaceName=Default", []int{1001, 1002, 1003, 1004, 1005, 1006}},
		{"?workspaceName=Other", []int{}},
		{"?id=1003,1001", []int{1001, 1003}},
		{"?id=9999", []int{}},
	}
	for _, c := range cases {
		r := restGet(t, srv, tok, "/rest/v1/campaigns.json"+c.query)
		requireRESTSuccess(t, r)
		assert.Equal(t, c.ids, resultIDs(t, r), c.query)
	}
	assert.Contains(t, restGet(t, srv, tok, "/rest/v1/campaigns.json?programName=Nope").Raw, `"result":[]`)
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json?isTriggerable=maybe"), "1001")
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json?id=x"), "1001")
}

func TestRESTCampaignPaging(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	require.NoError(t, srv.AddProgram("Big", nil))
	for i := range 644 { // with the default tenant's 6: 650
		_, err := srv.AddCampaign(Campaign{Program: "Big", Name: fmt.Sprintf("C%03d", i), Kind: Batch})
		require.NoError(t, err)
	}
	tok := getToken(t, srv)
	var all []int
	var sizes []int
	next := ""
	for range 10 {
		r := restGet(t, srv, tok, "/rest/v1/campaigns.json?nextPageToken="+next)
		requireRESTSuccess(t, r)
		ids := resultIDs(t, r)
		sizes = append(sizes, len(ids))
		all = append(all, ids...)
		if next = r.NextPage; next == "" {
			break
		}
		assert.Regexp(t, `^[A-Z2-7]+=*$`, next)
		assert.Zero(t, len(next)%8, "base32 with = padding, as Marketo's tokens: %s", next)
	}
	assert.Equal(t, []int{300, 300, 50}, sizes)
	require.Len(t, all, 650)
	for i := 1; i < len(all); i++ {
		require.Less(t, all[i-1], all[i], "sorted by id, no repeats")
	}

	r := restGet(t, srv, tok, "/rest/v1/campaigns.json?batchSize=2&programName=Trav-Demo-Program")
	assert.Equal(t, []int{1001, 1002}, resultIDs(t, r))
	r = restGet(t, srv, tok, "/rest/v1/campaigns.json?batchSize=2&programName=Trav-Demo-Program&nextPageToken="+r.NextPage)
	assert.Equal(t, []int{1003, 1004}, resultIDs(t, r))
	assert.Empty(t, r.NextPage, "no token after the last page, even a full one")

	for _, q := range []string{"batchSize=301", "batchSize=0", "nextPageToken=NOTATOKEN", "nextPageToken=" + pageToken("leads", 2)} {
		requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json?"+q), "1003")
	}
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json?batchSize=ten"), "1001")
}

func TestRESTSeesCampaignsAddedAndClonedThroughSOAP(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<cloneToProgramName>Copy</cloneToProgramName>")))
	r := restGet(t, srv, getToken(t, srv), "/rest/v1/campaigns.json?programName=Copy")
	requireRESTSuccess(t, r)
	var recs []restCampaign
	require.NoError(t, json.Unmarshal(r.Result, &recs))
	require.Len(t, recs, 4)
	copyProg, _ := srv.Program("Copy")
	for i, rec := range recs {
		assert.Equal(t, copyProg.Campaigns[i].ID, rec.ID)
		assert.Equal(t, copyProg.ID, rec.ProgramID)
		assert.NotEqual(t, 1001, rec.ProgramID)
	}
}
