package marketo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

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

// needsLeadLookup reports whether keys hold a key that is not a lead ID.
func needsLeadLookup(keys []LeadKey) bool {
	return slices.ContainsFunc(keys, func(k LeadKey) bool { return k.Type != LeadKeyIDNum })
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

// AmbiguousLead is a lead key that several leads match.
type AmbiguousLead struct {
	Key LeadKey
	IDs []int
}
