package marketo

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeImportWire records what an import sends and answers from a script.
type fakeImportWire struct {
	t       *testing.T
	mu      sync.Mutex
	lookups []string     // list lookups
	jobs    [][][]string // the CSV records of each accepted job, header first
	listIDs []string     // the listId field of each accepted job
	answers []error      // per submit, in order; nil accepts; past the end, accept
	submits int
	nextID  int
	// LISTONLY
	leads   map[string][]int // lower-case email → lead IDs
	found   [][]string       // the emails of each lookup
	added   [][]int          // the IDs of each add
	skip    map[int]string   // lead ID → skip reason
	addErrs []error          // per add call
	// split imports: each job reads as processing for busyPolls status
	// reads, then complete; statusErr, if set, answers every read
	busyPolls int
	statusErr error
	events    []string // "submit" and "status <id>", in order
}

func (f *fakeImportWire) wire(limit int) *restImportHooks {
	return &restImportHooks{
		listID: func(_ context.Context, program, list string) (int, error) {
			f.lookups = append(f.lookups, program+"/"+list)
			return 1045, nil
		},
		fields: func(context.Context) (*restwire.LeadFieldNames, error) { return testFieldNames(f.t), nil },
		submit: func(_ context.Context, body *restwire.ImportBody) (*restImportBatch, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			i := f.submits
			f.submits++
			if i < len(f.answers) && f.answers[i] != nil {
				return nil, f.answers[i]
			}
			f.events = append(f.events, "submit")
			f.accept(body)
			f.nextID++
			id := fmt.Sprintf("job#%d", f.nextID)
			return &restImportBatch{BatchID: json.Number(strconv.Itoa(3400 + f.nextID)), Status: restImportQueued,
				meta: ResultMetadata{RequestID: id, RequestIDs: []string{id}, Warnings: []Warning{{Code: 1, Message: id}}}}, nil
		},
		findLeads: func(_ context.Context, emails []string) ([]restLead, error) {
			f.found = append(f.found, emails)
			var out []restLead
			for _, e := range emails {
				for _, id := range f.leads[e] {
					out = append(out, restLead{ID: id, Email: e})
				}
			}
			return out, nil
		},
		addToList: func(_ context.Context, _ int, ids []int) ([]restListMember, ResultMetadata, error) {
			if n := len(f.added); n < len(f.addErrs) && f.addErrs[n] != nil {
				f.added = append(f.added, nil)
				return nil, ResultMetadata{}, f.addErrs[n]
			}
			f.added = append(f.added, ids)
			out := make([]restListMember, len(ids))
			for i, id := range ids {
				out[i] = restListMember{ID: id, Status: "added"}
				if r, ok := f.skip[id]; ok {
					out[i].Status = "skipped"
					out[i].Reasons = append(out[i].Reasons, struct {
						Message string `json:"message"`
					}{r})
				}
			}
			id := fmt.Sprintf("add#%d", len(f.added))
			return out, ResultMetadata{RequestID: id, RequestIDs: []string{id}}, nil
		},
		jobStatus: func(_ context.Context, id string) (ImportStatus, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.events = append(f.events, "status "+id)
			if f.statusErr != nil {
				return "", f.statusErr
			}
			reads := 0
			for _, e := range f.events {
				if e == "status "+id {
					reads++
				}
			}
			if reads <= f.busyPolls {
				return ImportProcessing, nil
			}
			return ImportComplete, nil
		},
		boundary:  func() string { return testBoundary },
		limit:     limit,
		pollEvery: time.Millisecond,
	}
}

// accept reads an accepted body as Marketo would.
func (f *fakeImportWire) accept(body *restwire.ImportBody) {
	raw, err := io.ReadAll(uploadOf(body, &requestBodyGate{}))
	require.NoError(f.t, err)
	require.Len(f.t, raw, int(body.Size()))
	_, params, err := mime.ParseMediaType(body.ContentType())
	require.NoError(f.t, err)
	form, err := multipart.NewReader(bytes.NewReader(raw), params["boundary"]).ReadForm(32 << 20)
	require.NoError(f.t, err)
	file, err := form.File["file"][0].Open()
	require.NoError(f.t, err)
	records, err := csv.NewReader(file).ReadAll()
	require.NoError(f.t, err)
	f.jobs = append(f.jobs, records)
	f.listIDs = append(f.listIDs, form.Value["listId"][0])
}

