package soapwire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"
	"time"
)

// wireFault is a SOAP 1.1 Fault with Marketo's detail. Children are matched
// by local name, whatever namespace or prefix the server gives them.
type wireFault struct {
	FaultCode   string `xml:"faultcode"`
	FaultString string `xml:"faultstring"`
	Exception   struct {
		Name    string `xml:"name"`
		Message string `xml:"message"`
		Code    string `xml:"code"`
	} `xml:"detail>serviceException"`
}

// Fault is a SOAP fault an answer carried, with Marketo's detail.
type Fault struct {
	FaultCode   string
	FaultString string
	Message     string // serviceException/message
	Code        int    // serviceException/code, or the number faultstring starts with; 0 if neither
}

func (f *Fault) Error() string { return "SOAP fault " + f.FaultString }

// AnswerError is an answer that is not the operation's answer: not a
// single well-formed SOAP envelope holding the success element or a fault,
// refused for its shape, or a success that breaks what the schema promises.
// Err is the parse error behind it, if any.
type AnswerError struct {
	Reason string
	Err    error
}

func (e *AnswerError) Error() string { return e.Reason }

func (e *AnswerError) Unwrap() error { return e.Err }

func badAnswer(reason string) error { return &AnswerError{Reason: reason} }

// ErrNotSuccessful is a well-formed answer whose result/success is false.
var ErrNotSuccessful = errors.New("result/success is false")

// Decode reads a SOAP answer: the result into out when it is the
// operation's success element (whose local name is successElem), a *Fault
// when it is a fault (with any HTTP status), and an *AnswerError for
// anything else. It does not Check out.
func Decode(body []byte, status int, contentType string, successElem string, out any) error {
	err := readEnvelope(body, status, contentType, successElem, out)
	var na *notAnswerError
	if !errors.As(err, &na) {
		return err // nil or the *Fault
	}
	reason, cause := na.reason, na.err
	var se *answerShapeError
	if errors.As(cause, &se) {
		reason, cause = se.reason, nil
	}
	return &AnswerError{Reason: reason, Err: cause}
}

// notAnswerError says why a body is not a SOAP answer, with the parse error
// behind it, if any; Decode makes it an *AnswerError.
type notAnswerError struct {
	reason string
	err    error
}

func (e *notAnswerError) Error() string { return e.reason }

func notAnswer(reason string, err error) error { return &notAnswerError{reason: reason, err: err} }

// readEnvelope reads the envelope of an answer and the Body's one element,
// and returns nil, the answer's *Fault, or a *notAnswerError.
func readEnvelope(body []byte, status int, contentType string, successElem string, out any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return notAnswer("empty body", nil)
	}
	if !isXMLContentType(contentType) {
		return notAnswer("content type is not XML", nil)
	}
	// The reader and the guard in one allocation.
	in := &struct {
		r bytes.Reader
		g shapeGuard
	}{}
	in.r.Reset(body)
	raw := xml.NewDecoder(&in.r)
	raw.Strict = true
	in.g.init(raw)
	d := xml.NewTokenDecoder(&in.g)
	if err := openBody(d); err != nil {
		return err
	}
	result, err := readBodyElement(d, status, successElem, out)
	if err != nil {
		return err
	}
	// The answer must be the Body's only element and the Body the Envelope's
	// last, and the rest of the document must be well-formed: an answer with
	// a fault beside it, or a truncated answer, is not trusted, even when the
	// part that was read looks complete.
	if err := drain(d); err != nil {
		var ue *unexpectedError
		var se *answerShapeError
		switch {
		case errors.As(err, &ue):
			return notAnswer(ue.Error(), nil)
		case errors.As(err, &se):
			return notAnswer("", err)
		}
		return notAnswer("malformed or truncated XML after the answer", err)
	}
	return result
}

