// Package wsdl embeds the SDK's WSDL for the Marketo SOAP API (mktows).
//
// The document (mktows.wsdl) is a WSDL 1.1, SOAP 1.1, document/literal
// description of the five campaign operations the SDK implements:
// scheduleCampaign, requestCampaign, getCampaignsForSource, importToList and
// getImportToListStatus. Like Marketo's own schema it has no
// elementFormDefault, so only the top-level elements (AuthenticationHeader,
// paramsX, successX) are in the http://www.marketo.com/mktows/ namespace and
// their children are unqualified.
//
// WSDL serves the document with the address of a given endpoint, as a
// Marketo endpoint answers GET <endpoint>?WSDL. Operations and Sequence give
// the parts of the schema that tests check the SDK's wire structs against.
//
// The Go types in internal/wsdlref are generated from this document.
package wsdl

//go:generate go tool gowsdl -d .. -p wsdlref -o mktows_gen.go mktows.wsdl

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Namespace is the target namespace of the schema and of the top-level
// message elements.
const Namespace = "http://www.marketo.com/mktows/"

// PlaceholderEndpoint is the soap:address location written in the embedded
// document. Clients never use it: the real endpoint is the tenant's URL.
const PlaceholderEndpoint = "https://123-ABC-456.mktoapi.com/soap/mktows/2_9"

//go:embed mktows.wsdl
var raw []byte

// Raw returns a copy of the embedded document, with PlaceholderEndpoint as
// its soap:address location.
func Raw() []byte {
	return bytes.Clone(raw)
}

// addressAttr is the exact attribute text of the soap:address location in
// the embedded document.
var addressAttr = []byte(`location="` + PlaceholderEndpoint + `"`)

// WSDL returns the document with its soap:address location set to endpoint,
// escaped as an XML attribute value. Each call returns a new slice.
func WSDL(endpoint string) []byte {
	var esc bytes.Buffer
	// xml.EscapeText also escapes quotes, tabs and newlines, so the result
	// is safe inside a double-quoted attribute. Writing to a bytes.Buffer
	// cannot fail.
	_ = xml.EscapeText(&esc, []byte(endpoint))

	i := bytes.Index(raw, addressAttr)
	if i < 0 {
		// The document is embedded; its tests guarantee the attribute.
		panic("wsdl: soap:address location not found in mktows.wsdl")
	}
	start := i + len(`location="`)
	end := i + len(addressAttr) - len(`"`)

	out := make([]byte, 0, len(raw)-len(PlaceholderEndpoint)+esc.Len())
	out = append(out, raw[:start]...)
	out = append(out, esc.Bytes()...)
	out = append(out, raw[end:]...)
	return out
}

// Operation is one operation of the SOAP binding.
type Operation struct {
	Name       string // e.g. "scheduleCampaign"
	SOAPAction string // e.g. "http://www.marketo.com/mktows/scheduleCampaign"
	Request    string // local name of the body element sent, e.g. "paramsScheduleCampaign"
	Response   string // local name of the body element returned, e.g. "successScheduleCampaign"
	Header     string // local name of the SOAP header element, "AuthenticationHeader"
}

// Element is one element of a complex type's sequence.
type Element struct {
	Name      string // local name; unqualified on the wire
	Type      string // schema type as written, e.g. "xs:string", "tns:ArrayOfAttrib"
	MinOccurs int    // 0 for an optional element
	Repeated  bool   // maxOccurs="unbounded"
	Nillable  bool   // may be sent as xsi:nil="true"
}

// Optional reports whether the element may be left out.
func (e Element) Optional() bool { return e.MinOccurs == 0 }

// Operations returns the operations of the binding, in document order.
func Operations() []Operation {
	return slices.Clone(parsed().ops)
}

// Sequence returns the elements of the named complex type (for example
// "ParamsScheduleCampaign") in schema order, and whether the type exists.
func Sequence(complexType string) ([]Element, bool) {
	els, ok := parsed().types[complexType]
	return slices.Clone(els), ok
}

// TopLevelElements returns the global element declarations, mapping each
// element name to its type name without prefix (e.g. "paramsScheduleCampaign"
// to "ParamsScheduleCampaign").
func TopLevelElements() map[string]string {
	return maps.Clone(parsed().elements)
}

