package marketo

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

const (
	nsSOAPEnv = "http://schemas.xmlsoap.org/soap/envelope/"
	nsMktows  = "http://www.marketo.com/mktows/"
)

// The envelope around every request, with the prefixes Marketo's documented
// requests use. Only the top-level header and params elements carry the ns1
// prefix; their children are written without one and so are unqualified, as
// Marketo's schema (no elementFormDefault) requires.
const (
	envelopeStart = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsSOAPEnv + `" xmlns:ns1="` + nsMktows + `">` +
		`<SOAP-ENV:Header>`
	headerEnd   = `</SOAP-ENV:Header><SOAP-ENV:Body>`
	envelopeEnd = `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
)

// appendHead appends the envelope up to the params element: the start, the
// ns1:AuthenticationHeader (written as appendElement writes an
// authenticationHeader) and the start of the Body.
func appendHead(b []byte, userID string, signature, timestamp []byte) []byte {
	b = append(b, envelopeStart+"<ns1:AuthenticationHeader><mktowsUserId>"...)
	b = appendEscaped(b, userID)
	b = append(b, "</mktowsUserId><requestSignature>"...)
	b = append(b, signature...)
	b = append(b, "</requestSignature><requestTimestamp>"...)
	b = append(b, timestamp...)
	return append(b, "</requestTimestamp></ns1:AuthenticationHeader>"+headerEnd...)
}

var envelopeEndBytes = []byte(envelopeEnd)

// envelopeReader reads a request envelope from its parts: the signed head
// of one attempt, the params element that all attempts of a call share, and
// the end. The params are never copied, however large.
type envelopeReader struct {
	parts [3][]byte
	i     int
}

func newEnvelopeReader(head, body []byte) *envelopeReader {
	return &envelopeReader{parts: [3][]byte{head, body, envelopeEndBytes}}
}

func (r *envelopeReader) Read(p []byte) (int, error) {
	for r.i < len(r.parts) && len(r.parts[r.i]) == 0 {
		r.i++
	}
	if r.i == len(r.parts) {
		return 0, io.EOF
	}
	n := copy(p, r.parts[r.i])
	r.parts[r.i] = r.parts[r.i][n:]
	return n, nil
}

func (r *envelopeReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for ; r.i < len(r.parts); r.i++ {
		n, err := w.Write(r.parts[r.i])
		total += int64(n)
		r.parts[r.i] = r.parts[r.i][n:]
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (r *envelopeReader) Close() error { return nil }

// bytes returns the whole envelope as one slice, for the wire trace.
func (r *envelopeReader) bytes() []byte {
	var b []byte
	for _, p := range r.parts {
		b = append(b, p...)
	}
	return b
}

// encodedSizeHint estimates the size of the encoded params element, so that
// it is built in one allocation.
func encodedSizeHint(params any) int {
	const base = 1024
	p, ok := params.(*paramsImportToList)
	if !ok {
		return base
	}
	n := base + len(p.ProgramName) + len(p.ImportFileHeader) + len(p.ListName) + len(p.CampaignName)
	for _, row := range p.ImportFileRows.StringItem {
		n += len(row) + len("<stringItem></stringItem>")
	}
	return n + n/64 // room for some escaping
}

// appendElement appends <name>…</name> with the fields of the struct v
// (a struct or a pointer to one) as unqualified children, driven by the xml
// tags of v's type: ",omitempty" leaves a zero optional field out,
// a `wire:"nillable"` tag writes a zero required field as xsi:nil="true".
func appendElement(b []byte, name string, v any) []byte {
	rv := reflect.Indirect(reflect.ValueOf(v))
	return encoderFor(rv.Type())(b, name, rv)
}

type encodeFunc func(b []byte, name string, v reflect.Value) []byte

var encoders sync.Map // reflect.Type -> encodeFunc

// encoderFor returns the cached encoder of a wire type.
func encoderFor(t reflect.Type) encodeFunc {
	if f, ok := encoders.Load(t); ok {
		return f.(encodeFunc)
	}
	f := buildEncoder(t)
	actual, _ := encoders.LoadOrStore(t, f)
	return actual.(encodeFunc)
}

type fieldEncoder struct {
	index     int
	name      string
	omitEmpty bool // optional: left out when zero
	nillable  bool // required but nillable: xsi:nil="true" when zero
	enc       encodeFunc
}

// buildEncoder makes the encoder of one wire type. Wire types are a closed,
// tested set, so an unsupported kind is a programming error and panics when
// the type is first used.
func buildEncoder(t reflect.Type) encodeFunc {
	switch t.Kind() {
	case reflect.String:
		return func(b []byte, name string, v reflect.Value) []byte {
			b = appendStart(b, name)
			b = appendEscaped(b, v.String())
			return appendEnd(b, name)
		}
	case reflect.Bool:
		return func(b []byte, name string, v reflect.Value) []byte {
			b = appendStart(b, name)
			b = strconv.AppendBool(b, v.Bool())
			return appendEnd(b, name)
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return func(b []byte, name string, v reflect.Value) []byte {
			b = appendStart(b, name)
			b = strconv.AppendInt(b, v.Int(), 10)
			return appendEnd(b, name)
		}
	case reflect.Pointer:
		var elem encodeFunc
		var once sync.Once
		return func(b []byte, name string, v reflect.Value) []byte {
			once.Do(func() { elem = encoderFor(t.Elem()) })
			return elem(b, name, v.Elem())
		}
	case reflect.Slice:
		var elem encodeFunc
		var once sync.Once
		return func(b []byte, name string, v reflect.Value) []byte {
			once.Do(func() { elem = encoderFor(t.Elem()) })
			for i := 0; i < v.Len(); i++ {
				b = elem(b, name, v.Index(i))
			}
			return b
		}
	case reflect.Struct:
		fields := structFields(t)
		return func(b []byte, name string, v reflect.Value) []byte {
			b = appendStart(b, name)
			for i := range fields {
				f := &fields[i]
				fv := v.Field(f.index)
				if fv.IsZero() {
					if f.omitEmpty {
						continue
					}
					if f.nillable {
						b = appendNil(b, f.name)
						continue
					}
				}
				if fv.Kind() == reflect.Pointer && fv.IsNil() {
					panic(fmt.Sprintf("marketo: wire field %s.%s is a nil pointer without omitempty", t.Name(), f.name))
				}
				b = f.enc(b, f.name, fv)
			}
			return appendEnd(b, name)
		}
	}
	panic(fmt.Sprintf("marketo: wire type %s has unsupported kind %s", t, t.Kind()))
}

// structFields reads the xml tags of a wire struct in declaration order.
func structFields(t reflect.Type) []fieldEncoder {
	var fields []fieldEncoder
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("xml")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" || strings.ContainsAny(name, " >") {
			panic(fmt.Sprintf("marketo: wire field %s.%s has tag %q; want a plain element name", t.Name(), sf.Name, tag))
		}
		fields = append(fields, fieldEncoder{
			index:     i,
			name:      name,
			omitEmpty: opts == "omitempty",
			nillable:  sf.Tag.Get("wire") == "nillable",
			enc:       encoderFor(sf.Type),
		})
	}
	return fields
}

// appendNil appends an empty element marked xsi:nil="true", declaring the
// xsi prefix on the element itself.
func appendNil(b []byte, name string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	return append(b, ` xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`...)
}

func appendStart(b []byte, name string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	return append(b, '>')
}

func appendEnd(b []byte, name string) []byte {
	b = append(b, '<', '/')
	b = append(b, name...)
	return append(b, '>')
}

// appendEscaped appends s as XML character data. Besides the markup
// characters it escapes '>' (so "]]>" cannot occur) and carriage returns,
// which an XML parser would otherwise normalise away; everything else is
// written as is, so values arrive byte for byte. s must have passed
// checkXMLText.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// upperFirst returns s with its first letter in upper case
// ("scheduleCampaign" → "ScheduleCampaign").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
