package marketo

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/soapwire"
)

// The namespaces of an answer, written here so that the fuzz checks do not
// take them from the decoder they check.
const (
	fuzzNSSOAPEnv = "http://schemas.xmlsoap.org/soap/envelope/"
	fuzzNSMktows  = "http://www.marketo.com/mktows/"
)

const (
	fuzzEnvOpen = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">`
	fuzzSuccess = `<ns1:successScheduleCampaign><result><success>true</success></result></ns1:successScheduleCampaign>`
	fuzzFault   = `<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>20113 - Campaign not found</faultstring>` +
		`<detail><ns1:serviceException><name>mktServiceException</name><message>Campaign not found (20113)</message><code>20113</code></ns1:serviceException></detail></SOAP-ENV:Fault>`
)

// decodeSeeds are answers of every shape: successes as Marketo writes them
// and as other servers might, faults, garbage, and answers that put a fault
// beside a success.
var decodeSeeds = []struct {
	body   string
	status int
	ct     string
}{
	{fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, 200, "text/xml; charset=utf-8"},
	{fuzzEnvOpen + `<SOAP-ENV:Header><ns1:X/></SOAP-ENV:Header><!-- c --><SOAP-ENV:Body>` + fuzzSuccess + `<!-- c --></SOAP-ENV:Body></SOAP-ENV:Envelope>` + "\n", 200, "text/xml"},
	{fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzFault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, 500, "text/xml;charset=UTF-8"},
	{fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzFault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, 200, "text/xml"},
	{fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + fuzzFault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, 200, "text/xml"},
	{fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body>` + fuzzFault + `</SOAP-ENV:Envelope>`, 200, "text/xml"},
	{fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>` + fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzFault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, 200, "text/xml"},
	{fuzzEnvOpen + `<SOAP-ENV:Header>` + fuzzFault + `</SOAP-ENV:Header><SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, 200, "text/xml"},
	{fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess, 200, "text/xml"},
	{`<!DOCTYPE x [<!ENTITY a "aaaa">]>` + fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, 200, "text/xml"},
	{`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`, 200, "application/soap+xml"},
	{`<html><body>502 Bad Gateway</body></html>`, 502, "text/html"},
	{`{"success":true}`, 200, "application/json"},
	{``, 200, "text/xml"},
}

// FuzzDecodeResponse checks that the decoder never panics, returns only
// typed errors, and never takes an answer that carries a SOAP fault, or is
// not a single well-formed SOAP 1.1 envelope whose Body holds exactly the
// success element, for a success. The answer's shape is checked with
// encoding/xml independently of the decoder.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s.body), s.status, s.ct)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int, contentType string) {
		if status < 100 || status > 599 {
			status = 200
		}
		var out soapwire.ResultSuccess
		err := decodeResponse(body, status, contentType, soapOperations[opScheduleCampaign].success, &out)
		shape := inspectAnswer(body)
		var f *Fault
		var re *ResponseError
		switch {
		case err == nil:
			if status != 200 {
				t.Fatalf("success accepted with HTTP %d", status)
			}
			if mt, _, perr := mime.ParseMediaType(contentType); perr != nil || !strings.Contains(mt, "xml") {
				t.Fatalf("success accepted with Content-Type %q", contentType)
			}
			if problem := shape.successProblem(); problem != "" {
				t.Fatalf("success accepted although %s:\n%q", problem, body)
			}
		case errors.As(err, &f):
			if !shape.faultInBody {
				t.Fatalf("fault %v reported for an answer whose Body has no Fault:\n%q", f, body)
			}
			if f.HTTPStatus != status {
				t.Fatalf("fault has HTTP status %d, answer had %d", f.HTTPStatus, status)
			}
		case errors.As(err, &re):
			if re.HTTPStatus != status || re.ContentType != contentType || len(re.Excerpt) > excerptMax*3 {
				t.Fatalf("bad ResponseError %+v", re)
			}
		default:
			t.Fatalf("untyped error %T: %v", err, err)
		}
	})
}

// answerShape is what encoding/xml sees in an answer.
type answerShape struct {
	wellFormed   bool // no syntax error, one root element, no text outside it
	directive    bool // a DOCTYPE or other declaration
	root         xml.Name
	envelopeKids []xml.Name
	bodyKids     []xml.Name // children of the Envelope's Body elements
	faultInBody  bool       // the first child of the first Body is a SOAP Fault
	faultAny     bool       // a SOAP Fault element anywhere
}

func inspectAnswer(body []byte) answerShape {
	var s answerShape
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var stack []xml.Name
	roots := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			s.wellFormed = roots == 1 && len(stack) == 0
			break
		}
		if err != nil {
			s.wellFormed = false
			return s
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				roots++
				s.root = tok.Name
			}
			if tok.Name.Space == fuzzNSSOAPEnv && tok.Name.Local == "Fault" {
				s.faultAny = true
			}
			if len(stack) == 1 {
				s.envelopeKids = append(s.envelopeKids, tok.Name)
			}
			if len(stack) == 2 && stack[1] == (xml.Name{Space: fuzzNSSOAPEnv, Local: "Body"}) {
				if len(s.bodyKids) == 0 && len(s.envelopeKids) > 0 && tok.Name == (xml.Name{Space: fuzzNSSOAPEnv, Local: "Fault"}) {
					s.faultInBody = true
				}
				s.bodyKids = append(s.bodyKids, tok.Name)
			}
			stack = append(stack, tok.Name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(tok)) > 0 {
				roots = 2 // text outside the root: not well-formed
			}
		case xml.Directive:
			s.directive = true
		}
	}
	return s
}

// successProblem says why the answer must not be taken for a success, or
// returns "".
func (s answerShape) successProblem() string {
	env := xml.Name{Space: fuzzNSSOAPEnv, Local: "Envelope"}
	body := xml.Name{Space: fuzzNSSOAPEnv, Local: "Body"}
	success := xml.Name{Space: fuzzNSMktows, Local: soapOperations[opScheduleCampaign].success}
	switch {
	case !s.wellFormed:
		return "it is not one well-formed XML document"
	case s.directive:
		return "it has a DOCTYPE"
	case s.faultAny:
		return "it contains a SOAP Fault"
	case s.root != env:
		return "its root is not a SOAP 1.1 Envelope"
	case len(s.envelopeKids) == 0 || s.envelopeKids[len(s.envelopeKids)-1] != body:
		return "the Body is not the Envelope's last element"
	case len(s.bodyKids) != 1 || s.bodyKids[0] != success:
		return "the Body does not hold exactly the success element"
	}
	return ""
}

// TestDecodeRefusesAFaultBesideTheAnswer pins the answers that carry both a
// success element and a SOAP fault, or more than one document: none of them
// is a success, whatever order the parts come in.
func TestDecodeRefusesAFaultBesideTheAnswer(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"fault after the answer in the Body": fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + fuzzFault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		"second answer in the Body":          fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		"fault after the Body":               fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body>` + fuzzFault + `</SOAP-ENV:Envelope>`,
		"second Body with a fault":           fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body><SOAP-ENV:Body>` + fuzzFault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		"second envelope with a fault":       fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>` + fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzFault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		"fault in the Header":                fuzzEnvOpen + `<SOAP-ENV:Header>` + fuzzFault + `</SOAP-ENV:Header><SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		"text after the envelope":            fuzzEnvOpen + `<SOAP-ENV:Body>` + fuzzSuccess + `</SOAP-ENV:Body></SOAP-ENV:Envelope>trailing`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out soapwire.ResultSuccess
			err := decodeResponse([]byte(body), 200, "text/xml", soapOperations[opScheduleCampaign].success, &out)
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want a *ResponseError", err)
			}
		})
	}
}
