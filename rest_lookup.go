package marketo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// REST names campaigns and leads by ID where SOAP took names, emails and
// other keys: this file turns the SOAP-style names into IDs with read-only
// GETs before a state-changing call.

// restGetter sends one read-only GET of path (under the REST endpoint, e.g.
// "/rest/v1/campaigns.json") with query q, and decodes the answer's result
// into result.
type restGetter func(ctx context.Context, path string, q url.Values, result any) (*restEnvelope, error)

// restPageSize is the most records a REST list call returns per page.
const restPageSize = 300

// getAllPages calls get for path until the last page, following
// nextPageToken, and passes every page to each. A page token that comes back
// twice is a *ResponseError, not an endless loop.
func getAllPages[T any](ctx context.Context, get restGetter, path string, q url.Values, each func([]T) error) error {
	q.Set("batchSize", strconv.Itoa(restPageSize))
	seen := map[string]bool{}
	for {
		var page []T
		env, err := get(ctx, path, q, &page)
		if err != nil {
			return err
		}
		if err := each(page); err != nil {
			return err
		}
		next := env.NextPageToken
		if next == "" || len(page) == 0 {
			return nil
		}
		if seen[next] {
			return &ResponseError{HTTPStatus: 200, ContentType: "application/json", Reason: "nextPageToken " + strconv.Quote(next) + " was sent twice"}
		}
		seen[next] = true
		q.Set("nextPageToken", next)
	}
}

// restCampaign is one record of GET /rest/v1/campaigns.json.
type restCampaign struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        string `json:"type"` // "batch" or "trigger"
	ProgramName string `json:"programName"`
	Active      bool   `json:"active"`
}

// CampaignCacheLifetime is how long a Client remembers the campaign ID a
// (ProgramName, CampaignName) pair resolved to on REST. Within it, calls
// naming the same campaign send no lookup. An entry is dropped early when
// Marketo answers 1013 (object not found) for its ID, so a campaign deleted
// and created again under the same name is found on the next call.
const CampaignCacheLifetime = 10 * time.Minute

// campaignKey names a campaign the SOAP way.
type campaignKey struct{ program, campaign string }

// campaignCache remembers resolved campaign IDs for CampaignCacheLifetime.
type campaignCache struct {
	now func() time.Time

	mu  sync.Mutex
	ids map[campaignKey]cachedCampaign
}

type cachedCampaign struct {
	id      int
	expires time.Time
}

func newCampaignCache(now func() time.Time) *campaignCache {
	return &campaignCache{now: now, ids: map[campaignKey]cachedCampaign{}}
}

func (c *campaignCache) get(k campaignKey) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.ids[k]
	if !ok || !c.now().Before(e.expires) {
		delete(c.ids, k)
		return 0, false
	}
	return e.id, true
}

func (c *campaignCache) put(k campaignKey, id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids[k] = cachedCampaign{id: id, expires: c.now().Add(CampaignCacheLifetime)}
}

// drop forgets every name that resolved to id.
func (c *campaignCache) drop(id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.ids {
		if e.id == id {
			delete(c.ids, k)
		}
	}
}

