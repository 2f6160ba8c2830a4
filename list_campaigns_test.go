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
	"github.com/mktows/marketo/marketotest"
)

// campaignsJSONRequests returns the queries of the campaigns.json GETs the
// fake received.
func campaignsJSONRequests(srv *marketotest.Server) []string {
	var qs []string
	for _, r := range srv.Requests() {
		if r.Path == "/rest/v1/campaigns.json" {
			qs = append(qs, r.Query)
		}
	}
	return qs
}

func listedIDs(list []marketo.ListedCampaign) []int {
	ids := make([]int, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	return ids
}

func TestListCampaignsListsBatchAndTrigger(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t)
	res, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{})
	require.NoError(t, err)
	require.Equal(t, []int{1001, 1002, 1003, 1004, 1005, 1006}, listedIDs(res.Campaigns), "every campaign, batch, trigger, inactive, in folders")
	assert.False(t, res.Truncated)
	batch := res.Campaigns[0]
	assert.Equal(t, "Batch Campaign Example", batch.Name)
	assert.Equal(t, marketo.CampaignTypeBatch, batch.Type)
	assert.False(t, batch.Active, "Marketo reports batch campaigns as not active")
	assert.Equal(t, "Trav-Demo-Program", batch.ProgramName)
	assert.NotZero(t, batch.ProgramID)
	assert.Equal(t, "Default", batch.WorkspaceName)
	assert.False(t, batch.InFolder())
	trigger := res.Campaigns[1]
	assert.Equal(t, marketo.CampaignTypeTrigger, trigger.Type)
	assert.True(t, trigger.Active)
	assert.False(t, res.Campaigns[5].Active, "the deactivated trigger campaign")
	assert.NotEmpty(t, res.Metadata.RequestID)

	qs := campaignsJSONRequests(srv)
	require.Len(t, qs, 1)
	assert.NotContains(t, qs[0], "isTriggerable", "the filter would leave out batch campaigns")

	for _, typ := range []marketo.CampaignType{marketo.CampaignTypeBatch, marketo.CampaignTypeTrigger} {
		res, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{Type: typ})
		require.NoError(t, err)
		require.NotEmpty(t, res.Campaigns)
		for _, cp := range res.Campaigns {
			assert.Equal(t, typ, cp.Type, "campaign %d", cp.ID)
		}
	}
}

func TestListCampaignsFolderCampaignHasNoProgram(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t)
	res, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{Name: folderCampaign})
	require.NoError(t, err)
	require.Len(t, res.Campaigns, 1)
	got := res.Campaigns[0]
	assert.Equal(t, 1005, got.ID)
	assert.True(t, got.InFolder())
	assert.Empty(t, got.ProgramName)
	assert.Zero(t, got.ProgramID)
	assert.Equal(t, marketo.CampaignTypeBatch, got.Type)
	assert.Equal(t, []string{"batchSize=300&name=Monthly+Newsletter+Send"}, campaignsJSONRequests(srv), "the name filter is sent")

	res, err = c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{Name: folderCampaign, ProgramName: "Trav-Demo-Program"})
	require.NoError(t, err)
	assert.Empty(t, res.Campaigns, "a folder campaign is in no program")
}

// After a clone, a program's campaigns exist twice under the same names:
// ID and program tell them apart, and Name matches whole names only.
func TestListCampaignsTellsClonesApart(t *testing.T) {
	t.Parallel()
	_, c := newRESTFake(t)
	ctx := context.Background()
	_, err := c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{CampaignID: 1001, CloneToProgramName: "Copy"})
	require.NoError(t, err)

	res, err := c.ListCampaigns(ctx, marketo.ListCampaignsParams{Name: "Trigger Campaign Example"})
	require.NoError(t, err)
	require.Len(t, res.Campaigns, 2, "the original and its clone; not 'Paused Request Trigger' nor substrings")
	a, b := res.Campaigns[0], res.Campaigns[1]
	assert.Equal(t, a.Name, b.Name)
	assert.NotEqual(t, a.ID, b.ID)
	assert.Equal(t, []string{"Trav-Demo-Program", "Copy"}, []string{a.ProgramName, b.ProgramName})
	assert.NotEqual(t, a.ProgramID, b.ProgramID)

	res, err = c.ListCampaigns(ctx, marketo.ListCampaignsParams{Name: "Trigger Campaign Example", ProgramName: "Copy"})
	require.NoError(t, err)
	assert.Equal(t, []int{b.ID}, listedIDs(res.Campaigns))
}

