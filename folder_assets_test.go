package marketo_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// Campaigns and static lists in folders, outside any program, on the fake:
// its default tenant has folder Operational Campaigns with batch campaign
// "Monthly Newsletter Send" and static list "Newsletter Subscribers".

const (
	folderName     = "Operational Campaigns"
	folderCampaign = "Monthly Newsletter Send"
	folderList     = "Newsletter Subscribers"
)

// folderListMembers returns the lead IDs of the folder's list.
func folderListMembers(t *testing.T, srv *marketotest.Server) []int {
	t.Helper()
	f, ok := srv.Folder(folderName)
	require.True(t, ok, "the fake's default tenant has folder %q", folderName)
	for _, l := range f.Lists {
		if l.Name == folderList {
			return l.Members
		}
	}
	t.Fatalf("folder %q has no list %q", folderName, folderList)
	return nil
}

func TestImportToAListWithoutProgramOnTheFake(t *testing.T) {
	t.Parallel()
	c, srv := importClient(t, "rest", nil)
	ctx := context.Background()
	header := []string{"Email Address", "First Name"}

	res, err := c.ImportToList(ctx, marketo.ImportToListParams{ListName: folderList, Mode: marketo.ImportModeUpsertLeads,
		Header: header, Rows: [][]string{{"folder.one@example.com", "One"}}})
	require.NoError(t, err, "found by its name alone")
	require.NotZero(t, res.ListID)
	require.NotEmpty(t, res.Metadata.RequestID)
	_, err = c.WaitForImports(ctx, res, fastPolls...)
	require.NoError(t, err)

	res2, err := c.ImportToList(ctx, marketo.ImportToListParams{ListID: res.ListID, Mode: marketo.ImportModeUpsertLeads,
		Header: header, Rows: [][]string{{"folder.two@example.com", "Two"}}})
	require.NoError(t, err, "named by its ID")
	assert.Equal(t, res.ListID, res2.ListID)
	assert.NotEqual(t, res.Metadata.RequestID, res2.Metadata.RequestID, "each call's own requestId")
	_, err = c.WaitForImports(ctx, res2, fastPolls...)
	require.NoError(t, err)

	listOnly, err := c.ImportToList(ctx, marketo.ImportToListParams{ListID: res.ListID, Mode: marketo.ImportModeListOnly,
		Header: []string{"Email Address"}, Rows: [][]string{{"jdoe@janeconsulting.com"}}})
	require.NoError(t, err, "an existing lead added by ListID")
	require.NotNil(t, listOnly.FinalStatus)
	assert.Equal(t, 1, *listOnly.FinalStatus.RowsImported)
	assert.Len(t, listOnly.Metadata.RequestIDs, 1, "the one add to the list")

	leads := leadsByEmail(srv)
	members := folderListMembers(t, srv)
	for _, email := range []string{"folder.one@example.com", "folder.two@example.com", "jdoe@janeconsulting.com"} {
		l, ok := leads[email]
		require.True(t, ok, "lead %s", email)
		assert.True(t, slices.Contains(members, l.ID), "%s is in the folder's list", email)
	}
	lookups := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/lists.json") {
			lookups++
		}
	}
	assert.Equal(t, 1, lookups, "the lookup by name; ListID skips it")
}

func TestScheduleAFolderCampaignByNameAloneOnTheFake(t *testing.T) {
	t.Parallel()
	srv, c := newRESTFake(t)
	res, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignName: folderCampaign})
	require.NoError(t, err)
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, folderName, runs[0].Folder)
	assert.Equal(t, runs[0].CampaignID, res.CampaignID)
	assert.Empty(t, res.ProgramName)
	assert.NotEmpty(t, res.Metadata.RequestID)
}

func TestAmbiguousNamesOnTheFake(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer(marketotest.WithSeed(&marketotest.Seed{Programs: []marketotest.SeedProgram{{Name: "Newsletter Program",
		Campaigns: []marketotest.SeedCampaign{{Name: folderCampaign, Type: "batch"}},
		Lists:     []marketotest.SeedList{{Name: folderList}}}}}))
	t.Cleanup(srv.Close)
	c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithoutRetries())
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()

	_, err = c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{CampaignName: folderCampaign})
	var ae *marketo.AmbiguousNameError
	require.ErrorAs(t, err, &ae)
	require.Len(t, ae.Candidates, 2)
	programs := []string{ae.Candidates[0].ProgramName, ae.Candidates[1].ProgramName}
	assert.ElementsMatch(t, []string{"", "Newsletter Program"}, programs, "one in the folder, one in the program")
	assert.False(t, errors.Is(err, marketo.ErrOutcomeUnknown))
	assert.Empty(t, srv.Runs(), "nothing ran")

	_, err = c.ImportToList(ctx, marketo.ImportToListParams{ListName: folderList, Mode: marketo.ImportModeUpsertLeads,
		Header: []string{"Email Address"}, Rows: [][]string{{"x@example.com"}}})
	require.ErrorIs(t, err, marketo.ErrAmbiguousName)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "static list", ae.Asset)
	assert.Empty(t, srv.BulkImports(), "nothing was imported")

	res, err := c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{ProgramName: "Newsletter Program", CampaignName: folderCampaign})
	require.NoError(t, err, "ProgramName picks the program's campaign")
	assert.Equal(t, "Newsletter Program", srv.Runs()[0].Program)
	folderID := ae.Candidates[0].ID
	if ae.Candidates[0].ProgramName != "" {
		folderID = ae.Candidates[1].ID
	}
	assert.NotEqual(t, folderID, res.CampaignID)
}

func TestCampaignsInFoldersHaveNoProgramOnTheFake(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer(marketotest.WithSeed(&marketotest.Seed{Folders: []marketotest.SeedFolder{{Name: "Requests",
		Campaigns: []marketotest.SeedCampaign{{Name: "Folder Welcome", Type: "trigger", Requestable: true}}}}}))
	t.Cleanup(srv.Close)
	c, err := marketo.NewRESTClient(srv.RESTConfig(), marketo.WithoutRetries())
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	res, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
	require.NoError(t, err)
	var inFolder, inProgram int
	for _, cp := range res.Campaigns {
		switch {
		case cp.Name == "Folder Welcome":
			inFolder++
			assert.Empty(t, cp.ProgramName)
			assert.Zero(t, cp.ProgramID)
		case strings.TrimSpace(cp.ProgramName) != "":
			inProgram++
			assert.NotZero(t, cp.ProgramID)
		}
		assert.Equal(t, marketotest.Workspace, cp.WorkspaceName)
	}
	assert.Equal(t, 1, inFolder)
	assert.Positive(t, inProgram)
	assert.Len(t, res.Metadata.RequestIDs, 1, "one page")

	leads := []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "1"}}
	trig, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{CampaignName: "Folder Welcome", Leads: leads})
	require.NoError(t, err, "requested by its name alone")
	assert.Equal(t, "Requests", srv.Runs()[0].Folder)
	assert.NotEmpty(t, trig.Metadata.RequestID)
}