// openBody reads up to the start of the SOAP Body, skipping the Header.
func openBody(d *xml.Decoder) error {
	start, err := nextStart(d, true)
	if err != nil {
		return notAnswer("body is not a SOAP envelope", err)
	}
	if start.Name.Space != nsSOAPEnv || start.Name.Local != "Envelope" {
		return notAnswer(fmt.Sprintf("body is not a SOAP 1.1 envelope (root element {%s}%s)", start.Name.Space, start.Name.Local), nil)
	}
	for {
		start, err = nextStart(d, false)
		if err != nil {
			return notAnswer("SOAP envelope has no Body", err)
		}
		if start.Name.Space == nsSOAPEnv && start.Name.Local == "Body" {
			return nil
		}
		if err := skipHeader(d); err != nil {
			return notAnswer("malformed XML", err)
		}
	}
}

// readBodyElement reads the Body's element: the success element into out,
// or a fault. It returns the *Fault as result, and a *notAnswerError as err
// for anything else.
func readBodyElement(d *xml.Decoder, status int, successElem string, out any) (result, err error) {
	start, err := nextStart(d, false)
	if err != nil {
		return nil, notAnswer("SOAP Body is empty", err)
	}
	switch {
	case start.Name.Space == nsSOAPEnv && start.Name.Local == "Fault":
		var wf wireFault
		if err := d.DecodeElement(&wf, &start); err != nil {
			return nil, notAnswer("malformed SOAP fault", err)
		}
		return wf.toFault(), nil
	case start.Name.Space == nsMktows && start.Name.Local == successElem:
		if status != 200 {
			return nil, notAnswer(fmt.Sprintf("%s answer with HTTP status %d", successElem, status), nil)
		}
		if err := d.DecodeElement(out, &start); err != nil {
			return nil, notAnswer("malformed "+successElem, err)
		}
		return nil, nil
	}
	return nil, notAnswer(fmt.Sprintf("unexpected element {%s}%s in SOAP Body, want {%s}%s", start.Name.Space, start.Name.Local, nsMktows, successElem), nil)
}

// unexpectedError is content after the answer that a single SOAP answer
// cannot have.
type unexpectedError struct{ what string }

func (e *unexpectedError) Error() string { return e.what + " after the answer" }

// skipHeader skips an element before the Body, as Decoder.Skip does, but
// refuses DTDs and a SOAP Fault in it.
func skipHeader(d *xml.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == nsSOAPEnv && t.Name.Local == "Fault" {
				return errors.New("SOAP Fault outside the Body")
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.Directive:
			return errDirective
		}
	}
	return nil
}

// nextStart returns the next start element (the root one when root is set,
// before which only white space may stand), refusing DTDs: an answer with a
// DOCTYPE or entity declarations is never parsed further.
func nextStart(d *xml.Decoder, root bool) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, fmt.Errorf("unexpected end of element %s", t.Name.Local)
		case xml.Directive:
			return xml.StartElement{}, errDirective
		case xml.CharData:
			// Text before the root element makes the body not one XML
			// document; inside an element it is only mixed content.
			if root && len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, errors.New("text before the root element")
			}
		}
	}
}

var errDirective = errors.New("DOCTYPE and entity declarations are not accepted")

// drain reads the document to its end after the Body's first element,
// reporting malformed or truncated XML, and any element or text where only
// the ends of the Body and the Envelope (and comments) may follow.
func drain(d *xml.Decoder) error {
	open := 2 // the Body and the Envelope
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if open > 0 {
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &unexpectedError{what: fmt.Sprintf("unexpected element {%s}%s", t.Name.Space, t.Name.Local)}
		case xml.EndElement:
			open--
		case xml.CharData:
			if open == 0 && len(bytes.TrimSpace(t)) > 0 {
				return &unexpectedError{what: "text after the envelope"}
			}
		case xml.Directive:
			return errDirective
		}
	}
}

