package marketo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mktows/marketo/internal/restwire"
)

// REST names campaigns and leads by ID where SOAP took names, emails and
// other keys: the lookups (rest_campaign_lookup.go, rest_lead_lookup.go)
// turn the SOAP-style names into IDs with read-only GETs before a
// state-changing call. This file holds what they share: the GET and paging.

// restGetter sends one read-only GET of path (under the REST endpoint, e.g.
// "/rest/v1/campaigns.json") with query q, and decodes the answer's result
// into result.
type restGetter func(ctx context.Context, path string, q url.Values, result any) (*restwire.Envelope, error)

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

// namedRecord is a record a lookup by name returns: its name and where it
// lives.
type namedRecord interface {
	match() (name string, m NameMatch)
}

// lookupNamed returns the records at path (every page) named name, each
// once, in Marketo's order: in program when it is given, wherever they
// live when it is empty. Names are compared exactly on the client: whether
// Marketo's name filter matches substrings is not documented.
func lookupNamed[T namedRecord](ctx context.Context, get restGetter, path, name, program string) ([]NameMatch, error) {
	var found []NameMatch
	err := getAllPages(ctx, get, path, nameFilters(name, program), func(page []T) error {
		for _, r := range page {
			n, m := r.match()
			if n != name || (program != "" && m.ProgramName != program) {
				continue
			}
			if !slices.ContainsFunc(found, func(f NameMatch) bool { return f.ID == m.ID }) {
				found = append(found, m)
			}
		}
		return nil
	})
	return found, err
}

// matchIDs returns the IDs of found.
func matchIDs(found []NameMatch) []int {
	if len(found) == 0 {
		return nil
	}
	ids := make([]int, len(found))
	for i, m := range found {
		ids[i] = m.ID
	}
	return ids
}

// NameMatch is one campaign or static list that a lookup by name found on
// REST: its ID and where it lives.
type NameMatch struct {
	ID            int
	ProgramName   string  // empty for an asset in a folder, outside any program
	WorkspaceName string  // empty when Marketo did not say
	Folder        *Folder // nil unless Marketo gave it
}

// where says where m lives, for errors.
func (m NameMatch) where() string {
	var s string
	switch {
	case m.ProgramName != "":
		s = fmt.Sprintf("in program %q", m.ProgramName)
	case m.Folder != nil && m.Folder.Name != "":
		s = fmt.Sprintf("in folder %q", m.Folder.Name)
	case m.Folder != nil:
		s = fmt.Sprintf("in folder %d", m.Folder.ID)
	default:
		s = "in a folder"
	}
	if m.WorkspaceName != "" {
		s += fmt.Sprintf(" (workspace %q)", m.WorkspaceName)
	}
	return s
}

// maxFilterBytes bounds one name sent as a lookup filter, escaped, so
// that a lookup's URL stays well under Marketo's 8 KB limit (HTTP 414)
// with both names at it. Marketo's names are far shorter.
const maxFilterBytes = 3 << 10

// nameFilters returns the name and programName filters of a lookup of the
// record named name in program (no programName filter when it is empty:
// the name alone is looked up). The filters take comma-separated lists,
// so a name with a comma cannot be sent as one, nor can a name too long
// for the URL: such a name is matched on the client only.
func nameFilters(name, program string) url.Values {
	q := url.Values{}
	for _, f := range [...]struct{ key, value string }{{"name", name}, {"programName", program}} {
		if f.value != "" && !strings.Contains(f.value, ",") && len(url.QueryEscape(f.value)) <= maxFilterBytes {
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
