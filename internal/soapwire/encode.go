package soapwire

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/mktows/marketo/internal/xmltext"
)

const (
	nsSOAPEnv = "http://schemas.xmlsoap.org/soap/envelope/"
	nsMktows  = "http://www.marketo.com/mktows/"
)

// Namespace is Marketo's mktows namespace, which SOAPAction headers start
// with.
const Namespace = nsMktows

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

// EnvelopeEnd closes every request envelope after its params element.
const EnvelopeEnd = envelopeEnd

// AppendHead appends the envelope up to the params element: the start, the
// ns1:AuthenticationHeader (written as AppendElement writes an
// AuthenticationHeader) and the start of the Body.
func AppendHead(b []byte, userID string, signature, timestamp []byte) []byte {
	b = append(b, envelopeStart+"<ns1:AuthenticationHeader><mktowsUserId>"...)
	b = xmltext.Append(b, userID)
	b = append(b, "</mktowsUserId><requestSignature>"...)
	b = append(b, signature...)
	b = append(b, "</requestSignature><requestTimestamp>"...)
	b = append(b, timestamp...)
	return append(b, "</requestTimestamp></ns1:AuthenticationHeader>"+headerEnd...)
}

var envelopeEndBytes = []byte(envelopeEnd)

// EncodedParams is the encoded params element of a call. Its lists of
// records (an import's rows) are not in b: each is written at its offset of
// b as the request is read, one record at a time.
type EncodedParams struct {
	b       []byte
	streams []rowStream // in offset order
	size    int         // bytes of the whole element, the streams included
}

// rowStream is a list of records that goes into a params element at
// offset at, each record as the text of one element called name.
type rowStream struct {
	at      int
	name    string
	records Records
}

// itemOverhead is the bytes an element called name adds around its text.
func itemOverhead(name string) int { return 2*len(name) + len("<></>") }

// size is the number of bytes the stream writes.
func (s *rowStream) size() int {
	return s.records.TextSize + len(s.records.Rows)*itemOverhead(s.name)
}

// EncodeParams encodes the params element name of a call from the wire
// struct params. The records of a Records field are left to be written as
// the request is read.
func EncodeParams(name string, params any) EncodedParams {
	if _, ok := params.(*ParamsImportToList); ok {
		var streams []rowStream
		rv := reflect.Indirect(reflect.ValueOf(params))
		b := encoderFor(rv.Type())(make([]byte, 0, encodedSizeHint(params)), name, rv, &streams)
		p := EncodedParams{b: b, streams: streams, size: len(b)}
		for i := range streams {
			p.size += streams[i].size()
		}
		return p
	}
	b := AppendElement(make([]byte, 0, encodedSizeHint(params)), name, params)
	return EncodedParams{b: b, size: len(b)}
}

// Size is the number of bytes of the whole element, its records included.
func (p *EncodedParams) Size() int { return p.size }

// AppendTo appends the whole element to b, its records written out.
func (p *EncodedParams) AppendTo(b []byte) []byte {
	last := 0
	for i := range p.streams {
		s := &p.streams[i]
		b = append(b, p.b[last:s.at]...)
		for _, row := range s.records.Rows {
			b = s.records.appendItem(b, s.name, row)
		}
		last = s.at
	}
	return append(b, p.b[last:]...)
}

// envelopeSegment is a part of an envelope: bytes, or a stream of records.
type envelopeSegment struct {
	b    []byte
	rows *rowStream
}

// Chunks yields a request envelope from its parts: the signed head of one
// attempt, the params element that all attempts of a call share, with its
// streamed records encoded one at a time into a reused buffer, and the end.
// The params are never copied, however large.
type Chunks struct {
	segs []envelopeSegment
	i    int    // current segment
	row  int    // next record of a stream segment
	buf  []byte // the current record, reused
}

