package restwire

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SOAP's importToList took lead field display names in its CSV header
// ("Email Address"); REST's bulk import takes REST field names ("email").
// The REST wire translates a header with the tenant's lead fields, as
// GET /rest/v1/leads/describe.json lists them, so that callers keep their
// headers; REST names pass through unchanged.

// LeadField is one record of GET /rest/v1/leads/describe.json:
// {"id":2,"displayName":"Email Address","dataType":"email","rest":{"name":"email","readOnly":false},"soap":{...}}.
// A field without a "rest" member cannot be written over REST.
type LeadField struct {
	DisplayName string        `json:"displayName"`
	REST        *LeadFieldAPI `json:"rest"`
}

type LeadFieldAPI struct {
	Name     string `json:"name"`
	ReadOnly bool   `json:"readOnly"`
}

// LeadFieldNames finds the REST name of a header column: by REST name or
// by display name, exactly as written.
type LeadFieldNames struct {
	rest    map[string]bool     // the REST names
	display map[string][]string // display name → REST names of the fields that show it
	folded  map[string][]string // lower-case REST or display name → the names written so, for hints
}

func NewLeadFieldNames(fields []LeadField) *LeadFieldNames {
	x := &LeadFieldNames{rest: map[string]bool{}, display: map[string][]string{}, folded: map[string][]string{}}
	for _, f := range fields {
		if f.REST == nil || f.REST.Name == "" {
			continue
		}
		name := f.REST.Name
		x.rest[name] = true
		x.addFolded(name)
		if f.DisplayName != "" && !slices.Contains(x.display[f.DisplayName], name) {
			x.display[f.DisplayName] = append(x.display[f.DisplayName], name)
			x.addFolded(f.DisplayName)
		}
	}
	return x
}

func (x *LeadFieldNames) addFolded(name string) {
	k := strings.ToLower(name)
	if !slices.Contains(x.folded[k], name) {
		x.folded[k] = append(x.folded[k], name)
	}
}

// Translate returns the REST names of header's columns, or an error
// joining a *ParamError for each column that names no field, names
// more than one, or names a field an earlier column names too.
func (x *LeadFieldNames) Translate(header []string) ([]string, error) {
	out := make([]string, len(header))
	var errs []error
	seen := make(map[string]int, len(header))
	for i, h := range header {
		field := fmt.Sprintf("Header[%d]", i)
		name, err := x.lookup(h)
		if err != nil {
			errs = append(errs, &ParamError{Field: field, Rule: err.Error()})
			continue
		}
		if j, dup := seen[name]; dup {
			errs = append(errs, &ParamError{Field: field, Rule: fmt.Sprintf("%q is the lead field %q, which Header[%d] already names", h, name, j)})
			continue
		}
		seen[name] = i
		out[i] = name
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// lookup returns the REST name column h stands for.
func (x *LeadFieldNames) lookup(h string) (string, error) {
	var names []string
	if x.rest[h] {
		names = append(names, h)
	}
	for _, n := range x.display[h] {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	switch len(names) {
	case 1:
		return names[0], nil
	case 0:
		rule := fmt.Sprintf("%q is neither the display name nor the REST name of a lead field of this tenant", h)
		if hints := x.folded[strings.ToLower(h)]; len(hints) > 0 {
			rule += fmt.Sprintf(" (names differ in case: did you mean %s?)", quoteAll(hints))
		}
		return "", errors.New(rule)
	}
	return "", fmt.Errorf("%q names %d lead fields (REST names %s); write the REST name of the one meant", h, len(names), quoteAll(names))
}

// quoteAll returns names quoted and joined with "or".
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, " or ")
}
