package marketotest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// envelope is a structurally valid SOAP request.
type envelope struct {
	auth   *elem  // ns1:AuthenticationHeader, nil when absent
	params *elem  // ns1:paramsX
	op     string // the operation the params element names, e.g. "scheduleCampaign"
}

func parseEnvelope(root *elem) (*envelope, *Fault) {
	if root.name.Space != nsEnvelope || root.name.Local != "Envelope" {
		return nil, faultf(codeRequestNotUnderstood, "Root element must be Envelope in namespace %s", nsEnvelope)
	}
	kids, f := root.complexKids()
	if f != nil {
		return nil, f
	}
	var header, body *elem
	for i, k := range kids {
		switch {
		case k.name.Space == nsEnvelope && k.name.Local == "Header" && i == 0:
			header = k
		case k.name.Space == nsEnvelope && k.name.Local == "Body" && body == nil:
			body = k
		default:
			return nil, faultf(codeRequestNotUnderstood, "Unexpected element %s in Envelope", k.name.Local)
		}
	}
	if body == nil {
		return nil, faultf(codeInvalidRequest, "SOAP Body is missing")
	}
	env := &envelope{}
	if header != nil {
		hk, f := header.complexKids()
		if f != nil {
			return nil, f
		}
		for _, h := range hk {
			switch {
			case h.name.Space == nsMktows && h.name.Local == "AuthenticationHeader" && env.auth == nil:
				env.auth = h
			case h.name.Space == nsMktows && h.name.Local == "MktowsContextHeader":
			default:
				return nil, faultf(codeRequestNotUnderstood, "Unexpected header element %s", h.name.Local)
			}
		}
	}
	bk, f := body.complexKids()
	if f != nil {
		return nil, f
	}
	if len(bk) == 0 {
		return nil, faultf(codeInvalidRequest, "SOAP Body has no operation parameters")
	}
	if len(bk) > 1 {
		return nil, faultf(codeRequestNotUnderstood, "SOAP Body must hold exactly one element")
	}
	p := bk[0]
	if p.name.Space != nsMktows {
		return nil, faultf(codeRequestNotUnderstood, "Body element %s must be in namespace %s", p.name.Local, nsMktows)
	}
	env.params = p
	if env.op = operationName(p.name.Local); env.op == "" {
		return nil, faultf(codeRequestNotUnderstood, "Body element %s is not the params element of an operation", p.name.Local)
	}
	return env, nil
}

// checkSOAPAction enforces that a SOAPAction header, when sent, names the
// operation of the body: http://www.marketo.com/mktows/<operation>, quoted
// or not.
func checkSOAPAction(r *http.Request, op string) *Fault {
	vals, ok := r.Header["Soapaction"]
	if !ok {
		return nil
	}
	if len(vals) != 1 {
		return faultf(codeRequestNotUnderstood, "SOAPAction header repeated")
	}
	v := strings.TrimSpace(vals[0])
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	if v != nsMktows+op {
		return faultf(codeRequestNotUnderstood, "SOAPAction %q does not match operation %s", v, op)
	}
	return nil
}

var authSchema = []field{
	{name: "mktowsUserId", required: true},
	{name: "requestSignature", required: true},
	{name: "requestTimestamp", required: true},
	{name: "partnerId"},
	{name: "audit"},
	{name: "mode", kind: kInt},
}

type authInfo struct {
	userID, signature, timestamp string
}

// parseAuth validates the AuthenticationHeader children (unqualified, in
// schema order). Missing parts are 20017.
func parseAuth(h *elem) (*authInfo, *Fault) {
	if h == nil {
		return nil, faultf(codeInvalidRequest, "AuthenticationHeader is missing")
	}
	kids, f := h.complexKids()
	if f != nil {
		return nil, f
	}
	vals := map[string]string{}
	last := -1
	for _, k := range kids {
		if k.name.Space != "" {
			return nil, faultf(codeRequestNotUnderstood, "Element %s of AuthenticationHeader must be unqualified (no namespace), found namespace %s", k.name.Local, k.name.Space)
		}
		idx := -1
		for i, fd := range authSchema {
			if fd.name == k.name.Local {
				idx = i
			}
		}
		if idx < 0 {
			return nil, faultf(codeRequestNotUnderstood, "Unknown element %s in AuthenticationHeader", k.name.Local)
		}
		if idx <= last {
			return nil, faultf(codeRequestNotUnderstood, "Elements of AuthenticationHeader repeated or out of order at %s", k.name.Local)
		}
		last = idx
		if len(k.kids) > 0 || k.isNil {
			return nil, faultf(codeRequestNotUnderstood, "AuthenticationHeader/%s must be a simple value", k.name.Local)
		}
		if f := checkValue(authSchema[idx], k); f != nil {
			return nil, faultf(codeRequestNotUnderstood, "%s", f.Message)
		}
		vals[k.name.Local] = strings.TrimSpace(k.text)
	}
	for _, fd := range authSchema[:3] {
		if vals[fd.name] == "" {
			return nil, faultf(codeInvalidRequest, "AuthenticationHeader/%s is missing", fd.name)
		}
	}
	return &authInfo{userID: vals["mktowsUserId"], signature: vals["requestSignature"], timestamp: vals["requestTimestamp"]}, nil
}

// Sign computes the request signature Marketo expects: lowercase hex of
// HMAC-SHA1(key, timestamp+userID). Tests use it to build requests.
func Sign(encryptionKey, timestamp, userID string) string {
	m := hmac.New(sha1.New, []byte(encryptionKey))
	m.Write([]byte(timestamp + userID))
	return hex.EncodeToString(m.Sum(nil))
}

var timestampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$`)

// TimestampLayout is the only requestTimestamp form the fake accepts.
const TimestampLayout = "2006-01-02T15:04:05-07:00"

// authenticate checks the user and signature (20014), then the timestamp
// form and window (20016). Neither message repeats the signature or key.
func (s *Server) authenticate(a *authInfo, now time.Time) *Fault {
	want := Sign(s.key, a.timestamp, s.userID)
	userOK := subtle.ConstantTimeCompare([]byte(a.userID), []byte(s.userID)) == 1
	sigOK := subtle.ConstantTimeCompare([]byte(a.signature), []byte(want)) == 1
	if !userOK || !sigOK {
		return faultf(codeAuthenticationFailed, "Authentication failed")
	}
	if !timestampRE.MatchString(a.timestamp) {
		return faultf(codeRequestExpired, "Request expired: requestTimestamp %q is not of the form 2006-01-02T15:04:05-07:00", a.timestamp)
	}
	ts, err := time.Parse(TimestampLayout, a.timestamp)
	if err != nil {
		return faultf(codeRequestExpired, "Request expired: requestTimestamp %q is not a valid time", a.timestamp)
	}
	if d := now.Sub(ts); d > s.window || d < -s.window {
		return faultf(codeRequestExpired, "Request expired: requestTimestamp is outside the %v signature window", s.window)
	}
	return nil
}
