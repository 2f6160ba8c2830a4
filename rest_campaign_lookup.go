package marketo

import (
	"context"
	"fmt"
	"time"
)

// restCampaign is one record of GET /rest/v1/campaigns.json.
type restCampaign struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        string `json:"type"` // "batch" or "trigger"
	ProgramName string `json:"programName"`
	Active      bool   `json:"active"`
}

func (r restCampaign) names() (int, string, string) { return r.ID, r.Name, r.ProgramName }

// CampaignCacheLifetime is how long a Client remembers the campaign ID a
// (ProgramName, CampaignName) pair resolved to on REST. Within it, calls
// naming the same campaign send no lookup. An entry is dropped early when
// Marketo answers 1013 (object not found) for its ID, so a campaign deleted
// and created again under the same name is found on the next call.
const CampaignCacheLifetime = 10 * time.Minute

// campaignKey names a campaign the SOAP way.
type campaignKey struct{ program, campaign string }

// campaignCache remembers resolved campaign IDs for CampaignCacheLifetime.
// Callers resolving the same name at once share one lookup.
type campaignCache struct {
	ids *lookupCache[campaignKey, int]
}

func newCampaignCache(now func() time.Time) *campaignCache {
	return &campaignCache{ids: newLookupCache[campaignKey, int](now)}
}

func (c *campaignCache) get(k campaignKey) (int, bool) { return c.ids.get(k) }

// drop forgets every name that resolved to id.
func (c *campaignCache) drop(id int) { c.ids.dropIf(func(v int) bool { return v == id }) }

// resolve returns the ID of the campaign named campaign in program, from
// the cache or with a lookup shared with the callers resolving it at once.
func (c *campaignCache) resolve(ctx context.Context, get restGetter, program, campaign string) (int, error) {
	return c.ids.resolve(ctx, campaignKey{program, campaign}, func(ctx context.Context) (int, error) {
		return lookupCampaign(ctx, get, program, campaign)
	})
}

// lookupCampaign finds the ID of the campaign named campaign in program
// with GET /rest/v1/campaigns.json, every page. Names are compared exactly
// on the client: whether Marketo's name filter matches substrings is not
// documented.
func lookupCampaign(ctx context.Context, get restGetter, program, campaign string) (int, error) {
	ids, err := lookupNamed[restCampaign](ctx, get, "/rest/v1/campaigns.json", campaign, program)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, &CampaignLookupError{ProgramName: program, CampaignName: campaign, IDs: ids}
	}
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