// Chunks returns the envelope of head, p and the envelope's end, in chunks.
func (p *EncodedParams) Chunks(head []byte) *Chunks {
	segs := make([]envelopeSegment, 0, 3+2*len(p.streams))
	segs = append(segs, envelopeSegment{b: head})
	last := 0
	for i := range p.streams {
		s := &p.streams[i]
		segs = append(segs, envelopeSegment{b: p.b[last:s.at]}, envelopeSegment{rows: s})
		last = s.at
	}
	segs = append(segs, envelopeSegment{b: p.b[last:]}, envelopeSegment{b: envelopeEndBytes})
	return &Chunks{segs: segs}
}

// Next returns the next bytes of the envelope, encoding the next record
// when the current segment is a stream, and nil at the end. The bytes are
// valid until the next call.
func (c *Chunks) Next() []byte {
	for c.i < len(c.segs) {
		s := &c.segs[c.i]
		if s.rows == nil {
			c.i++
			if len(s.b) > 0 {
				return s.b
			}
			continue
		}
		if rows := s.rows.records.Rows; c.row < len(rows) {
			c.buf = s.rows.records.appendItem(c.buf[:0], s.rows.name, rows[c.row])
			c.row++
			return c.buf
		}
		c.i++
		c.row = 0
	}
	return nil
}

// MaxTracedRecords is how many bytes of streamed records the wire trace
// shows of one request; the records past it are summed up in a comment.
const MaxTracedRecords = 1 << 20

// AppendTrace appends the envelope of head and p for the wire trace:
// whole, unless its streamed records exceed MaxTracedRecords bytes, in which
// case the records past that are replaced by an XML comment that says how
// many were sent and how large they were.
func (p *EncodedParams) AppendTrace(b, head []byte) []byte {
	b = append(b, head...)
	last, traced := 0, 0
	for i := range p.streams {
		s := &p.streams[i]
		b = append(b, p.b[last:s.at]...)
		last = s.at
		written := 0 // bytes of this stream traced
		for j, row := range s.records.Rows {
			if traced >= MaxTracedRecords {
				left := s.records.Rows[j:]
				b = fmt.Appendf(b, "<!-- wire trace: %d more %s elements (%d bytes) sent, not shown -->", len(left), s.name, s.size()-written)
				break
			}
			n := len(b)
			b = s.records.appendItem(b, s.name, row)
			traced += len(b) - n
			written += len(b) - n
		}
	}
	b = append(b, p.b[last:]...)
	return append(b, envelopeEnd...)
}

// encodedSizeHint estimates the size of the encoded params element, without
// streamed records, so that it is built in one allocation.
func encodedSizeHint(params any) int {
	const base = 1024
	p, ok := params.(*ParamsImportToList)
	if !ok {
		return base
	}
	n := base + len(p.ProgramName) + len(p.ImportFileHeader) + len(p.ListName) + len(p.CampaignName)
	return n + n/64 // room for some escaping
}

// AppendElement appends <name>…</name> with the fields of the struct v
// (a struct or a pointer to one) as unqualified children, driven by the xml
// tags of v's type: ",omitempty" leaves a zero optional field out,
// a `wire:"nillable"` tag writes a zero required field as xsi:nil="true".
func AppendElement(b []byte, name string, v any) []byte {
	rv := reflect.Indirect(reflect.ValueOf(v))
	return encoderFor(rv.Type())(b, name, rv, nil)
}

