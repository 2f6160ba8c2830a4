package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// Campaigns and static lists outside any program (in folders), as real
// tenants hold many: campaigns.json and lists.json records without
// programName, found on REST by their name alone or by their ID.

// folderCampaigns is a campaigns.json answer in the shape real tenants
// return: a campaign in a program, two in folders (no programName nor
// programId), two campaigns of one name in different places, one name
// that differs from another by case only.
const folderCampaigns = `{"requestId":"lookup#1","success":true,"result":[
{"id":1029,"name":"Folder Batch","type":"batch","workspaceName":"Default","createdAt":"2017-08-30T20:23:40Z","updatedAt":"2017-08-30T20:32:04Z","active":false},
{"id":1048,"name":"folder batch","type":"batch","workspaceName":"Default","active":false},
{"id":1051,"name":"Twin","description":"in a program","type":"batch","programName":"Webinar","programId":1004,"workspaceName":"Default","active":false},
{"id":1052,"name":"Twin","type":"batch","workspaceName":"EMEA","active":false},
{"id":1065,"name":"Folder Trigger","type":"trigger","workspaceName":"Default","active":true}]}`

// folderLists is a lists.json answer: a list in a program, a list in a
// folder, and a name that a list in a program and one in a folder share.
const folderLists = `{"requestId":"lookup#2","success":true,"result":[
{"id":1045,"name":"Trav-Test-List","programName":"Trav-Demo-Program","workspaceName":"Default"},
{"id":1007,"name":"Test list 1","workspaceName":"Default","createdAt":"2017-08-30T18:31:28Z","updatedAt":"2017-09-21T21:48:10Z"},
{"id":1008,"name":"Shared","programName":"Trav-Demo-Program","workspaceName":"Default"},
{"id":1009,"name":"Shared","workspaceName":"Default"}]}`

// folderTenant answers the lookups from folderCampaigns and folderLists,
// and every state-changing call with a requestId of its own and one
// warning in each of Marketo's two forms.
func folderTenant(_ int, r *http.Request, _ []byte) (int, string) {
	const done = `"requestId":"work#%s","success":true,"warnings":[{"code":"1003","message":"a record warning"},"a plain warning"]`
	switch p := r.URL.Path; {
	case p == "/rest/v1/campaigns.json":
		return 200, folderCampaigns
	case p == "/rest/v1/lists.json":
		return 200, folderLists
	case p == "/rest/v1/leads/describe.json":
		return 200, restOK(`[{"id":1,"displayName":"Email Address","dataType":"email","rest":{"name":"email","readOnly":false}}]`)
	case p == "/bulk/v1/leads.json":
		return 200, fmt.Sprintf(`{`+done+`,"result":[{"batchId":3404,"importId":"3404","status":"Queued"}]}`, "import")
	case strings.HasSuffix(p, "/schedule.json"), strings.HasSuffix(p, "/trigger.json"):
		id := strings.Split(p, "/")[4]
		return 200, fmt.Sprintf(`{`+done+`,"result":[{"id":%s}]}`, id, id)
	}
	return 200, restErr(610, "Requested resource not found")
}

// wantWork is the metadata of folderTenant's state-changing answer id.
func wantWork(id string) marketo.ResultMetadata {
	return marketo.ResultMetadata{RequestID: "work#" + id, RequestIDs: []string{"work#" + id},
		Warnings: []marketo.Warning{{Code: 1003, Message: "a record warning"}, {Message: "a plain warning"}}}
}

func TestRESTScheduleCampaignInAFolderByNameAlone(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, folderTenant)
	res, err := stub.client(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignName: "Folder Batch"})
	require.NoError(t, err)
	assert.Equal(t, 1029, res.CampaignID, "the one campaign of that exact name, case included")
	assert.Empty(t, res.ProgramName)
	assert.Equal(t, wantWork("1029"), res.Metadata, "the schedule's requestId and warnings, not the lookup's")

	reqs := stub.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/rest/v1/campaigns.json", reqs[0].Path)
	assert.Contains(t, reqs[0].RawQuery, "name=Folder+Batch")
	assert.NotContains(t, reqs[0].RawQuery, "programName", "no program filter: the name alone is looked up")
	assert.Equal(t, "/rest/v1/campaigns/1029/schedule.json", reqs[1].Path)
}

func TestRESTRequestCampaignInAFolderByNameAlone(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, folderTenant)
	res, err := stub.client(t).RequestCampaign(context.Background(), marketo.RequestCampaignParams{CampaignName: "Folder Trigger",
		Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "5"}}})
	require.NoError(t, err)
	assert.Equal(t, 1065, res.CampaignID)
	assert.Equal(t, wantWork("1065"), res.Metadata)
	assert.Equal(t, "/rest/v1/campaigns/1065/trigger.json", stub.posts()[0].Path)
}

