package marketotest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mktows/marketo"
)

// The fault codes the fake answers, as Marketo documents them. They are
// typed marketo.Code so that tests compare them with the SDK's names, but
// the numbers are the fake's own record: codes_test.go checks that the SDK
// agrees, so a wrong number on either side fails a test instead of being
// shared.
const (
	codeInternalError            marketo.Code = 10001 // internal error (system)
	codeAPIInternalError         marketo.Code = 20011 // internal error (API service)
	codeRequestNotUnderstood     marketo.Code = 20012 // request not understood
	codeAccessDenied             marketo.Code = 20013 // access denied
	codeAuthenticationFailed     marketo.Code = 20014 // authentication failed
	codeRequestLimitExceeded     marketo.Code = 20015 // request limit exceeded (daily quota, daily clones)
	codeRequestExpired           marketo.Code = 20016 // request expired (signature timestamp outside the window)
	codeInvalidRequest           marketo.Code = 20017 // invalid request (missing header or body part)
	codeUnsupportedOperation     marketo.Code = 20019 // unsupported operation
	codeRateLimitExceeded        marketo.Code = 20023 // rate limit exceeded
	codeConcurrencyLimitExceeded marketo.Code = 20024 // concurrency limit exceeded
	codeLeadKeyRequired          marketo.Code = 20101 // lead key required
	codeLeadKeyBad               marketo.Code = 20102 // lead key bad
	codeLeadNotFound             marketo.Code = 20103 // lead not found
	codeLeadAttributeBad         marketo.Code = 20105 // lead attribute bad (unknown lead field)
	codeParameterRequired        marketo.Code = 20109 // parameter required
	codeBadParameter             marketo.Code = 20110 // bad parameter (well-formed but not acceptable)
	codeListNotFound             marketo.Code = 20111 // list not found
	codeCampaignNotFound         marketo.Code = 20113 // campaign or program not found
	codeBadParameterValue        marketo.Code = 20114 // bad parameter (value not of its schema type)
)

// FaultTitle returns the short text the fake writes after the code in
// faultstring ("20014 - Authentication failed"). Unknown codes get "Error".
func FaultTitle(code marketo.Code) string {
	if t, ok := codeTexts[code]; ok && t.api == APISOAP {
		return t.text
	}
	return "Error"
}

// Fault is a SOAP fault answered by the fake. Message is the detail message
// without the trailing " (CODE)".
type Fault struct {
	Code    marketo.Code
	Message string
}

func (f *Fault) Error() string {
	return fmt.Sprintf("%d - %s: %s", f.Code, FaultTitle(f.Code), f.Message)
}

func faultf(code marketo.Code, format string, args ...any) *Fault {
	return &Fault{Code: code, Message: fmt.Sprintf(format, args...)}
}

// server reports whether the fault blames the server (SOAP-ENV:Server).
func (f *Fault) server() bool {
	return f.Code == codeInternalError || f.Code == codeAPIInternalError
}

// faultXML renders the fault in exactly the shape Marketo answers.
func faultXML(f *Fault) []byte {
	faultcode := "SOAP-ENV:Client"
	if f.server() {
		faultcode = "SOAP-ENV:Server"
	}
	code := strconv.Itoa(int(f.Code))
	var b strings.Builder
	b.WriteString(xmlDecl)
	b.WriteString(`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsEnvelope + `">` + "\n")
	b.WriteString("  <SOAP-ENV:Body>\n")
	b.WriteString("    <SOAP-ENV:Fault>\n")
	b.WriteString("      <faultcode>" + faultcode + "</faultcode>\n")
	b.WriteString("      <faultstring>" + escape(code+" - "+FaultTitle(f.Code)) + "</faultstring>\n")
	b.WriteString("      <detail>\n")
	b.WriteString(`        <ns1:serviceException xmlns:ns1="` + nsMktows + `">` + "\n")
	b.WriteString("          <name>mktServiceException</name>\n")
	b.WriteString("          <message>" + escape(f.Message+" ("+code+")") + "</message>\n")
	b.WriteString("          <code>" + code + "</code>\n")
	b.WriteString("        </ns1:serviceException>\n")
	b.WriteString("      </detail>\n")
	b.WriteString("    </SOAP-ENV:Fault>\n")
	b.WriteString("  </SOAP-ENV:Body>\n")
	b.WriteString("</SOAP-ENV:Envelope>\n")
	return []byte(b.String())
}

func writeXML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