func isXMLContentType(ct string) bool {
	switch ct {
	case "text/xml", "text/xml; charset=utf-8", "text/xml; charset=UTF-8", "text/xml;charset=utf-8", "text/xml;charset=UTF-8":
		return true // the usual forms, without parsing
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch mt {
	case "text/xml", "application/xml", "application/soap+xml":
		return true
	}
	return false
}

func (wf *wireFault) toFault() *Fault {
	f := &Fault{
		FaultCode:   strings.TrimSpace(wf.FaultCode),
		FaultString: strings.TrimSpace(wf.FaultString),
		Message:     strings.TrimSpace(wf.Exception.Message),
	}
	if n, err := strconv.Atoi(strings.TrimSpace(wf.Exception.Code)); err == nil {
		f.Code = n
	} else if num, _, ok := strings.Cut(f.FaultString, " "); ok {
		// Without a detail code, use the number the faultstring starts
		// with ("20014 - Authentication failed").
		if n, err := strconv.Atoi(num); err == nil {
			f.Code = n
		}
	}
	return f
}

// xsiNil reports whether an element carries xsi:nil="true".
func xsiNil(start xml.StartElement) bool {
	for _, a := range start.Attr {
		if a.Name.Local == "nil" && a.Name.Space == "http://www.w3.org/2001/XMLSchema-instance" {
			v := strings.TrimSpace(a.Value)
			return v == "true" || v == "1"
		}
	}
	return false
}

// elementText reads the text of the element start opens, as DecodeElement
// into a string would (its own character data, its children skipped),
// appended to buf; ok is false when the element is xsi:nil.
func elementText(d *xml.Decoder, start xml.StartElement, buf []byte) (text []byte, ok bool, err error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, false, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			buf = append(buf, t...)
		case xml.StartElement:
			if err := d.Skip(); err != nil {
				return nil, false, err
			}
		case xml.EndElement:
			return buf, !xsiNil(start), nil
		}
	}
}

// decodeOptional reads the element start opens with parse, which reads
// the schema type kind (e.g. "xs:int"); valid is false when the element is
// xsi:nil.
func decodeOptional[T any](d *xml.Decoder, start xml.StartElement, kind string, parse func([]byte) (T, error)) (v T, valid bool, err error) {
	var buf [64]byte // the usual value's text, without an allocation
	s, ok, err := elementText(d, start, buf[:0])
	if err != nil || !ok {
		return v, false, err
	}
	if v, err = parse(s); err != nil {
		return v, false, fmt.Errorf("%s: %q is not an %s", start.Name.Local, s, kind)
	}
	return v, true, nil
}

// Bool is an xs:boolean element that may be absent or nil.
type Bool struct {
	Value bool
	Valid bool // false when absent or xsi:nil
}

func (x *Bool) UnmarshalXML(d *xml.Decoder, start xml.StartElement) (err error) {
	x.Value, x.Valid, err = decodeOptional(d, start, "xs:boolean", parseBoolean)
	return err
}

func parseBoolean(s []byte) (bool, error) {
	switch string(bytes.TrimSpace(s)) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, strconv.ErrSyntax
}

// Int is an xs:int element that may be absent or nil.
type Int struct {
	Value int64
	Valid bool
}

func (x *Int) UnmarshalXML(d *xml.Decoder, start xml.StartElement) (err error) {
	x.Value, x.Valid, err = decodeOptional(d, start, "xs:int", func(s []byte) (int64, error) {
		return strconv.ParseInt(string(bytes.TrimSpace(s)), 10, 64)
	})
	return err
}

// String is an xs:string element that may be absent or nil.
type String struct {
	Value string
	Valid bool
}

func (x *String) UnmarshalXML(d *xml.Decoder, start xml.StartElement) (err error) {
	x.Value, x.Valid, err = decodeOptional(d, start, "xs:string", func(s []byte) (string, error) { return string(s), nil })
	return err
}

// DateTime is an xs:dateTime element that may be absent or nil.
type DateTime struct {
	Value time.Time
	Valid bool
}

func (x *DateTime) UnmarshalXML(d *xml.Decoder, start xml.StartElement) (err error) {
	x.Value, x.Valid, err = decodeOptional(d, start, "xs:dateTime", func(s []byte) (time.Time, error) {
		return parseDateTime(string(bytes.TrimSpace(s)))
	})
	return err
}
