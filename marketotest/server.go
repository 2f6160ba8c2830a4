package marketotest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mktows/marketo"
)

// EndpointPath is the path of the SOAP endpoint in Config().Endpoint. The
// fake answers on any /soap/mktows/<major>_<minor> path.
const EndpointPath = "/soap/mktows/2_9"

// maxBody is the largest request body the fake reads (8 MiB); larger
// bodies are answered 413.
const maxBody = 8 << 20

// bodyTimeout is how long, in real time, a request body may take to arrive
// once its headers have; a slower body is answered 408.
const bodyTimeout = time.Minute

var (
	endpointPathRE = regexp.MustCompile(`^/soap/mktows/\d+_\d+$`)
	signatureRE    = regexp.MustCompile(`(<(?:[\w.-]+:)?requestSignature\b[^>]*>)[^<]*`)
)

// redactSignature hides the request signature in a recorded body, whether
// or not the request could be parsed.
func redactSignature(body []byte, sig string) []byte {
	out := body // not copied when there is nothing to redact: a bulk body is large
	if signatureRE.Match(body) {
		out = signatureRE.ReplaceAll(body, []byte("${1}REDACTED"))
	}
	if sig != "" && bytes.Contains(out, []byte(sig)) {
		out = bytes.ReplaceAll(out, []byte(sig), []byte("REDACTED"))
	}
	return out
}

// Server is a fake Marketo tenant, speaking the SOAP and the REST API,
// listening on a loopback port.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:port", set by Start. A
	// Listener on every interface (0.0.0.0 or ::) is given as 127.0.0.1.
	URL string
	// Listener is the listener Start serves on. NewUnstartedServer sets
	// none; Start then listens on 127.0.0.1:0. Set it before Start to serve
	// on another address.
	Listener net.Listener

	userID, key    string
	clock          func() time.Time
	window         time.Duration
	importDuration time.Duration
	logger         *slog.Logger
	lim            *limiter
	inj            injector
	bodyTimeout    time.Duration
	rest           *restAPI

	mu       sync.Mutex // guards the fields below
	t        *tenant
	runs     []Run
	requests requestLog
	imports  []*importJob

	httpSrv *http.Server
	guard   *serverGuard // timeouts and the connection cap
	closing chan struct{}
	once    sync.Once
}

// NewServer starts a fake tenant on 127.0.0.1 with a random port. The
// caller must Close it.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer returns a fake that is not listening yet; call Start,
// or use Handler in-process.
func NewUnstartedServer(opts ...Option) *Server {
	c := config{
		clock: time.Now, window: 15 * time.Minute, limits: DefaultLimits(), importDuration: time.Minute,
		rest:       defaultRESTOptions(),
		requestLog: requestLog{max: DefaultRequestLogSize, maxBody: DefaultRequestLogBody},
	}
	for _, o := range opts {
		o(&c)
	}
	if c.userID == "" {
		c.userID = "fake1_" + strings.ToUpper(randomHex(12))
	}
	if c.key == "" {
		c.key = strings.ToUpper(randomHex(22))
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		userID: c.userID, key: c.key, clock: c.clock, window: c.window,
		importDuration: c.importDuration, logger: c.logger, bodyTimeout: bodyTimeout,
		lim: &limiter{l: c.limits}, t: newTenant(c.clock), requests: c.requestLog, closing: make(chan struct{}),
		rest: newRESTAPI(c.rest),
	}
	s.guard = newServerGuard(c.server)
	if !c.empty {
		if err := s.ApplySeed(DefaultSeed()); err != nil {
			panic(err)
		}
	}
	for _, sd := range c.seeds {
		if err := s.ApplySeed(sd); err != nil {
			panic(err)
		}
	}
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Start starts serving on Listener (or a new 127.0.0.1:0 listener).
func (s *Server) Start() {
	if s.httpSrv != nil {
		panic("marketotest: Server already started")
	}
	if s.Listener == nil {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic("marketotest: failed to listen on a port: " + err.Error())
		}
		s.Listener = ln
	}
	s.URL = "http://" + dialAddr(s.Listener.Addr())
	s.httpSrv = s.guard.httpServer(s)
	ln := s.guard.listener(s.Listener)
	go func() { _ = s.httpSrv.Serve(ln) }()
}

// dialAddr is the address a client dials to reach a listener: one on every
// interface (0.0.0.0 or ::) is reached on 127.0.0.1, a loopback host the
// SDK accepts over plain http.
func dialAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}

// Shutdown stops the server gracefully: it stops accepting, releases stalled
// calls and waits for calls in progress until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.once.Do(func() { close(s.closing) })
	if s.httpSrv == nil {
		return nil
	}
	err := s.httpSrv.Shutdown(ctx)
	if err != nil {
		_ = s.httpSrv.Close()
	}
	return err
}

// Close shuts the server down, waiting at most 5 seconds for calls in progress.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.Shutdown(ctx)
}

// Config returns the SDK configuration for this fake: Endpoint is
// URL+EndpointPath, with the fake's user ID and encryption key.
func (s *Server) Config() marketo.Config {
	return marketo.Config{Endpoint: s.URL + EndpointPath, UserID: s.userID, EncryptionKey: s.key}
}

// Handler returns the fake as an http.Handler, usable without a listener.
func (s *Server) Handler() http.Handler { return s }

// Now returns the time on the fake's clock.
func (s *Server) Now() time.Time { return s.clock() }

