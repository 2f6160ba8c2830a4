package marketo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
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
	now func() time.Time

	mu   sync.Mutex
	ids  map[campaignKey]cachedCampaign
	busy map[campaignKey]chan struct{} // a lookup in progress; closed when it ends
}

type cachedCampaign struct {
	id      int
	expires time.Time
}

func newCampaignCache(now func() time.Time) *campaignCache {
	return &campaignCache{now: now, ids: map[campaignKey]cachedCampaign{}, busy: map[campaignKey]chan struct{}{}}
}

func (c *campaignCache) get(k campaignKey) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(k)
}

func (c *campaignCache) getLocked(k campaignKey) (int, bool) {
	e, ok := c.ids[k]
	if !ok || !c.now().Before(e.expires) {
		delete(c.ids, k)
		return 0, false
	}
	return e.id, true
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

// resolve returns the ID of the campaign named campaign in program, from
// the cache or with a lookup. While one caller looks a name up, the others
// resolving it wait for it (each as long as its context allows) and then
// find the ID cached; if the lookup failed, the next of them tries its own.
func (c *campaignCache) resolve(ctx context.Context, get restGetter, program, campaign string) (int, error) {
	k := campaignKey{program, campaign}
	for {
		c.mu.Lock()
		if id, ok := c.getLocked(k); ok {
			c.mu.Unlock()
			return id, nil
		}
		wait, busy := c.busy[k]
		if !busy {
			done := make(chan struct{})
			c.busy[k] = done
			c.mu.Unlock()
			id, err := lookupCampaign(ctx, get, program, campaign)
			c.mu.Lock()
			delete(c.busy, k)
			if err == nil {
				c.ids[k] = cachedCampaign{id: id, expires: c.now().Add(CampaignCacheLifetime)}
			}
			c.mu.Unlock()
			close(done)
			return id, err
		}
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// lookupCampaign finds the ID of the campaign named campaign in program
// with GET /rest/v1/campaigns.json, every page. Names are compared exactly
// on the client: whether Marketo's name filter matches substrings is not
// documented.
func lookupCampaign(ctx context.Context, get restGetter, program, campaign string) (int, error) {
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
