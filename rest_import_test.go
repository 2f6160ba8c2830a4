package marketo_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

const importDescribe = `[
 {"id":2,"displayName":"Email Address","dataType":"email","rest":{"name":"email","readOnly":false}},
 {"id":3,"displayName":"First Name","dataType":"string","rest":{"name":"firstName","readOnly":false}},
 {"id":4,"displayName":"Last Name","dataType":"string","rest":{"name":"lastName","readOnly":false}}
]`

// importTenant is a REST stub tenant for imports: one static list 1045
// "Trav-Test-List" in "Trav-Demo-Program", three lead fields, bulk import
// jobs numbered from 3404 (or answered from submits, in order, while it
// lasts), and leads found by email.
type importTenant struct {
	mu      sync.Mutex
	submits []func() (int, string) // answers of the bulk import POSTs, in order; past the end, accept
	posts   int
	nextID  int
	leads   map[string]int
	status  map[string][]string // batch ID → status answers, the last repeated
}

func (it *importTenant) serve(_ int, r *http.Request, body []byte) (int, string) {
	it.mu.Lock()
	defer it.mu.Unlock()
	switch p := r.URL.Path; {
	case p == "/rest/v1/lists.json":
		return 200, restOK(`[{"id":1045,"name":"Trav-Test-List","programName":"Trav-Demo-Program"},{"id":1046,"name":"Trav-Test-List copy","programName":"Trav-Demo-Program"},{"id":1047,"name":"Twin","programName":"Trav-Demo-Program"},{"id":1048,"name":"Twin","programName":"Trav-Demo-Program"}]`)
	case p == "/rest/v1/leads/describe.json":
		return 200, restOK(importDescribe)
	case p == "/bulk/v1/leads.json" && r.Method == http.MethodPost:
		i := it.posts
		it.posts++
		if i < len(it.submits) && it.submits[i] != nil {
			return it.submits[i]()
		}
		id := 3404 + it.nextID
		it.nextID++
		return 200, restOK(fmt.Sprintf(`[{"batchId":%d,"importId":"%d","status":"Queued"}]`, id, id))
	case strings.HasPrefix(p, "/bulk/v1/leads/batch/") && strings.HasSuffix(p, "/failures.json"):
		return 0, "" // answered by the test's raw handler
	case strings.HasPrefix(p, "/bulk/v1/leads/batch/"):
		id := strings.TrimSuffix(strings.TrimPrefix(p, "/bulk/v1/leads/batch/"), ".json")
		s := it.status[id]
		if n, err := strconv.Atoi(id); len(s) == 0 && err == nil && n >= 3404 && n < 3404+it.nextID {
			// A job this tenant accepted, with no scripted status: done.
			return 200, restOK(fmt.Sprintf(`[{"batchId":%d,"importId":"%d","status":"Complete","numOfLeadsProcessed":0,"numOfRowsFailed":0,"numOfRowsWithWarning":0,"message":"Import completed"}]`, n, n))
		}
		if len(s) == 0 {
			return 200, restErr(1013, "Batch not found")
		}
		if len(s) > 1 {
			it.status[id] = s[1:]
		}
		return 200, restOK("[" + s[0] + "]")
	case p == "/rest/v1/leads.json":
		var recs []string
		for _, v := range strings.Split(r.URL.Query().Get("filterValues"), ",") {
			if id, ok := it.leads[strings.ToLower(v)]; ok {
				recs = append(recs, fmt.Sprintf(`{"id":%d,"email":%q}`, id, v))
			}
		}
		return 200, restOK("[" + strings.Join(recs, ",") + "]")
	case p == "/rest/v1/lists/1045/leads.json" && r.Method == http.MethodPost:
		var in struct{ Input []struct{ ID int } }
		if err := json.Unmarshal(body, &in); err != nil {
			return 200, restErr(609, "Invalid JSON")
		}
		var out []string
		for _, l := range in.Input {
			out = append(out, fmt.Sprintf(`{"id":%d,"status":"added"}`, l.ID))
		}
		return 200, restOK("[" + strings.Join(out, ",") + "]")
	}
	return 200, restErr(610, "Requested resource not found")
}

