package marketo_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// The corpus (testdata/rest/corpus/*.json) holds answers in the shapes real
// tenants give, each with what the SDK must make of it: a result, or a typed
// error with its code, its sentinels, and whether the call ran, did not run,
// or may have run. Every entry is served by a stub tenant for the operation
// it names and run through the SDK.

// corpusEntry is one recorded exchange and its meaning.
type corpusEntry struct {
	Name   string `json:"name"`
	Source string `json:"source"` // where the answer's shape comes from
	// Operation is the Client method, e.g. "ScheduleCampaign"; Params its
	// parameters, by Go field name.
	Operation string          `json:"operation"`
	Params    json.RawMessage `json:"params"`
	// Identity answers the identity endpoint; a token when absent.
	Identity *corpusAnswer `json:"identity"`
	// Answers are the tenant's answers by "METHOD /path", in turn, the last
	// repeated. A request to any other path fails the test.
	Answers map[string][]corpusAnswer `json:"answers"`
	// Fake says that marketotest's fake gives the same answer to the same
	// call (its message texts may differ).
	Fake   bool         `json:"fake"`
	Expect corpusExpect `json:"expect"`
}

// corpusAnswer is one HTTP answer: JSON Body, or Text for anything else.
type corpusAnswer struct {
	Status      int             `json:"status"`      // 200 when absent
	ContentType string          `json:"contentType"` // Marketo's JSON type when absent
	Body        json.RawMessage `json:"body"`
	Text        string          `json:"text"`
}

// corpusExpect is what the call must give. Absent fields are not checked.
type corpusExpect struct {
	// Outcome is "ran" (the call succeeded), "did-not-run" or "unknown".
	Outcome string `json:"outcome"`

	// A failed call's error.
	Code        int      `json:"code"`        // the *Fault's code; 0: no fault
	Sentinels   []string `json:"sentinels"`   // exactly the sentinels the error matches, ErrOutcomeUnknown aside
	ErrorType   string   `json:"errorType"`   // a cause the error holds, e.g. "IdentityError"
	Attempts    int      `json:"attempts"`    // OperationError.Attempts
	Sent        *bool    `json:"sent"`        // OperationError.Sent
	QuotaResets bool     `json:"quotaResets"` // Fault.QuotaResetsAt is set

	// A successful call's result.
	CampaignID   int              `json:"campaignID"`
	LeadIDs      []int            `json:"leadIDs"`
	Campaigns    []corpusCampaign `json:"campaigns"`
	ImportIDs    []string         `json:"importIDs"`
	SentHeader   []string         `json:"sentHeader"` // the CSV header of the bulk import sent
	ImportStatus *corpusStatus    `json:"importStatus"`
	Requests     map[string]int   `json:"requests"` // how many requests each "METHOD /path" got
}

// corpusCampaign is a campaign as the SDK must expose it. Program and
// Folder are where it lives (a campaign in a folder has no program); each
// is checked against the Campaign field of that meaning when the type has
// one (see campaignFields).
type corpusCampaign struct {
	ID      int     `json:"id"`
	Name    string  `json:"name"`
	Program *string `json:"program"`
	Folder  *string `json:"folder"`
}

// campaignFields names, for each place a corpus campaign declares, the
// marketo.Campaign fields that may hold it.
var campaignFields = map[string][]string{
	"program": {"ProgramName", "Program"},
	"folder":  {"FolderName", "Folder"},
}

type corpusStatus struct {
	Status        string `json:"status"`
	RawStatus     string `json:"rawStatus"`
	ImportID      string `json:"importID"`
	RowsImported  *int   `json:"rowsImported"`
	RowsFailed    *int   `json:"rowsFailed"`
	RowsWarned    *int   `json:"rowsWithWarning"`
	ImportSummary string `json:"importSummary"`
}

// corpusSentinels are the sentinels an entry may name.
var corpusSentinels = map[string]error{
	"ErrAuthenticationFailed":     marketo.ErrAuthenticationFailed,
	"ErrRateLimitExceeded":        marketo.ErrRateLimitExceeded,
	"ErrConcurrencyLimitExceeded": marketo.ErrConcurrencyLimitExceeded,
	"ErrDailyQuotaExceeded":       marketo.ErrDailyQuotaExceeded,
	"ErrAccessDenied":             marketo.ErrAccessDenied,
	"ErrCampaignNotFound":         marketo.ErrCampaignNotFound,
	"ErrLeadNotFound":             marketo.ErrLeadNotFound,
	"ErrListNotFound":             marketo.ErrListNotFound,
	"ErrBadParameter":             marketo.ErrBadParameter,
	"ErrImportNotFound":           marketo.ErrImportNotFound,
	"ErrCloneBudgetExhausted":     marketo.ErrCloneBudgetExhausted,
	"ErrRequestExpired":           marketo.ErrRequestExpired,
}

