package marketo

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jobsBackend answers getImportToListStatus from a script of statuses per
// import ID, the last one repeated; the other operations are not used.
type jobsBackend struct {
	backend
	mu      sync.Mutex
	script  map[string][]ImportToListStatus
	err     map[string]error
	polled  []string
	lastReq *GetImportToListStatusParams
}

// forCall keeps the script: the options do not change it.
func (b *jobsBackend) forCall(callSettings) backend { return b }

func (b *jobsBackend) getImportToListStatus(_ context.Context, p *GetImportToListStatusParams) (*ImportToListStatus, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.polled = append(b.polled, p.ImportID)
	b.lastReq = p
	if err := b.err[p.ImportID]; err != nil {
		return nil, err
	}
	s := b.script[p.ImportID]
	st := s[0]
	if len(s) > 1 {
		b.script[p.ImportID] = s[1:]
	}
	st.ImportID = p.ImportID
	return &st, nil
}

func restJobsClient(t *testing.T, b *jobsBackend) *Client {
	t.Helper()
	c, err := newClient(apiREST, nil)
	require.NoError(t, err)
	b.backend = &restBackend{} // its rules
	c.backend = b
	return c
}

func job(raw string, imported, failed, warned int, msg string) ImportToListStatus {
	return ImportToListStatus{Status: restImportStatus(raw), RawStatus: raw, RowsImported: &imported, RowsFailed: &failed, RowsWithWarning: &warned, ImportSummary: msg}
}

var fastPolls = WithPollInterval(time.Millisecond)

func TestWaitForImportsSumsEveryJob(t *testing.T) {
	t.Parallel()
	b := &jobsBackend{script: map[string][]ImportToListStatus{
		"11": {job("Queued", 0, 0, 0, ""), job("Importing", 5, 0, 0, ""), job("Complete", 10, 1, 2, "done")},
		"12": {job("Queued", 0, 0, 0, ""), job("Complete", 7, 0, 1, "done too")},
	}}
	c := restJobsClient(t, b)
	var seen []string
	st, err := c.WaitForImports(context.Background(), &ImportToListResult{Status: ImportProcessing, ImportIDs: []string{"11", "12"}}, fastPolls,
		WithPollProgress(func(s ImportToListStatus) { seen = append(seen, s.ImportID+" "+s.RawStatus) }))
	require.NoError(t, err)
	assert.Equal(t, &ImportToListStatus{Status: ImportComplete, RowsImported: intPtr(17), RowsFailed: intPtr(1), RowsWithWarning: intPtr(3),
		ImportSummary: "11: done; 12: done too"}, st)
	assert.Equal(t, []string{"11 Queued", "11 Importing", "11 Complete", "12 Queued", "12 Complete"}, seen, "jobs in order, each status seen")
	assert.Equal(t, []string{"11", "11", "11", "12", "12"}, b.polled)
}

func TestWaitForImportsOneJobKeepsItsMessage(t *testing.T) {
	t.Parallel()
	b := &jobsBackend{script: map[string][]ImportToListStatus{"11": {job("Complete", 3, 0, 0, "Import succeeded")}}}
	st, err := restJobsClient(t, b).WaitForImports(context.Background(), &ImportToListResult{ImportIDs: []string{"11"}, ProgramName: "P", ListName: "L"}, fastPolls)
	require.NoError(t, err)
	assert.Equal(t, "Import succeeded", st.ImportSummary)
	assert.Equal(t, "L", b.lastReq.ListName, "the list names the job in errors")
}

func TestWaitForImportsWaitsForTheOthersAfterAFailure(t *testing.T) {
	t.Parallel()
	b := &jobsBackend{script: map[string][]ImportToListStatus{
		"11": {job("Failed", 0, 4, 0, "bad file")},
		"12": {job("Importing", 1, 0, 0, ""), job("Complete", 6, 0, 0, "ok")},
	}}
	st, err := restJobsClient(t, b).WaitForImports(context.Background(), &ImportToListResult{ImportIDs: []string{"11", "12"}, ListName: "L"}, fastPolls)
	var failed *ImportFailedError
	require.ErrorAs(t, err, &failed)
	assert.Equal(t, "11", failed.ImportID)
	assert.Equal(t, `marketo: import 11 to list "L" ended FAILED (4 rows failed): bad file`, failed.Error())
	assert.Equal(t, ImportFailed, st.Status)
	assert.Equal(t, intPtr(6), st.RowsImported)
	assert.Equal(t, intPtr(4), st.RowsFailed)
	assert.Equal(t, []string{"11", "12", "12"}, b.polled)
}