func importParams() marketo.ImportToListParams {
	return marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program",
		ListName:    "Trav-Test-List",
		Mode:        marketo.ImportModeUpsertLeads,
		Header:      []string{"Email Address", "First Name", "lastName"},
		Rows: [][]string{
			{"jane@example.com", "Jane", `Doe, "JD"`},
			{"li@example.com", "Li", "Wang\nJr"},
			{"ana@example.com", " Ana", "Ünïcödé"},
		},
	}
}

// sentJob reads one bulk import request as Marketo would: its form fields
// and the CSV records of its file, and its body with the boundary made the
// golden files' one.
func sentJob(t *testing.T, r stubRequest) (fields url.Values, records [][]string, normalised []byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.ContentType)
	require.NoError(t, err)
	require.Equal(t, "multipart/form-data", mt)
	form, err := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"]).ReadForm(32 << 20)
	require.NoError(t, err)
	require.Len(t, form.File["file"], 1)
	f, err := form.File["file"][0].Open()
	require.NoError(t, err)
	records, err = csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return url.Values(form.Value), records, bytes.ReplaceAll(r.Body, []byte(params["boundary"]), []byte("mktows-test-boundary"))
}

func TestRESTImportToListRequest(t *testing.T) {
	t.Parallel()
	it := &importTenant{}
	stub := newRESTStub(t, it.serve)
	res, err := stub.client(t).ImportToList(context.Background(), importParams())
	require.NoError(t, err)
	assert.Equal(t, &marketo.ImportToListResult{Status: marketo.ImportProcessing, ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List",
		ListID: 1045, ImportIDs: []string{"3404"}, Metadata: marketo.ResultMetadata{RequestID: "e42b#14272d07d78", RequestIDs: []string{"e42b#14272d07d78"}}}, res)

	reqs := stub.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "/rest/v1/leads/describe.json", reqs[0].Path)
	assert.Equal(t, "/rest/v1/lists.json", reqs[1].Path)
	q, err := url.ParseQuery(reqs[1].RawQuery)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"name": {"Trav-Test-List"}, "programName": {"Trav-Demo-Program"}, "batchSize": {"300"}}, q)
	post := reqs[2]
	assert.Equal(t, http.MethodPost, post.Method)
	assert.Equal(t, "/bulk/v1/leads.json", post.Path, "bulk paths are not under /rest")
	assert.Empty(t, post.RawQuery)
	assert.Equal(t, "Bearer tok-1:int", post.Auth)
	fields, records, body := sentJob(t, post)
	assert.Equal(t, []string{"csv"}, fields["format"])
	assert.Equal(t, []string{"1045"}, fields["listId"])
	assert.Equal(t, []string{"email", "firstName", "lastName"}, records[0], "display names translated, REST names kept")
	assert.Equal(t, string(readGolden(t, "rest/bulk_import_body.txt")), string(body))
}

func TestRESTImportToListCachesTheListAndTheFields(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, (&importTenant{}).serve)
	c := stub.client(t)
	for range 3 {
		_, err := c.ImportToList(context.Background(), importParams())
		require.NoError(t, err)
	}
	paths := map[string]int{}
	for _, r := range stub.requests() {
		paths[r.Path]++
	}
	assert.Equal(t, map[string]int{"/rest/v1/leads/describe.json": 1, "/rest/v1/lists.json": 1, "/bulk/v1/leads.json": 3}, paths)
}

