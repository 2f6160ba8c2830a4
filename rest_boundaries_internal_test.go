package marketo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mktows/marketo/internal/restwire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The REST limits at their boundary: each test below takes a limit at n−1,
// n and n+1, and names in its comment the mutant of the limit's condition
// (as a mutation tool writes it) that it fails on.

// filterValue returns a lead filter value that QueryEscape leaves as it
// is, of n bytes, distinct for each i.
func filterValue(i, n int) string {
	s := fmt.Sprintf("v%d.", i)
	return s + strings.Repeat("x", n-len(s))
}

// leadsGetter answers every lead lookup with one lead per filter value,
// IDs counting from 1, and records the filterValues of each.
type leadsGetter struct {
	filters [][]string
	next    int
}

func (g *leadsGetter) get(_ context.Context, _ string, q url.Values, result any) (*restwire.Envelope, error) {
	values := strings.Split(q.Get("filterValues"), ",")
	g.filters = append(g.filters, values)
	var recs []string
	for _, v := range values {
		g.next++
		recs = append(recs, fmt.Sprintf(`{"id":%d,%q:%q}`, g.next, q.Get("filterType"), v))
	}
	return decodeRESTAnswer(200, "application/json", []byte(leadPage(recs...)), result)
}

func (g *leadsGetter) batchSizes() []int {
	var n []int
	for _, f := range g.filters {
		n = append(n, len(f))
	}
	return n
}

// TestLeadLookupBatchesAt300Values: 300 values go in one lookup, the 301st
// in a second. Pins rest_lead_lookup.go's batch condition
// `i-start == restPageSize` against `i+start`, `!=` (a batch that never
// ends or ends at once).
func TestLeadLookupBatchesAt300Values(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		values int
		want   []int
	}{{299, []int{299}}, {300, []int{300}}, {301, []int{300, 1}}, {601, []int{300, 300, 1}}} {
		t.Run(fmt.Sprint(tc.values), func(t *testing.T) {
			t.Parallel()
			keys := make([]LeadKey, tc.values)
			for i := range keys {
				keys[i] = LeadKey{LeadKeySFDCLeadID, filterValue(i, 8)}
			}
			g := &leadsGetter{}
			ids, err := resolveLeads(context.Background(), g.get, keys)
			require.NoError(t, err)
			assert.Len(t, ids, tc.values, "every key resolved once")
			assert.Equal(t, tc.want, g.batchSizes(), "values per lookup")
		})
	}
}

// TestLeadLookupBatchesAtTheQueryByteLimit: the values of one lookup take
// at most maxLeadFilterQuery bytes, each counted escaped with the escaped
// comma after it ("%2C", 3 bytes). Two values counting exactly the limit
// go in one lookup; one byte more splits them. Pins rest_lead_lookup.go's
// `size+n > maxLeadFilterQuery` against `>=` (6144 splits) and `size-n`,
// and `len(url.QueryEscape(v)) + 3` against `- 3` (6145 does not split).
func TestLeadLookupBatchesAtTheQueryByteLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		total int // the two values' counted bytes
		want  []int
	}{{maxLeadFilterQuery - 1, []int{2}}, {maxLeadFilterQuery, []int{2}}, {maxLeadFilterQuery + 1, []int{1, 1}}} {
		t.Run(fmt.Sprint(tc.total), func(t *testing.T) {
			t.Parallel()
			first := tc.total/2 - 3
			values := []string{filterValue(0, first), filterValue(1, tc.total-6-first)}
			assert.Equal(t, tc.total, len(url.QueryEscape(values[0]))+3+len(url.QueryEscape(values[1]))+3)
			batches := leadBatches(values)
			var sizes []int
			for _, b := range batches {
				sizes = append(sizes, len(b))
				assert.LessOrEqual(t, len(url.QueryEscape(strings.Join(b, ","))), maxLeadFilterQuery, "the escaped filterValues")
			}
			assert.Equal(t, tc.want, sizes)
		})
	}
}

// TestLeadLookupBatchesAValueOverTheLimitAlone: a value that alone takes
// more than the byte limit is still looked up, by itself, with no empty
// lookup before it; no values make no batch. Pins rest_lead_lookup.go's
// `i > start` against `i >= start` (an empty first batch) and
// `start < len(values)` against `<=` (an empty batch for no values).
func TestLeadLookupBatchesAValueOverTheLimitAlone(t *testing.T) {
	t.Parallel()
	huge := filterValue(0, maxLeadFilterQuery)
	assert.Equal(t, [][]string{{huge}}, leadBatches([]string{huge}))
	assert.Equal(t, [][]string{{"a"}, {huge}, {"b"}}, leadBatches([]string{"a", huge, "b"}))
	assert.Empty(t, leadBatches(nil))
}

