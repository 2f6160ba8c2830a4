package marketo

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// The lookups of a REST import: a static list's ID by its names, and the
// tenant's lead fields, each cached for CampaignCacheLifetime.

// restList is one record of GET /rest/v1/lists.json.
type restList struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	ProgramName string `json:"programName"`
}

func (r restList) names() (int, string, string) { return r.ID, r.Name, r.ProgramName }

// listCache remembers the IDs (ProgramName, ListName) pairs resolved to,
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

// lookupList finds the ID of the static list named list in program with
// GET /rest/v1/lists.json (paged). Names are compared exactly on the
// client: whether Marketo's name filter matches substrings is not
// documented.
func lookupList(ctx context.Context, get restGetter, program, list string) (int, error) {
	ids, err := lookupNamed[restList](ctx, get, "/rest/v1/lists.json", list, program)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, &ListLookupError{ProgramName: program, ListName: list, IDs: ids}
	}
	return ids[0], nil
}

// ListLookupError reports that on REST a (ProgramName, ListName) pair named
// no static list, or more than one. Nothing was imported. With no match it
// matches ErrListNotFound with errors.Is.
type ListLookupError struct {
	ProgramName string
	ListName    string
	IDs         []int // the lists with that name: none, or more than one
}

func (e *ListLookupError) Error() string {
	if len(e.IDs) == 0 {
		return fmt.Sprintf("no static list named %q in program %q", e.ListName, e.ProgramName)
	}
	return fmt.Sprintf("%d static lists are named %q in program %q (IDs %s)", len(e.IDs), e.ListName, e.ProgramName, joinInts(e.IDs))
}

// Is reports whether target is ErrListNotFound and no list matched.
func (e *ListLookupError) Is(target error) bool {
	return target == ErrListNotFound && len(e.IDs) == 0
}

// fieldCache remembers the tenant's lead fields (GET
// /rest/v1/leads/describe.json) for CampaignCacheLifetime: a field added in
// the meantime is found once the entry expires. Callers needing them at
// once share one describe.
type fieldCache struct {
	names *lookupCache[struct{}, *leadFieldNames]
}

func newFieldCache(now func() time.Time) *fieldCache {
	return &fieldCache{names: newLookupCache[struct{}, *leadFieldNames](now)}
}

func (c *fieldCache) get(ctx context.Context, get restGetter) (*leadFieldNames, error) {
	return c.names.resolve(ctx, struct{}{}, func(ctx context.Context) (*leadFieldNames, error) {
		var fields []restLeadField
		if _, err := get(ctx, "/rest/v1/leads/describe.json", url.Values{}, &fields); err != nil {
			return nil, err
		}
		if len(fields) == 0 {
			return nil, badRESTAnswer("the lead describe lists no field")
		}
		return newLeadFieldNames(fields), nil
	})
}