func upsertParams(rows int) *ImportToListParams {
	p := &ImportToListParams{ProgramName: "P", ListName: "L", Mode: ImportModeUpsertLeads, Header: []string{"Email Address", "First Name", "lastName"}}
	for i := range rows {
		p.Rows = append(p.Rows, []string{fmt.Sprintf("lead%d@example.com", i), "Fïrst, \"quoted\"", "Last\nline"})
	}
	return p
}

func TestRESTImportSplitsAndSubmitsInOrder(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t}
	p := upsertParams(100)
	res, err := f.wire(2000).importToList(context.Background(), p)
	require.NoError(t, err)
	require.Greater(t, len(f.jobs), 2, "100 rows of ~50 bytes make several 2,000-byte jobs")
	var md ResultMetadata
	for i := range f.jobs {
		id := fmt.Sprintf("job#%d", i+1)
		md.RequestIDs = append(md.RequestIDs, id)
		md.Warnings = append(md.Warnings, Warning{Code: 1, Message: id})
	}
	md.RequestID = "job#1"
	assert.Equal(t, &ImportToListResult{Status: ImportProcessing, ProgramName: "P", ListName: "L", ListID: 1045, ImportIDs: seqIDs(len(f.jobs)),
		Metadata: md}, res, "every job's requestId and warnings, in order")
	var rows [][]string
	for i, records := range f.jobs {
		assert.Equal(t, []string{"email", "firstName", "lastName"}, records[0], "job %d header in REST names", i)
		assert.Equal(t, "1045", f.listIDs[i])
		rows = append(rows, records[1:]...)
	}
	assert.Equal(t, p.Rows, rows, "every row once, in order")
	assert.Equal(t, []string{"P/L"}, f.lookups)
}

// TestRESTImportWaitsForItsPreviousJob: a job for a list that is still
// importing is refused (1019), so each job after the first is submitted
// once the job before it has left Queued and Importing.
func TestRESTImportWaitsForItsPreviousJob(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t, busyPolls: 2}
	res, err := f.wire(2000).importToList(context.Background(), upsertParams(100))
	require.NoError(t, err)
	require.Greater(t, len(res.ImportIDs), 2)
	want := []string{"submit"}
	for _, id := range res.ImportIDs[:len(res.ImportIDs)-1] {
		want = append(want, "status "+id, "status "+id, "status "+id, "submit")
	}
	assert.Equal(t, want, f.events, "read until complete, then submit; the last job is not waited for")
}

// TestRESTImportWaitThatFailsKeepsTheAcceptedJobs: a status read that
// fails while waiting ends the import as an incomplete one, in the
// import's name, with nothing of the next job sent.
func TestRESTImportWaitThatFailsKeepsTheAcceptedJobs(t *testing.T) {
	t.Parallel()
	readErr := &OperationError{Operation: "GetImportToListStatus", Sent: true, Attempts: 4, Err: &Fault{Code: CodeMaxRateExceeded}}
	f := &fakeImportWire{t: t, statusErr: readErr}
	_, err := f.wire(2000).importToList(context.Background(), upsertParams(100))
	var ie *ImportIncompleteError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []string{"3401"}, ie.ImportIDs)
	var oe *OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "ImportToList", oe.Operation)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, f.submits)

	ctx, cancel := context.WithCancel(context.Background())
	f = &fakeImportWire{t: t, busyPolls: 1 << 30}
	w := f.wire(2000)
	w.pollEvery = time.Hour
	go func() {
		for {
			f.mu.Lock()
			n := len(f.events)
			f.mu.Unlock()
			if n >= 2 {
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, err = w.importToList(ctx, upsertParams(100))
	require.ErrorAs(t, err, &ie)
	assert.ErrorIs(t, err, context.Canceled, "the caller's context ends the wait")
	assert.Equal(t, 1, f.submits)
}

func seqIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = strconv.Itoa(3401 + i)
	}
	return ids
}

func busyFault(code Code) error {
	return &OperationError{Operation: "ImportToList", Sent: true, Attempts: 4, Err: &Fault{Code: code, Message: "busy"}}
}

// TestRESTImportLeavesBusyAnswersToTheRetryPolicy: the wire submits each
// job once; a busy queue or list that outlasts the call's retries ends
// the import, keeping the jobs accepted before it.
func TestRESTImportLeavesBusyAnswersToTheRetryPolicy(t *testing.T) {
	t.Parallel()
	for _, code := range codesIn(classBusy) {
		t.Run(code.String(), func(t *testing.T) {
			t.Parallel()
			f := &fakeImportWire{t: t, answers: []error{nil, busyFault(code), nil}}
			_, err := f.wire(2000).importToList(context.Background(), upsertParams(60))
			var ie *ImportIncompleteError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, []string{"3401"}, ie.ImportIDs)
			assert.Equal(t, 2, f.submits, "the busy job is not submitted again past the retry policy")
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a busy answer proves the job did not run")
		})
	}
}

