package marketotest

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/mktows/marketo"
)

// Garbage selects a non-SOAP answer for GarbageNext.
type Garbage int

const (
	// GarbageHTML502 answers HTTP 502 with an HTML error page, as a proxy does.
	GarbageHTML502 Garbage = iota
	// GarbageNotXML answers HTTP 200, Content-Type text/xml, with a body that
	// is not XML.
	GarbageNotXML
	// GarbageWrongXML answers HTTP 200 with well-formed XML that is not a
	// SOAP envelope.
	GarbageWrongXML
)

type injection struct {
	kind    string // "fail", "drop", "garbage", "drop-answer", "stall-answer"
	n       int
	code    marketo.Code
	garbage Garbage
	target  Target // "": any call
}

type injector struct {
	mu      sync.Mutex
	queue   []*injection
	latency time.Duration
	stall   chan struct{}
}

// FailNext makes the next n calls answer a fault with code (its standard
// title and message) without running them, for example
// srv.FailNext(1, marketo.CodeRateLimitExceeded). Injections queue up in the
// order they are added. These untargeted injections apply to any call but
// a token request, the REST lookups the SDK makes on its own included; On
// aims one at a single operation.
func (s *Server) FailNext(n int, code marketo.Code) {
	s.push(&injection{kind: "fail", n: n, code: code})
}

// DropNext makes the next n calls start a 200 response, write part of the
// body and close the connection.
func (s *Server) DropNext(n int) { s.push(&injection{kind: "drop", n: n}) }

// GarbageNext makes the next n calls answer g instead of SOAP.
func (s *Server) GarbageNext(n int, g Garbage) {
	s.push(&injection{kind: "garbage", n: n, garbage: g})
}

func (s *Server) push(in *injection) {
	if in.n <= 0 {
		return
	}
	s.inj.mu.Lock()
	defer s.inj.mu.Unlock()
	s.inj.queue = append(s.inj.queue, in)
}

// DropAnswerNext makes the next n calls run normally (checked, counted, runs
// recorded) and then close the connection without writing the answer, so
// that the client cannot tell whether the call ran. A response that cannot
// be hijacked (HTTP/2, an in-process recorder) is aborted instead.
func (s *Server) DropAnswerNext(n int) { s.push(&injection{kind: "drop-answer", n: n}) }

// StallAnswerNext makes the next n calls run normally (checked, counted,
// runs recorded) and then hold the answer, in flight, until the client
// gives up or the server closes; the answer is then written to whoever is
// still listening.
func (s *Server) StallAnswerNext(n int) { s.push(&injection{kind: "stall-answer", n: n}) }

// SetLatency delays every call by d of real time before it is processed
// (0 removes the delay). Delayed calls count as in flight; a call whose
// client gives up during the delay is not run.
func (s *Server) SetLatency(d time.Duration) {
	s.inj.mu.Lock()
	defer s.inj.mu.Unlock()
	s.inj.latency = d
}

// Stall makes every call that arrives from now on wait, in flight, until
// release is called or the server closes; the calls are then processed
// normally. A call whose client gives up meanwhile is not run, counted or
// recorded. release may be called more than once.
func (s *Server) Stall() (release func()) {
	ch := make(chan struct{})
	s.inj.mu.Lock()
	s.inj.stall = ch
	s.inj.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.inj.mu.Lock()
			if s.inj.stall == ch {
				s.inj.stall = nil
			}
			s.inj.mu.Unlock()
			close(ch)
		})
	}
}

// ClearInjections removes queued injections and the latency. Stalls are
// released by their release function.
func (s *Server) ClearInjections() {
	s.inj.mu.Lock()
	defer s.inj.mu.Unlock()
	s.inj.queue, s.inj.latency = nil, 0
}

