package marketotest

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Limits of GET /rest/v1/leads.json.
const (
	MaxFilterValues = 300  // filterValues per call (more: 1003)
	MaxLeadMatches  = 1000 // leads one filter may match (more: 1003)
)

// restLeadFieldNames maps the standard display names to REST API names.
// Other fields (AddLeadField) get the lower camel case of their words:
// "Shoe Size" is shoeSize.
var restLeadFieldNames = map[string]string{
	"Email Address":            "email",
	"First Name":               "firstName",
	"Last Name":                "lastName",
	"Job Title":                "title",
	"Company Name":             "company",
	"Phone Number":             "phone",
	"City":                     "city",
	"State":                    "state",
	"Country":                  "country",
	"Lead Owner Email Address": "leadOwnerEmail",
	"Cookie":                   "cookies",
	"SFDC Account ID":          "sfdcAccountId",
	"SFDC Contact ID":          "sfdcContactId",
	"SFDC Lead ID":             "sfdcLeadId",
	"SFDC Lead Owner ID":       "sfdcLeadOwnerId",
	"SFDC Opportunity ID":      "sfdcOpptyId",
}

// RESTFieldName returns the REST API name of a lead field display name.
func RESTFieldName(display string) string {
	if n, ok := restLeadFieldNames[display]; ok {
		return n
	}
	var b strings.Builder
	for i, w := range strings.FieldsFunc(display, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if i == 0 {
			b.WriteString(strings.ToLower(w[:1]) + w[1:])
		} else {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// defaultLeadFields are the fields of a lead record when fields is absent.
var defaultLeadFields = []string{"id", "firstName", "lastName", "email", "updatedAt", "createdAt"}

// leadFilter is a parsed leads.json query.
type leadFilter struct {
	filterType string
	field      string // display name of the filter field; "" for id
	values     []string
	fields     []string          // REST names to answer
	byREST     map[string]string // REST name → display name of the tenant's fields
}

// parseLeadFilter checks filterType, filterValues and fields against the
// tenant's fields: REST names are filterable and readable, plus id,
// createdAt and updatedAt.
func (s *Server) parseLeadFilter(c *restCall) (leadFilter, *Fault) {
	byREST := map[string]string{}
	for display := range s.t.fields {
		byREST[RESTFieldName(display)] = display
	}
	f := leadFilter{filterType: c.params.Get("filterType"), values: listParam(c.params, "filterValues"), fields: listParam(c.params, "fields"), byREST: byREST}
	switch {
	case f.filterType == "":
		return f, faultf(restBlank, "filterType cannot be blank")
	case len(f.values) == 0:
		return f, faultf(restBlank, "filterValues cannot be blank")
	case len(f.values) > MaxFilterValues:
		return f, faultf(restInvalidData, "Too many filterValues: %d (at most %d)", len(f.values), MaxFilterValues)
	}
	if f.filterType != "id" {
		display, ok := byREST[f.filterType]
		if !ok {
			return f, faultf(restInvalidData, "Invalid filterType '%s'", f.filterType)
		}
		f.field = display
	} else if _, bad := parseInts(f.values); bad != nil {
		return f, bad
	}
	if len(f.fields) == 0 {
		f.fields = defaultLeadFields
	}
	for _, name := range f.fields {
		if _, ok := byREST[name]; !ok && name != "id" && name != "createdAt" && name != "updatedAt" {
			return f, faultf(restFieldNotFound, "Field '%s' not found", name)
		}
	}
	return f, nil
}

// matches reports whether a lead's filter field holds one of the values:
// emails ignoring case, everything else exactly.
func (f leadFilter) matches(l *Lead) bool {
	var v string
	switch f.field {
	case "":
		v = strconv.Itoa(l.ID)
	case "Email Address":
		return slices.ContainsFunc(f.values, func(x string) bool { return strings.EqualFold(x, l.Email) })
	default:
		v = l.Fields[f.field]
	}
	return v != "" && slices.Contains(f.values, v)
}

// restLeads answers GET /rest/v1/leads.json, leads sorted by ID.
func (s *Server) restLeads(c *restCall) restAnswer {
	f, bad := s.parseLeadFilter(c)
	if bad != nil {
		return failed(bad)
	}
	size, offset, bad := pageParams(c.params, "leads")
	if bad != nil {
		return failed(bad)
	}
	var found []*Lead
	for _, l := range s.t.leads {
		if f.matches(l) {
			found = append(found, l)
		}
	}
	if len(found) > MaxLeadMatches {
		return failed(faultf(restInvalidData, "Too many leads match: %d (at most %d)", len(found), MaxLeadMatches))
	}
	slices.SortFunc(found, func(a, b *Lead) int { return a.ID - b.ID })
	recs := make([]map[string]any, 0, len(found))
	for _, l := range found {
		recs = append(recs, s.leadRecord(l, f))
	}
	return page(recs, "leads", size, offset)
}

// leadRecord is one record of leads.json: id always, then the fields asked
// for; an empty field is null.
func (s *Server) leadRecord(l *Lead, f leadFilter) map[string]any {
	rec := map[string]any{"id": l.ID}
	for _, name := range f.fields {
		switch name {
		case "id":
		case "createdAt", "updatedAt":
			rec[name] = restTime(s.t.leadCreated[l.ID])
		default:
			if v := l.Fields[f.byREST[name]]; v != "" {
				rec[name] = v
			} else {
				rec[name] = nil
			}
		}
	}
	return rec
}