func TestListCampaignsReadsEveryPage(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t)
	require.NoError(t, srv.AddProgram("Big", nil))
	for i := range 644 { // with the default tenant's 6: 650, three pages
		_, err := srv.AddCampaign(marketotest.Campaign{Program: "Big", Name: fmt.Sprintf("C%03d", i), Kind: marketotest.Batch})
		require.NoError(t, err)
	}
	res, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{})
	require.NoError(t, err)
	require.Len(t, res.Campaigns, 650)
	assert.False(t, res.Truncated)
	assert.Len(t, res.Metadata.RequestIDs, 3, "one requestId per page")
	qs := campaignsJSONRequests(srv)
	require.Len(t, qs, 3)
	assert.Contains(t, qs[1], "nextPageToken=")

	res, err = c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{Limit: 301})
	require.NoError(t, err)
	assert.Len(t, res.Campaigns, 301)
	assert.True(t, res.Truncated, "more matched than Limit")
	assert.Len(t, campaignsJSONRequests(srv), 5, "stops reading once the list is full")

	res, err = c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{Limit: 650})
	require.NoError(t, err)
	assert.Len(t, res.Campaigns, 650)
	assert.False(t, res.Truncated, "exactly Limit matched")
}

// A tenant (or a liar) that pages forever ends the list as Truncated
// after a bounded number of calls.
func TestListCampaignsPagingIsBounded(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(i int, _ *http.Request, _ []byte) (int, string) {
		return 200, fmt.Sprintf(`{"requestId":"r%d","success":true,"nextPageToken":"T%d===","result":[{"id":%d,"name":"C","type":"batch","active":false}]}`, i, i, i+1)
	})
	c := stub.client(t, marketo.WithoutLimiter()) // 200 calls, over the 20 s window's 100
	res, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{})
	require.NoError(t, err)
	assert.True(t, res.Truncated)
	assert.Len(t, res.Campaigns, 200)
	assert.Len(t, res.Metadata.RequestIDs, 200, "200 pages read, then no more")
}

func TestListCampaignsRefusesABrokenRecord(t *testing.T) {
	t.Parallel()
	for _, rec := range []string{`{"id":1,"name":"C","type":"program"}`, `{"id":0,"name":"C","type":"batch"}`, `{"id":1,"name":"","type":"trigger"}`} {
		stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
			return 200, `{"requestId":"r","success":true,"result":[` + rec + `]}`
		})
		_, err := stub.client(t).ListCampaigns(context.Background(), marketo.ListCampaignsParams{})
		var re *marketo.ResponseError
		require.ErrorAs(t, err, &re, rec)
		assert.Contains(t, re.Reason, "campaign record 0", rec)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown, "a read changes nothing")
	}
}

func TestListCampaignsValidates(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t)
	_, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{Type: "Batch", Name: " ", Limit: -1})
	var fields []string
	for _, v := range marketo.ValidationErrors(err) {
		fields = append(fields, v.Field)
	}
	assert.Equal(t, []string{"Type", "Name", "Limit"}, fields)
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "ListCampaigns", oe.Operation)
	assert.False(t, oe.Sent)
	assert.Empty(t, campaignsJSONRequests(srv))
	assert.Error(t, marketo.ListCampaignsParams{Limit: 100_001}.Validate())
	assert.NoError(t, marketo.ListCampaignsParams{Type: marketo.CampaignTypeTrigger, Limit: 100_000}.Validate())
}

func TestListCampaignsOnSOAPIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer()
	t.Cleanup(srv.Close)
	c, err := marketo.NewClient(srv.Config())
	require.NoError(t, err)
	_, err = c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{})
	require.ErrorIs(t, err, marketo.ErrRESTOnly)
	assert.Contains(t, err.Error(), "batch campaigns")
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent)
	assert.False(t, errors.Is(err, marketo.ErrOutcomeUnknown))
	assert.Empty(t, srv.Requests())
}

