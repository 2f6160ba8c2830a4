package marketotest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Fault codes answered by the fake, as documented by Marketo.
const (
	CodeInternalSystem     = 10001 // internal error (system)
	CodeInternalService    = 20011 // internal error (API service)
	CodeNotUnderstood      = 20012 // request not understood
	CodeAccessDenied       = 20013 // access denied
	CodeAuthFailed         = 20014 // authentication failed
	CodeLimitExceeded      = 20015 // request limit exceeded (daily quota, daily clones)
	CodeRequestExpired     = 20016 // request expired (signature timestamp outside the window)
	CodeInvalidRequest     = 20017 // invalid request (missing header or body part)
	CodeUnsupportedOp      = 20019 // unsupported operation
	CodeRateLimit          = 20023 // rate limit exceeded
	CodeConcurrencyLimit   = 20024 // concurrency limit exceeded
	CodeLeadKeyRequired    = 20101 // lead key required
	CodeLeadKeyBad         = 20102 // lead key bad
	CodeLeadNotFound       = 20103 // lead not found
	CodeLeadAttributeBad   = 20105 // lead attribute bad (unknown lead field)
	CodeParamRequired      = 20109 // parameter required
	CodeBadParameter       = 20110 // bad parameter (well-formed but not acceptable)
	CodeListNotFound       = 20111 // list not found
	CodeCampaignNotFound   = 20113 // campaign or program not found
	CodeBadParameterFormat = 20114 // bad parameter (value not of its schema type)
)

var faultTitles = map[int]string{
	CodeInternalSystem:     "Internal error",
	CodeInternalService:    "Internal error",
	CodeNotUnderstood:      "Request not understood",
	CodeAccessDenied:       "Access denied",
	CodeAuthFailed:         "Authentication failed",
	CodeLimitExceeded:      "Request limit exceeded",
	CodeRequestExpired:     "Request expired",
	CodeInvalidRequest:     "Invalid request",
	CodeUnsupportedOp:      "Unsupported operation",
	CodeRateLimit:          "Rate limit exceeded",
	CodeConcurrencyLimit:   "Concurrency limit exceeded",
	CodeLeadKeyRequired:    "Lead key required",
	CodeLeadKeyBad:         "Lead key bad",
	CodeLeadNotFound:       "Lead not found",
	CodeLeadAttributeBad:   "Unknown lead field",
	CodeParamRequired:      "Parameter required",
	CodeBadParameter:       "Input error",
	CodeListNotFound:       "List not found",
	CodeCampaignNotFound:   "Campaign not found",
	CodeBadParameterFormat: "Bad parameter",
}

// FaultTitle returns the short text the fake writes after the code in
// faultstring ("20014 - Authentication failed"). Unknown codes get "Error".
func FaultTitle(code int) string {
	if t, ok := faultTitles[code]; ok {
		return t
	}
	return "Error"
}

// Fault is a SOAP fault answered by the fake. Message is the detail message
// without the trailing " (CODE)".
type Fault struct {
	Code    int
	Message string
}

func (f *Fault) Error() string {
	return fmt.Sprintf("%d - %s: %s", f.Code, FaultTitle(f.Code), f.Message)
}

func faultf(code int, format string, args ...any) *Fault {
	return &Fault{Code: code, Message: fmt.Sprintf(format, args...)}
}

// server reports whether the fault blames the server (SOAP-ENV:Server).
func (f *Fault) server() bool {
	return f.Code == CodeInternalSystem || f.Code == CodeInternalService
}

// faultXML renders the fault in exactly the shape Marketo answers.
func faultXML(f *Fault) []byte {
	faultcode := "SOAP-ENV:Client"
	if f.server() {
		faultcode = "SOAP-ENV:Server"
	}
	code := strconv.Itoa(f.Code)
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
