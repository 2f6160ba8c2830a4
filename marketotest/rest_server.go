package marketotest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// maxRESTBody is REST's request body limit, 1 MB (decimal: the stricter
	// reading of Adobe's "1MB"); a bigger body is HTTP 413.
	maxRESTBody = 1000000
	// maxRESTURI is REST's request URI limit, 8 KB; a longer one is HTTP 414.
	maxRESTURI = 8 * 1024
)

// restCall is one authenticated REST call on its way to its operation.
type restCall struct {
	params url.Values // query, plus the form body of a POST with _method=GET or the form fields of a multipart one
	body   []byte     // the JSON body of a POST operation
	file   []byte     // the file part of a multipart POST, nil without one
	// multipart is a bulk import's body, parsed as it arrived; nil for a
	// body read whole.
	multipart *multipartBody
	id        int // the ID in the path, if any
	now       time.Time
}

// What a route's POST carries.
const (
	bodyNone         = iota // nothing (or a form with _method=GET)
	bodyJSON                // a JSON object
	bodyOptionalJSON        // a JSON object, or no body at all (read as {})
	bodyMultipart           // multipart/form-data: form fields and a file
)

// restRoute is one REST operation: its path, HTTP method, whether it takes
// a JSON body, and its handler, in one row so none is half-registered.
type restRoute struct {
	path      *regexp.Regexp // a path under /rest; a group captures the ID
	method    string
	operation string // Request.Operation
	body      int    // bodyNone, bodyJSON or bodyMultipart
	handle    func(s *Server, c *restCall) restAnswer
}

var restRoutes = []restRoute{
	{regexp.MustCompile(`^/rest/v1/campaigns\.json$`), http.MethodGet, "getCampaigns", bodyNone, (*Server).restCampaigns},
	{regexp.MustCompile(`^/rest/v1/campaigns/(\d{1,9})\.json$`), http.MethodGet, "getCampaign", bodyNone, (*Server).restCampaign},
	{regexp.MustCompile(`^/rest/v1/campaigns/(\d{1,9})/schedule\.json$`), http.MethodPost, "scheduleCampaign", bodyOptionalJSON, (*Server).restSchedule},
	{regexp.MustCompile(`^/rest/v1/campaigns/(\d{1,9})/trigger\.json$`), http.MethodPost, "requestCampaign", bodyJSON, (*Server).restTrigger},
	{regexp.MustCompile(`^/rest/v1/leads\.json$`), http.MethodGet, "getLeads", bodyNone, (*Server).restLeads},
	{regexp.MustCompile(`^/rest/v1/leads/describe\.json$`), http.MethodGet, "describeLeads", bodyNone, (*Server).restDescribe},
	{regexp.MustCompile(`^/rest/v1/leads/describe2\.json$`), http.MethodGet, "describeLeads2", bodyNone, (*Server).restDescribe2},
	{regexp.MustCompile(`^/rest/v1/lists\.json$`), http.MethodGet, "getLists", bodyNone, (*Server).restLists},
	{regexp.MustCompile(`^/rest/v1/lists/(\d{1,9})/leads\.json$`), http.MethodPost, "addToList", bodyJSON, (*Server).restAddToList},
	{regexp.MustCompile(`^/rest/asset/v1/smartCampaign/(\d{1,9})\.json$`), http.MethodGet, "getSmartCampaign", bodyNone, (*Server).restSmartCampaign},
	{regexp.MustCompile(`^/rest/asset/v1/staticList/byName\.json$`), http.MethodGet, "getStaticListByName", bodyNone, (*Server).restStaticListByName},
	{regexp.MustCompile(`^/bulk/v1/leads\.json$`), http.MethodPost, "importLeads", bodyMultipart, (*Server).restBulkImport},
	{regexp.MustCompile(`^/bulk/v1/leads/batch/(\d{1,9})\.json$`), http.MethodGet, "getImportStatus", bodyNone, (*Server).restBulkStatus},
	{regexp.MustCompile(`^/bulk/v1/leads/batch/(\d{1,9})/failures\.json$`), http.MethodGet, "getImportFailures", bodyNone, (*Server).restBulkFailures},
	{regexp.MustCompile(`^/bulk/v1/leads/batch/(\d{1,9})/warnings\.json$`), http.MethodGet, "getImportWarnings", bodyNone, (*Server).restBulkWarnings},
}

// serveREST answers a call under /rest or /identity. The order of checks:
// URI length (414), identity, for a call without a live token path and
// method (610, 605) then the token (600, 601, 602) before the body is read
// (rest_guard.go), body size and arrival (413, 408), in flight
// (615), Stall and SetLatency, fault injection, path and method (610, 605),
// token (601, 602),
// daily quota and rate (607, 606), content type (612), JSON (609), then the
// operation.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	now := s.clock().Round(0)
	rec := Request{Time: now, API: APIREST, Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.RawQuery)}
	if len(r.URL.RequestURI()) > maxRESTURI {
		rec.HTTPStatus = http.StatusRequestURITooLong
		s.record(rec, nil, "")
		http.Error(w, "414 Request-URI Too Large", http.StatusRequestURITooLong)
		return
	}
	if r.URL.Path == IdentityPath || strings.HasPrefix(r.URL.Path, IdentityPath+"/") {
		s.serveIdentity(w, r, &rec, now)
		return
	}
	if s.refuseBeforeBody(w, r, &rec, now) {
		return
	}
	// As on SOAP, only a call whose body has arrived is in flight.
	body, mb, ok := s.readRESTBody(w, r, &rec)
	if !ok {
		return
	}
	if f := s.rest.lim.acquire(); f != nil {
		s.answerREST(w, &rec, body, failed(s.rest.faultFromLimit(f)), now)
		return
	}
	release := sync.OnceFunc(s.rest.lim.release)
	defer release()
	if !s.hold(r) {
		return
	}
	if s.injectREST(w, &rec, now, restTarget(r, body)) {
		s.record(rec, body, "")
		return
	}
	rt, id, f := route(r, body)
	if f != nil {
		s.answerREST(w, &rec, body, failed(f), now)
		return
	}
	rec.Operation = rt.operation
	ans := s.restCall(r, rt, &restCall{id: id, now: now, multipart: mb}, body)
	noteAnswer(&rec, ans)
	s.record(rec, body, "")
	if s.loseAnswer(w, r, &rec) {
		return
	}
	s.answerStarts(w, release)
	if ans.file != nil {
		ans.file.write(w)
		return
	}
	writeJSON(w, http.StatusOK, s.rest.envelope(ans, now))
}

