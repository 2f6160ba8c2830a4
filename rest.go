package marketo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mktows/marketo/internal/redact"
	"github.com/mktows/marketo/internal/restwire"
)

// NewRESTClient checks cfg and the options and returns a Client for the
// REST API: the same Client, methods, parameters and errors as NewClient's,
// so moving from SOAP takes a change of configuration only. It sends
// nothing; the first call gets an access token.
//
// Every Option keeps its meaning, with REST's limits in the default Limiter
// (100 calls in 20 s, 10 in flight, 20 clones a day). Every REST request,
// lookups included, takes a limiter slot of its own, as Marketo counts it;
// the identity request and the one resend after a refused token (601, 602)
// share the slot of the call that needs them (docs/limits.md).
func NewRESTClient(cfg RESTConfig, opts ...Option) (*Client, error) {
	endpoint, identity, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("marketo: NewRESTClient: %w", err)
	}
	c, err := newClient(apiREST, opts)
	if err != nil {
		return nil, err
	}
	if c.trace != nil {
		// The identity URL carries the client secret: the trace hides it.
		c.trace.secrets = []string{cfg.ClientSecret, url.QueryEscape(cfg.ClientSecret)}
	}
	b := newRESTBackend(&c.engine, endpoint, identity, cfg)
	b.splitImportPoll = c.splitImportPoll
	c.backend = c.observed(b)
	return c, nil
}

// restBackend speaks Marketo's REST API: JSON requests authorised with a
// bearer token, answers in Marketo's JSON envelope, and the lookups that
// turn the SOAP-style names of the public params into REST's IDs.
type restBackend struct {
	*restState
	opts callSettings // the options of the call this backend makes (see forCall)
}

// forCall returns b making one call with the options s.
func (b *restBackend) forCall(s callSettings) backend {
	if s == b.opts {
		return b
	}
	return &restBackend{restState: b.restState, opts: s}
}

// restState is what every call of a REST client shares: its endpoint,
// access token and lookup caches.
type restState struct {
	e         *engine
	base      string   // the URL that paths such as /rest/v1/campaigns.json go under
	baseURL   *url.URL // base parsed once, as net/http parses it; nil to parse per request
	tokens    *tokenSource
	campaigns *campaignCache
	bearer    atomic.Pointer[bearer] // the Authorization header of the latest token
	lists     *listCache
	fields    *fieldCache
	boundary  func() string // makes multipart boundaries; fixed in golden tests
	// splitImportPoll is how often a split import reads its previous
	// job's status; zero for DefaultRESTPollInterval.
	splitImportPoll time.Duration
}

// bearer is an access token and its Authorization header value, built once
// per token rather than once per request.
type bearer struct{ token, header string }

// authorization returns the Authorization header value for tok.
func (b *restBackend) authorization(tok string) string {
	if p := b.bearer.Load(); p != nil && p.token == tok {
		return p.header
	}
	p := &bearer{token: tok, header: "Bearer " + tok}
	b.bearer.Store(p)
	return p.header
}

func newRESTBackend(e *engine, endpoint, identity *url.URL, cfg RESTConfig) *restBackend {
	b := &restBackend{restState: &restState{e: e, campaigns: newCampaignCache(e.now), lists: newListCache(e.now),
		fields: newFieldCache(e.now), boundary: restwire.RandomBoundary}}
	// Admin shows the endpoint with its /rest path; the API's paths repeat it.
	b.base = strings.TrimSuffix(strings.TrimSuffix(endpoint.String(), "/"), "/rest")
	if u, err := url.Parse(b.base); err == nil && u.RawPath == "" && u.Opaque == "" && u.Fragment == "" && u.RawQuery == "" {
		u.Host = strings.TrimSuffix(u.Host, ":") // as http.NewRequest does
		b.baseURL = u
	}
	b.tokens = newTokenSource(identity.String(), cfg.ClientID, cfg.ClientSecret, b.identityGet, e.now)
	return b
}

// endpointURL is the endpoint a Client prints (see Client.Format).
func (b *restBackend) endpointURL() string { return b.base + "/rest" }

