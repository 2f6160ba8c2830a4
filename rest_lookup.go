package marketo

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// REST names campaigns and leads by ID where SOAP took names, emails and
// other keys: the lookups (rest_campaign_lookup.go, rest_lead_lookup.go)
// turn the SOAP-style names into IDs with read-only GETs before a
// state-changing call. This file holds what they share: the GET and paging.

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

// namedRecord is a record a lookup by name returns: its ID, name and
// program name.
type namedRecord interface {
	names() (id int, name, program string)
}

// lookupNamed returns the IDs of the records at path (every page) named
// name in program, each once. Names are compared exactly on the client:
// whether Marketo's name filter matches substrings is not documented.
func lookupNamed[T namedRecord](ctx context.Context, get restGetter, path, name, program string) ([]int, error) {
	var ids []int
	err := getAllPages(ctx, get, path, nameFilters(name, program), func(page []T) error {
		for _, r := range page {
			if id, n, p := r.names(); n == name && p == program && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return nil
	})
	return ids, err
}

// maxFilterBytes bounds one name sent as a lookup filter, escaped, so
// that a lookup's URL stays well under Marketo's 8 KB limit (HTTP 414)
// with both names at it. Marketo's names are far shorter.
const maxFilterBytes = 3 << 10

// nameFilters returns the name and programName filters of a lookup of the
// record named name in program. The filters take comma-separated lists,
// so a name with a comma cannot be sent as one, nor can a name too long
// for the URL: such a name is matched on the client only.
func nameFilters(name, program string) url.Values {
	q := url.Values{}
	for _, f := range [...]struct{ key, value string }{{"name", name}, {"programName", program}} {
		if !strings.Contains(f.value, ",") && len(url.QueryEscape(f.value)) <= maxFilterBytes {
			q.Set(f.key, f.value)
		}
	}
	return q
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