// corpusErrorTypes are the causes an entry may name.
var corpusErrorTypes = map[string]func(error) bool{
	"IdentityError":         func(err error) bool { var e *marketo.IdentityError; return errors.As(err, &e) },
	"ResponseError":         func(err error) bool { var e *marketo.ResponseError; return errors.As(err, &e) },
	"ListLookupError":       func(err error) bool { var e *marketo.ListLookupError; return errors.As(err, &e) },
	"CampaignLookupError":   func(err error) bool { var e *marketo.CampaignLookupError; return errors.As(err, &e) },
	"ImportIncompleteError": func(err error) bool { var e *marketo.ImportIncompleteError; return errors.As(err, &e) },
}

// corpusNow is the clock of every entry: 09:00 US Central, so that a daily
// quota resets at 2026-12-02T06:00Z.
var corpusNow = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)

func TestCorpus(t *testing.T) {
	t.Parallel()
	entries := readCorpus(t)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			runCorpusEntry(t, e)
		})
	}
}

// TestCorpusCoversEveryDocumentedCode: the corpus has an envelope of each
// code of Adobe's error-code page, and its classes agree with
// documentedCodes (rest_codes_test.go), written apart from it.
func TestCorpusCoversEveryDocumentedCode(t *testing.T) {
	t.Parallel()
	byCode := map[int][]corpusEntry{}
	for _, e := range readCorpus(t) {
		if e.Expect.Code != 0 {
			byCode[e.Expect.Code] = append(byCode[e.Expect.Code], e)
		}
	}
	for code, class := range documentedCodes {
		entries := byCode[code]
		if !assert.NotEmpty(t, entries, "no corpus entry answers %d", code) {
			continue
		}
		want := "did-not-run"
		if class == classUnknown {
			want = "unknown"
		}
		if code == 1029 {
			continue // by message: TestRESTBulkQueueFullByMessage
		}
		for _, e := range entries {
			assert.Equal(t, want, e.Expect.Outcome, "%s", e.Name)
		}
	}
}

func readCorpus(t *testing.T) []corpusEntry {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "rest", "corpus", "*.json"))
	require.NoError(t, err)
	var all []corpusEntry
	names := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields() // a misspelt expectation must not pass unchecked
		var entries []corpusEntry
		require.NoError(t, dec.Decode(&entries), f)
		for _, e := range entries {
			require.NotEmpty(t, e.Name, f)
			require.NotContains(t, names, e.Name, "%s: name used in %s too", f, names[e.Name])
			names[e.Name] = f
			require.Contains(t, []string{"ran", "did-not-run", "unknown"}, e.Expect.Outcome, "%s: outcome", e.Name)
			require.NotEmpty(t, e.Source, "%s: source", e.Name)
			all = append(all, e)
		}
	}
	return all
}

// corpusTenant serves an entry's answers, recording the requests.
type corpusTenant struct {
	t       *testing.T
	answers map[string][]corpusAnswer
	mu      sync.Mutex
	count   map[string]int
	reqs    []stubRequest
}

func (ct *corpusTenant) serve(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	body, _ := io.ReadAll(r.Body)
	ct.mu.Lock()
	turns, ok := ct.answers[key]
	n := ct.count[key]
	ct.count[key]++
	ct.reqs = append(ct.reqs, stubRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), body})
	ct.mu.Unlock()
	if !ok {
		ct.t.Errorf("unexpected request %s", key)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, restErr(610, "Requested resource not found"))
		return
	}
	writeCorpusAnswer(w, turns[min(n, len(turns)-1)])
}

// posts returns the POST requests the tenant got, in order.
func (ct *corpusTenant) posts() []stubRequest {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	var out []stubRequest
	for _, r := range ct.reqs {
		if r.Method == http.MethodPost {
			out = append(out, r)
		}
	}
	return out
}

func (ct *corpusTenant) requests(key string) int {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return ct.count[key]
}

