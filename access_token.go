package marketo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mktows/marketo/internal/redact"
	"github.com/mktows/marketo/internal/strictjson"
)

// tokenRefreshMargin is how long before its expiry a cached access token is
// replaced, so that a token is not sent in the last moments of its life and
// refused on arrival. Marketo's tokens live 3600 s.
const tokenRefreshMargin = time.Minute

// maxTokenLife bounds the expires_in an identity answer may claim. Marketo's
// tokens live 3600 s; a longer claim is not believed (10^10 seconds would
// overflow a time.Duration and leave nothing cached), and a token kept
// beyond its real life is refused with 601 or 602, which drops it.
const maxTokenLife = 3600 * time.Second

// identityGet sends one GET to rawURL (which carries secrets in its query)
// and returns the answer. Errors and traces never show the secrets.
type identityGet func(ctx context.Context, rawURL string, secrets []string) (status int, contentType string, body []byte, err error)

// tokenSource gets access tokens from the identity endpoint with the client
// credentials grant and caches the current one until shortly before it
// expires. Callers that need a token while none is valid share one fetch:
// a storm of first calls makes one identity request. Each caller waits only
// as long as its own context allows; the fetch is abandoned once no caller
// waits for it.
type tokenSource struct {
	tokenURL     string // <identity>/oauth/token
	clientID     string
	clientSecret string
	get          identityGet
	now          func() time.Time

	mu      sync.Mutex
	current string
	renewAt time.Time    // when current stops being handed out
	flight  *tokenFlight // the fetch in progress, if any
}

// tokenFlight is one identity request and the callers waiting for it.
type tokenFlight struct {
	done    chan struct{} // closed when token and err are set
	cancel  context.CancelFunc
	waiters int
	token   string
	err     error
}

func newTokenSource(identityURL, clientID, clientSecret string, get identityGet, now func() time.Time) *tokenSource {
	return &tokenSource{
		tokenURL:     strings.TrimSuffix(identityURL, "/") + "/oauth/token",
		clientID:     clientID,
		clientSecret: clientSecret,
		get:          get,
		now:          now,
	}
}

// token returns a valid access token, fetching one if none is cached.
func (s *tokenSource) token(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.current != "" && s.now().Before(s.renewAt) {
		t := s.current
		s.mu.Unlock()
		return t, nil
	}
	f := s.flight
	if f == nil {
		// The fetch outlives the caller who started it if others wait,
		// so it runs on its own context, cancelled when the last waiter
		// leaves.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &tokenFlight{done: make(chan struct{}), cancel: cancel}
		s.flight = f
		go s.fetch(fctx, f)
	}
	f.waiters++
	s.mu.Unlock()

	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		s.leave(f)
		return "", ctx.Err()
	}
}

// leave records that a waiter of f gave up; the last one cancels the fetch,
// and later callers start a fresh one.
func (s *tokenSource) leave(f *tokenFlight) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.waiters--
	if f.waiters == 0 {
		f.cancel()
		if s.flight == f {
			s.flight = nil
		}
	}
}

// fetch runs one identity request for f and publishes its outcome.
func (s *tokenSource) fetch(ctx context.Context, f *tokenFlight) {
	defer f.cancel()
	started := s.now()
	tok, life, err := s.request(ctx)
	s.mu.Lock()
	if err == nil {
		s.current = tok
		// expires_in counts from Marketo's answer, which came after
		// started: renewing relative to started errs on the safe side.
		s.renewAt = started.Add(life - min(tokenRefreshMargin, life/2))
	}
	if s.flight == f {
		s.flight = nil
	}
	f.token, f.err = tok, err
	s.mu.Unlock()
	close(f.done)
}

// invalidate drops tok if it is still the cached token, after Marketo
// refused it (601, 602): the next caller fetches a new one.
func (s *tokenSource) invalidate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == tok {
		s.current = ""
	}
}

// identityAnswer is the identity endpoint's JSON, success or OAuth error:
// {"access_token":"cdf0…:int","token_type":"bearer","expires_in":3599,"scope":"apis@acmeinc.com"}
// or {"error":"unauthorized","error_description":"Bad Client Credentials"}.
type identityAnswer struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        *int64 `json:"expires_in"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// request asks the identity endpoint for a token: a GET with the client
// credentials in the query, as Adobe documents it.
func (s *tokenSource) request(ctx context.Context) (string, time.Duration, error) {
	q := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {s.clientID},
		"client_secret": {s.clientSecret},
	}
	// The secret appears in the URL query-escaped: both forms are redacted.
	secrets := []string{s.clientSecret, url.QueryEscape(s.clientSecret)}
	status, ct, body, err := s.get(ctx, s.tokenURL+"?"+q.Encode(), secrets)
	if err != nil {
		return "", 0, err
	}
	var a identityAnswer
	jsonErr := strictjson.Decode(body, &a)
	bad := func(reason string) error {
		re := &ResponseError{HTTPStatus: status, ContentType: ct, Reason: "identity endpoint: " + reason}
		// A body that names a token, even one too garbled to parse, is
		// not shown: the token in it may be live.
		if !redact.NamesAccessToken(body) {
			shown := body
			for _, sec := range secrets {
				shown = redact.JSON(shown, sec) // the secret spelt with escapes
			}
			re.Excerpt = excerpt([]byte(redact.All(string(shown), secrets...)))
		}
		return re
	}
	switch {
	case jsonErr == nil && a.Error != "":
		return "", 0, &IdentityError{HTTPStatus: status, Code: a.Error, Description: redact.All(a.ErrorDescription, secrets...)}
	case status == http.StatusUnauthorized:
		return "", 0, &IdentityError{HTTPStatus: status}
	case status != http.StatusOK:
		return "", 0, bad("answer is not a token")
	case jsonErr != nil:
		return "", 0, bad("answer is not JSON as Marketo writes it: " + jsonErr.Error())
	case a.AccessToken == "":
		return "", 0, bad("answer has no access_token")
	case !headerSafe(a.AccessToken):
		// Sent in the Authorization header, such a token would make
		// every call fail in the transport, as if it might have run.
		return "", 0, bad("access_token holds a character an HTTP header cannot carry")
	case !strings.EqualFold(a.TokenType, "bearer"):
		return "", 0, bad(fmt.Sprintf("token_type is %q, want bearer", a.TokenType))
	case a.ExpiresIn == nil || *a.ExpiresIn <= 0:
		return "", 0, bad("answer has no positive expires_in")
	}
	return a.AccessToken, tokenLife(*a.ExpiresIn), nil
}

// tokenLife is expires_in seconds as a duration, at most maxTokenLife.
func tokenLife(expiresIn int64) time.Duration {
	if expiresIn >= int64(maxTokenLife/time.Second) {
		return maxTokenLife
	}
	return time.Duration(expiresIn) * time.Second
}

// headerSafe reports whether tok can follow "Bearer " in a header: visible
// ASCII only. Marketo's tokens are a UUID and a suffix, "cdf0…:int".
func headerSafe(tok string) bool {
	for i := 0; i < len(tok); i++ {
		if tok[i] <= ' ' || tok[i] > '~' {
			return false
		}
	}
	return true
}