func TestRESTCampaignNameAloneThatSeveralCarryIsAmbiguous(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, folderTenant)
	c := stub.client(t)
	_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignName: "Twin"})
	require.ErrorIs(t, err, marketo.ErrAmbiguousName)
	var ae *marketo.AmbiguousNameError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, &marketo.AmbiguousNameError{Asset: "campaign", Name: "Twin", Candidates: []marketo.NameMatch{
		{ID: 1051, ProgramName: "Webinar", WorkspaceName: "Default"},
		{ID: 1052, WorkspaceName: "EMEA"},
	}}, ae)
	assert.Contains(t, err.Error(), `2 campaigns are named "Twin": ID 1051 in program "Webinar" (workspace "Default"), ID 1052 in a folder (workspace "EMEA")`)
	assert.Contains(t, err.Error(), "CampaignID")
	assert.False(t, errors.Is(err, marketo.ErrCampaignNotFound))
	assert.False(t, errors.Is(err, marketo.ErrOutcomeUnknown), "only a lookup was sent: nothing ran")
	assert.Empty(t, stub.posts(), "nothing is scheduled")

	res, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{ProgramName: "Webinar", CampaignName: "Twin"})
	require.NoError(t, err, "ProgramName tells them apart, as before")
	assert.Equal(t, 1051, res.CampaignID)
}

func TestRESTCampaignNameAloneThatNoneCarriesIsNotFound(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, folderTenant)
	_, err := stub.client(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignName: "FOLDER BATCH"})
	require.ErrorIs(t, err, marketo.ErrCampaignNotFound, "names are compared exactly, case included")
	assert.False(t, errors.Is(err, marketo.ErrAmbiguousName))
	var le *marketo.CampaignLookupError
	require.ErrorAs(t, err, &le)
	assert.Empty(t, le.ProgramName)
	assert.Contains(t, err.Error(), `no campaign named "FOLDER BATCH"`)
	assert.NotContains(t, err.Error(), "program")
	assert.Empty(t, stub.posts())
}

func TestRESTImportToAListInAFolder(t *testing.T) {
	t.Parallel()
	rows := [][]string{{"a@example.com"}}
	t.Run("by name alone", func(t *testing.T) {
		t.Parallel()
		stub := newRESTStub(t, folderTenant)
		res, err := stub.client(t).ImportToList(context.Background(), marketo.ImportToListParams{ListName: "Test list 1",
			Mode: marketo.ImportModeUpsertLeads, Header: []string{"Email Address"}, Rows: rows})
		require.NoError(t, err)
		assert.Equal(t, 1007, res.ListID)
		assert.Equal(t, wantWork("import"), res.Metadata, "the bulk import's requestId, not the lookups'")
		lookup := stub.requests()[1]
		require.Equal(t, "/rest/v1/lists.json", lookup.Path)
		assert.NotContains(t, lookup.RawQuery, "programName")
		assert.Contains(t, string(stub.posts()[0].Body), "1007", "the list's ID is sent")
	})
	t.Run("by ListID", func(t *testing.T) {
		t.Parallel()
		stub := newRESTStub(t, folderTenant)
		res, err := stub.client(t).ImportToList(context.Background(), marketo.ImportToListParams{ListID: 1007,
			Mode: marketo.ImportModeUpsertLeads, Header: []string{"Email Address"}, Rows: rows})
		require.NoError(t, err)
		assert.Equal(t, 1007, res.ListID)
		assert.Equal(t, []string{"3404"}, res.ImportIDs)
		for _, r := range stub.requests() {
			assert.NotEqual(t, "/rest/v1/lists.json", r.Path, "ListID skips the lookup")
		}
		assert.Contains(t, string(stub.posts()[0].Body), "name=\"listId\"\r\n\r\n1007\r\n")
	})
	t.Run("ambiguous", func(t *testing.T) {
		t.Parallel()
		stub := newRESTStub(t, folderTenant)
		_, err := stub.client(t).ImportToList(context.Background(), marketo.ImportToListParams{ListName: "Shared",
			Mode: marketo.ImportModeUpsertLeads, Header: []string{"Email Address"}, Rows: rows})
		var ae *marketo.AmbiguousNameError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "static list", ae.Asset)
		assert.Equal(t, []marketo.NameMatch{{ID: 1008, ProgramName: "Trav-Demo-Program", WorkspaceName: "Default"}, {ID: 1009, WorkspaceName: "Default"}}, ae.Candidates)
		assert.Contains(t, err.Error(), "ListID")
		assert.False(t, errors.Is(err, marketo.ErrListNotFound))
		assert.Empty(t, stub.posts(), "nothing is imported")
	})
	t.Run("not found", func(t *testing.T) {
		t.Parallel()
		stub := newRESTStub(t, folderTenant)
		_, err := stub.client(t).ImportToList(context.Background(), marketo.ImportToListParams{ListName: "test list 1",
			Mode: marketo.ImportModeUpsertLeads, Header: []string{"Email Address"}, Rows: rows})
		require.ErrorIs(t, err, marketo.ErrListNotFound)
		assert.Contains(t, err.Error(), `no static list named "test list 1"`)
		assert.Empty(t, stub.posts())
	})
}