func writeCorpusAnswer(w http.ResponseWriter, a corpusAnswer) {
	ct := a.ContentType
	if ct == "" {
		ct = "application/json;charset=UTF-8"
	}
	w.Header().Set("Content-Type", ct)
	if a.Status != 0 {
		w.WriteHeader(a.Status)
	}
	if a.Text != "" {
		_, _ = io.WriteString(w, a.Text)
		return
	}
	_, _ = w.Write(a.Body)
}

func runCorpusEntry(t *testing.T, e corpusEntry) {
	tenant := &corpusTenant{t: t, answers: e.Answers, count: map[string]int{}}
	stub := newRESTStubWith(t, func(s *restStub) {
		s.raw = tenant.serve
		if e.Identity != nil {
			s.identity = func(w http.ResponseWriter, _ *http.Request) { writeCorpusAnswer(w, *e.Identity) }
		}
	})
	c := stub.client(t, codeRetries, marketo.WithClock(func() time.Time { return corpusNow }))
	result, err := callCorpus(t, c, e)
	x := e.Expect
	if x.Outcome == "ran" {
		require.NoError(t, err)
		checkCorpusResult(t, x, result, tenant)
	} else {
		checkCorpusError(t, x, err)
	}
	for key, n := range x.Requests {
		assert.Equal(t, n, tenant.requests(key), "requests to %s", key)
	}
}

// callCorpus makes the entry's call with its params.
func callCorpus(t *testing.T, c *marketo.Client, e corpusEntry) (any, error) {
	t.Helper()
	ctx := context.Background()
	decode := func(p any) {
		t.Helper()
		if len(e.Params) > 0 {
			dec := json.NewDecoder(strings.NewReader(string(e.Params)))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(p), "params")
		}
	}
	switch e.Operation {
	case "ScheduleCampaign":
		var p marketo.ScheduleCampaignParams
		decode(&p)
		return c.ScheduleCampaign(ctx, p)
	case "RequestCampaign":
		var p marketo.RequestCampaignParams
		decode(&p)
		return c.RequestCampaign(ctx, p)
	case "GetCampaignsForSource":
		var p marketo.GetCampaignsForSourceParams
		decode(&p)
		return c.GetCampaignsForSource(ctx, p)
	case "ImportToList":
		var p marketo.ImportToListParams
		decode(&p)
		return c.ImportToList(ctx, p)
	case "GetImportToListStatus":
		var p marketo.GetImportToListStatusParams
		decode(&p)
		return c.GetImportToListStatus(ctx, p)
	}
	t.Fatalf("unknown operation %q", e.Operation)
	return nil, nil
}

func checkCorpusError(t *testing.T, x corpusExpect, err error) {
	t.Helper()
	require.Error(t, err)
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	unknown := x.Outcome == "unknown"
	assert.Equal(t, unknown, oe.OutcomeUnknown, "OutcomeUnknown")
	assert.Equal(t, unknown, errors.Is(err, marketo.ErrOutcomeUnknown), "errors.Is(err, ErrOutcomeUnknown)")
	if x.Sent != nil {
		assert.Equal(t, *x.Sent, oe.Sent, "Sent")
	}
	if x.Attempts != 0 {
		assert.Equal(t, x.Attempts, oe.Attempts, "Attempts")
	}
	var f *marketo.Fault
	if x.Code != 0 {
		require.ErrorAs(t, err, &f)
		assert.Equal(t, marketo.Code(x.Code), f.Code)
		assert.Equal(t, x.QuotaResets, !f.QuotaResetsAt.IsZero(), "QuotaResetsAt")
	} else {
		assert.False(t, errors.As(err, &f), "no fault: %v", err)
	}
	var matched []string
	for name, s := range corpusSentinels {
		if errors.Is(err, s) {
			matched = append(matched, name)
		}
	}
	sort.Strings(matched)
	want := append([]string(nil), x.Sentinels...)
	sort.Strings(want)
	assert.Equal(t, want, matched, "the sentinels the error matches")
	if x.ErrorType != "" {
		is, ok := corpusErrorTypes[x.ErrorType]
		require.True(t, ok, "unknown errorType %q", x.ErrorType)
		assert.True(t, is(err), "%v is not a %s", err, x.ErrorType)
	}
}

