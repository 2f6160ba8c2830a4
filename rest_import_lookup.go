package marketo

import (
	"context"
	"net/url"
	"time"

	"github.com/mktows/marketo/internal/restwire"
)

// The lookups of a REST import: a static list's ID by its names, and the
// tenant's lead fields, each cached for CampaignCacheLifetime.

// restList is one record of GET /rest/v1/lists.json:
// {"id":1007,"name":"…","programName":"…","workspaceName":"Default"}. A
// list in a folder, outside any program, has no programName.
type restList struct {
	ID            int         `json:"id"`
	Name          string      `json:"name"`
	ProgramName   string      `json:"programName"`
	WorkspaceName string      `json:"workspaceName"`
	Folder        *restFolder `json:"folder"`
}

func (r restList) match() (string, NameMatch) {
	return r.Name, NameMatch{ID: r.ID, ProgramName: r.ProgramName, WorkspaceName: r.WorkspaceName, Folder: r.Folder.folder()}
}

// listCache remembers the IDs (ProgramName, ListName) pairs (ProgramName
// empty for a name alone) resolved to,
// for CampaignCacheLifetime, as campaign IDs are remembered; callers
// resolving the same list at once share one lookup.
type listCache struct{ ids *lookupCache[listKey, int] }

type listKey struct{ program, list string }

func newListCache(now func() time.Time) *listCache {
	return &listCache{ids: newLookupCache[listKey, int](now)}
}

// resolve returns the ID of the static list named list in program, from
// the cache or with a lookup.
func (c *listCache) resolve(ctx context.Context, get restGetter, program, list string) (int, error) {
	return c.ids.resolve(ctx, listKey{program, list}, func(ctx context.Context) (int, error) {
		return lookupList(ctx, get, program, list)
	})
}

// dropAll forgets every list.
func (c *listCache) dropAll() { c.ids.dropIf(func(int) bool { return true }) }

// lookupList finds the ID of the static list named list in program, or
// named list wherever it lives when program is empty, with GET
// /rest/v1/lists.json (paged). Names are compared exactly on the client:
// whether Marketo's name filter matches substrings is not documented.
func lookupList(ctx context.Context, get restGetter, program, list string) (int, error) {
	found, err := lookupNamed[restList](ctx, get, "/rest/v1/lists.json", list, program)
	switch {
	case err != nil:
		return 0, err
	case len(found) == 1:
		return found[0].ID, nil
	case len(found) > 1 && program == "":
		return 0, &AmbiguousNameError{Asset: "static list", Name: list, Candidates: found}
	}
	return 0, &ListLookupError{ProgramName: program, ListName: list, IDs: matchIDs(found)}
}

// fieldCache remembers the tenant's lead fields (GET
// /rest/v1/leads/describe.json) for CampaignCacheLifetime: a field added in
// the meantime is found once the entry expires. Callers needing them at
// once share one describe.
type fieldCache struct {
	names *lookupCache[struct{}, *restwire.LeadFieldNames]
}

func newFieldCache(now func() time.Time) *fieldCache {
	return &fieldCache{names: newLookupCache[struct{}, *restwire.LeadFieldNames](now)}
}

func (c *fieldCache) get(ctx context.Context, get restGetter) (*restwire.LeadFieldNames, error) {
	return c.names.resolve(ctx, struct{}{}, func(ctx context.Context) (*restwire.LeadFieldNames, error) {
		var fields []restwire.LeadField
		if _, err := get(ctx, "/rest/v1/leads/describe.json", url.Values{}, &fields); err != nil {
			return nil, err
		}
		if len(fields) == 0 {
			return nil, badRESTAnswer("the lead describe lists no field")
		}
		return restwire.NewLeadFieldNames(fields), nil
	})
}