func ExampleClient_ListCampaigns() {
	srv := marketotest.NewServer()
	defer srv.Close()
	client, err := marketo.NewRESTClient(srv.RESTConfig())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	// Cloning a program copies its campaigns under the same names.
	if _, err := client.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{
		CampaignID: 1001, CloneToProgramName: "Copy",
	}); err != nil {
		panic(err)
	}
	res, err := client.ListCampaigns(ctx, marketo.ListCampaignsParams{Type: marketo.CampaignTypeBatch})
	if err != nil {
		panic(err)
	}
	for _, c := range res.Campaigns {
		where := "program " + c.ProgramName
		if c.InFolder() {
			where = "a folder"
		}
		fmt.Printf("%s (#%d) in %s\n", c.Name, c.ID, where)
	}
	// Output:
	// Batch Campaign Example (#1001) in program Trav-Demo-Program
	// Monthly Newsletter Send (#1005) in a folder
	// Batch Campaign Example (#1007) in program Copy
}

// The filters Marketo can take are sent, one it cannot (a name with a
// comma) is applied on the client only, and a record a later page repeats
// is listed once.
func TestListCampaignsFiltersAndRepeats(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(i int, _ *http.Request, _ []byte) (int, string) {
		if i == 0 {
			return 200, `{"requestId":"r0","success":true,"nextPageToken":"P1======","result":[` +
				`{"id":7,"name":"A, B","type":"batch","programName":"P","programId":3,"workspaceName":"W","active":false},` +
				`{"id":8,"name":"A, B","type":"trigger","programName":"Q","programId":4,"workspaceName":"W","active":true}]}`
		}
		return 200, `{"requestId":"r1","success":true,"result":[{"id":7,"name":"A, B","type":"batch","programName":"P","programId":3,"workspaceName":"W","active":false}]}`
	})
	res, err := stub.client(t).ListCampaigns(context.Background(), marketo.ListCampaignsParams{Name: "A, B", WorkspaceName: "W", Type: marketo.CampaignTypeBatch})
	require.NoError(t, err)
	assert.Equal(t, []int{7}, listedIDs(res.Campaigns), "the trigger campaign left out, the repeat listed once")
	reqs := stub.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "batchSize=300&workspaceName=W", reqs[0].RawQuery, "no name filter: Marketo reads a comma as a list")
	assert.Contains(t, reqs[1].RawQuery, "nextPageToken=P1")
}

// The last page the bound lets the client read ends the list without
// Truncated when it is empty: an empty page ends a list whatever token it
// carries.
func TestListCampaignsEmptyPageAtTheBoundEndsTheList(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, func(i int, _ *http.Request, _ []byte) (int, string) {
		result := fmt.Sprintf(`{"id":%d,"name":"C","type":"batch","active":false}`, i+1)
		if i == 199 {
			result = ""
		}
		return 200, fmt.Sprintf(`{"requestId":"r%d","success":true,"nextPageToken":"T%d===","result":[%s]}`, i, i, result)
	})
	c := stub.client(t, marketo.WithoutLimiter())
	res, err := c.ListCampaigns(context.Background(), marketo.ListCampaignsParams{})
	require.NoError(t, err)
	assert.False(t, res.Truncated)
	assert.Len(t, res.Campaigns, 199)
	assert.Len(t, stub.requests(), 200)
}

// A workspace name is sent as a filter up to the filter's byte limit
// (3 KiB, escaped), and applied on the client only beyond it.
func TestListCampaignsWorkspaceFilterLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size int
		sent bool
	}{{3071, true}, {3072, true}, {3073, false}} {
		stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
			return 200, `{"requestId":"r","success":true,"result":[]}`
		})
		w := strings.Repeat("w", tc.size)
		_, err := stub.client(t).ListCampaigns(context.Background(), marketo.ListCampaignsParams{WorkspaceName: w})
		require.NoError(t, err, tc.size)
		reqs := stub.requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, tc.sent, strings.Contains(reqs[0].RawQuery, "workspaceName="+w), "%d bytes", tc.size)
	}
}