func checkCorpusResult(t *testing.T, x corpusExpect, result any, tenant *corpusTenant) {
	t.Helper()
	switch r := result.(type) {
	case *marketo.ScheduleCampaignResult:
		assert.Equal(t, x.CampaignID, r.CampaignID)
	case *marketo.RequestCampaignResult:
		assert.Equal(t, x.LeadIDs, r.LeadIDs)
	case *marketo.GetCampaignsForSourceResult:
		checkCorpusCampaigns(t, x.Campaigns, r.Campaigns)
	case *marketo.ImportToListResult:
		assert.Equal(t, x.ImportIDs, r.ImportIDs)
		if x.SentHeader != nil {
			posts := tenant.posts()
			require.NotEmpty(t, posts)
			_, records, _ := sentJob(t, posts[0])
			require.NotEmpty(t, records)
			assert.Equal(t, x.SentHeader, records[0], "the CSV header sent")
		}
	case *marketo.ImportToListStatus:
		require.NotNil(t, x.ImportStatus, "the entry declares no importStatus")
		s := x.ImportStatus
		assert.Equal(t, s.Status, string(r.Status))
		assert.Equal(t, s.RawStatus, r.RawStatus)
		assert.Equal(t, s.ImportID, r.ImportID)
		assert.Equal(t, s.RowsImported, r.RowsImported)
		assert.Equal(t, s.RowsFailed, r.RowsFailed)
		assert.Equal(t, s.RowsWarned, r.RowsWithWarning)
		assert.Equal(t, s.ImportSummary, r.ImportSummary)
	default:
		t.Fatalf("no check for %T", result)
	}
}

// checkCorpusCampaigns compares the campaigns by ID and name, and by where
// they live wherever marketo.Campaign has a field for it.
func checkCorpusCampaigns(t *testing.T, want []corpusCampaign, got []marketo.Campaign) {
	t.Helper()
	require.Len(t, got, len(want))
	for i, w := range want {
		g := got[i]
		assert.Equal(t, w.ID, g.ID, "campaign %d", i)
		assert.Equal(t, w.Name, g.Name, "campaign %d", i)
		for place, value := range map[string]*string{"program": w.Program, "folder": w.Folder} {
			if value == nil {
				continue
			}
			if field, ok := stringField(reflect.ValueOf(g), campaignFields[place]); ok {
				assert.Equal(t, *value, field, "campaign %d: %s", i, place)
			}
		}
	}
}

// stringField returns the first of names that v has as a string field.
func stringField(v reflect.Value, names []string) (string, bool) {
	for _, n := range names {
		if f := v.FieldByName(n); f.IsValid() && f.Kind() == reflect.String {
			return f.String(), true
		}
	}
	return "", false
}

// TestCorpusOnTheFake serves the error answers the fake can give (entries
// marked fake, their code injected with FailNext at the entry's operation)
// from marketotest's default tenant, and checks that the SDK makes the
// same of them as of the recorded answer: the fake and the corpus agree.
func TestCorpusOnTheFake(t *testing.T) {
	t.Parallel()
	ran := 0
	for _, e := range readCorpus(t) {
		target, ok := corpusTargets[e.Operation]
		if !e.Fake || e.Expect.Code == 0 || e.Expect.Code == int(marketo.CodeBulkQueueFull) || !ok {
			continue // 1029's meaning is in its message, which the fake does not vary
		}
		ran++
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			srv := marketotest.NewServer()
			t.Cleanup(srv.Close)
			srv.On(target).FailNext(50, marketo.Code(e.Expect.Code))
			c, err := marketo.NewRESTClient(srv.RESTConfig(), codeRetries, marketo.WithClock(func() time.Time { return corpusNow }))
			require.NoError(t, err)
			if e.Operation == "ImportToList" {
				// The default tenant keeps this list in a folder.
				e.Params = json.RawMessage(strings.Replace(string(e.Params), `"ProgramName": "Content 2026", `, "", 1))
			}
			_, err = callCorpus(t, c, e)
			x := e.Expect
			x.Requests = nil // the fake's tenant makes its own lookups
			checkCorpusError(t, x, err)
		})
	}
	assert.Greater(t, ran, 50, "the corpus has an entry on the fake for most documented codes")
}

// corpusTargets aims the fake's injections at each corpus operation.
var corpusTargets = map[string]marketotest.Target{
	"ScheduleCampaign":      marketotest.TargetScheduleCampaign,
	"RequestCampaign":       marketotest.TargetRequestCampaign,
	"ImportToList":          marketotest.TargetImportToList,
	"GetImportToListStatus": marketotest.TargetGetImportToListStatus,
}
