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

// The lookups of a REST import: a static list's ID by its names, and the
// tenant's lead fields, each cached for CampaignCacheLifetime.

// restList is one record of GET /rest/v1/lists.json.
type restList struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	ProgramName string `json:"programName"`
}

// listCache remembers the IDs (ProgramName, ListName) pairs resolved to,
// for CampaignCacheLifetime, as campaign IDs are remembered.
type listCache struct {
	now func() time.Time

	mu  sync.Mutex
	ids map[listKey]cachedList
}

type listKey struct{ program, list string }

type cachedList struct {
	id      int
	expires time.Time
}

func newListCache(now func() time.Time) *listCache {
	return &listCache{now: now, ids: map[listKey]cachedList{}}
}

func (c *listCache) get(k listKey) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.ids[k]
	if !ok || !c.now().Before(e.expires) {
		delete(c.ids, k)
		return 0, false
	}
	return e.id, true
}

func (c *listCache) put(k listKey, id int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids[k] = cachedList{id: id, expires: c.now().Add(CampaignCacheLifetime)}
}

// resolve returns the ID of the static list named list in program, from
// the cache or with GET /rest/v1/lists.json (paged). Names are compared
// exactly on the client: whether Marketo's name filter matches substrings
// is not documented.
func (c *listCache) resolve(ctx context.Context, get restGetter, program, list string) (int, error) {
	k := listKey{program, list}
	if id, ok := c.get(k); ok {
		return id, nil
	}
	q := url.Values{}
	if !strings.Contains(list, ",") {
		q.Set("name", list)
	}
	if !strings.Contains(program, ",") {
		q.Set("programName", program)
	}
	var ids []int
	err := getAllPages(ctx, get, "/rest/v1/lists.json", q, func(page []restList) error {
		for _, r := range page {
			if r.Name == list && r.ProgramName == program && !slices.Contains(ids, r.ID) {
				ids = append(ids, r.ID)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, &ListLookupError{ProgramName: program, ListName: list, IDs: ids}
	}
	c.put(k, ids[0])
	return ids[0], nil
}

// dropAll forgets every list.
func (c *listCache) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.ids)
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
// the meantime is found once the entry expires.
type fieldCache struct {
	now func() time.Time

	mu      sync.Mutex
	names   *leadFieldNames
	expires time.Time
}

func (c *fieldCache) get(ctx context.Context, get restGetter) (*leadFieldNames, error) {
	c.mu.Lock()
	names, ok := c.names, c.now().Before(c.expires)
	c.mu.Unlock()
	if names != nil && ok {
		return names, nil
	}
	var fields []restLeadField
	if _, err := get(ctx, "/rest/v1/leads/describe.json", url.Values{}, &fields); err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, badRESTAnswer("the lead describe lists no field")
	}
	names = newLeadFieldNames(fields)
	c.mu.Lock()
	c.names, c.expires = names, c.now().Add(CampaignCacheLifetime)
	c.mu.Unlock()
	return names, nil
}
