package marketo

import (
	"cmp"
	"context"
	"time"
)

// restCampaign is one record of GET /rest/v1/campaigns.json:
// {"id":1001,"name":"…","description":"…","type":"batch","programName":"…",
// "programId":1004,"workspaceName":"Default","active":true}. A campaign in
// a folder, outside any program, has no programName nor programId.
type restCampaign struct {
	ID            int         `json:"id"`
	Name          string      `json:"name"`
	Description   string      `json:"description"`
	Type          string      `json:"type"` // "batch" or "trigger"
	ProgramName   string      `json:"programName"`
	ProgramID     int         `json:"programId"`
	WorkspaceName string      `json:"workspaceName"`
	Folder        *restFolder `json:"folder"`
	Active        bool        `json:"active"`
}

func (r restCampaign) match() (string, NameMatch) {
	return r.Name, NameMatch{ID: r.ID, ProgramName: r.ProgramName, WorkspaceName: r.WorkspaceName, Folder: r.Folder.folder()}
}

// campaign returns r as the SDK's Campaign.
func (r restCampaign) campaign() Campaign {
	return Campaign{ID: r.ID, Name: r.Name, Description: r.Description, ProgramName: r.ProgramName,
		ProgramID: r.ProgramID, WorkspaceName: r.WorkspaceName, Folder: r.Folder.folder()}
}

// restFolder is the asset API's folder of an asset, in either of its two
// forms: {"id":1099,"type":"Folder"} or
// {"type":"Folder","value":1099,"folderName":"Campaigns"}.
type restFolder struct {
	ID         int    `json:"id"`
	Value      int    `json:"value"`
	Type       string `json:"type"`
	FolderName string `json:"folderName"`
}

// folder returns f as the SDK's Folder, nil for none.
func (f *restFolder) folder() *Folder {
	if f == nil || (f.ID == 0 && f.Value == 0 && f.FolderName == "") {
		return nil
	}
	return &Folder{ID: cmp.Or(f.ID, f.Value), Type: f.Type, Name: f.FolderName}
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

// lookupCampaign finds the ID of the campaign named campaign in program,
// or named campaign wherever it lives when program is empty, with GET
// /rest/v1/campaigns.json, every page. Names are compared exactly on the
// client: whether Marketo's name filter matches substrings is not
// documented.
func lookupCampaign(ctx context.Context, get restGetter, program, campaign string) (int, error) {
	found, err := lookupNamed[restCampaign](ctx, get, "/rest/v1/campaigns.json", campaign, program)
	switch {
	case err != nil:
		return 0, err
	case len(found) == 1:
		return found[0].ID, nil
	case len(found) > 1 && program == "":
		return 0, &AmbiguousNameError{Asset: "campaign", Name: campaign, Candidates: found}
	}
	return 0, &CampaignLookupError{ProgramName: program, CampaignName: campaign, IDs: matchIDs(found)}
}