func TestRESTImportToListListLookup(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, (&importTenant{}).serve)
	c := stub.client(t)
	p := importParams()
	p.ListName = "Trav-Test"
	_, err := c.ImportToList(context.Background(), p)
	require.ErrorIs(t, err, marketo.ErrListNotFound, "a prefix of a list's name is not its name")
	var le *marketo.ListLookupError
	require.ErrorAs(t, err, &le)
	assert.Contains(t, err.Error(), `marketo: ImportToList: no static list named "Trav-Test" in program "Trav-Demo-Program"`)

	p.ListName = "Twin"
	_, err = c.ImportToList(context.Background(), p)
	require.ErrorAs(t, err, &le)
	assert.Equal(t, []int{1047, 1048}, le.IDs)
	assert.NotErrorIs(t, err, marketo.ErrListNotFound)
	assert.Empty(t, stub.posts(), "nothing imported")
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
}

func TestRESTImportToListRefusesUnknownColumnsBeforeSending(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, (&importTenant{}).serve)
	p := importParams()
	p.Header[2] = "Surname"
	_, err := stub.client(t).ImportToList(context.Background(), p)
	requireInvalid(t, err, "ImportToList", map[string]string{"Header[2]": `"Surname" is neither the display name nor the REST name`}, "Header[2]")
	assert.Empty(t, stub.posts())
}

func TestRESTImportToListSplitsIntoJobsOfAtMost10MB(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, (&importTenant{}).serve)
	p := importParams()
	p.Rows = nil
	p.Rows = largeRows(11_000)
	res, err := stub.client(t).ImportToList(context.Background(), p)
	require.NoError(t, err)
	posts := stub.posts()
	require.Len(t, posts, 2, "about 11 MB of rows")
	assert.Equal(t, []string{"3404", "3405"}, res.ImportIDs)
	var rows [][]string
	for _, post := range posts {
		assert.LessOrEqual(t, len(post.Body), marketo.MaxImportJobBytes)
		_, records, _ := sentJob(t, post)
		assert.Equal(t, []string{"email", "firstName", "lastName"}, records[0])
		rows = append(rows, records[1:]...)
	}
	assert.Equal(t, p.Rows, rows, "each row once, in order, never split")
}

// largeRows returns n rows of about 1 KB each, with fields that need
// quoting.
func largeRows(n int) [][]string {
	pad := strings.Repeat("x", 960)
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("lead%d@example.com", i), "First \"Name\", the " + strconv.Itoa(i), pad}
	}
	return rows
}

func TestRESTImportToListRetriesABusyList(t *testing.T) {
	t.Parallel()
	busy := func() (int, string) { return 200, restErr(1019, "Import to this list is in progress") }
	full := func() (int, string) { return 200, restErr(1016, "Too many imports") }
	stub := newRESTStub(t, (&importTenant{submits: []func() (int, string){busy, full}}).serve)
	c := stub.client(t, marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	res, err := c.ImportToList(context.Background(), importParams())
	require.NoError(t, err)
	assert.Equal(t, []string{"3404"}, res.ImportIDs)
	posts := stub.posts()
	require.Len(t, posts, 3)
	assert.Equal(t, posts[0].Body[len(posts[0].Body)-200:], posts[2].Body[len(posts[2].Body)-200:], "the same rows sent again")
}

func TestRESTImportToListPartialFailureCarriesTheAcceptedJobs(t *testing.T) {
	t.Parallel()
	bad := func() (int, string) { return 200, restErr(1003, "Invalid data") }
	stub := newRESTStub(t, (&importTenant{submits: []func() (int, string){nil, bad}}).serve)
	p := importParams()
	p.Rows = nil
	p.Rows = largeRows(11_000)
	res, err := stub.client(t).ImportToList(context.Background(), p)
	assert.Nil(t, res)
	var ie *marketo.ImportIncompleteError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []string{"3404"}, ie.ImportIDs)
	_, first, _ := sentJob(t, stub.posts()[0])
	assert.Equal(t, len(first)-1, ie.NextRow, "the rows after the accepted job")
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeInvalidData, f.Code)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown, "a 1003 proves the job did not run")
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.True(t, oe.Sent)
}

