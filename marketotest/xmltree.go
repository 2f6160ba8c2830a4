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

	buf      []byte // character data, while the element is open
	nonSpace bool   // buf holds more than white space
}

// The parser's bounds. The deepest Marketo message nests 7 elements
// (Envelope, Body, successGetCampaignsForSource, result, campaignRecordList,
// campaignRecord, id; a request 6), so 32 is far beyond any real one and
// still small enough that a hostile body cannot make the parser hold a deep
// stack. 100,000 elements is about 30 times the largest import.
const (
	maxDepth    = 32
	maxElements = 100000
)

// parser builds the element tree from the decoder's tokens, in time linear
// in the document: every token is handled once, character data is appended
// to its element's buffer (never copied whole again, however many comments
// split it) and checked for mixed content chunk by chunk.
type parser struct {
	root     *elem
	stack    []*elem
	elements int
	// work counts the bytes of character data the parser scans or moves,
	// buffer growth included: the one cost a document could make grow
	// faster than itself. Tests hold it to a small multiple of its size.
	work int
}

// parseXML reads a whole document with the decoder in strict mode. DOCTYPE
// declarations (and so any entity definitions), processing instructions other
// than the XML declaration, encodings other than UTF-8, mixed content,
// undeclared namespace prefixes, nesting deeper than maxDepth and more than
// maxElements elements are refused.
func parseXML(data []byte) (*elem, *Fault) {
	var p parser
	return p.parse(data)
}

func (p *parser) parse(data []byte) (*elem, *Fault) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, errors.New("encoding " + label + " is not supported (UTF-8 only)")
	}
	first := true // nothing but white space read yet: the XML declaration may come
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, faultf(codeRequestNotUnderstood, "Malformed XML: %v", err)
		}
		if f := p.token(tok, first); f != nil {
			return nil, f
		}
		if _, text := tok.(xml.CharData); !text || p.root != nil {
			first = false
		}
	}
	if p.root == nil {
		return nil, faultf(codeRequestNotUnderstood, "Malformed XML: no root element")
	}
	return p.root, nil
}

func (p *parser) token(tok xml.Token, first bool) *Fault {
	switch t := tok.(type) {
	case xml.ProcInst:
		if t.Target != "xml" || !first {
			return faultf(codeRequestNotUnderstood, "Processing instructions are not allowed")
		}
		if enc := procInstParam(string(t.Inst), "encoding"); enc != "" && !strings.EqualFold(enc, "UTF-8") {
			return faultf(codeRequestNotUnderstood, "Encoding %s is not supported (UTF-8 only)", enc)
		}
	case xml.Directive:
		return faultf(codeRequestNotUnderstood, "DOCTYPE and other declarations are not allowed")
	case xml.StartElement:
		return p.start(t)
	case xml.EndElement:
		return p.end()
	case xml.CharData:
		return p.charData(t)
	}
	return nil // comments are ignored
}

func (p *parser) start(t xml.StartElement) *Fault {
	if len(p.stack) >= maxDepth {
		return faultf(codeRequestNotUnderstood, "Elements nested deeper than %d levels", maxDepth)
	}
	if p.elements++; p.elements > maxElements {
		return faultf(codeRequestNotUnderstood, "More than %d elements", maxElements)
	}
	if p.root != nil && len(p.stack) == 0 {
		return faultf(codeRequestNotUnderstood, "Malformed XML: more than one root element")
	}
	e := &elem{name: t.Name, attrs: t.Attr}
	if f := checkNames(e); f != nil {
		return f
	}
	if len(p.stack) > 0 {
		parent := p.stack[len(p.stack)-1]
		if parent.nonSpace {
			return faultf(codeRequestNotUnderstood, "Mixed content in element %s", parent.name.Local)
		}
		parent.kids = append(parent.kids, e)
	} else {
		p.root = e
	}
	p.stack = append(p.stack, e)
	return nil
}

func (p *parser) end() *Fault {
	e := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if len(e.kids) > 0 && e.nonSpace {
		return faultf(codeRequestNotUnderstood, "Mixed content in element %s", e.name.Local)
	}
	if e.isNil && (len(e.kids) > 0 || len(e.buf) > 0) {
		return faultf(codeRequestNotUnderstood, "Element %s is nil but has content", e.name.Local)
	}
	e.text = string(e.buf)
	p.work += len(e.buf)
	e.buf = nil
	return nil
}

func (p *parser) charData(t xml.CharData) *Fault {
	nonSpace := len(bytes.TrimSpace(t)) > 0
	p.work += len(t)
	if len(p.stack) == 0 {
		if nonSpace {
			return faultf(codeRequestNotUnderstood, "Malformed XML: text outside the root element")
		}
		return nil
	}
	e := p.stack[len(p.stack)-1]
	if len(e.buf)+len(t) > cap(e.buf) {
		p.work += len(e.buf) // append moves what is there to a larger array
	}
	e.buf = append(e.buf, t...)
	p.work += len(t)
	e.nonSpace = e.nonSpace || nonSpace
	return nil
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