// TestLeadLookupRefusesIDsBelowOne: Marketo's lead IDs start at 1; a
// record with ID 0 or less is a broken answer, not a lead to trigger.
// Pins rest_lead_lookup.go's `id <= 0` against `id < 0` (ID 0 accepted).
func TestLeadLookupRefusesIDsBelowOne(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id string
		ok bool
	}{{"-1", false}, {"0", false}, {"1", true}} {
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			g := &pagedGetter{pages: map[string][]string{"/rest/v1/leads.json": {leadPage(`{"id":` + tc.id + `,"email":"a@example.com"}`)}}}
			ids, err := resolveLeads(context.Background(), g.get, []LeadKey{{LeadKeyEmail, "a@example.com"}})
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, []int{1}, ids)
				return
			}
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, re.Reason, "no valid id ("+tc.id+")")
			assert.Nil(t, ids)
		})
	}
}

// emailRows returns one row per email, the email in column 0.
func emailRows(emails ...string) [][]string {
	rows := make([][]string, len(emails))
	for i, e := range emails {
		rows[i] = []string{e}
	}
	return rows
}

// TestListOnlyChunkAt300Emails: one LISTONLY lookup takes 300 distinct
// emails; rows that add none (a repeated email, an empty one) stay in the
// batch after the 300th; the 301st distinct email starts the next.
// Pins rest_import_listonly.go's `len(seen) == listOnlyBatch` against `!=`.
func TestListOnlyChunkAt300Emails(t *testing.T) {
	t.Parallel()
	emails := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("l%d@x.io", i))
		}
		return out
	}
	assert.Equal(t, 299, listOnlyChunk(emailRows(emails(299)...), 0, 0))
	assert.Equal(t, 300, listOnlyChunk(emailRows(emails(300)...), 0, 0))
	assert.Equal(t, 300, listOnlyChunk(emailRows(emails(301)...), 0, 0))
	rows := emailRows(append(emails(300), "L0@X.io", "", "l300@x.io")...)
	assert.Equal(t, 302, listOnlyChunk(rows, 0, 0), "a repeated and an empty email add no value")
	assert.Equal(t, 303, listOnlyChunk(rows, 302, 0), "the next batch starts at the 301st email")
}

// TestListOnlyChunkAtTheQueryByteLimit: the emails of one lookup count at
// most listOnlyQueryBytes, each escaped with the escaped comma after it.
// Pins rest_import_listonly.go's `size+n > listOnlyQueryBytes` against
// `>=` (6000 splits) and `size-n`, and `+ len("%2C")` against `-` (6001
// does not split).
func TestListOnlyChunkAtTheQueryByteLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		total int
		end   int
	}{{listOnlyQueryBytes - 1, 2}, {listOnlyQueryBytes, 2}, {listOnlyQueryBytes + 1, 1}} {
		first := tc.total/2 - 3
		rows := emailRows(filterValue(0, first), filterValue(1, tc.total-6-first))
		assert.Equal(t, tc.end, listOnlyChunk(rows, 0, 0), "%d bytes", tc.total)
	}
}

// TestListOnlyChunkTakesAnEmailOverTheLimitAlone: an email that alone
// counts more than the byte limit is looked up by itself; a batch is never
// empty (an empty one would loop for ever). Pins rest_import_listonly.go's
// `len(seen) > 0` against `>=`.
func TestListOnlyChunkTakesAnEmailOverTheLimitAlone(t *testing.T) {
	t.Parallel()
	huge := filterValue(0, listOnlyQueryBytes)
	rows := emailRows("a@x.io", huge, "b@x.io")
	assert.Equal(t, 1, listOnlyChunk(rows, 0, 0))
	assert.Equal(t, 2, listOnlyChunk(rows, 1, 0))
	assert.Equal(t, 3, listOnlyChunk(rows, 2, 0))
	assert.Equal(t, 1, listOnlyChunk(emailRows(huge), 0, 0))
}