func TestRESTGetImportToListStatusAndWait(t *testing.T) {
	t.Parallel()
	it := &importTenant{status: map[string][]string{"3404": {
		`{"batchId":3404,"status":"Queued"}`,
		`{"batchId":3404,"status":"Importing","numOfLeadsProcessed":1,"numOfRowsFailed":0,"numOfRowsWithWarning":0,"message":"Import in progress"}`,
		`{"batchId":3404,"status":"Complete","numOfLeadsProcessed":2,"numOfRowsFailed":1,"numOfRowsWithWarning":0,"message":"Import completed with errors, 2 records imported (2 members), 1 failed records"}`,
	}}}
	stub := newRESTStub(t, it.serve)
	c := stub.client(t)
	st, err := c.GetImportToListStatus(context.Background(), marketo.GetImportToListStatusParams{ImportID: "3404"})
	require.NoError(t, err)
	assert.Equal(t, &marketo.ImportToListStatus{Status: marketo.ImportProcessing, RawStatus: "Queued", ImportID: "3404",
		Metadata: marketo.ResultMetadata{RequestID: "e42b#14272d07d78", RequestIDs: []string{"e42b#14272d07d78"}}}, st)
	assert.Equal(t, "/bulk/v1/leads/batch/3404.json", stub.requests()[0].Path)

	var seen []string
	st, err = c.WaitForImports(context.Background(), &marketo.ImportToListResult{ImportIDs: []string{"3404"}}, marketo.WithPollInterval(time.Millisecond),
		marketo.WithPollProgress(func(s marketo.ImportToListStatus) { seen = append(seen, s.RawStatus) }))
	require.NoError(t, err)
	assert.Equal(t, []string{"Importing", "Complete"}, seen)
	two, one := 2, 1
	assert.Equal(t, &two, st.RowsImported)
	assert.Equal(t, &one, st.RowsFailed)

	_, err = c.GetImportToListStatus(context.Background(), marketo.GetImportToListStatusParams{ImportID: "9999"})
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeObjectNotFound, f.Code)
	assert.ErrorIs(t, err, marketo.ErrImportNotFound)
	assert.NotErrorIs(t, err, marketo.ErrListNotFound)
	_, err = c.WaitForImport(context.Background(), marketo.GetImportToListStatusParams{ImportID: "9999"})
	assert.ErrorIs(t, err, marketo.ErrImportNotFound, "an unknown import is final, not waited out")

	_, err = c.GetImportToListStatus(context.Background(), marketo.GetImportToListStatusParams{ProgramName: "P", ListName: "L"})
	requireInvalid(t, err, "GetImportToListStatus", map[string]string{"ImportID": "required on the REST API"}, "ImportID")
}

func TestRESTImportFailuresStreamsTheFile(t *testing.T) {
	t.Parallel()
	stub := newRESTStubWith(t, func(s *restStub) {
		s.raw = func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/bulk/v1/leads/batch/3404/failures.json":
				w.Header().Set("Content-Type", "text/csv;charset=UTF-8")
				_, _ = io.WriteString(w, "firstName,lastName,Import Failure Reason\nBenji,Nordstrom,Value for lookup field 'email' not found\n")
			case "/bulk/v1/leads/batch/3404/warnings.json":
				w.Header().Set("Content-Type", "text/csv;charset=UTF-8")
			default:
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, restErr(1013, "Batch not found"))
			}
		}
	})
	c := stub.client(t)
	rows, err := c.ImportFailures(context.Background(), "3404")
	require.NoError(t, err)
	defer rows.Close()
	assert.Equal(t, []string{"firstName", "lastName"}, rows.Header())
	row, err := rows.Next()
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportRow{Fields: []string{"Benji", "Nordstrom"}, Reason: "Value for lookup field 'email' not found"}, row)
	_, err = rows.Next()
	assert.Equal(t, io.EOF, err)
	require.NoError(t, rows.Close())

	warnings, err := c.ImportWarnings(context.Background(), "3404")
	require.NoError(t, err)
	_, err = warnings.Next()
	assert.Equal(t, io.EOF, err, "no warnings: an empty file")
	require.NoError(t, warnings.Close())

	_, err = c.ImportFailures(context.Background(), "9999")
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.CodeObjectNotFound, f.Code)
	assert.ErrorIs(t, err, marketo.ErrImportNotFound)
	assert.NotErrorIs(t, err, marketo.ErrListNotFound)
	_, err = c.WaitForImport(context.Background(), marketo.GetImportToListStatusParams{ImportID: "9999"})
	assert.ErrorIs(t, err, marketo.ErrImportNotFound, "an unknown import is final, not waited out")

	_, err = c.ImportFailures(context.Background(), "34 04")
	requireInvalid(t, err, "ImportFailures", nil, "importID")

	soap := newMockClient(t, neverCalled(t))
	_, err = soap.ImportFailures(context.Background(), "3404")
	require.ErrorIs(t, err, marketo.ErrRESTOnly)
}

