package marketotest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// elem is one parsed element with its namespace resolved.
type elem struct {
	name  xml.Name
	attrs []xml.Attr
	kids  []*elem
	text  string // character data directly inside the element
	isNil bool   // xsi:nil="true"
}

const (
	maxDepth    = 32
	maxElements = 100000
)

// parseXML reads a whole document with the decoder in strict mode. DOCTYPE
// declarations (and so any entity definitions), processing instructions other
// than the XML declaration, encodings other than UTF-8, mixed content and
// undeclared namespace prefixes are refused.
func parseXML(data []byte) (*elem, *Fault) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, errors.New("encoding " + label + " is not supported (UTF-8 only)")
	}
	var root *elem
	var stack []*elem
	count := 0
	first := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, faultf(codeRequestNotUnderstood, "Malformed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target != "xml" || !first {
				return nil, faultf(codeRequestNotUnderstood, "Processing instructions are not allowed")
			}
			if enc := procInstParam(string(t.Inst), "encoding"); enc != "" && !strings.EqualFold(enc, "UTF-8") {
				return nil, faultf(codeRequestNotUnderstood, "Encoding %s is not supported (UTF-8 only)", enc)
			}
		case xml.Directive:
			return nil, faultf(codeRequestNotUnderstood, "DOCTYPE and other declarations are not allowed")
		case xml.Comment:
		case xml.StartElement:
			count++
			if count > maxElements || len(stack) >= maxDepth {
				return nil, faultf(codeRequestNotUnderstood, "Request too deeply nested or too large")
			}
			if root != nil && len(stack) == 0 {
				return nil, faultf(codeRequestNotUnderstood, "Malformed XML: more than one root element")
			}
			e := &elem{name: t.Name, attrs: t.Attr}
			if err := checkNames(e); err != nil {
				return nil, err
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				if strings.TrimSpace(p.text) != "" {
					return nil, faultf(codeRequestNotUnderstood, "Mixed content in element %s", p.name.Local)
				}
				p.kids = append(p.kids, e)
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(e.kids) > 0 && strings.TrimSpace(e.text) != "" {
				return nil, faultf(codeRequestNotUnderstood, "Mixed content in element %s", e.name.Local)
			}
			if e.isNil && (len(e.kids) > 0 || e.text != "") {
				return nil, faultf(codeRequestNotUnderstood, "Element %s is nil but has content", e.name.Local)
			}
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, faultf(codeRequestNotUnderstood, "Malformed XML: text outside the root element")
				}
				continue
			}
			stack[len(stack)-1].text += string(t)
		}
		first = false
	}
	if root == nil {
		return nil, faultf(codeRequestNotUnderstood, "Malformed XML: no root element")
	}
	return root, nil
}

// checkNames refuses prefixes that no xmlns declaration binds (the decoder
// leaves the bare prefix in Name.Space) and records xsi:nil.
func checkNames(e *elem) *Fault {
	if unbound(e.name.Space) {
		return faultf(codeRequestNotUnderstood, "Namespace prefix %s is not declared", e.name.Space)
	}
	for _, a := range e.attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if unbound(a.Name.Space) {
			return faultf(codeRequestNotUnderstood, "Namespace prefix %s is not declared", a.Name.Space)
		}
		if a.Name.Space == nsXSI && a.Name.Local == "nil" {
			switch strings.TrimSpace(a.Value) {
			case "true", "1":
				e.isNil = true
			case "false", "0":
			default:
				return faultf(codeRequestNotUnderstood, "Bad xsi:nil value on %s", e.name.Local)
			}
		}
	}
	return nil
}

// unbound reports whether a resolved namespace is really an undeclared prefix:
// every namespace this API uses is a URI.
func unbound(space string) bool {
	return space != "" && !strings.Contains(space, ":")
}

func procInstParam(inst, key string) string {
	i := strings.Index(inst, key+"=")
	if i < 0 {
		return ""
	}
	v := inst[i+len(key)+1:]
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return ""
	}
	q := v[0]
	v = v[1:]
	if j := strings.IndexByte(v, q); j >= 0 {
		return v[:j]
	}
	return ""
}

// elementKids returns the child elements, refusing stray text.
func (e *elem) complexKids() ([]*elem, *Fault) {
	if strings.TrimSpace(e.text) != "" {
		return nil, faultf(codeRequestNotUnderstood, "Element %s must not contain text", e.name.Local)
	}
	return e.kids, nil
}