func TestRESTImportPartialFailureCarriesTheAcceptedIDs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		err     error
		unknown bool
	}{
		{"refused", &OperationError{Operation: "ImportToList", Sent: true, Attempts: 1, Err: &Fault{Code: CodeInvalidData, Message: "bad"}}, false},
		{"outcome unknown", &OperationError{Operation: "ImportToList", Sent: true, Attempts: 1, OutcomeUnknown: true, Err: io.ErrUnexpectedEOF}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeImportWire{t: t, answers: []error{nil, nil, tc.err}}
			p := upsertParams(100)
			res, err := f.wire(2000).importToList(context.Background(), p)
			assert.Nil(t, res)
			var ie *ImportIncompleteError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, []string{"3401", "3402"}, ie.ImportIDs)
			assert.Equal(t, len(f.jobs[0])+len(f.jobs[1])-2, ie.NextRow, "the rows of the two accepted jobs")
			var oe *OperationError
			require.ErrorAs(t, err, &oe)
			assert.True(t, oe.Sent)
			assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown))
			assert.ErrorIs(t, err, tc.err.(*OperationError).Err, "the cause is kept")
			assert.Contains(t, err.Error(), "accepted import jobs 3401, 3402")
			assert.Equal(t, 3, f.submits, "no job after the failed one")
		})
	}
}

func TestRESTImportFirstJobFailureIsPlain(t *testing.T) {
	t.Parallel()
	fault := &OperationError{Operation: "ImportToList", Sent: true, Attempts: 1, Err: &Fault{Code: CodeObjectNotFound}}
	f := &fakeImportWire{t: t, answers: []error{fault}}
	_, err := f.wire(2000).importToList(context.Background(), upsertParams(100))
	assert.Same(t, fault, err)
}

func TestRESTImportRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t}
	p := upsertParams(3)
	p.Header[1] = "Favourite Colour"
	_, err := f.wire(2000).importToList(context.Background(), p)
	assert.Equal(t, "Header[1]", ValidationErrors(err)[0].Field)
	var oe *OperationError
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent)

	p = upsertParams(3)
	p.Rows[2][1] = string(bytes.Repeat([]byte("x"), 3000))
	_, err = f.wire(2000).importToList(context.Background(), p)
	assert.Equal(t, "Rows[2]", ValidationErrors(err)[0].Field)
	assert.Zero(t, f.submits, "nothing was submitted")
}

func listOnlyParams(emails ...string) *ImportToListParams {
	p := &ImportToListParams{ProgramName: "P", ListName: "L", Mode: ImportModeListOnly, Header: []string{"First Name", "Email Address"}}
	for _, e := range emails {
		p.Rows = append(p.Rows, []string{"x", e})
	}
	return p
}

func TestRESTListOnlyAddsExistingLeads(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t,
		leads: map[string][]int{"a@x.com": {1}, "b@x.com": {2, 3}, "c@x.com": {4}},
		skip:  map[int]string{4: "Lead is in a different partition"},
	}
	p := listOnlyParams("a@x.com", "nobody@x.com", "B@X.com", "", "a@x.com", "c@x.com", "d,e@x.com")
	res, err := f.wire(MaxImportJobBytes).importToList(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, ImportComplete, res.Status)
	assert.Empty(t, res.ImportIDs)
	require.NotNil(t, res.FinalStatus)
	md := ResultMetadata{RequestID: "add#1", RequestIDs: []string{"add#1"}}
	assert.Equal(t, &ImportToListStatus{Status: ImportComplete, RowsImported: intPtr(3), RowsIgnored: intPtr(3), RowsFailed: intPtr(1),
		ImportSummary: "3 rows added to the list, 3 ignored (no lead with that email), 1 failed: Lead is in a different partition", Metadata: md}, res.FinalStatus)
	assert.Equal(t, md, res.Metadata, "the add's requestId, not the lookups'")
	assert.Equal(t, [][]string{{"a@x.com", "nobody@x.com", "b@x.com", "c@x.com"}}, f.found, "each email looked up once, lower case")
	assert.Equal(t, [][]int{{1, 2, 3, 4}}, f.added, "each lead added once")
	assert.Zero(t, f.submits, "no bulk import: no lead is created or changed")
}

