package marketotest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mktows/marketo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// folderListID finds the default tenant's folder list by its name alone.
func folderListID(t *testing.T, srv *Server, token string) int {
	t.Helper()
	r := restGet(t, srv, token, "/rest/v1/lists.json?name=Newsletter%20Subscribers")
	requireRESTSuccess(t, r)
	ids := resultIDs(t, r)
	require.Len(t, ids, 1)
	return ids[0]
}

func TestRESTFolderAssetsHaveNoProgram(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	r := restGet(t, srv, tok, "/rest/v1/campaigns.json?name=Monthly%20Newsletter%20Send")
	requireRESTSuccess(t, r)
	assert.JSONEq(t, `[{"id":1005,"name":"Monthly Newsletter Send","description":"","type":"batch",
		"workspaceName":"Default","createdAt":"2026-03-10T16:00:00Z","updatedAt":"2026-03-10T16:00:00Z","active":false}]`,
		string(r.Result), "a folder campaign has no programName nor programId key, as real records")

	r = restGet(t, srv, tok, "/rest/v1/lists.json?name=Newsletter%20Subscribers")
	requireRESTSuccess(t, r)
	id := folderListID(t, srv, tok)
	assert.JSONEq(t, fmt.Sprintf(`[{"id":%d,"name":"Newsletter Subscribers","description":"","workspaceName":"Default",
		"createdAt":"2026-03-10T16:00:00Z","updatedAt":"2026-03-10T16:00:00Z"}]`, id), string(r.Result))

	r = restGet(t, srv, tok, "/rest/v1/lists.json?programName=Trav-Demo-Program")
	assert.Equal(t, []int{seedListID(t, srv, tok)}, resultIDs(t, r), "a programName filter leaves folder lists out")
	r = restGet(t, srv, tok, "/rest/v1/lists.json?programName=Operational%20Campaigns")
	assert.Equal(t, []int{}, resultIDs(t, r), "a folder is not a program")

	f, ok := srv.Folder("Operational Campaigns")
	require.True(t, ok)
	assert.Equal(t, 101, f.ID)
	assert.Equal(t, []List{{Folder: "Operational Campaigns", Name: "Newsletter Subscribers", Members: []int{2}}}, f.Lists)
	assert.Equal(t, "Operational Campaigns", f.Campaigns[0].Folder)
	assert.Empty(t, f.Campaigns[0].Program)
	assert.Len(t, srv.Programs(), 1, "a folder is not among the programs")
}

func TestRESTTimestampsAreStablePerObject(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	tok := getToken(t, srv)
	created := func(target string) []string {
		r := restGet(t, srv, tok, target)
		requireRESTSuccess(t, r)
		var recs []struct{ CreatedAt, UpdatedAt string }
		require.NoError(t, json.Unmarshal(r.Result, &recs))
		var out []string
		for _, rec := range recs {
			out = append(out, rec.CreatedAt, rec.UpdatedAt)
		}
		return out
	}
	lists, campaigns := created("/rest/v1/lists.json"), created("/rest/v1/campaigns.json")
	clock.Advance(30 * time.Minute)
	require.NoError(t, srv.AddList("Trav-Demo-Program", "Later List"))
	assert.Equal(t, lists, created("/rest/v1/lists.json?name=Trav-Test-List,Newsletter"), "the seed's lists keep their creation time")
	assert.Equal(t, campaigns, created("/rest/v1/campaigns.json"))
	assert.Equal(t, []string{"2026-03-10T16:30:00Z", "2026-03-10T16:30:00Z"}, created("/rest/v1/lists.json?name=Later%20List"))
}

func TestRESTScheduleAndImportInAFolder(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t, WithImportDuration(time.Minute))
	tok := getToken(t, srv)
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/1005/schedule.json",
		`{"input":{"tokens":[{"name":"{{my.message}}","value":"Hi"},{"name":"{{my.other token}}","value":"x"}]}}`))
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, "", runs[0].Program)
	assert.Equal(t, "Operational Campaigns", runs[0].Folder)
	assert.Equal(t, map[string]string{"{{my.message}}": "Hi"}, runs[0].Tokens, "the folder's My Tokens apply")
	assert.Equal(t, []string{"{{my.other token}}"}, runs[0].IgnoredTokens)

	id := folderListID(t, srv, tok)
	b := batchOf(t, bulkPost(t, srv, tok, "email\njdoe@janeconsulting.com\n", "format", "csv", "listId", strconv.Itoa(id)))
	clock.Advance(time.Minute)
	f, _ := srv.Folder("Operational Campaigns")
	assert.Equal(t, []int{2, 1}, f.Lists[0].Members)
	jobs := srv.BulkImports()
	require.Len(t, jobs, 1)
	assert.Equal(t, b.BatchID, jobs[0].BatchID)
	assert.Equal(t, "", jobs[0].Program)
	assert.Equal(t, "Operational Campaigns", jobs[0].Folder)
}

func TestInactiveTriggerCampaignIsRefused(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	errs := requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/1006/trigger.json", `{"input":{"leads":[{"id":1}]}}`), "1003")
	assert.Contains(t, errs[0].Message, "not active")
	requireFault(t, call(t, srv, `<ns1:paramsRequestCampaign><source>MKTOWS</source><campaignId>1006</campaignId>`+
		`<leadList><leadKey><keyType>IDNUM</keyType><keyValue>1</keyValue></leadKey></leadList></ns1:paramsRequestCampaign>`),
		marketo.CodeBadParameter)
	assert.Empty(t, srv.Runs())

	r := restGet(t, srv, tok, "/rest/v1/campaigns.json?id=1006")
	assert.Contains(t, r.Raw, `"active":false`)
	r = restGet(t, srv, tok, "/rest/v1/campaigns.json?id=1002")
	assert.Contains(t, r.Raw, `"active":true`)
}

