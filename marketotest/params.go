package marketotest

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

type kind int

const (
	kString kind = iota
	kInt
	kBool
	kDateTime
	kEnum
	kAttribList  // ArrayOfAttrib: attrib{name,value}*
	kLeadKeyList // ArrayOfLeadKey: leadKey{keyType,keyValue}*
	kStringList  // ArrayOfString: stringItem*
)

type field struct {
	name     string
	kind     kind
	required bool
	nillable bool
	enum     []string
}

// schema describes one params element: its fields and the child orders the
// fake accepts (each a list of field names; children must follow one of them).
type schema struct {
	fields []field
	orders [][]string
}

var (
	sourceEnum  = []string{"MKTOWS", "SALES"}
	keyTypeEnum = []string{"IDNUM", "COOKIE", "EMAIL", "LEADOWNEREMAIL", "SFDCACCOUNTID", "SFDCCONTACTID", "SFDCLEADID", "SFDCLEADOWNERID", "SFDCOPPTYID"}
	modeEnum    = []string{"UPSERTLEADS", "LISTONLY"}
)

func (s schema) field(name string) (field, bool) {
	for _, f := range s.fields {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

// params is a validated params element.
type params struct {
	op   string
	kids map[string]*elem
}

// validate checks the children of a params element: unqualified, known,
// not repeated, in an accepted order, required ones present, nil only where
// nillable, every value of its schema type.
func (s schema) validate(op string, e *elem) (*params, *Fault) {
	kids, f := e.complexKids()
	if f != nil {
		return nil, f
	}
	p := &params{op: op, kids: map[string]*elem{}}
	var names []string
	for _, k := range kids {
		if k.name.Space != "" {
			return nil, faultf(codeRequestNotUnderstood, "Element %s of %s must be unqualified (no namespace), found namespace %s", k.name.Local, op, k.name.Space)
		}
		fd, ok := s.field(k.name.Local)
		if !ok {
			return nil, faultf(codeRequestNotUnderstood, "Unknown element %s in %s", k.name.Local, op)
		}
		if p.kids[fd.name] != nil {
			return nil, faultf(codeRequestNotUnderstood, "Element %s repeated in %s", k.name.Local, op)
		}
		p.kids[fd.name] = k
		names = append(names, fd.name)
	}
	if !s.ordered(names) {
		return nil, faultf(codeRequestNotUnderstood, "Elements of %s out of order: %s", op, strings.Join(names, ", "))
	}
	for _, fd := range s.fields {
		k := p.kids[fd.name]
		if k == nil {
			if fd.required {
				return nil, faultf(codeParameterRequired, "%s is required", fd.name)
			}
			continue
		}
		if k.isNil {
			if !fd.nillable {
				return nil, faultf(codeParameterRequired, "%s must not be nil", fd.name)
			}
			continue
		}
		if f := checkValue(fd, k); f != nil {
			return nil, f
		}
	}
	return p, nil
}

func (s schema) ordered(names []string) bool {
	for _, order := range s.orders {
		pos := map[string]int{}
		for i, n := range order {
			pos[n] = i
		}
		ok := true
		for i := 1; i < len(names); i++ {
			if pos[names[i]] <= pos[names[i-1]] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func checkValue(fd field, k *elem) *Fault {
	v := strings.TrimSpace(k.text)
	switch fd.kind {
	case kString:
		if len(k.kids) > 0 {
			return faultf(codeRequestNotUnderstood, "Element %s must not contain elements", fd.name)
		}
	case kInt:
		if _, err := strconv.ParseInt(v, 10, 32); err != nil || len(k.kids) > 0 {
			return faultf(codeBadParameterValue, "%s is not an integer: %q", fd.name, v)
		}
	case kBool:
		if _, ok := parseBool(v); !ok || len(k.kids) > 0 {
			return faultf(codeBadParameterValue, "%s is not a boolean: %q", fd.name, v)
		}
	case kDateTime:
		if _, ok := parseDateTime(v); !ok || len(k.kids) > 0 {
			return faultf(codeBadParameterValue, "%s is not an xs:dateTime with a time zone: %q", fd.name, v)
		}
	case kEnum:
		ok := false
		for _, e := range fd.enum {
			ok = ok || e == v
		}
		if !ok || len(k.kids) > 0 {
			return faultf(codeBadParameterValue, "%s must be one of %s, got %q", fd.name, strings.Join(fd.enum, ", "), v)
		}
	case kAttribList:
		return checkList(k, "attrib", []string{"name", "value"})
	case kLeadKeyList:
		if f := checkList(k, "leadKey", []string{"keyType", "keyValue"}); f != nil {
			return f
		}
		for _, lk := range k.kids {
			kt := strings.TrimSpace(lk.kids[0].text)
			if !contains(keyTypeEnum, kt) {
				return faultf(codeBadParameterValue, "keyType must be one of %s, got %q", strings.Join(keyTypeEnum, ", "), kt)
			}
		}
	case kStringList:
		return checkList(k, "stringItem", nil)
	}
	return nil
}

// checkList checks an array element: only item children, each a simple
// string (fields == nil) or a sequence of exactly the given string fields.
func checkList(k *elem, item string, fields []string) *Fault {
	kids, f := k.complexKids()
	if f != nil {
		return f
	}
	for _, it := range kids {
		if it.name.Space != "" || it.name.Local != item {
			return faultf(codeRequestNotUnderstood, "Unexpected element %s in %s (want unqualified %s)", it.name.Local, k.name.Local, item)
		}
		if it.isNil {
			return faultf(codeParameterRequired, "%s/%s must not be nil", k.name.Local, item)
		}
		if fields == nil {
			if len(it.kids) > 0 {
				return faultf(codeRequestNotUnderstood, "%s must not contain elements", item)
			}
			continue
		}
		sub, f := it.complexKids()
		if f != nil {
			return f
		}
		for i, fname := range fields {
			if i >= len(sub) {
				return faultf(codeParameterRequired, "%s/%s/%s is required", k.name.Local, item, fname)
			}
			s := sub[i]
			if s.name.Space != "" || s.name.Local != fname {
				return faultf(codeRequestNotUnderstood, "Unexpected element %s in %s/%s (want unqualified %s)", s.name.Local, k.name.Local, item, fname)
			}
			if s.isNil || len(s.kids) > 0 {
				return faultf(codeBadParameterValue, "%s/%s/%s must be a string", k.name.Local, item, fname)
			}
		}
		if len(sub) > len(fields) {
			return faultf(codeRequestNotUnderstood, "Unexpected element %s in %s/%s", sub[len(fields)].name.Local, k.name.Local, item)
		}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func parseBool(v string) (bool, bool) {
	switch v {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

var dateTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// parseDateTime parses an xs:dateTime that carries a time zone (Z or offset).
func parseDateTime(v string) (time.Time, bool) {
	if !dateTimeRE.MatchString(v) {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t, err == nil
}

// str returns the text of a present, non-nil string child.
func (p *params) str(name string) (string, bool) {
	k := p.kids[name]
	if k == nil || k.isNil {
		return "", false
	}
	return k.text, true
}

// has reports whether the child is present and not nil.
func (p *params) has(name string) bool {
	k := p.kids[name]
	return k != nil && !k.isNil
}

func (p *params) trimmed(name string) (string, bool) {
	v, ok := p.str(name)
	return strings.TrimSpace(v), ok
}

func (p *params) boolean(name string) (bool, bool) {
	v, ok := p.trimmed(name)
	if !ok {
		return false, false
	}
	b, _ := parseBool(v)
	return b, true
}

func (p *params) dateTime(name string) (time.Time, bool) {
	v, ok := p.trimmed(name)
	if !ok {
		return time.Time{}, false
	}
	t, _ := parseDateTime(v)
	return t, true
}

// requiredName returns a required name parameter, refusing an empty one.
func (p *params) requiredName(name string) (string, *Fault) {
	v, _ := p.str(name)
	if v == "" {
		return "", faultf(codeParameterRequired, "%s is required", name)
	}
	return v, nil
}

// pairs returns the (name, value) items of an attrib list or leadKey list.
func (p *params) pairs(name string) [][2]string {
	k := p.kids[name]
	if k == nil || k.isNil {
		return nil
	}
	var out [][2]string
	for _, it := range k.kids {
		out = append(out, [2]string{it.kids[0].text, it.kids[1].text})
	}
	return out
}

func (p *params) items(name string) []string {
	k := p.kids[name]
	if k == nil || k.isNil {
		return nil
	}
	var out []string
	for _, it := range k.kids {
		out = append(out, it.text)
	}
	return out
}
