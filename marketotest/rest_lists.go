package marketotest

import (
	"slices"
	"strconv"
	"strings"
)

// Static lists, the lead describe and list membership on REST.

// MaxListLeads is the most leads one POST /rest/v1/lists/{id}/leads.json
// adds (more: 1003).
const MaxListLeads = 300

// restList is a record of GET /rest/v1/lists.json.
type restList struct {
	ID            int    `json:"id"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	ProgramName   string `json:"programName,omitempty"` // absent in a folder, as Marketo answers
	WorkspaceName string `json:"workspaceName"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
}

// listID returns the REST ID of a static list: assigned from 1001 the first
// time REST sees the list, in program and list order, and kept.
func (s *Server) listID(l *list) int {
	if id, ok := s.rest.listIDs[l]; ok {
		return id
	}
	if s.rest.listIDs == nil {
		s.rest.listIDs = map[*list]int{}
	}
	id := 1001 + len(s.rest.listIDs)
	s.rest.listIDs[l] = id
	return id
}

// allLists returns every list of the tenant with its program or folder,
// IDs assigned.
func (s *Server) allLists() []listRef {
	var out []listRef
	for _, p := range s.t.containers() {
		for _, l := range p.lists {
			out = append(out, listRef{prog: p, l: l, id: s.listID(l)})
		}
	}
	slices.SortFunc(out, func(a, b listRef) int { return a.id - b.id })
	return out
}

type listRef struct {
	prog *program
	l    *list
	id   int
}

// listByID finds a list by its REST ID.
func (s *Server) listByID(id int) (listRef, bool) {
	for _, r := range s.allLists() {
		if r.id == id {
			return r, true
		}
	}
	return listRef{}, false
}

// restLists answers GET /rest/v1/lists.json: filters id, name (a
// case-insensitive substring, as campaigns.json's), programName and
// workspaceName, paged, in ID order.
func (s *Server) restLists(c *restCall) restAnswer {
	var ids []int
	if v := listParam(c.params, "id"); v != nil {
		var bad *Fault
		if ids, bad = parseInts(v); bad != nil {
			return failed(bad)
		}
	}
	names, programs, workspaces := listParam(c.params, "name"), listParam(c.params, "programName"), listParam(c.params, "workspaceName")
	size, offset, bad := pageParams(c.params, "lists")
	if bad != nil {
		return failed(bad)
	}
	var recs []restList
	for _, r := range s.allLists() {
		switch {
		case ids != nil && !slices.Contains(ids, r.id),
			programs != nil && (r.prog.folder || !slices.Contains(programs, r.prog.name)),
			workspaces != nil && !slices.Contains(workspaces, Workspace),
			names != nil && !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(strings.ToLower(r.l.name), strings.ToLower(n)) }):
			continue
		}
		created := restTime(r.l.created)
		recs = append(recs, restList{ID: r.id, Name: r.l.name, ProgramName: r.prog.programName(), WorkspaceName: Workspace, CreatedAt: created, UpdatedAt: created})
	}
	return page(recs, "lists", size, offset)
}

// restField is a record of GET /rest/v1/leads/describe.json.
type restField struct {
	ID          int           `json:"id"`
	DisplayName string        `json:"displayName"`
	DataType    string        `json:"dataType"`
	Length      int           `json:"length,omitempty"`
	REST        restFieldName `json:"rest"`
	SOAP        restFieldName `json:"soap"`
}

type restFieldName struct {
	Name     string `json:"name"`
	ReadOnly bool   `json:"readOnly"`
}

// restDescribe answers GET /rest/v1/leads/describe.json: the lead ID, then
// the tenant's fields in name order, each with its REST name (RESTFieldName)
// and SOAP name (the display name without spaces).
func (s *Server) restDescribe(*restCall) restAnswer {
	recs := []restField{{ID: 1, DisplayName: "Id", DataType: "integer", REST: restFieldName{"id", true}, SOAP: restFieldName{"Id", true}}}
	names := make([]string, 0, len(s.t.fields))
	for f := range s.t.fields {
		names = append(names, f)
	}
	slices.Sort(names)
	for i, f := range names {
		typ := "string"
		if f == "Email Address" {
			typ = "email"
		}
		recs = append(recs, restField{ID: i + 2, DisplayName: f, DataType: typ, Length: MaxFieldLength,
			REST: restFieldName{Name: RESTFieldName(f)}, SOAP: restFieldName{Name: strings.ReplaceAll(f, " ", "")}})
	}
	return restAnswer{result: recs}
}

// restLeadSchema is the one record of GET /rest/v1/leads/describe2.json.
type restLeadSchema struct {
	Name             string       `json:"name"`
	SearchableFields [][]string   `json:"searchableFields"`
	Fields           []restField2 `json:"fields"`
}

// restField2 is a field of describe2: the REST name, no SOAP name.
type restField2 struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	DataType    string `json:"dataType"`
	Length      int    `json:"length,omitempty"`
	Updateable  bool   `json:"updateable"`
	CRMManaged  bool   `json:"crmManaged"`
}

// restDescribe2 answers GET /rest/v1/leads/describe2.json: one record
// "API Lead" with the same fields as describe.json under their REST names,
// each searchable alone (leads.json filters on any of them).
func (s *Server) restDescribe2(c *restCall) restAnswer {
	schema := restLeadSchema{Name: "API Lead"}
	for _, f := range s.restDescribe(c).result.([]restField) {
		schema.Fields = append(schema.Fields, restField2{Name: f.REST.Name, DisplayName: f.DisplayName, DataType: f.DataType,
			Length: f.Length, Updateable: !f.REST.ReadOnly})
		schema.SearchableFields = append(schema.SearchableFields, []string{f.REST.Name})
	}
	return restAnswer{result: []restLeadSchema{schema}}
}

type listLeadsBody struct {
	Input []struct {
		ID *int `json:"id"`
	} `json:"input"`
}

// restListMember is a result of POST /rest/v1/lists/{id}/leads.json.
type restListMember struct {
	ID      int         `json:"id"`
	Status  string      `json:"status"`
	Reasons []restError `json:"reasons,omitempty"`
}

// restAddToList answers POST /rest/v1/lists/{id}/leads.json: each lead is
// added (already a member: added all the same) or skipped with 1004 when
// there is no such lead.
func (s *Server) restAddToList(c *restCall) restAnswer {
	ref, ok := s.listByID(c.id)
	if !ok {
		return failed((&domainErr{kind: errListIDNotFound, listID: strconv.Itoa(c.id)}).rest())
	}
	var b listLeadsBody
	if f := decodeStrict(c.body, &b); f != nil {
		return failed(f)
	}
	switch {
	case len(b.Input) == 0:
		return failed(faultf(restBlank, "input cannot be blank"))
	case len(b.Input) > MaxListLeads:
		return failed((&domainErr{kind: errTooManyLeads, n: len(b.Input), max: MaxListLeads}).rest())
	}
	out := make([]restListMember, 0, len(b.Input))
	for _, in := range b.Input {
		if in.ID == nil {
			return failed(faultf(restBlank, "input[].id cannot be blank"))
		}
		if s.t.leadByID(*in.ID) == nil {
			out = append(out, restListMember{ID: *in.ID, Status: "skipped", Reasons: []restError{{Code: "1004", Message: "Lead not found"}}})
			continue
		}
		if !slices.Contains(ref.l.members, *in.ID) {
			ref.l.members = append(ref.l.members, *in.ID)
		}
		out = append(out, restListMember{ID: *in.ID, Status: "added"})
	}
	return restAnswer{result: out}
}