// resolveCampaign returns the ID of the campaign named campaign in program,
// from the cache or with GET /rest/v1/campaigns.json. Names are compared
// exactly on the client: whether Marketo's name filter matches substrings is
// not documented.
func (c *campaignCache) resolve(ctx context.Context, get restGetter, program, campaign string) (int, error) {
	k := campaignKey{program, campaign}
	if id, ok := c.get(k); ok {
		return id, nil
	}
	// The filters take comma-separated lists, so a name with a comma
	// cannot be sent as one; such a name is matched on the client only.
	q := url.Values{}
	if !strings.Contains(campaign, ",") {
		q.Set("name", campaign)
	}
	if !strings.Contains(program, ",") {
		q.Set("programName", program)
	}
	var ids []int
	err := getAllPages(ctx, get, "/rest/v1/campaigns.json", q, func(page []restCampaign) error {
		for _, r := range page {
			if r.Name == campaign && r.ProgramName == program && !slices.Contains(ids, r.ID) {
				ids = append(ids, r.ID)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, &CampaignLookupError{ProgramName: program, CampaignName: campaign, IDs: ids}
	}
	c.put(k, ids[0])
	return ids[0], nil
}

// CampaignLookupError reports that on REST a (ProgramName, CampaignName)
// pair named no campaign, or more than one. Nothing was scheduled or
// requested. With no match it matches ErrCampaignNotFound with errors.Is;
// with several, IDs lists them: name the campaign by CampaignID instead.
type CampaignLookupError struct {
	ProgramName  string
	CampaignName string
	IDs          []int // the campaigns with that name: none, or more than one
}

func (e *CampaignLookupError) Error() string {
	if len(e.IDs) == 0 {
		return fmt.Sprintf("no campaign named %q in program %q", e.CampaignName, e.ProgramName)
	}
	return fmt.Sprintf("%d campaigns are named %q in program %q (IDs %s); give the one meant as CampaignID",
		len(e.IDs), e.CampaignName, e.ProgramName, joinInts(e.IDs))
}

// Is reports whether target is ErrCampaignNotFound and no campaign matched.
func (e *CampaignLookupError) Is(target error) bool {
	return target == ErrCampaignNotFound && len(e.IDs) == 0
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// restLeadFilter returns the filterType of GET /rest/v1/leads.json that
// finds leads by a SOAP lead key type, and whether REST has one. IDNUM keys
// need no lookup.
func restLeadFilter(t LeadKeyType) (string, bool) {
	switch t {
	case LeadKeyEmail:
		return "email", true
	case LeadKeySFDCLeadID:
		return "sfdcLeadId", true
	case LeadKeySFDCContactID:
		return "sfdcContactId", true
	}
	return "", false
}

// MaxRequestCampaignTokens is the most Tokens one RequestCampaign call
// takes on the REST API (trigger.json's limit).
const MaxRequestCampaignTokens = 100

// checkRESTTrigger appends the REST API's rules for RequestCampaign: lead
// keys it can look up (IDNUM, EMAIL, SFDCLEADID, SFDCCONTACTID), values
// its comma-separated filter can carry, and at most 100 tokens.
func checkRESTTrigger(errs []error, leads []LeadKey, tokens []Token) []error {
	for i, k := range leads {
		if k.Type == LeadKeyIDNum || !k.Type.known() {
			continue
		}
		field := fmt.Sprintf("Leads[%d]", i)
		if _, ok := restLeadFilter(k.Type); !ok {
			errs = append(errs, &ValidationError{Field: field + ".Type", Rule: fmt.Sprintf(
				"%s keys cannot be looked up on the REST API; use IDNUM, EMAIL, SFDCLEADID or SFDCCONTACTID", k.Type)})
		} else if strings.Contains(k.Value, ",") {
			errs = append(errs, &ValidationError{Field: field + ".Value", Rule: fmt.Sprintf(
				"%q contains a comma, which the REST API's lead filter cannot carry; give the lead as an IDNUM key", k.Value)})
		}
	}
	if len(tokens) > MaxRequestCampaignTokens {
		errs = append(errs, &ValidationError{Field: "Tokens", Rule: fmt.Sprintf(
			"has %d tokens; the REST API takes at most %d a call", len(tokens), MaxRequestCampaignTokens)})
	}
	return errs
}

// maxLeadFilterQuery bounds the filterValues of one lead lookup, in bytes,
// so that its URL stays well under Marketo's 8 KB limit (HTTP 414).
const maxLeadFilterQuery = 6 << 10

// resolveLeads returns the REST lead IDs of keys, in their order, each ID
// once. IDNUM keys are IDs already; the others are looked up with GET
// /rest/v1/leads.json?filterType=…, at most 300 values a call. A key that
// matches no lead, or more than one, makes a *LeadLookupError naming every
// such key. Keys are assumed valid (see RequestCampaignParams).
func resolveLeads(ctx context.Context, get restGetter, keys []LeadKey) ([]int, error) {
	found := map[LeadKey][]int{}
	byType := map[LeadKeyType][]string{}
	for _, k := range keys {
		if k.Type == LeadKeyIDNum {
			id, _ := strconv.Atoi(k.Value)
			found[k] = []int{id}
			continue
		}
		if _, dup := found[k]; !dup && !slices.Contains(byType[k.Type], k.Value) {
			byType[k.Type] = append(byType[k.Type], k.Value)
		}
	}
	for _, t := range sortedKeys(byType) {
		for _, batch := range leadBatches(byType[t]) {
			if err := lookupLeads(ctx, get, t, batch, found); err != nil {
				return nil, err
			}
		}
	}
	var ids []int
	lookupErr := &LeadLookupError{}
	for _, k := range keys {
		switch m := found[k]; len(m) {
		case 0:
			lookupErr.NotFound = append(lookupErr.NotFound, k)
		case 1:
			if !slices.Contains(ids, m[0]) {
				ids = append(ids, m[0])
			}
		default:
			lookupErr.Ambiguous = append(lookupErr.Ambiguous, AmbiguousLead{Key: k, IDs: m})
		}
	}
	if len(lookupErr.NotFound) > 0 || len(lookupErr.Ambiguous) > 0 {
		return nil, lookupErr
	}
	return ids, nil
}

func sortedKeys[V any](m map[LeadKeyType]V) []LeadKeyType {
	ks := make([]LeadKeyType, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// leadBatches splits values into lookups of at most restPageSize values and
// maxLeadFilterQuery bytes.
func leadBatches(values []string) [][]string {
	var out [][]string
	start, size := 0, 0
	for i, v := range values {
		n := len(url.QueryEscape(v)) + 3 // and an escaped comma
		if i > start && (i-start == restPageSize || size+n > maxLeadFilterQuery) {
			out = append(out, values[start:i])
			start, size = i, 0
		}
		size += n
	}
	if start < len(values) {
		out = append(out, values[start:])
	}
	return out
}

// lookupLeads finds the leads whose field of type t holds one of values and
// adds their IDs to found under the matching key.
func lookupLeads(ctx context.Context, get restGetter, t LeadKeyType, values []string, found map[LeadKey][]int) error {
	filter, _ := restLeadFilter(t)
	q := url.Values{
		"filterType":   {filter},
		"filterValues": {strings.Join(values, ",")},
		"fields":       {"id," + filter},
	}
	return getAllPages(ctx, get, "/rest/v1/leads.json", q, func(page []map[string]any) error {
		for _, rec := range page {
			id, ok := rec["id"].(float64)
			v, _ := rec[filter].(string)
			if !ok || id != float64(int(id)) || id <= 0 {
				return &ResponseError{HTTPStatus: 200, ContentType: "application/json", Reason: fmt.Sprintf("a lead record has no valid id (%v)", rec["id"])}
			}
			for _, want := range values {
				// Marketo compares email addresses without regard to case.
				if v == want || (t == LeadKeyEmail && strings.EqualFold(v, want)) {
					k := LeadKey{Type: t, Value: want}
					if !slices.Contains(found[k], int(id)) {
						found[k] = append(found[k], int(id))
					}
				}
			}
		}
		return nil
	})
}

// LeadLookupError reports lead keys that REST could not turn into exactly
// one lead ID: keys no lead matched, and keys several leads matched (REST
// triggers campaigns by lead ID, so the SDK does not pick one). Nothing was
// requested. It matches ErrLeadNotFound with errors.Is when a key matched
// no lead.
type LeadLookupError struct {
	NotFound  []LeadKey
	Ambiguous []AmbiguousLead
}

// AmbiguousLead is a lead key that several leads match.
type AmbiguousLead struct {
	Key LeadKey
	IDs []int
}

func (e *LeadLookupError) Error() string {
	var parts []string
	if len(e.NotFound) > 0 {
		keys := make([]string, len(e.NotFound))
		for i, k := range e.NotFound {
			keys[i] = string(k.Type) + " " + strconv.Quote(k.Value)
		}
		parts = append(parts, "no lead found for "+strings.Join(keys, ", "))
	}
	for _, a := range e.Ambiguous {
		parts = append(parts, fmt.Sprintf("%s %q matches %d leads (IDs %s); give the one meant as an IDNUM key",
			a.Key.Type, a.Key.Value, len(a.IDs), joinInts(a.IDs)))
	}
	return strings.Join(parts, "; ") + "; no campaign was requested"
}

// Is reports whether target is ErrLeadNotFound and a key matched no lead.
func (e *LeadLookupError) Is(target error) bool {
	return target == ErrLeadNotFound && len(e.NotFound) > 0
}