// readRESTBody reads a call's body: a bulk import's multipart body as it
// arrives (its head returned for the request log), any other whole, 1 MB
// at most (10 MB under /bulk).
func (s *Server) readRESTBody(w http.ResponseWriter, r *http.Request, rec *Request) ([]byte, *multipartBody, bool) {
	if streamsBody(r) {
		mb, head, ok := s.readBulkBody(w, r, rec)
		return head, mb, ok
	}
	limit, limitText := int64(maxRESTBody), "1 MB"
	if strings.HasPrefix(r.URL.Path, BulkPath+"/") {
		limit, limitText = MaxBulkBody, "10 MB"
	}
	body, ok := s.readBody(w, r, rec, limit, limitText)
	return body, nil, ok
}

// route finds the operation of a path: an unknown path is 610, a known
// path with another method 605. A POST with _method=GET is the GET of its
// path (see effectiveMethod).
func route(r *http.Request, body []byte) (*restRoute, int, *Fault) {
	method := effectiveMethod(r, body)
	for i := range restRoutes {
		rt := &restRoutes[i]
		m := rt.path.FindStringSubmatch(r.URL.Path)
		if m == nil {
			continue
		}
		if method != rt.method {
			return nil, 0, faultf(restMethodNotAllowed, "Request method '%s' not supported", method)
		}
		id := 0
		if len(m) > 1 {
			id, _ = strconv.Atoi(m[1])
		}
		return rt, id, nil
	}
	return nil, 0, restStandard(restNotFound)
}

// restCall authenticates and counts the call, reads its parameters and
// runs the operation under the tenant lock.
func (s *Server) restCall(r *http.Request, rt *restRoute, c *restCall, body []byte) restAnswer {
	if f := s.rest.bearer(r, c.now); f != nil {
		return failed(f)
	}
	if f := s.rest.lim.admit(c.now); f != nil {
		return failed(s.rest.faultFromLimit(f))
	}
	c.params = r.URL.Query()
	switch {
	case rt.body == bodyMultipart:
		mb := bodyOf(c, r.Header.Get("Content-Type"), body)
		if mb.fault != nil {
			return failed(mb.fault)
		}
		for k, vs := range mb.params {
			c.params[k] = append(c.params[k], vs...)
		}
		c.file = mb.file
	case rt.body == bodyOptionalJSON && len(bytes.TrimSpace(body)) == 0:
		c.body = []byte("{}") // no body, whatever its Content-Type says
	case rt.body == bodyJSON || rt.body == bodyOptionalJSON:
		if f := checkJSONContentType(r.Header.Get("Content-Type")); f != nil {
			return failed(f)
		}
		if !json.Valid(body) {
			return failed(restStandard(restInvalidJSON))
		}
		b, f := stripJSONMethod(body, rt.method)
		if f != nil {
			return failed(f)
		}
		c.body = b
	case r.Method == http.MethodPost && len(body) == 0: // _method=GET with the parameters all in the query
	case r.Method == http.MethodPost: // _method=GET: the parameters are a form body
		form, f := parseForm(r.Header.Get("Content-Type"), body)
		if f != nil {
			return failed(f)
		}
		for k, vs := range form {
			c.params[k] = append(c.params[k], vs...)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(c.now)
	return rt.handle(s, c)
}

func checkJSONContentType(ct string) *Fault {
	mt, ps, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return faultf(restContentType, "Invalid Content Type: %q, want application/json", ct)
	}
	if cs, ok := ps["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return faultf(restContentType, "Invalid Content Type: charset %s is not supported (UTF-8 only)", cs)
	}
	return nil
}

func parseForm(ct string, body []byte) (url.Values, *Fault) {
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, faultf(restContentType, "Invalid Content Type: %q, want application/x-www-form-urlencoded with _method=GET", ct)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, faultf(restInvalidData, "The form body could not be parsed")
	}
	return form, nil
}

// noteAnswer notes an answer's outcome in rec: HTTP 200, and the first
// error's code and message.
func noteAnswer(rec *Request, ans restAnswer) {
	rec.HTTPStatus = http.StatusOK
	if len(ans.errs) > 0 {
		rec.FaultCode, rec.FaultMessage = ans.errs[0].Code, ans.errs[0].Message
	}
}

// answerREST records and writes an answer for a call that did not run.
func (s *Server) answerREST(w http.ResponseWriter, rec *Request, body []byte, ans restAnswer, now time.Time) {
	noteAnswer(rec, ans)
	s.record(*rec, body, "")
	writeJSON(w, http.StatusOK, s.rest.envelope(ans, now))
}