func TestRESTCampaignsSayWhereTheyLive(t *testing.T) {
	t.Parallel()
	const answer = `{"requestId":"page#1","success":true,"warnings":["deprecated"],"result":[
{"id":1065,"name":"In a folder","type":"trigger","workspaceName":"Default","active":true},
{"id":1066,"name":"In a program","type":"trigger","programName":"Webinar","programId":1004,"workspaceName":"Default","active":true},
{"id":1067,"name":"Asset form","type":"trigger","folder":{"id":1099,"type":"Folder"}},
{"id":1068,"name":"Named folder","type":"trigger","folder":{"type":"Folder","value":1100,"folderName":"Campaigns"}}]}`
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) { return 200, answer })
	res, err := stub.client(t).GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
	require.NoError(t, err)
	assert.Equal(t, []marketo.Campaign{
		{ID: 1065, Name: "In a folder", WorkspaceName: "Default"},
		{ID: 1066, Name: "In a program", ProgramName: "Webinar", ProgramID: 1004, WorkspaceName: "Default"},
		{ID: 1067, Name: "Asset form", Folder: &marketo.Folder{ID: 1099, Type: "Folder"}},
		{ID: 1068, Name: "Named folder", Folder: &marketo.Folder{ID: 1100, Type: "Folder", Name: "Campaigns"}},
	}, res.Campaigns)
	assert.Equal(t, marketo.ResultMetadata{RequestID: "page#1", RequestIDs: []string{"page#1"}, Warnings: []marketo.Warning{{Message: "deprecated"}}}, res.Metadata)
}

func TestProgramNameIsSOAPsRule(t *testing.T) {
	t.Parallel()
	schedule := marketo.ScheduleCampaignParams{CampaignName: "Folder Batch"}
	request := marketo.RequestCampaignParams{CampaignName: "Folder Trigger", Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "5"}}}
	imp := marketo.ImportToListParams{ListName: "Test list 1", Mode: marketo.ImportModeUpsertLeads, Header: []string{"Email Address"}, Rows: [][]string{{"a@example.com"}}}
	byID := imp
	byID.ListName, byID.ListID = "", 1007
	for name, p := range map[string]interface{ Validate() error }{"schedule": schedule, "request": request, "import": imp, "import by ID": byID} {
		assert.NoError(t, p.Validate(), "%s: the API-neutral rules take a name alone and a ListID", name)
	}

	c := newMockClient(t, neverCalled(t))
	ctx := context.Background()
	_, err := c.ScheduleCampaign(ctx, schedule)
	requireInvalid(t, err, "ScheduleCampaign", map[string]string{"ProgramName": "required"}, "ProgramName")
	_, err = c.RequestCampaign(ctx, request)
	requireInvalid(t, err, "RequestCampaign", map[string]string{"ProgramName": "required"}, "ProgramName")
	_, err = c.ImportToList(ctx, imp)
	requireInvalid(t, err, "ImportToList", map[string]string{"ProgramName": "required"}, "ProgramName")
	_, err = c.ImportToList(ctx, byID)
	requireInvalid(t, err, "ImportToList", map[string]string{"ListID": "not available on the SOAP API, which names lists: give ProgramName and ListName"}, "ListID")
}

func TestListIDNamesTheListAlone(t *testing.T) {
	t.Parallel()
	base := marketo.ImportToListParams{Mode: marketo.ImportModeUpsertLeads, Header: []string{"Email Address"}, Rows: [][]string{{"a@example.com"}}}
	cases := []struct {
		name   string
		mutate func(*marketo.ImportToListParams)
		rules  map[string]string
		fields []string
	}{
		{"nothing names the list", func(*marketo.ImportToListParams) {}, map[string]string{"ListName": "required"}, []string{"ListName"}},
		{"ID and name", func(p *marketo.ImportToListParams) { p.ListID, p.ListName = 7, "L" }, map[string]string{"ListName": "must be empty when ListID is set"}, []string{"ListName"}},
		{"ID and program", func(p *marketo.ImportToListParams) { p.ListID, p.ProgramName = 7, "P" }, map[string]string{"ProgramName": "must be empty when ListID is set"}, []string{"ProgramName"}},
		{"negative ID", func(p *marketo.ImportToListParams) { p.ListID = -1 }, map[string]string{"ListID": "positive 32-bit"}, []string{"ListID"}},
		{"blank program", func(p *marketo.ImportToListParams) { p.ListName, p.ProgramName = "L", " " }, map[string]string{"ProgramName": "blank"}, []string{"ProgramName"}},
	}
	stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
		t.Error("a request was sent")
		return 500, ""
	})
	c := stub.client(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := base
			tc.mutate(&p)
			_, err := c.ImportToList(context.Background(), p)
			requireInvalid(t, err, "ImportToList", tc.rules, tc.fields...)
			assert.Error(t, p.Validate(), "the API-neutral rules agree")
		})
	}
}

func TestSOAPResultsCarryNoMetadata(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, respond(&recorder{}, 200, "text/xml", successScheduleXML))
	res, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
	assert.Zero(t, res.Metadata, "SOAP answers carry no requestId nor warnings")
}
