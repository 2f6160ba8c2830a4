package marketotest

import (
	"encoding/xml"
	"strings"
)

const (
	nsEnvelope  = "http://schemas.xmlsoap.org/soap/envelope/"
	nsMktows    = "http://www.marketo.com/mktows/"
	nsXSI       = "http://www.w3.org/2001/XMLSchema-instance"
	xmlDecl     = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	contentType = "text/xml; charset=utf-8"
)

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// out is one element of a success result. A leaf has text (or nil, written
// as xsi:nil="true"); a comment is written as an XML comment line.
type out struct {
	name    string
	text    string
	nil     bool
	comment string
	kids    []out
	parent  bool // written with children even when kids is empty
}

func leaf(name, text string) out { return out{name: name, text: text} }
func nilLeaf(name string) out    { return out{name: name, nil: true} }
func comment(s string) out       { return out{comment: s} }
func node(name string, kids ...out) out {
	return out{name: name, kids: kids, parent: true}
}

// successXML renders <ns1:successOp><result>…</result></ns1:successOp> in the
// shape of Marketo's answers, two-space indented.
func successXML(op string, result ...out) []byte {
	needXSI := false
	var walk func([]out)
	walk = func(os []out) {
		for _, o := range os {
			needXSI = needXSI || o.nil
			walk(o.kids)
		}
	}
	walk(result)
	var b strings.Builder
	b.WriteString(xmlDecl)
	b.WriteString(`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsEnvelope + `"`)
	if needXSI {
		b.WriteString(` xmlns:xsi="` + nsXSI + `"`)
	}
	b.WriteString(` xmlns:ns1="` + nsMktows + `">` + "\n")
	b.WriteString("  <SOAP-ENV:Body>\n")
	el := "ns1:success" + upperFirst(op)
	b.WriteString("    <" + el + ">\n")
	writeOut(&b, node("result", result...), 3)
	b.WriteString("    </" + el + ">\n")
	b.WriteString("  </SOAP-ENV:Body>\n")
	b.WriteString("</SOAP-ENV:Envelope>\n")
	return []byte(b.String())
}

func writeOut(b *strings.Builder, o out, depth int) {
	ind := strings.Repeat("  ", depth)
	switch {
	case o.comment != "":
		b.WriteString(ind + "<!-- " + o.comment + " -->\n")
	case o.nil:
		b.WriteString(ind + "<" + o.name + ` xsi:nil="true" />` + "\n")
	case o.parent:
		b.WriteString(ind + "<" + o.name + ">\n")
		for _, k := range o.kids {
			writeOut(b, k, depth+1)
		}
		b.WriteString(ind + "</" + o.name + ">\n")
	case o.text == "":
		b.WriteString(ind + "<" + o.name + " />\n")
	default:
		b.WriteString(ind + "<" + o.name + ">" + escape(o.text) + "</" + o.name + ">\n")
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