func TestSOAPKeepsProgramNameRequiredForFolders(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	requireFault(t, call(t, srv, schedule("Operational Campaigns", "Monthly Newsletter Send", "")), marketo.CodeCampaignNotFound)
	assert.Empty(t, srv.Runs())
}

func TestCloneOfAProgramWithUncloneableAssets(t *testing.T) {
	t.Parallel()
	seed := `{"programs":[{"name":"Mobile","uncloneableAssets":["Push Notification"],
		"campaigns":[{"id":3001,"name":"Send","type":"batch"}]}]}`
	sd, err := LoadSeed(strings.NewReader(seed))
	require.NoError(t, err)
	srv, _ := newRESTServer(t, WithSeed(sd))
	tok := getToken(t, srv)
	errs := requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/3001/schedule.json", `{"input":{"cloneToProgramName":"Mobile Copy"}}`), "709")
	assert.Contains(t, errs[0].Message, "Push Notification")
	_, cloned := srv.Program("Mobile Copy")
	assert.False(t, cloned)
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/3001/schedule.json", `{}`))
	assert.Equal(t, 0, srv.RESTUsage().ClonesToday, "the refused clone used up nothing")
	assert.Len(t, srv.Runs(), 1, "the program runs without a clone")

	requireFault(t, call(t, srv, schedule("Mobile", "Send", "<cloneToProgramName>Mobile Copy</cloneToProgramName>")), marketo.CodeBadParameter)
	p, _ := srv.Program("Mobile")
	assert.Equal(t, []string{"Push Notification"}, p.UncloneableAssets)
	assert.Error(t, srv.AddUncloneableAsset("Mobile", "Landing Page"), "only Adobe's listed types")
}

func TestCloneOfAFolderCampaignIsRefused(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	requireRESTError(t, restPost(t, srv, tok, "/rest/v1/campaigns/1005/schedule.json", `{"input":{"cloneToProgramName":"Copy"}}`), "709")
	assert.Empty(t, srv.Runs())
	assert.Equal(t, 0, srv.RESTUsage().ClonesToday)
}

func TestSeedFoldersAndInactiveCampaigns(t *testing.T) {
	t.Parallel()
	seed := `{"leads":[{"email":"a@example.com"}],
	  "folders":[{"name":"Ops","tokens":{"{{my.x}}":"1"},
	    "campaigns":[{"id":4001,"name":"Req","type":"trigger","requestable":true,"active":false},
	                 {"id":4002,"name":"Live","type":"trigger","requestable":true,"active":true}],
	    "lists":[{"name":"Ops List","members":["a@example.com"]}]}]}`
	sd, err := LoadSeed(strings.NewReader(seed))
	require.NoError(t, err)
	srv, _ := newRESTServer(t, WithEmptyTenant(), WithSeed(sd))
	f, ok := srv.Folder("Ops")
	require.True(t, ok)
	assert.Equal(t, map[string]string{"{{my.x}}": "1"}, f.Tokens)
	assert.Equal(t, []Campaign{
		{ID: 4001, Folder: "Ops", Name: "Req", Kind: Trigger, Requestable: true, Inactive: true},
		{ID: 4002, Folder: "Ops", Name: "Live", Kind: Trigger, Requestable: true},
	}, f.Campaigns)
	assert.Equal(t, []int{1}, f.Lists[0].Members)
	tok := getToken(t, srv)
	assert.Equal(t, []int{4002}, resultIDs(t, restGet(t, srv, tok, "/rest/v1/campaigns.json?isTriggerable=true")))
	requireRESTSuccess(t, restPost(t, srv, tok, "/rest/v1/campaigns/4002/trigger.json", `{"input":{"leads":[{"id":1}]}}`))
	assert.Equal(t, "Ops", srv.Runs()[0].Folder)

	bad := []string{
		`{"folders":[{"name":"F","campaigns":[{"name":"B","type":"batch","active":false}]}]}`,
		`{"folders":[{"name":"F"},{"name":"F"}]}`,
		`{"folders":[{"name":""}]}`,
		`{"programs":[{"name":"P","uncloneableAssets":["Email"]}]}`,
	}
	for _, b := range bad {
		sd, err := LoadSeed(strings.NewReader(b))
		require.NoError(t, err)
		assert.Error(t, NewUnstartedServer(WithEmptyTenant()).ApplySeed(sd), b)
	}
	s := NewUnstartedServer(WithEmptyTenant())
	require.NoError(t, s.AddProgram("Same", nil))
	require.NoError(t, s.AddFolder("Same", nil), "a folder may share a program's name")
	_, err = s.AddCampaign(Campaign{Program: "Same", Folder: "Same", Name: "X", Kind: Batch})
	assert.Error(t, err, "a program or a folder, not both")
	_, err = s.AddCampaign(Campaign{Folder: "Missing", Name: "X", Kind: Batch})
	assert.Error(t, err)
	require.NoError(t, s.AddFolderList("Same", "L"))
	assert.Error(t, s.AddFolderList("Same", "L"))
	assert.Error(t, s.AddFolderListMember("Same", "L", 9), "no lead 9")
}
