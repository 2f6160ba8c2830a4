package marketotest

import (
	"net/http"
	"strconv"
	"time"
)

// injectREST applies the next queued injection to a REST call, rendered
// the REST way: a fault is the error envelope (HTTP 200) with
// restCodeFor(code), a drop cuts a JSON answer short, garbage is HTML 502,
// text that is not JSON, or JSON that is not the envelope. It reports
// whether the call has been answered.
func (s *Server) injectREST(w http.ResponseWriter, rec *Request, now time.Time) bool {
	in := s.nextInjection()
	switch in.kind {
	case "fail":
		rec.Injected = "fail"
		ans := failed(restStandard(restCodeFor(in.code)))
		noteAnswer(rec, ans)
		writeJSON(w, http.StatusOK, s.rest.envelope(ans, now))
	case "drop":
		rec.Injected = "drop"
		dropJSON(w, s.rest.envelope(restAnswer{result: []restID{{ID: 1001}}}, now))
	case "garbage":
		rec.Injected = "garbage"
		rec.HTTPStatus = garbageJSON(w, in.garbage)
	case "drop-answer", "stall-answer":
		rec.Injected = in.kind
		return false
	default:
		return false
	}
	return true
}

// dropJSON starts a 200 answer with its full Content-Length, writes a third
// of body and closes the connection.
func dropJSON(w http.ResponseWriter, body []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // not hijackable: abort the response
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: " + jsonContentType + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	_, _ = buf.Write(body[:len(body)/3])
	_ = buf.Flush()
	_ = conn.Close()
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