func TestWaitForImportsStopsAtAHardError(t *testing.T) {
	t.Parallel()
	boom := &OperationError{Operation: "GetImportToListStatus", Sent: true, Err: &Fault{Code: CodeRESTAccessDenied}}
	b := &jobsBackend{
		script: map[string][]ImportToListStatus{"11": {job("Complete", 2, 0, 0, "")}},
		err:    map[string]error{"12": boom},
	}
	st, err := restJobsClient(t, b).WaitForImports(context.Background(), &ImportToListResult{ImportIDs: []string{"11", "12", "13"}}, fastPolls)
	require.ErrorIs(t, err, ErrAccessDenied)
	assert.Equal(t, intPtr(2), st.RowsImported, "the jobs that ended are summed")
	assert.Equal(t, []string{"11", "12"}, b.polled)
}

func TestWaitForImportsValidates(t *testing.T) {
	t.Parallel()
	c := restJobsClient(t, &jobsBackend{})
	for _, tc := range []struct {
		r     *ImportToListResult
		field string
	}{
		{nil, "result"},
		{&ImportToListResult{ProgramName: "P", ListName: "L"}, "result.ImportIDs"},
		{&ImportToListResult{ImportIDs: []string{"x"}}, "ImportID"},
	} {
		_, err := c.WaitForImports(context.Background(), tc.r, fastPolls)
		errs := ValidationErrors(err)
		require.Len(t, errs, 1, "%v", err)
		assert.Equal(t, tc.field, errs[0].Field)
	}
	_, err := c.WaitForImports(context.Background(), &ImportToListResult{ImportIDs: []string{"1"}}, WithPollInterval(0))
	assert.Equal(t, "WithPollInterval", ValidationErrors(err)[0].Field)
}

func TestWaitForImportsFinalStatusNeedsNoPoll(t *testing.T) {
	t.Parallel()
	b := &jobsBackend{}
	final := &ImportToListStatus{Status: ImportComplete, RowsImported: intPtr(3), RowsIgnored: intPtr(1)}
	var seen int
	st, err := restJobsClient(t, b).WaitForImports(context.Background(), &ImportToListResult{Status: ImportComplete, FinalStatus: final},
		WithPollProgress(func(ImportToListStatus) { seen++ }))
	require.NoError(t, err)
	assert.Equal(t, final, st)
	assert.NotSame(t, final, st)
	assert.Equal(t, 1, seen)
	assert.Empty(t, b.polled)
}

func TestWaitForImportsOnSOAPFollowsTheList(t *testing.T) {
	t.Parallel()
	b := &jobsBackend{script: map[string][]ImportToListStatus{"": {{Status: ImportComplete}}}}
	c, err := newClient(apiSOAP, nil)
	require.NoError(t, err)
	b.backend = &soapBackend{} // its rules
	c.backend = b
	st, err := c.WaitForImports(context.Background(), &ImportToListResult{Status: ImportProcessing, ProgramName: "P", ListName: "L"}, fastPolls)
	require.NoError(t, err)
	assert.Equal(t, ImportComplete, st.Status)
	assert.Equal(t, &GetImportToListStatusParams{ProgramName: "P", ListName: "L"}, b.lastReq)

	_, err = c.WaitForImports(context.Background(), &ImportToListResult{})
	assert.Len(t, ValidationErrors(err), 2, "SOAP needs the result's program and list")
}

func TestWaitForImportDefaultIntervalPerAPI(t *testing.T) {
	t.Parallel()
	assert.Equal(t, time.Minute, defaultPollInterval(apiSOAP))
	assert.Equal(t, DefaultRESTPollInterval, defaultPollInterval(apiREST))
	assert.True(t, DefaultRESTPollInterval >= 5*time.Second && DefaultRESTPollInterval <= 30*time.Second, "Adobe asks for 5 to 30 s")

	// On REST WaitForImport follows the job ImportID names.
	b := &jobsBackend{script: map[string][]ImportToListStatus{"11": {job("Queued", 0, 0, 0, "")}}}
	c := restJobsClient(t, b)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := c.WaitForImport(ctx, GetImportToListStatusParams{ImportID: "11"}, WithPollProgress(func(ImportToListStatus) { cancel() }))
	require.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Equal(t, []string{"11"}, b.polled)
}
