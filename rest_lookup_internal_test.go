package marketo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedGetter answers GETs from a list of JSON pages per path, in order, and
// records each query.
type pagedGetter struct {
	mu      sync.Mutex
	pages   map[string][]string // path → envelopes
	queries []string            // path?query of every GET
	err     error               // returned instead, if set
}

func (g *pagedGetter) get(_ context.Context, path string, q url.Values, result any) (*restwire.Envelope, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.queries = append(g.queries, path+"?"+q.Encode())
	if g.err != nil {
		return nil, g.err
	}
	pages := g.pages[path]
	if len(pages) == 0 {
		return nil, fmt.Errorf("no page left for %s", path)
	}
	body := pages[0]
	g.pages[path] = pages[1:]
	return decodeRESTAnswer(200, "application/json", []byte(body), result)
}

func (g *pagedGetter) count() int { g.mu.Lock(); defer g.mu.Unlock(); return len(g.queries) }

func campaignPage(next string, recs ...string) string {
	env := `{"requestId":"1#a","success":true,"result":[` + strings.Join(recs, ",") + `]`
	if next != "" {
		env += `,"nextPageToken":"` + next + `"`
	}
	return env + "}"
}

func campaignRec(id int, name, program string) string {
	return fmt.Sprintf(`{"id":%d,"name":%q,"description":"","type":"batch","programName":%q,"programId":1,"workspaceName":"Default","active":true}`, id, name, program)
}

func TestResolveCampaignComparesNamesExactlyOverEveryPage(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {
		campaignPage("P2", campaignRec(1, "Batch Campaign Example 2", "Trav-Demo-Program"), campaignRec(2, "batch campaign example", "Trav-Demo-Program")),
		campaignPage("", campaignRec(3, "Batch Campaign Example", "Other Program"), campaignRec(4, "Batch Campaign Example", "Trav-Demo-Program")),
	}}}
	id, err := newCampaignCache(time.Now).resolve(context.Background(), g.get, "Trav-Demo-Program", "Batch Campaign Example")
	require.NoError(t, err)
	assert.Equal(t, 4, id)
	assert.Equal(t, []string{
		"/rest/v1/campaigns.json?batchSize=300&name=Batch+Campaign+Example&programName=Trav-Demo-Program",
		"/rest/v1/campaigns.json?batchSize=300&name=Batch+Campaign+Example&nextPageToken=P2&programName=Trav-Demo-Program",
	}, g.queries)
}

func TestResolveCampaignLeavesNamesWithCommasToTheClient(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {
		campaignPage("", campaignRec(7, "Hello, world", "Program")),
	}}}
	id, err := newCampaignCache(time.Now).resolve(context.Background(), g.get, "Program", "Hello, world")
	require.NoError(t, err)
	assert.Equal(t, 7, id)
	assert.Equal(t, []string{"/rest/v1/campaigns.json?batchSize=300&programName=Program"}, g.queries)
}

func TestResolveCampaignNoMatchAndAmbiguity(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {
		campaignPage("", campaignRec(1, "Other", "P")),
		campaignPage("", campaignRec(11, "Twin", "P"), campaignRec(12, "Twin", "P")),
	}}}
	cache := newCampaignCache(time.Now)
	_, err := cache.resolve(context.Background(), g.get, "P", "Missing")
	require.ErrorIs(t, err, ErrCampaignNotFound)
	assert.EqualError(t, err, `no campaign named "Missing" in program "P"`)

	_, err = cache.resolve(context.Background(), g.get, "P", "Twin")
	var le *CampaignLookupError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, []int{11, 12}, le.IDs)
	assert.False(t, errors.Is(err, ErrCampaignNotFound))
	assert.Contains(t, err.Error(), "IDs 11, 12")
	assert.Contains(t, err.Error(), "CampaignID")
}