// hold applies Stall and SetLatency to a call in flight. It reports false
// when the client gave up meanwhile: like a request lost before Marketo
// read it, the call is then not run, counted or answered.
func (s *Server) hold(r *http.Request) bool {
	s.inj.mu.Lock()
	stall, latency := s.inj.stall, s.inj.latency
	s.inj.mu.Unlock()
	if stall != nil {
		select {
		case <-stall:
		case <-r.Context().Done():
		case <-s.closing:
		}
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
		case <-s.closing:
		}
		t.Stop()
	}
	return r.Context().Err() == nil
}

// inject applies the next queued injection. It reports whether the call
// has been answered.
func (s *Server) inject(w http.ResponseWriter, rec *Request, t Target) bool {
	return s.applyInjection(rec, t, injectedAnswers{
		fail: func(code marketo.Code) {
			f := &Fault{Code: code, Message: FaultTitle(code)}
			rec.HTTPStatus, rec.FaultCode, rec.FaultMessage = http.StatusInternalServerError, f.Code, f.Message
			writeXML(w, http.StatusInternalServerError, faultXML(f))
		},
		drop:    func() { drop(w) },
		garbage: func(g Garbage) int { return garbage(w, g) },
	})
}

// injectedAnswers write the answers of injections the way one API writes
// them; applyInjection decides which, the same on both.
type injectedAnswers struct {
	fail    func(code marketo.Code) // writes the fault and records it
	drop    func()                  // cuts an answer short
	garbage func(Garbage) int       // writes the garbage and returns its HTTP status
}

// applyInjection takes the next queued injection and answers the call
// with a, recording what was injected. It reports whether the call has
// been answered: not for a drop-answer or stall-answer, which let the call
// run (loseAnswer applies them afterwards).
func (s *Server) applyInjection(rec *Request, t Target, a injectedAnswers) bool {
	in := s.nextInjection(t)
	switch in.kind {
	case "fail":
		a.fail(in.code)
	case "drop":
		a.drop()
	case "garbage":
		rec.HTTPStatus = a.garbage(in.garbage)
	case "drop-answer", "stall-answer":
		rec.Injected = in.kind
		return false
	default:
		return false
	}
	rec.Injected = in.kind
	return true
}

// loseAnswer applies a drop-answer or stall-answer injection to a call that
// has run and been recorded. It reports whether the answer must not be
// written.
func (s *Server) loseAnswer(w http.ResponseWriter, r *http.Request, rec *Request) bool {
	switch rec.Injected {
	case "drop-answer":
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
		return true
	case "stall-answer":
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
	}
	return false
}

func drop(w http.ResponseWriter) {
	cutAnswer(w, contentType, successXML("scheduleCampaign", leaf("success", "true")))
}

// cutAnswer starts a 200 answer of body with its full Content-Length,
// writes a third of body and closes the connection: the answer of a call
// dropped mid-answer, on either API.
func cutAnswer(w http.ResponseWriter, ct string, body []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2 or an in-process recorder): abort the response.
		panic(http.ErrAbortHandler)
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: " + ct + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	_, _ = buf.Write(body[:len(body)/3])
	_ = buf.Flush()
	_ = conn.Close()
}

func garbage(w http.ResponseWriter, g Garbage) int {
	switch g {
	case GarbageNotXML:
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("this is not XML {\"error\": true}\n"))
		return http.StatusOK
	case GarbageWrongXML:
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(xmlDecl + "<html><body>Not a SOAP envelope</body></html>\n"))
		return http.StatusOK
	default:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"))
		return http.StatusBadGateway
	}
}

// nextInjection takes the first queued injection that applies to a call of
// target t (none: the zero value). Both APIs take from the one queue.
func (s *Server) nextInjection(t Target) injection {
	s.inj.mu.Lock()
	defer s.inj.mu.Unlock()
	for i, q := range s.inj.queue {
		if q.target != "" && q.target != t {
			continue
		}
		in := *q
		if q.n--; q.n == 0 {
			s.inj.queue = slices.Delete(s.inj.queue, i, i+1)
		}
		return in
	}
	return injection{}
}
