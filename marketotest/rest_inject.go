package marketotest

import (
	"net/http"
	"time"

	"github.com/mktows/marketo"
)

// injectREST applies the next queued injection to a REST call, rendered
// the REST way: a fault is the error envelope (HTTP 200) with
// restCodeFor(code), a drop cuts a JSON answer short, garbage is HTML 502,
// text that is not JSON, or JSON that is not the envelope. It reports
// whether the call has been answered.
func (s *Server) injectREST(w http.ResponseWriter, rec *Request, now time.Time, t Target) bool {
	return s.applyInjection(rec, t, injectedAnswers{
		fail: func(code marketo.Code) {
			ans := failed(restStandard(restCodeFor(code)))
			noteAnswer(rec, ans)
			writeJSON(w, http.StatusOK, s.rest.envelope(ans, now))
		},
		drop: func() {
			cutAnswer(w, jsonContentType, s.rest.envelope(restAnswer{result: []restID{{ID: 1001}}}, now))
		},
		garbage: func(g Garbage) int { return garbageJSON(w, g) },
	})
}

// garbageJSON writes the REST counterpart of g: GarbageHTML502 as on SOAP,
// GarbageNotXML as a 200 JSON answer whose body is not JSON,
// GarbageWrongXML as a 200 JSON answer that is not Marketo's envelope.
func garbageJSON(w http.ResponseWriter, g Garbage) int {
	switch g {
	case GarbageNotXML:
		writeJSON(w, http.StatusOK, []byte("<html><body>this is not JSON</body></html>\n"))
		return http.StatusOK
	case GarbageWrongXML:
		writeJSON(w, http.StatusOK, []byte(`{"status":"ok","data":[1,2,3]}`+"\n"))
		return http.StatusOK
	default:
		return garbage(w, GarbageHTML502)
	}
}