// restMaxJSONBytes is the largest JSON body the REST API accepts (1 MB; a
// larger one is HTTP 413).
const restMaxJSONBytes = 1_000_000

// checkJSONSize refuses a JSON body over restMaxJSONBytes before it is sent,
// naming the tokens as what makes it large: they are the only parameters of
// schedule and trigger bodies without a small bound.
func checkJSONSize(body []byte, tokens []Token) error {
	if len(body) <= restMaxJSONBytes {
		return nil // without building the closure below
	}
	return checkRequestSize(apiREST, len(body), restMaxJSONBytes, func() []paramSize {
		n := 0
		for _, t := range tokens {
			n += len(t.Name) + len(t.Value)
		}
		return []paramSize{{field: "Tokens", size: n}}
	})
}

// restRequest is one REST call: the same on every attempt.
type restRequest struct {
	method string
	path   string // under base, e.g. "/rest/v1/campaigns/1001/schedule.json"
	query  string // encoded, without "?"
	body   []byte // JSON, nil for a GET
	// upload, when set, is the body instead: a bulk import streamed from
	// the caller's rows.
	upload *restwire.ImportBody
	// check, when set, checks the decoded result within the attempt, so
	// that an answer that breaks the API's promise fails its attempt.
	check func() error
	// notFound is the sentinel a 1013 (object not found) answer matches on
	// this endpoint, e.g. ErrCampaignNotFound.
	notFound error
}

// call makes rq through the client's call loop, decoding the answer's
// result into result. It returns the last answer's envelope.
func (b *restBackend) call(ctx context.Context, op *operation, rq restRequest, result any) (*restwire.Envelope, error) {
	var env *restwire.Envelope
	err := b.e.call(ctx, op, b.opts, func(ctx context.Context) attemptResult {
		var r attemptResult
		env, r = b.attempt(ctx, rq, result)
		return r
	})
	return env, err
}

// attempt sends rq with the current access token (see withToken).
func (b *restBackend) attempt(ctx context.Context, rq restRequest, result any) (*restwire.Envelope, attemptResult) {
	var env *restwire.Envelope
	r := b.withToken(ctx, func(tok string) attemptResult {
		var r attemptResult
		env, r = b.send(ctx, rq, tok, result)
		return r
	})
	return env, r
}

// withToken makes one attempt with send and the current access token.
// When Marketo refuses the token (601 invalid, 602 expired: the request
// did not run), it gets a new one and sends once more, within the same
// attempt: an expired token is a normal event, not a failure to retry
// under the RetryPolicy.
func (b *restBackend) withToken(ctx context.Context, send func(tok string) attemptResult) attemptResult {
	tok, err := b.tokens.token(ctx)
	if err != nil {
		return attemptResult{err: &tokenError{err: err}}
	}
	r := send(tok)
	var f *Fault
	if !errors.As(r.err, &f) || (f.Code != CodeAccessTokenInvalid && f.Code != CodeAccessTokenExpired) {
		return r
	}
	b.tokens.invalidate(tok)
	if tok, err = b.tokens.token(ctx); err != nil {
		return attemptResult{sent: true, err: &tokenError{err: err}}
	}
	return send(tok)
}