func TestResolveCampaignCachesForItsLifetimeAndDropsOnRequest(t *testing.T) {
	t.Parallel()
	page := campaignPage("", campaignRec(42, "C", "P"))
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {page, page, page}}}
	clock := &manualClock{now: time.Unix(1e9, 0)}
	cache := newCampaignCache(clock.Now)
	resolve := func() int {
		id, err := cache.resolve(context.Background(), g.get, "P", "C")
		require.NoError(t, err)
		return id
	}
	assert.Equal(t, 42, resolve())
	clock.Advance(CampaignCacheLifetime - time.Second)
	assert.Equal(t, 42, resolve())
	assert.Equal(t, 1, g.count(), "cached")
	clock.Advance(time.Second)
	assert.Equal(t, 42, resolve())
	assert.Equal(t, 2, g.count(), "looked up again once the lifetime ended")
	cache.drop(42)
	assert.Equal(t, 42, resolve())
	assert.Equal(t, 3, g.count(), "looked up again once dropped")
}

func TestResolveCampaignRefusesARepeatedPageToken(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {
		campaignPage("X", campaignRec(1, "A", "P")),
		campaignPage("X", campaignRec(2, "B", "P")),
	}}}
	_, err := newCampaignCache(time.Now).resolve(context.Background(), g.get, "P", "C")
	var re *ResponseError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, re.Reason, "nextPageToken")
}

func leadPage(recs ...string) string {
	return `{"requestId":"1#b","success":true,"result":[` + strings.Join(recs, ",") + `]}`
}

func TestResolveLeads(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/leads.json": {
		leadPage(`{"id":318592,"email":"Jdoe@Example.com"}`, `{"id":318594,"email":"b@example.com"}`),
		leadPage(`{"id":318595,"sfdcLeadId":"00Q1"}`),
	}}}
	ids, err := resolveLeads(context.Background(), g.get, []LeadKey{
		{LeadKeyEmail, "jdoe@example.com"},
		{LeadKeyIDNum, "318593"},
		{LeadKeySFDCLeadID, "00Q1"},
		{LeadKeyEmail, "b@example.com"},
		{LeadKeyIDNum, "318592"}, // the same lead as the first key: sent once
	})
	require.NoError(t, err)
	assert.Equal(t, []int{318592, 318593, 318595, 318594}, ids)
	assert.Equal(t, []string{
		"/rest/v1/leads.json?" + url.Values{"batchSize": {"300"}, "fields": {"id,email"}, "filterType": {"email"}, "filterValues": {"jdoe@example.com,b@example.com"}}.Encode(),
		"/rest/v1/leads.json?" + url.Values{"batchSize": {"300"}, "fields": {"id,sfdcLeadId"}, "filterType": {"sfdcLeadId"}, "filterValues": {"00Q1"}}.Encode(),
	}, g.queries)
}

func TestResolveLeadsOnlyIDsSendsNothing(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{}
	ids, err := resolveLeads(context.Background(), g.get, []LeadKey{{LeadKeyIDNum, "5"}, {LeadKeyIDNum, "6"}})
	require.NoError(t, err)
	assert.Equal(t, []int{5, 6}, ids)
	assert.Zero(t, g.count())
}

func TestResolveLeadsNamesTheUnresolved(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/leads.json": {
		leadPage(`{"id":1,"email":"a@example.com"}`, `{"id":2,"email":"dup@example.com"}`, `{"id":3,"email":"dup@example.com"}`),
	}}}
	_, err := resolveLeads(context.Background(), g.get, []LeadKey{
		{LeadKeyEmail, "a@example.com"}, {LeadKeyEmail, "gone@example.com"}, {LeadKeyEmail, "dup@example.com"},
	})
	var le *LeadLookupError
	require.ErrorAs(t, err, &le)
	require.ErrorIs(t, err, ErrLeadNotFound)
	assert.Equal(t, []LeadKey{{LeadKeyEmail, "gone@example.com"}}, le.NotFound)
	assert.Equal(t, []AmbiguousLead{{Key: LeadKey{LeadKeyEmail, "dup@example.com"}, IDs: []int{2, 3}}}, le.Ambiguous)
	assert.Equal(t, `no lead found for EMAIL "gone@example.com"; EMAIL "dup@example.com" matches 2 leads (IDs 2, 3); give the one meant as an IDNUM key; no campaign was requested`, err.Error())
}