func TestRESTImportListOnlyAddsExistingLeads(t *testing.T) {
	t.Parallel()
	it := &importTenant{leads: map[string]int{"jane@example.com": 501, "ana@example.com": 503}}
	stub := newRESTStub(t, it.serve)
	p := importParams()
	p.Mode = marketo.ImportModeListOnly
	res, err := stub.client(t).ImportToList(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportComplete, res.Status)
	assert.Empty(t, res.ImportIDs)
	require.NotNil(t, res.FinalStatus)
	two, one, zero := 2, 1, 0
	assert.Equal(t, &two, res.FinalStatus.RowsImported)
	assert.Equal(t, &one, res.FinalStatus.RowsIgnored)
	assert.Equal(t, &zero, res.FinalStatus.RowsFailed)
	var adds []stubRequest
	for _, r := range stub.requests() {
		assert.NotEqual(t, "/bulk/v1/leads.json", r.Path, "LISTONLY creates no lead")
		if r.Method == http.MethodPost {
			adds = append(adds, r)
		}
	}
	require.Len(t, adds, 1)
	assert.Equal(t, "/rest/v1/lists/1045/leads.json", adds[0].Path)
	assert.JSONEq(t, `{"input":[{"id":501},{"id":503}]}`, string(adds[0].Body))

	st, err := stub.client(t).WaitForImports(context.Background(), res)
	require.NoError(t, err)
	assert.Equal(t, res.FinalStatus, st)
}

func TestRESTImportToListRefusesWhatRESTCannotDo(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, (&importTenant{}).serve)
	p := importParams()
	p.ClearList = true
	_, err := stub.client(t).ImportToList(context.Background(), p)
	requireInvalid(t, err, "ImportToList", map[string]string{"ClearList": "not available on the REST API"}, "ClearList")
	assert.Empty(t, stub.requests())
	assert.False(t, errors.Is(err, marketo.ErrOutcomeUnknown))
}

func TestRESTImportWireTrace(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, (&importTenant{}).serve)
	var trace bytes.Buffer // written by the calling goroutine only
	c := stub.client(t, marketo.WithWireTrace(&trace))
	_, err := c.ImportToList(context.Background(), importParams())
	require.NoError(t, err)
	out := trace.String()
	assert.Contains(t, out, "> POST "+stub.srv.URL+"/bulk/v1/leads.json")
	assert.Contains(t, out, "Content-Disposition: form-data; name=\"listId\"\r\n\r\n1045")
	assert.Contains(t, out, "jane@example.com,Jane,\"Doe, \"\"JD\"\"\"\n")
	assert.NotContains(t, out, "tok-1:int")
	assert.NotContains(t, out, stubSecret)

	p := importParams()
	p.Rows = nil
	for i := range 40_000 {
		p.Rows = append(p.Rows, []string{fmt.Sprintf("lead%d@example.com", i), "First", "Last"})
	}
	trace.Reset()
	_, err = c.ImportToList(context.Background(), p)
	require.NoError(t, err)
	out = trace.String()
	assert.Contains(t, out, "lead0@example.com")
	assert.Contains(t, out, "more rows (")
	assert.Contains(t, out, "bytes) sent, not shown]")
	assert.NotContains(t, out, "lead39999@example.com")
}