// In encoding/xml the namespace of an a>b tag must match every element of
// the path, so paths that cross namespaces match by local name only.
type xmlDefinitions struct {
	XMLName  xml.Name     `xml:"http://schemas.xmlsoap.org/wsdl/ definitions"`
	Schema   xmlSchema    `xml:"types>schema"`
	Messages []xmlMessage `xml:"http://schemas.xmlsoap.org/wsdl/ message"`
	PortType struct {
		Operations []struct {
			Name   string `xml:"name,attr"`
			Input  xmlRef `xml:"http://schemas.xmlsoap.org/wsdl/ input"`
			Output xmlRef `xml:"http://schemas.xmlsoap.org/wsdl/ output"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/ operation"`
	} `xml:"http://schemas.xmlsoap.org/wsdl/ portType"`
	Binding struct {
		Operations []struct {
			Name   string `xml:"name,attr"`
			Action struct {
				SOAPAction string `xml:"soapAction,attr"`
			} `xml:"http://schemas.xmlsoap.org/wsdl/soap/ operation"`
			Header struct {
				Message string `xml:"message,attr"`
			} `xml:"input>header"`
		} `xml:"http://schemas.xmlsoap.org/wsdl/ operation"`
	} `xml:"http://schemas.xmlsoap.org/wsdl/ binding"`
}

type xmlRef struct {
	Message string `xml:"message,attr"`
}

type xmlMessage struct {
	Name  string `xml:"name,attr"`
	Parts []struct {
		Element string `xml:"element,attr"`
	} `xml:"http://schemas.xmlsoap.org/wsdl/ part"`
}

type xmlSchema struct {
	ComplexTypes []struct {
		Name     string `xml:"name,attr"`
		Elements []struct {
			Name      string `xml:"name,attr"`
			Type      string `xml:"type,attr"`
			MinOccurs string `xml:"minOccurs,attr"`
			MaxOccurs string `xml:"maxOccurs,attr"`
			Nillable  string `xml:"nillable,attr"`
		} `xml:"http://www.w3.org/2001/XMLSchema sequence>element"`
	} `xml:"http://www.w3.org/2001/XMLSchema complexType"`
	Elements []struct {
		Name string `xml:"name,attr"`
		Type string `xml:"type,attr"`
	} `xml:"http://www.w3.org/2001/XMLSchema element"`
}

type parsedDoc struct {
	ops      []Operation
	types    map[string][]Element
	elements map[string]string
}

var parsed = sync.OnceValue(func() parsedDoc {
	p, err := parse(raw)
	if err != nil {
		// The document is embedded; its tests guarantee it parses.
		panic(err)
	}
	return p
})

func localName(qname string) string {
	_, local, _ := strings.Cut(qname, ":")
	if local == "" {
		return qname
	}
	return local
}

func parse(doc []byte) (parsedDoc, error) {
	var d xmlDefinitions
	if err := xml.Unmarshal(doc, &d); err != nil {
		return parsedDoc{}, fmt.Errorf("wsdl: parsing mktows.wsdl: %w", err)
	}

	p := parsedDoc{
		types:    make(map[string][]Element, len(d.Schema.ComplexTypes)),
		elements: make(map[string]string, len(d.Schema.Elements)),
	}
	for _, ct := range d.Schema.ComplexTypes {
		els := make([]Element, 0, len(ct.Elements))
		for _, e := range ct.Elements {
			el := Element{
				Name:      e.Name,
				Type:      e.Type,
				MinOccurs: 1,
				Repeated:  e.MaxOccurs == "unbounded",
				Nillable:  e.Nillable == "true",
			}
			if e.MinOccurs != "" {
				n, err := strconv.Atoi(e.MinOccurs)
				if err != nil {
					return parsedDoc{}, fmt.Errorf("wsdl: %s/%s: bad minOccurs %q", ct.Name, e.Name, e.MinOccurs)
				}
				el.MinOccurs = n
			}
			els = append(els, el)
		}
		p.types[ct.Name] = els
	}
	for _, e := range d.Schema.Elements {
		p.elements[e.Name] = localName(e.Type)
	}

	// Each message has a single part naming a top-level element.
	partElement := make(map[string]string, len(d.Messages))
	for _, m := range d.Messages {
		if len(m.Parts) != 1 {
			return parsedDoc{}, fmt.Errorf("wsdl: message %s has %d parts, want 1", m.Name, len(m.Parts))
		}
		partElement[m.Name] = localName(m.Parts[0].Element)
	}
	type inOut struct{ in, out string }
	portOps := make(map[string]inOut, len(d.PortType.Operations))
	for _, o := range d.PortType.Operations {
		portOps[o.Name] = inOut{
			in:  partElement[localName(o.Input.Message)],
			out: partElement[localName(o.Output.Message)],
		}
	}
	for _, b := range d.Binding.Operations {
		po, ok := portOps[b.Name]
		if !ok {
			return parsedDoc{}, fmt.Errorf("wsdl: binding operation %s is not in the port type", b.Name)
		}
		p.ops = append(p.ops, Operation{
			Name:       b.Name,
			SOAPAction: b.Action.SOAPAction,
			Request:    po.in,
			Response:   po.out,
			Header:     partElement[localName(b.Header.Message)],
		})
	}
	return p, nil
}
