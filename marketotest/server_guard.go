package marketotest

import (
	"net"
	"net/http"
	"time"
)

// The fake's own defences, apart from the tenant's limits: how long a
// connection may take to send its headers or sit idle, how long an answer
// may take to reach its client, and how many connections the fake holds.
// doc.go ("Connections") says why each value is what it is.
const (
	// headerTimeout bounds the wait for a request's headers, on a new
	// connection as between requests once their first byte has arrived.
	headerTimeout = 30 * time.Second
	// idleTimeout closes a keep-alive connection between requests. It is
	// longer than the SDK's (and net/http's default) 90 s IdleConnTimeout:
	// the client closes an idle connection before the fake does, so the
	// fake never closes one a client is about to send a call on.
	idleTimeout = 2 * time.Minute
	// answerTimeout bounds the writing of one answer, from its first byte.
	answerTimeout = time.Minute
	// maxConns is how many connections the fake holds at once; at the cap
	// it closes the connection idle the longest to take a new one.
	maxConns = 512
)

// serverLimits are the values of the defences above; a zero field takes
// its default. Tests set small values with withServerLimits.
type serverLimits struct {
	header, idle, answer time.Duration
	maxConns             int
}

func (l serverLimits) withDefaults() serverLimits {
	if l.header <= 0 {
		l.header = headerTimeout
	}
	if l.idle <= 0 {
		l.idle = idleTimeout
	}
	if l.answer <= 0 {
		l.answer = answerTimeout
	}
	if l.maxConns <= 0 {
		l.maxConns = maxConns
	}
	return l
}

// withServerLimits replaces the defaults of the fake's own defences.
func withServerLimits(l serverLimits) Option {
	return func(c *config) { c.server = l }
}

// serverGuard applies serverLimits to the fake's http.Server, its
// listener and its answers.
type serverGuard struct {
	limits serverLimits
	conns  *connCap
}

func newServerGuard(l serverLimits) *serverGuard {
	l = l.withDefaults()
	return &serverGuard{limits: l, conns: newConnCap(l.maxConns)}
}

// httpServer is the fake's http.Server. It sets no WriteTimeout: that
// would run from the request's headers and so cut the answer of a call
// that Stall, SetLatency or StallAnswerNext hold on purpose; answerStarts
// bounds each answer from its first byte instead. It sets no ReadTimeout
// either: readBody bounds a body from its headers and answers 408.
func (g *serverGuard) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: g.limits.header,
		IdleTimeout:       g.limits.idle,
		ConnState:         g.conns.track,
	}
}

// listener caps the connections accepted on ln.
func (g *serverGuard) listener(ln net.Listener) net.Listener {
	return newCappedListener(ln, g.conns)
}

// bodyDeadline gives r's body bodyTimeout to arrive, whoever reads it: the
// handler, or net/http, which drains up to 256 KB of a body the handler
// left unread (before the answer or after it) and would otherwise wait
// for a slow client for ever.
func (s *Server) bodyDeadline(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength != 0 {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.bodyTimeout))
	}
}

// answerStarts marks the end of a call's work: its in-flight slot is
// given back (Marketo counts a call while it runs, not while its answer
// travels to a client that may never read it), and the answer gets
// answerTimeout to be written, so a client that does not read cannot hold
// the handler, its memory and its connection.
func (s *Server) answerStarts(w http.ResponseWriter, release func()) {
	release()
	// An in-process recorder has no connection and no deadline to set.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.guard.limits.answer))
}