func TestLeadBatchesStayUnderThe300ValueAndURLLimits(t *testing.T) {
	t.Parallel()
	var many []string
	for i := range 650 {
		many = append(many, fmt.Sprintf("l%d@x.io", i))
	}
	b := leadBatches(many)
	require.Len(t, b, 3)
	assert.Len(t, b[0], 300)
	assert.Len(t, b[1], 300)
	assert.Len(t, b[2], 50)

	long := make([]string, 100)
	for i := range long {
		long[i] = fmt.Sprintf("%0200d@example.com", i)
	}
	total := 0
	for _, batch := range leadBatches(long) {
		q := url.Values{"filterValues": {strings.Join(batch, ",")}}.Encode()
		assert.LessOrEqual(t, len(q), maxLeadFilterQuery)
		total += len(batch)
	}
	assert.Equal(t, 100, total)
}

func TestLeadLookupRefusesARecordWithoutID(t *testing.T) {
	t.Parallel()
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/leads.json": {leadPage(`{"email":"a@example.com"}`)}}}
	_, err := resolveLeads(context.Background(), g.get, []LeadKey{{LeadKeyEmail, "a@example.com"}})
	var re *ResponseError
	require.ErrorAs(t, err, &re)
}

// TestConcurrentResolvesShareOneLookup: callers resolving the same name
// while a lookup runs wait for it; one that gives up returns its context's
// error, the others the ID.
func TestConcurrentResolvesShareOneLookup(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var calls sync.WaitGroup
	var n int
	var mu sync.Mutex
	get := func(ctx context.Context, _ string, _ url.Values, result any) (*restwire.Envelope, error) {
		mu.Lock()
		n++
		mu.Unlock()
		calls.Done()
		<-release
		return decodeRESTAnswer(200, "application/json", []byte(campaignPage("", campaignRec(42, "C", "P"))), result)
	}
	calls.Add(1)
	cache := newCampaignCache(time.Now)
	const callers = 16
	ids := make(chan int, callers)
	for range callers {
		go func() {
			id, err := cache.resolve(context.Background(), get, "P", "C")
			if err != nil {
				id = -1
			}
			ids <- id
		}()
	}
	calls.Wait() // the first lookup is running
	waitFor(t, func() bool { cache.ids.mu.Lock(); defer cache.ids.mu.Unlock(); return len(cache.ids.busy) == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := cache.resolve(ctx, get, "P", "C")
	require.ErrorIs(t, err, context.Canceled)
	close(release)
	for range callers {
		assert.Equal(t, 42, <-ids)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, n)
}

// TestResolveCampaignKeepsTheURLUnderMarketosLimit: names too long to be
// filters are matched on the client, so that no lookup is refused with
// HTTP 414 (a URI over 8 KB).
func TestResolveCampaignKeepsTheURLUnderMarketosLimit(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ü", 4000)
	g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {
		campaignPage("", campaignRec(7, long, long)),
	}}}
	id, err := newCampaignCache(time.Now).resolve(context.Background(), g.get, long, long)
	require.NoError(t, err)
	assert.Equal(t, 7, id)
	require.Len(t, g.queries, 1)
	assert.Less(t, len(g.queries[0]), 8<<10)
}

// TestRESTFolderForms reads both forms of an asset's folder, and each field
// alone: any one of them makes a folder; none of them is no folder.
func TestRESTFolderForms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   *restFolder
		want *Folder
	}{
		{nil, nil},
		{&restFolder{Type: "Folder"}, nil},
		{&restFolder{ID: 1099, Type: "Folder"}, &Folder{ID: 1099, Type: "Folder"}},
		{&restFolder{Value: 1099, Type: "Folder", FolderName: "Campaigns"}, &Folder{ID: 1099, Type: "Folder", Name: "Campaigns"}},
		{&restFolder{Value: 1099, Type: "Folder"}, &Folder{ID: 1099, Type: "Folder"}},
		{&restFolder{Type: "Folder", FolderName: "Campaigns"}, &Folder{Type: "Folder", Name: "Campaigns"}},
		{&restFolder{ID: 7, Value: 1099}, &Folder{ID: 7}},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.in.folder(), "%+v", tc.in)
	}
}