// ServeHTTP answers one HTTP request as Marketo would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isRESTPath(r.URL.Path) {
		s.serveREST(w, r)
		return
	}
	if !endpointPathRE.MatchString(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && wantsWSDL(r) {
		s.serveWSDL(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "405 method not allowed: the SOAP endpoint accepts POST only", http.StatusMethodNotAllowed)
		return
	}
	rec := Request{Time: s.clock().Round(0), SOAPAction: r.Header.Get("SOAPAction")}
	body, ok := s.readBody(w, r, &rec, maxBody, "8 MiB")
	if !ok {
		return
	}
	// Only a call whose request has arrived whole is in flight: clients
	// that send a body slowly cannot hold the slots real calls need.
	if f := s.lim.acquire(); f != nil {
		rec.FaultCode, rec.FaultMessage, rec.HTTPStatus = f.Code, f.Message, http.StatusInternalServerError
		s.record(rec, body, "")
		writeXML(w, http.StatusInternalServerError, faultXML(f))
		return
	}
	release := sync.OnceFunc(s.lim.release)
	defer release()
	if !s.hold(r) {
		return
	}
	if s.inject(w, &rec, soapTarget(r, body)) {
		s.record(rec, body, "")
		return
	}
	op, resp, f, sig := s.call(r, body, rec.Time)
	rec.Operation = op
	if f != nil {
		rec.HTTPStatus, rec.FaultCode, rec.FaultMessage = http.StatusInternalServerError, f.Code, f.Message
		resp = faultXML(f)
	} else {
		rec.HTTPStatus = http.StatusOK
	}
	s.record(rec, body, sig)
	if s.loseAnswer(w, r, &rec) {
		return
	}
	s.answerStarts(w, release)
	writeXML(w, rec.HTTPStatus, resp)
}

// readBody reads the whole request body: at most limit bytes (else 413,
// saying limitText), all of it within bodyTimeout of real time (else 408),
// so that neither a large nor a slow body can hold the fake. It reports
// false when it has answered, or when the client went away; the deadline
// then stays, so that net/http, draining what is left of the body after
// the answer, cannot wait for a slow client either.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, rec *Request, limit int64, limitText string) ([]byte, bool) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(s.bodyTimeout)) // not supported in-process: no client to wait for
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		_ = rc.SetReadDeadline(time.Time{}) // a held call must not time out reading nothing
		return body, true
	case errors.As(err, &mbe):
		rec.HTTPStatus = http.StatusRequestEntityTooLarge
		http.Error(w, "413 request too large: the body is limited to "+limitText, rec.HTTPStatus)
	case errors.Is(err, os.ErrDeadlineExceeded):
		rec.HTTPStatus = http.StatusRequestTimeout
		w.Header().Set("Connection", "close") // what is left of the body must not be read as a request
		http.Error(w, "408 request timeout: the body did not arrive within "+s.bodyTimeout.String(), rec.HTTPStatus)
	default:
		return nil, false
	}
	s.record(*rec, body, "")
	return nil, false
}

// call runs the protocol checks and the operation. It returns the operation
// name, the success body or a fault, and the signature sent (to redact it).
func (s *Server) call(r *http.Request, body []byte, now time.Time) (string, []byte, *Fault, string) {
	if f := checkContentType(r.Header.Get("Content-Type")); f != nil {
		return "", nil, f, ""
	}
	root, f := parseXML(body)
	if f != nil {
		return "", nil, f, ""
	}
	env, f := parseEnvelope(root)
	if f != nil {
		return "", nil, f, ""
	}
	auth, f := parseAuth(env.auth)
	if f != nil {
		return env.op, nil, f, ""
	}
	if f := s.authenticate(auth, now); f != nil {
		return env.op, nil, f, auth.signature
	}
	if f := s.lim.admit(now); f != nil {
		return env.op, nil, f, auth.signature
	}
	if f := checkSOAPAction(r, env.op); f != nil {
		return env.op, nil, f, auth.signature
	}
	op, f := findOperation(env.op)
	if f != nil {
		return env.op, nil, f, auth.signature
	}
	resp, f := s.dispatch(op, env.params, now)
	return env.op, resp, f, auth.signature
}

func checkContentType(ct string) *Fault {
	mt, ps, err := mime.ParseMediaType(ct)
	if err != nil || mt != "text/xml" {
		return faultf(codeRequestNotUnderstood, "Content-Type must be text/xml (SOAP 1.1), got %q", ct)
	}
	if cs, ok := ps["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return faultf(codeRequestNotUnderstood, "charset %s is not supported (UTF-8 only)", cs)
	}
	return nil
}

// dispatch validates the params element against the operation's schema
// and runs it on the tenant.
func (s *Server) dispatch(op *operation, e *elem, now time.Time) ([]byte, *Fault) {
	p, f := op.schema.validate(op.name, e)
	if f != nil {
		return nil, f
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(now)
	return op.run(s, p, now)
}

// record logs a request, its body with the signature redacted (and cut to
// the log's limit).
func (s *Server) record(rec Request, body []byte, sig string) {
	rec.BodySize = max(rec.BodySize, len(body)) // a streamed body gives its head and its size
	rec.Body = redactSignature(body, sig)
	if rec.API == "" {
		rec.API = APISOAP
	}
	s.mu.Lock()
	s.requests.add(rec)
	s.mu.Unlock()
	attrs := []any{"api", rec.API, "operation", rec.Operation, "status", rec.HTTPStatus}
	if rec.FaultCode != 0 {
		attrs = append(attrs, "fault", rec.FaultCode, "message", rec.FaultMessage)
	}
	if rec.Injected != "" {
		attrs = append(attrs, "injected", rec.Injected)
	}
	s.logger.Info("marketo-fake call", attrs...)
}