// encodeFunc appends the element name with the value v. Lists of records
// are written out when streams is nil, else left out of b and added to
// *streams at their offsets.
type encodeFunc func(b []byte, name string, v reflect.Value, streams *[]rowStream) []byte

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
	if t == reflect.TypeFor[Records]() {
		return encodeRecords
	}
	switch t.Kind() {
	case reflect.String:
		return func(b []byte, name string, v reflect.Value, _ *[]rowStream) []byte {
			b = appendStart(b, name)
			b = xmltext.Append(b, v.String())
			return appendEnd(b, name)
		}
	case reflect.Bool:
		return func(b []byte, name string, v reflect.Value, _ *[]rowStream) []byte {
			b = appendStart(b, name)
			b = strconv.AppendBool(b, v.Bool())
			return appendEnd(b, name)
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return func(b []byte, name string, v reflect.Value, _ *[]rowStream) []byte {
			b = appendStart(b, name)
			b = strconv.AppendInt(b, v.Int(), 10)
			return appendEnd(b, name)
		}
	case reflect.Pointer:
		var elem encodeFunc
		var once sync.Once
		return func(b []byte, name string, v reflect.Value, streams *[]rowStream) []byte {
			once.Do(func() { elem = encoderFor(t.Elem()) })
			return elem(b, name, v.Elem(), streams)
		}
	case reflect.Slice:
		var elem encodeFunc
		var once sync.Once
		return func(b []byte, name string, v reflect.Value, streams *[]rowStream) []byte {
			once.Do(func() { elem = encoderFor(t.Elem()) })
			for i := 0; i < v.Len(); i++ {
				b = elem(b, name, v.Index(i), streams)
			}
			return b
		}
	case reflect.Struct:
		return structEncoder(t)
	}
	panic(fmt.Sprintf("soapwire: wire type %s has unsupported kind %s", t, t.Kind()))
}

// structEncoder makes the encoder of a wire struct: its fields as children,
// in declaration order, a zero optional one left out and a zero nillable
// one written as xsi:nil.
func structEncoder(t reflect.Type) encodeFunc {
	fields := structFields(t)
	return func(b []byte, name string, v reflect.Value, streams *[]rowStream) []byte {
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
				panic(fmt.Sprintf("soapwire: wire field %s.%s is a nil pointer without omitempty", t.Name(), f.name))
			}
			b = f.enc(b, f.name, fv, streams)
		}
		return appendEnd(b, name)
	}
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
			panic(fmt.Sprintf("soapwire: wire field %s.%s has tag %q; want a plain element name", t.Name(), sf.Name, tag))
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

// ParamSize is how many bytes of a request one of the caller's parameters
// takes.
type ParamSize struct {
	Field string // the caller's parameter
	Size  int
}

// ParamSizes returns how many bytes each field of a wire params struct
// takes in its encoded element, under the name of the caller's parameter
// it comes from: the field's `param` tag, or else its own name.
func ParamSizes(params any) []ParamSize {
	rv := reflect.Indirect(reflect.ValueOf(params))
	t := rv.Type()
	var out []ParamSize
	for _, f := range structFields(t) {
		fv := rv.Field(f.index)
		if fv.IsZero() && (f.omitEmpty || f.nillable) {
			continue // left out or written as nil: it is not what makes a request large
		}
		var streams []rowStream
		n := len(f.enc(nil, f.name, fv, &streams))
		for i := range streams {
			n += streams[i].size()
		}
		sf := t.Field(f.index)
		name := sf.Tag.Get("param")
		if name == "" {
			name = sf.Name
		}
		out = append(out, ParamSize{Field: name, Size: n})
	}
	return out
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

// Records is a repeated string element whose items are the caller's rows,
// each item holding the text Text appends for its row (already escaped as
// XML text). The rows are never copied; the encoder writes their items as
// the request is read, one at a time (see Chunks). TextSize is the size of
// all the items' text, computed when the rows were checked, so that the
// request's length is known before it is sent.
type Records struct {
	Rows     [][]string
	TextSize int
	Text     func(b []byte, row []string) []byte
}

// appendItem appends the element name holding the text of row.
func (r *Records) appendItem(b []byte, name string, row []string) []byte {
	b = appendStart(b, name)
	b = r.Text(b, row)
	return appendEnd(b, name)
}

// encodeRecords writes each row of a Records value as an element called
// name: all at once when streams is nil, else as a rowStream at the current
// offset, written as the request is read.
func encodeRecords(b []byte, name string, v reflect.Value, streams *[]rowStream) []byte {
	records := v.Interface().(Records)
	if streams == nil {
		for _, row := range records.Rows {
			b = records.appendItem(b, name, row)
		}
		return b
	}
	*streams = append(*streams, rowStream{at: len(b), name: name, records: records})
	return b
}
