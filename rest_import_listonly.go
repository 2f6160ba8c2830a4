package marketo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// ImportModeListOnly on REST. SOAP's LISTONLY import added the file's
// existing leads to the list and ignored the rows of unknown leads. REST's
// bulk import always creates or updates leads, so the SDK maps LISTONLY to
// its closest faithful counterpart, run during the call: for each batch of
// rows, find the leads by email (GET /rest/v1/leads.json?filterType=email,
// at most 300 emails and a query of about 6 KB, under the 8 KB URI limit),
// then add them to the list (POST /rest/v1/lists/{id}/leads.json, at most
// 300 leads a call). No lead is created or changed. A row counts as
// imported when its lead (every lead with its email, as Marketo allows
// duplicates) was added, ignored when it has no email or no lead has it,
// and failed when Marketo skipped its lead.

// Limits of the LISTONLY calls.
const (
	listOnlyBatch      = 300  // emails per lookup, leads per add (Marketo's maximum for both)
	listOnlyQueryBytes = 6000 // escaped emails per lookup, leaving room in an 8 KB URI
	maxListOnlyReasons = 5    // distinct skip reasons quoted in the summary
)

// restLead is one record of GET /rest/v1/leads.json with fields=id,email.
type restLead struct {
	ID    int    `json:"id"`
	Email string `json:"email"`
}

// restListMember is one result of POST /rest/v1/lists/{id}/leads.json:
// {"id":318594,"status":"added"} or {"id":1,"status":"skipped","reasons":[{"code":"1004","message":"Lead not found"}]}.
type restListMember struct {
	ID      int    `json:"id"`
	Status  string `json:"status"`
	Reasons []struct {
		Message string `json:"message"`
	} `json:"reasons"`
}

// listOnlyTally counts the rows of a LISTONLY import by outcome.
type listOnlyTally struct {
	added, ignored, failed int
	reasons                []string
}

// listOnly adds the existing leads of p's rows, whose header in REST names
// is header, to the list listID.
func (w *restImportHooks) listOnly(ctx context.Context, p *ImportToListParams, listID int, header []string) (*ImportToListResult, error) {
	col := slices.Index(header, "email")
	if col < 0 {
		return nil, invalid(opImportToList, &ValidationError{Field: "Header", Rule: "has no email column; ImportModeListOnly on the REST API finds the existing leads by email: add the Email Address column"})
	}
	var t listOnlyTally
	var md ResultMetadata
	for start := 0; start < len(p.Rows); {
		end := listOnlyChunk(p.Rows, start, col)
		if err := w.listOnlyRows(ctx, &t, &md, listID, p.Rows[start:end], col); err != nil {
			return nil, incomplete(err, nil, start)
		}
		start = end
	}
	st := &ImportToListStatus{
		Status:        ImportComplete,
		RowsImported:  &t.added,
		RowsIgnored:   &t.ignored,
		RowsFailed:    &t.failed,
		ImportSummary: t.summary(),
		Metadata:      md,
	}
	return &ImportToListResult{Status: ImportComplete, ProgramName: p.ProgramName, ListName: p.ListName, ListID: listID,
		FinalStatus: st, Metadata: md}, nil
}

// listOnlyChunk returns the end of the batch of rows from start whose
// distinct emails one lookup can carry.
func listOnlyChunk(rows [][]string, start, col int) int {
	seen := map[string]bool{}
	size := 0
	for i := start; i < len(rows); i++ {
		email, ok := lookupEmail(rows[i][col])
		if !ok || seen[email] {
			continue
		}
		n := len(url.QueryEscape(email)) + len("%2C") // and the escaped comma between values
		if len(seen) == listOnlyBatch || (len(seen) > 0 && size+n > listOnlyQueryBytes) {
			return i
		}
		seen[email] = true
		size += n
	}
	return len(rows)
}

// lookupEmail returns the key a row's email is looked up by, and false for
// one that cannot name a lead: empty, or with a comma, which would split
// the comma-separated filterValues.
func lookupEmail(v string) (string, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	return v, v != "" && !strings.Contains(v, ",")
}

// listOnlyRows looks up the leads of one batch of rows, adds them to the
// list, counts the rows, and adds the adds' answers to md.
func (w *restImportHooks) listOnlyRows(ctx context.Context, t *listOnlyTally, md *ResultMetadata, listID int, rows [][]string, col int) error {
	var emails []string
	for _, row := range rows {
		if e, ok := lookupEmail(row[col]); ok && !slices.Contains(emails, e) {
			emails = append(emails, e)
		}
	}
	byEmail := map[string][]int{}
	var ids []int
	if len(emails) > 0 {
		leads, err := w.findLeads(ctx, emails)
		if err != nil {
			return err
		}
		for _, l := range leads {
			e := strings.ToLower(l.Email)
			if !slices.Contains(byEmail[e], l.ID) {
				byEmail[e] = append(byEmail[e], l.ID)
			}
			if !slices.Contains(ids, l.ID) {
				ids = append(ids, l.ID)
			}
		}
	}
	added := map[int]bool{}
	for start := 0; start < len(ids); start += listOnlyBatch {
		members, answer, err := w.addToList(ctx, listID, ids[start:min(start+listOnlyBatch, len(ids))])
		if err != nil {
			return err
		}
		md.merge(answer)
		for _, m := range members {
			if m.Status == "added" {
				added[m.ID] = true
			} else {
				for _, r := range m.Reasons {
					t.reason(r.Message)
				}
			}
		}
	}
	for _, row := range rows {
		e, ok := lookupEmail(row[col])
		leads := byEmail[e]
		switch {
		case !ok || len(leads) == 0:
			t.ignored++
		case slices.ContainsFunc(leads, func(id int) bool { return added[id] }):
			t.added++
		default:
			t.failed++
		}
	}
	return nil
}

func (t *listOnlyTally) reason(msg string) {
	if msg != "" && len(t.reasons) < maxListOnlyReasons && !slices.Contains(t.reasons, msg) {
		t.reasons = append(t.reasons, msg)
	}
}

// summary says what the import did, as SOAP's importSummary would.
func (t *listOnlyTally) summary() string {
	s := fmt.Sprintf("%d rows added to the list, %d ignored (no lead with that email), %d failed", t.added, t.ignored, t.failed)
	if len(t.reasons) > 0 {
		s += ": " + strings.Join(t.reasons, "; ")
	}
	return s
}