func TestRESTImportToListForgetsAListMarketoDoesNotFind(t *testing.T) {
	t.Parallel()
	gone := func() (int, string) { return 200, restErr(1013, "Static list not found") }
	stub := newRESTStub(t, (&importTenant{submits: []func() (int, string){nil, gone}}).serve)
	c := stub.client(t)
	for range 3 {
		_, err := c.ImportToList(context.Background(), importParams())
		if err != nil {
			require.ErrorIs(t, err, marketo.ErrListNotFound, "1013 on a bulk import is the list")
			assert.NotErrorIs(t, err, marketo.ErrCampaignNotFound)
		}
	}
	lookups := 0
	for _, r := range stub.requests() {
		if r.Path == "/rest/v1/lists.json" {
			lookups++
		}
	}
	assert.Equal(t, 2, lookups, "the ID is looked up again after the 1013")
}

// TestRESTImportSecretsNeverLeak: answers of the import's calls that echo
// the access token leave it in no error, log line or trace.
func TestRESTImportSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	issue := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"`+liveToken+`","token_type":"bearer","expires_in":3599}`)
	}
	it := &importTenant{}
	echo := func(_ int, r *http.Request, body []byte) (int, string) {
		switch r.URL.Path {
		case "/bulk/v1/leads.json":
			return 200, restErr(603, "Access denied for "+r.Header.Get("Authorization"))
		case "/bulk/v1/leads/batch/3404.json":
			return 502, "<html>" + r.Header.Get("Authorization") + "</html>"
		case "/bulk/v1/leads/batch/3404/failures.json":
			return 200, restErr(1013, "No batch for "+r.Header.Get("Authorization"))
		}
		return it.serve(0, r, body)
	}
	stub := newRESTStubWith(t, func(s *restStub) { s.identity, s.rest = issue, echo })
	var logs, trace bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := marketo.NewRESTClient(stub.config(), marketo.WithoutRetries(), marketo.WithLogger(logger), marketo.WithWireTrace(&trace))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	var errs []error
	_, err = c.ImportToList(context.Background(), importParams())
	errs = append(errs, err)
	_, err = c.GetImportToListStatus(context.Background(), marketo.GetImportToListStatusParams{ImportID: "3404"})
	errs = append(errs, err)
	_, err = c.ImportFailures(context.Background(), "3404")
	errs = append(errs, err)
	printed := []string{logs.String(), trace.String()}
	for _, err := range errs {
		require.Error(t, err)
		printed = append(printed, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		for _, e := range unwrapAll(err) {
			printed = append(printed, e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
		}
	}
	for _, s := range printed {
		assert.NotContains(t, s, liveToken)
		assert.NotContains(t, s, stubSecret)
	}
	assert.Contains(t, trace.String(), "Authorization: [REDACTED]")
}

// TestRESTImportFirstCallStorm: goroutines making their first import at
// once share one lead describe and one list lookup, as they share one
// campaign lookup.
func TestRESTImportFirstCallStorm(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	it := &importTenant{}
	stub := newRESTStubWith(t, func(s *restStub) {
		s.rest = it.serve
		s.identity = stormIdentity(release, "storm-token:int")
	})
	c := stub.client(t, marketo.WithoutLimiter())
	const callers = 32
	errs := storm(callers, release, func() error {
		_, err := c.ImportToList(context.Background(), importParams())
		return err
	})
	for _, err := range errs {
		require.NoError(t, err)
	}
	paths := map[string]int{}
	for _, r := range stub.requests() {
		paths[r.Path]++
	}
	assert.Equal(t, map[string]int{"/rest/v1/leads/describe.json": 1, "/rest/v1/lists.json": 1, "/bulk/v1/leads.json": callers}, paths)
}
