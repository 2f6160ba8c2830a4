package marketotest

import (
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Import is a snapshot of one importToList call.
type Import struct {
	ID           int
	Program      string
	List         string
	Campaign     string // campaign that receives the per-lead token columns ("" if none)
	Mode         string // UPSERTLEADS or LISTONLY
	ClearList    bool
	Columns      []string // header columns, lead fields then {{my.x}} tokens
	Status       string   // PROCESSING or COMPLETE
	Started      time.Time
	Ended        time.Time // zero while PROCESSING
	Rows         int
	RowsImported int
	RowsFailed   int
	RowsIgnored  int
	// IgnoredTokens are token columns the program does not define.
	IgnoredTokens []string
}

type importJob struct {
	Import
	rows     [][]string // valid rows, one value per column
	campaign *campaign
}

// programList reads programName and listName, both required, and finds the
// program (20113 when unknown) and its list (20111 when unknown).
func (s *Server) programList(p *params) (*program, string, *Fault) {
	progName, f := p.requiredName("programName")
	if f != nil {
		return nil, "", f
	}
	listName, f := p.requiredName("listName")
	if f != nil {
		return nil, "", f
	}
	prog, _, derr := s.t.findList(progName, listName)
	if derr != nil {
		return nil, "", derr.soap()
	}
	return prog, listName, nil
}

func (s *Server) importToList(p *params, now time.Time) ([]byte, *Fault) {
	prog, listName, f := s.programList(p)
	if f != nil {
		return nil, f
	}
	progName := prog.name
	header, _ := p.str("importFileHeader")
	cols, f := s.parseHeader(header)
	if f != nil {
		return nil, f
	}
	job := &importJob{Import: Import{
		ID: len(s.imports) + 1, Program: progName, List: listName, Columns: cols,
		Status: "PROCESSING", Started: now,
	}}
	job.Mode, _ = p.trimmed("importListMode")
	job.ClearList, _ = p.boolean("clearList")
	campName, hasCamp := p.str("campaignName")
	hasTokens := false
	for _, c := range cols {
		if ValidTokenName(c) {
			hasTokens = true
			if _, ok := prog.tokenKey(c); !ok {
				job.IgnoredTokens = append(job.IgnoredTokens, c)
			}
		}
	}
	if hasTokens && (!hasCamp || campName == "") {
		return nil, faultf(codeParameterRequired, "campaignName is required when importFileHeader has token columns")
	}
	if hasCamp && campName != "" {
		_, c, derr := s.t.findCampaign(progName, campName)
		if derr != nil {
			return nil, derr.soap()
		}
		job.campaign = c
		job.Campaign = campName
	}
	for _, old := range s.imports {
		if old.Program == progName && old.List == listName && old.Status == "PROCESSING" {
			return nil, (&domainErr{kind: errImportInProgress, list: listName, program: progName}).soap()
		}
	}
	for _, row := range p.items("importFileRows") {
		job.Rows++
		vals, ok := parseRow(row, len(cols))
		if !ok || strings.TrimSpace(vals[slices.Index(cols, "Email Address")]) == "" {
			job.RowsFailed++
			continue
		}
		job.rows = append(job.rows, vals)
	}
	s.imports = append(s.imports, job)
	s.settleImports(now)
	return successXML("importToList",
		comment("Possible Values: COMPLETE/PROCESSING/FAILED/CANCELED"),
		leaf("importStatus", "PROCESSING")), nil
}

// parseHeader reads the CSV header: lead field display names (known to the
// tenant, 20105 otherwise), then optional {{my.x}} token columns. "Email
// Address" is required; a repeated column is 20110.
func (s *Server) parseHeader(header string) ([]string, *Fault) {
	r := csv.NewReader(strings.NewReader(header))
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 1 {
		return nil, faultf(codeBadParameter, "importFileHeader is not one CSV line")
	}
	var cols []string
	var unknown []string
	tokens := false
	for _, c := range recs[0] {
		c = strings.TrimSpace(c)
		if slices.ContainsFunc(cols, func(o string) bool { return o == c || (ValidTokenName(c) && strings.EqualFold(o, c)) }) {
			return nil, faultf(codeBadParameter, "Column %s repeated in importFileHeader", c)
		}
		switch {
		case ValidTokenName(c):
			tokens = true
		case strings.HasPrefix(c, "{{"):
			return nil, faultf(codeBadParameter, "Token column %q is not of the form {{my.name}}", c)
		case tokens:
			return nil, faultf(codeBadParameter, "Lead field column %s after token columns", c)
		case !s.t.fields[c]:
			unknown = append(unknown, c)
		}
		cols = append(cols, c)
	}
	if len(unknown) > 0 {
		return nil, faultf(codeLeadAttributeBad, "importToList operation failed: unknown fields for import: %s", strings.Join(unknown, ", "))
	}
	if !slices.Contains(cols, "Email Address") {
		return nil, faultf(codeBadParameter, "importFileHeader must contain Email Address")
	}
	return cols, nil
}

// parseRow reads one stringItem as exactly one CSV record of n fields.
func parseRow(row string, n int) ([]string, bool) {
	r := csv.NewReader(strings.NewReader(row))
	r.FieldsPerRecord = n
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 1 {
		return nil, false
	}
	return recs[0], true
}

// settleImports completes the imports whose duration has passed on the clock:
// leads are upserted (UPSERTLEADS) or matched (LISTONLY), added to the list,
// and token columns are bound to the campaign's next run. REST's bulk
// imports are settled with them, so every observation sees both.
func (s *Server) settleImports(now time.Time) {
	defer s.settleBulk(now)
	for _, job := range s.imports {
		if job.Status != "PROCESSING" || now.Before(job.Started.Add(s.importDuration)) {
			continue
		}
		s.apply(job)
		job.Status, job.Ended = "COMPLETE", job.Started.Add(s.importDuration)
	}
}

func (s *Server) apply(job *importJob) {
	prog := s.t.program(job.Program)
	lst := prog.list(job.List)
	if job.ClearList {
		lst.members = nil
	}
	emailCol := slices.Index(job.Columns, "Email Address")
	for _, vals := range job.rows {
		email := strings.TrimSpace(vals[emailCol])
		lead := s.t.leadByEmail(email)
		if job.Mode == "LISTONLY" && lead == nil {
			job.RowsIgnored++
			continue
		}
		if lead == nil {
			added, _ := s.t.addLead(Lead{Email: email})
			lead = s.t.leadByID(added.ID)
		}
		tokens := map[string]string{}
		for i, c := range job.Columns {
			switch {
			case ValidTokenName(c):
				if key, ok := prog.tokenKey(c); ok {
					tokens[key] = vals[i]
				}
			case job.Mode == "UPSERTLEADS" && c != "Email Address":
				lead.Fields[c] = vals[i]
			}
		}
		if !slices.Contains(lst.members, lead.ID) {
			lst.members = append(lst.members, lead.ID)
		}
		if job.campaign != nil && len(tokens) > 0 {
			if job.campaign.pending == nil {
				job.campaign.pending = map[int]map[string]string{}
			}
			if job.campaign.pending[lead.ID] == nil {
				job.campaign.pending[lead.ID] = map[string]string{}
			}
			maps.Copy(job.campaign.pending[lead.ID], tokens)
		}
		job.RowsImported++
	}
}

func (s *Server) getImportToListStatus(p *params, now time.Time) ([]byte, *Fault) {
	prog, listName, f := s.programList(p)
	if f != nil {
		return nil, f
	}
	progName := prog.name
	var job *importJob
	for _, j := range s.imports {
		if j.Program == progName && j.List == listName {
			job = j
		}
	}
	if job == nil {
		return nil, (&domainErr{kind: errNoImport, list: listName, program: progName}).soap()
	}
	ts := func(t time.Time) string { return t.In(central).Format(TimestampLayout) }
	result := []out{
		comment("Possible status values: PROCESSING/COMPLETE/FAILED/CANCELED"),
		leaf("status", job.Status),
		leaf("startedTime", ts(job.Started)),
	}
	if job.Status == "PROCESSING" {
		left := int(job.Started.Add(s.importDuration).Sub(now).Round(time.Second) / time.Second)
		result = append(result, nilLeaf("endedTime"), leaf("estimatedTime", strconv.Itoa(left)),
			leaf("estimatedRows", strconv.Itoa(job.Rows)), leaf("rowsImported", "0"),
			leaf("rowsFailed", "0"), leaf("rowsIgnored", "0"), nilLeaf("importSummary"))
	} else {
		result = append(result, leaf("endedTime", ts(job.Ended)), nilLeaf("estimatedTime"),
			leaf("estimatedRows", strconv.Itoa(job.Rows)), leaf("rowsImported", strconv.Itoa(job.RowsImported)),
			leaf("rowsFailed", strconv.Itoa(job.RowsFailed)), leaf("rowsIgnored", strconv.Itoa(job.RowsIgnored)),
			leaf("importSummary", fmt.Sprintf("Imported %d, failed %d, ignored %d of %d rows", job.RowsImported, job.RowsFailed, job.RowsIgnored, job.Rows)))
	}
	return successXML("getImportToListStatus", result...), nil
}

func (j *importJob) snapshot() Import {
	c := j.Import
	c.Columns = slices.Clone(j.Columns)
	c.IgnoredTokens = slices.Clone(j.IgnoredTokens)
	return c
}