// send makes one HTTP request of rq with token tok and decodes the answer.
func (b *restBackend) send(callCtx context.Context, rq restRequest, tok string, result any) (*restwire.Envelope, attemptResult) {
	a := b.e.startAttempt(callCtx)
	defer a.cancel()
	a.secret = tok
	o := outRequest{method: rq.method, auth: b.authorization(tok), accept: "application/json"}
	b.setURL(&o, &rq)
	traced := rq.body
	if rq.body != nil {
		o.body, o.contentType = bytes.NewReader(rq.body), "application/json"
	}
	if rq.upload != nil {
		gate := &requestBodyGate{}
		defer gate.close()
		// Each attempt reads the rows afresh, through its own gate.
		o.body = &gatedReader{gate: gate, chunks: rq.upload.Chunks()}
		o.size, o.contentType = rq.upload.Size(), rq.upload.ContentType()
		if b.e.trace != nil {
			traced = rq.upload.Traced()
		}
	}
	req, err := b.e.newRequest(a.ctx, o)
	if err != nil {
		return nil, attemptResult{err: err}
	}
	if t := b.e.trace; t != nil {
		t.write("> "+rq.method+" "+req.URL.String(), req.Header, traced, tok)
	}
	ans, r := a.do(req)
	if r.err != nil {
		return nil, r
	}
	// The answer's bytes no longer spell the token (see httpAttempt.read),
	// but its JSON strings may, as escapes: the decoded result must not.
	data := redact.JSON(ans.body, tok)
	env, err := decodeRESTAnswer(ans.status, ans.contentType, data, result)
	if env != nil {
		r.requestID = env.RequestID
	}
	if err == nil && rq.check != nil {
		err = rq.check()
	}
	if err != nil {
		r.err = a.scrub(rq.answerError(err))
	}
	return env, r
}

// setURL sets o's URL to rq's under base. A path of plain characters goes
// into a copy of the base URL parsed once, which is what parsing the whole
// URL would give; anything else is parsed whole.
func (b *restBackend) setURL(o *outRequest, rq *restRequest) {
	if b.baseURL == nil || !plainPath(rq.path) || strings.IndexByte(rq.query, '#') >= 0 {
		o.url = b.base + rq.path
		if rq.query != "" {
			o.url += "?" + rq.query
		}
		return
	}
	o.base, o.path, o.query = b.baseURL, rq.path, rq.query
}

// plainPath reports a path that is "/" followed by letters, digits and
// "/._-" only: one that url.Parse keeps as it is, with no escapes.
func plainPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '/' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// answerError finishes the error of an answer: a 1013 matches the
// endpoint's sentinel.
func (rq *restRequest) answerError(err error) error {
	var f *Fault
	if errors.As(err, &f) && f.Code == CodeObjectNotFound && rq.notFound != nil {
		f.sentinel = rq.notFound
	}
	return err
}

// identityGet sends one identity request for the token source through the
// shared transport step, under the attempt timeout, with the secrets
// removed from every error and from the wire trace.
func (b *restBackend) identityGet(ctx context.Context, rawURL string, secrets []string) (int, string, []byte, error) {
	ctx, end := b.e.tokenRequestStart(ctx)
	a := b.e.startAttempt(ctx)
	defer a.cancel()
	a.secret = secrets[len(secrets)-1] // as the URL carries it
	req, err := b.e.newRequest(a.ctx, outRequest{method: http.MethodGet, url: rawURL, accept: "application/json"})
	if err != nil {
		if end != nil {
			end(TokenRequestEnd{})
		}
		return 0, "", nil, redact.ErrAll(err, secrets...)
	}
	if t := b.e.trace; t != nil {
		t.write("> GET "+rawURL, req.Header, nil, "") // the tracer knows the secret
	}
	start := time.Now()
	ans, r := a.do(req)
	ok := r.err == nil && ans.status == http.StatusOK
	if end != nil {
		end(TokenRequestEnd{HTTPStatus: r.status, OK: ok})
	}
	if b.e.logger.Enabled(ctx, slog.LevelDebug) {
		b.e.logger.DebugContext(ctx, "marketo access token", "status", r.status, "duration", time.Since(start), "ok", ok)
	}
	if r.err != nil {
		var re *ResponseError
		if errors.As(r.err, &re) && redact.NamesAccessToken([]byte(re.Excerpt)) {
			re.Excerpt = "" // part of a token answer: the token may be live
		}
		return 0, "", nil, redact.ErrAll(r.err, secrets...)
	}
	return ans.status, ans.contentType, ans.body, nil
}

// tokenError is the cause of an attempt that could not get an access
// token: nothing of the call was sent. It is final when the identity
// endpoint refused the credentials, retryable otherwise.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "getting an access token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

func (e *tokenError) outcome() outcome {
	var ie *IdentityError
	if errors.As(e.err, &ie) {
		return outcomeRefused
	}
	return outcomeRetryable
}
