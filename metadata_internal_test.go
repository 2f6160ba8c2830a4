package marketo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResultMetadataKeepsEveryRequestInOrder(t *testing.T) {
	t.Parallel()
	var m ResultMetadata
	m.add(nil)
	m.add(&restwire.Envelope{})
	assert.Zero(t, m, "no answer, or one without a requestId, adds nothing")
	m.add(&restwire.Envelope{RequestID: "a", Warnings: []restwire.Reason{{Code: 1003, Message: "w1"}}})
	m.merge(ResultMetadata{RequestID: "b", RequestIDs: []string{"b", "c"}, Warnings: []Warning{{Message: "w2"}}})
	assert.Equal(t, ResultMetadata{RequestID: "a", RequestIDs: []string{"a", "b", "c"},
		Warnings: []Warning{{Code: 1003, Message: "w1"}, {Message: "w2"}}}, m, "RequestID stays the first")
}

func TestWaitForImportsCombinesEachJobsMetadata(t *testing.T) {
	t.Parallel()
	one := &ImportToListStatus{Status: ImportComplete, ImportID: "1", Metadata: ResultMetadata{RequestID: "p1", RequestIDs: []string{"p1"}}}
	two := &ImportToListStatus{Status: ImportComplete, ImportID: "2", Metadata: ResultMetadata{RequestID: "p2", RequestIDs: []string{"p2"}, Warnings: []Warning{{Message: "w"}}}}
	sum := addJobStatus(addJobStatus(nil, one, true), two, true)
	assert.Equal(t, ResultMetadata{RequestID: "p1", RequestIDs: []string{"p1", "p2"}, Warnings: []Warning{{Message: "w"}}}, sum.Metadata)
}

func TestNameInAProgramThatSeveralCarryMatchesErrAmbiguousName(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{
		"/rest/v1/campaigns.json": {campaignPage("", campaignRec(11, "Twin", "P"), campaignRec(12, "Twin", "P"))},
		"/rest/v1/lists.json":     {`{"requestId":"1","success":true,"result":[{"id":1,"name":"L","programName":"P"},{"id":2,"name":"L","programName":"P"}]}`},
	}}
	_, err := lookupCampaign(context.Background(), g.get, "P", "Twin")
	var ce *CampaignLookupError
	require.ErrorAs(t, err, &ce, "with ProgramName the error stays a *CampaignLookupError")
	assert.True(t, errors.Is(err, ErrAmbiguousName))
	_, err = lookupList(context.Background(), g.get, "P", "L")
	var le *ListLookupError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, []int{1, 2}, le.IDs)
	assert.True(t, errors.Is(err, ErrAmbiguousName))
	assert.False(t, errors.Is(err, ErrListNotFound))
	assert.Contains(t, err.Error(), `2 static lists are named "L" in program "P" (IDs 1, 2); give the one meant as ListID`)
}

func TestNameAloneIsCachedApartFromTheSameNameInAProgram(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {
		campaignPage("", campaignRec(11, "C", "P"), `{"id":12,"name":"D","workspaceName":"Default"}`),
		campaignPage("", campaignRec(11, "C", "P"), `{"id":12,"name":"D","workspaceName":"Default"}`),
	}}}
	cache := newCampaignCache(time.Now)
	id, err := cache.resolve(context.Background(), g.get, "", "D")
	require.NoError(t, err)
	assert.Equal(t, 12, id)
	assert.Equal(t, []string{"/rest/v1/campaigns.json?batchSize=300&name=D"}, g.queries, "no programName filter")
	id, err = cache.resolve(context.Background(), g.get, "P", "C")
	require.NoError(t, err)
	assert.Equal(t, 11, id)
	id, err = cache.resolve(context.Background(), g.get, "", "D")
	require.NoError(t, err)
	assert.Equal(t, 12, id)
	assert.Equal(t, 2, g.count(), "the name alone was cached")
}

func TestAmbiguousNameErrorSaysWhereEachCandidateLives(t *testing.T) {
	t.Parallel()
	e := &AmbiguousNameError{Asset: "static list", Name: "L", Candidates: []NameMatch{
		{ID: 1, ProgramName: "P"},
		{ID: 2, Folder: &Folder{ID: 9, Type: "Folder", Name: "Lists"}, WorkspaceName: "EMEA"},
		{ID: 3, Folder: &Folder{ID: 10, Type: "Folder"}},
		{ID: 4},
	}}
	assert.Equal(t, `4 static lists are named "L": ID 1 in program "P", ID 2 in folder "Lists" (workspace "EMEA"), ID 3 in folder 10, ID 4 in a folder; `+
		`name the one meant by ListID (or by ProgramName when it is in a program)`, e.Error())
	assert.True(t, errors.Is(e, ErrAmbiguousName))
	assert.False(t, errors.Is(e, ErrListNotFound))
}
