package marketotest

import (
	"net/http"
	"time"

	"github.com/mktows/marketo"
)

// restTokenEmpty is Marketo's code for a call that carries no access
// token at all: no Authorization header, or "Bearer" with nothing after it.
const restTokenEmpty marketo.Code = 600

// refuseBeforeBody answers a REST call whose access token is missing
// (600), not valid (601) or expired (602) before a byte of its body is
// read, and reports whether it did. A client without a live token thus
// cannot make the fake read and hold a body of up to 10 MB; net/http
// closes the connection after the answer rather than read a large body to
// its end. The path and method are still checked first (610, 605), as for
// a call with a token, but for the method of a form body, whose _method
// is not read. The refused call is recorded without a body.
func (s *Server) refuseBeforeBody(w http.ResponseWriter, r *http.Request, rec *Request, now time.Time) bool {
	f := s.rest.bearer(r, now)
	if f == nil {
		return false
	}
	s.bodyDeadline(w, r) // net/http drains up to 256 KB of what is left: not for ever
	// The body is not read, so the _method a form body may carry is
	// unknown: then a method that looks wrong leaves the token's fault.
	rt, _, rf := route(r, nil)
	switch {
	case rf == nil:
		rec.Operation = rt.operation
	case rf.Code != restMethodNotAllowed || !isForm(r.Header.Get("Content-Type")):
		f = rf
	}
	s.answerREST(w, rec, nil, failed(f), now)
	return true
}