// TestListOnlySendsLookupsAtTheLimits: what ImportToList in LISTONLY mode
// sends at 299, 300 and 301 emails, and at two emails that fill a lookup's
// query to the byte and one byte over: the lookups, and the adds (at most
// 300 leads each). Pins listOnlyChunk's conditions above through the
// calls made: `size+n >= listOnlyQueryBytes` fails here, and
// `len(seen) != listOnlyBatch` never ends (the test times out).
func TestListOnlySendsLookupsAtTheLimits(t *testing.T) {
	t.Parallel()
	count := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("l%d@x.io", i))
		}
		return out
	}
	first := listOnlyQueryBytes/2 - 3
	full := []string{filterValue(0, first), filterValue(1, listOnlyQueryBytes-6-first)}
	over := []string{full[0], filterValue(1, listOnlyQueryBytes-5-first)}
	for _, tc := range []struct {
		name    string
		emails  []string
		lookups []int
	}{
		{"299 emails", count(299), []int{299}},
		{"300 emails", count(300), []int{300}},
		{"301 emails", count(301), []int{300, 1}},
		{"query bytes at the limit", full, []int{2}},
		{"query bytes one over", over, []int{1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeImportWire{t: t, leads: map[string][]int{}}
			for i, e := range tc.emails {
				f.leads[e] = []int{i + 1}
			}
			res, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams(tc.emails...))
			require.NoError(t, err)
			assert.Equal(t, intPtr(len(tc.emails)), res.FinalStatus.RowsImported)
			var lookups, adds []int
			for _, b := range f.found {
				lookups = append(lookups, len(b))
			}
			for _, b := range f.added {
				adds = append(adds, len(b))
			}
			assert.Equal(t, tc.lookups, lookups, "emails per lookup")
			assert.Equal(t, tc.lookups, adds, "leads per add")
		})
	}
}

// TestListOnlyAddsAtMost300LeadsACall: one lookup can find more leads than
// one add takes (Marketo allows several leads per email): 301 leads go in
// two adds, 300 in one. Pins rest_import_listonly.go's add loop bound
// `min(start+listOnlyBatch, len(ids))` and `start < len(ids)`.
func TestListOnlyAddsAtMost300LeadsACall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		leads int
		adds  []int
	}{{299, []int{299}}, {300, []int{300}}, {301, []int{300, 1}}} {
		f := &fakeImportWire{t: t, leads: map[string][]int{}}
		for i := range tc.leads {
			f.leads["shared@x.io"] = append(f.leads["shared@x.io"], i+1)
		}
		res, err := f.wire(MaxImportJobBytes).importToList(context.Background(), listOnlyParams("shared@x.io"))
		require.NoError(t, err)
		assert.Equal(t, intPtr(1), res.FinalStatus.RowsImported)
		var adds []int
		for _, b := range f.added {
			adds = append(adds, len(b))
		}
		assert.Equal(t, tc.adds, adds, "%d leads", tc.leads)
	}
}

// TestNameFilterAtItsByteLimit: a name whose escaped form takes
// maxFilterBytes is sent as a filter; one byte more and it is matched on
// the client only. Pins rest_lookup.go's
// `len(url.QueryEscape(f.value)) <= maxFilterBytes` against `<`.
func TestNameFilterAtItsByteLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		bytes int
		sent  bool
	}{{maxFilterBytes - 1, true}, {maxFilterBytes, true}, {maxFilterBytes + 1, false}} {
		t.Run(fmt.Sprint(tc.bytes), func(t *testing.T) {
			t.Parallel()
			name := strings.Repeat("n", tc.bytes-3) + "%" // counted escaped: "%" is "%25"
			require.Len(t, url.QueryEscape(name), tc.bytes)
			g := &pagedGetter{pages: map[string][]string{"/rest/v1/campaigns.json": {campaignPage("", campaignRec(9, name, "P"))}}}
			id, err := newCampaignCache(time.Now).resolve(context.Background(), g.get, "P", name)
			require.NoError(t, err)
			assert.Equal(t, 9, id)
			require.Len(t, g.queries, 1)
			q, err := url.ParseQuery(strings.SplitN(g.queries[0], "?", 2)[1])
			require.NoError(t, err)
			assert.Equal(t, "P", q.Get("programName"))
			if tc.sent {
				assert.Equal(t, name, q.Get("name"))
			} else {
				assert.NotContains(t, q, "name")
			}
		})
	}
}

// TestLookupFailedIsSentOnlyWhenALookupWas: an operation whose lookups
// failed before any GET left reports Sent=false and no attempts; after one
// GET, Sent=true. Pins rest_operations.go's `Sent: calls > 0` against
// `calls >= 0`. (TestRESTLookupWaitGivenUpSendsNothing shows the path where
// it happens.)
func TestLookupFailedIsSentOnlyWhenALookupWas(t *testing.T) {
	t.Parallel()
	cause := &CampaignLookupError{ProgramName: "P", CampaignName: "C"}
	for calls, sent := range []bool{false, true, true} {
		err := lookupFailed(opScheduleCampaign, calls, cause)
		var oe *OperationError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, sent, oe.Sent, "%d GETs", calls)
		assert.Equal(t, calls, oe.Attempts)
		assert.False(t, oe.OutcomeUnknown, "lookups only read")
		assert.ErrorIs(t, err, ErrCampaignNotFound)
	}
	already := &OperationError{Operation: "ScheduleCampaign", Sent: true, Attempts: 2, Err: errors.New("x")}
	assert.Same(t, already, lookupFailed(opScheduleCampaign, 0, already), "a GET's own error is kept")
}