// TestRESTListOnlyLooksNothingUpForRowsWithoutAnEmail: a batch whose rows
// have no email that can be looked up sends no lead lookup and adds no one;
// its rows are ignored.
func TestRESTListOnlyLooksNothingUpForRowsWithoutAnEmail(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t, leads: map[string][]int{"a@x.com": {1}}}
	res, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams("", "d,e@x.com"))
	require.NoError(t, err)
	assert.Empty(t, f.found, "no lookup of an empty list of emails")
	assert.Empty(t, f.added)
	require.NotNil(t, res.FinalStatus)
	assert.Equal(t, intPtr(2), res.FinalStatus.RowsIgnored)
}

// TestRESTListOnlyQuotesAtMostFiveReasons: the summary quotes the first
// maxListOnlyReasons distinct skip reasons, at 4, 5 and 6 of them.
func TestRESTListOnlyQuotesAtMostFiveReasons(t *testing.T) {
	t.Parallel()
	for _, n := range []int{maxListOnlyReasons - 1, maxListOnlyReasons, maxListOnlyReasons + 1} {
		f := &fakeImportWire{t: t, leads: map[string][]int{}, skip: map[int]string{}}
		var emails []string
		for i := range n {
			e := fmt.Sprintf("l%d@x.com", i)
			f.leads[e] = []int{i + 1}
			f.skip[i+1] = fmt.Sprintf("reason %d", i)
			emails = append(emails, e)
		}
		res, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams(emails...))
		require.NoError(t, err)
		_, quoted, _ := strings.Cut(res.FinalStatus.ImportSummary, "failed: ")
		assert.Len(t, strings.Split(quoted, "; "), min(n, maxListOnlyReasons), "%d reasons: %s", n, res.FinalStatus.ImportSummary)
	}
	f := &fakeImportWire{t: t, leads: map[string][]int{"a@x.com": {1}}}
	res, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams("a@x.com"))
	require.NoError(t, err)
	assert.Equal(t, "1 rows added to the list, 0 ignored (no lead with that email), 0 failed", res.FinalStatus.ImportSummary,
		"no reason, nothing quoted")
}

func TestRESTListOnlyBatchesOf300(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t, leads: map[string][]int{}}
	var emails []string
	for i := range 700 {
		e := fmt.Sprintf("l%d@x.com", i)
		emails = append(emails, e)
		f.leads[e] = []int{i + 1}
	}
	res, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams(emails...))
	require.NoError(t, err)
	assert.Equal(t, intPtr(700), res.FinalStatus.RowsImported)
	require.Len(t, f.found, 3)
	assert.Len(t, f.found[0], 300)
	assert.Len(t, f.found[2], 100)
	for _, ids := range f.added {
		assert.LessOrEqual(t, len(ids), 300)
	}
}

func TestRESTListOnlyKeepsLookupsUnderTheURILimit(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t, leads: map[string][]int{}}
	var emails []string
	for i := range 100 {
		emails = append(emails, fmt.Sprintf("%s%d@example.com", bytes.Repeat([]byte("long.name+tag"), 10), i))
	}
	_, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams(emails...))
	require.NoError(t, err)
	require.Greater(t, len(f.found), 1)
	n := 0
	for _, batch := range f.found {
		size := 0
		for _, e := range batch {
			size += len(url.QueryEscape(e)) + 3
		}
		assert.LessOrEqual(t, size, listOnlyQueryBytes)
		n += len(batch)
	}
	assert.Equal(t, 100, n)
}

func TestRESTListOnlyNeedsAnEmailColumn(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t}
	p := listOnlyParams("a@x.com")
	p.Header[1] = "lastName"
	_, err := f.wire(MaxImportJobBytes).importToList(context.Background(), p)
	assert.Equal(t, "Header", ValidationErrors(err)[0].Field)
	assert.Empty(t, f.found)
}

func TestRESTListOnlyPartialFailure(t *testing.T) {
	t.Parallel()
	f := &fakeImportWire{t: t, leads: map[string][]int{}, addErrs: []error{nil, &OperationError{Operation: "ImportToList", Sent: true, Err: &Fault{Code: CodeRESTAccessDenied}}}}
	var emails []string
	for i := range 400 {
		e := fmt.Sprintf("l%d@x.com", i)
		emails = append(emails, e)
		f.leads[e] = []int{i + 1}
	}
	_, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams(emails...))
	var ie *ImportIncompleteError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, 300, ie.NextRow)
	assert.Empty(t, ie.ImportIDs)
	assert.ErrorIs(t, err, ErrAccessDenied)
	assert.Contains(t, err.Error(), "rows 0 to 299 were processed (their existing leads added to the list)")
}
