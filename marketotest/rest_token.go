package marketotest

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// accessToken is one token the identity service issued.
type accessToken struct {
	value   string
	expires time.Time
}

// tokenStore issues tokens and checks them on use. Asking again before the
// current token expires returns it with its remaining lifetime; an expired
// token is answered 602 once, then forgotten (601 like any unknown token).
type tokenStore struct {
	mu      sync.Mutex
	current *accessToken
	live    map[string]*accessToken // issued and not yet reported expired
}

func newTokenStore() tokenStore { return tokenStore{live: map[string]*accessToken{}} }

// issue returns the current token, or a new one when none is valid at now.
func (ts *tokenStore) issue(now time.Time) accessToken {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.current == nil || !now.Before(ts.current.expires) {
		ts.current = &accessToken{value: randomUUID() + ":int", expires: now.Add(TokenLifetime)}
		ts.live[ts.current.value] = ts.current
	}
	return *ts.current
}

// check admits a token at now, or answers 601 (unknown) or 602 (expired,
// reported once).
func (ts *tokenStore) check(value string, now time.Time) *Fault {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := ts.live[value]
	if t == nil {
		return restStandard(restTokenInvalid)
	}
	if now.Before(t.expires) {
		return nil
	}
	delete(ts.live, value)
	return restStandard(restTokenExpired)
}

// expiresIn is the whole seconds strictly less than the time left, as
// Marketo answers 3599 for a new token: a client that trusts it never holds
// an expired token.
func expiresIn(left time.Duration) int {
	if left <= 0 {
		return 0
	}
	return int((left - 1) / time.Second)
}

// bearer authenticates a REST call: exactly one "Authorization: Bearer"
// header with a live token, and no access_token in the query (Marketo
// stopped accepting it there on 31 August 2026). No token at all is 600.
func (a *restAPI) bearer(r *http.Request, now time.Time) *Fault {
	if _, ok := r.URL.Query()["access_token"]; ok {
		return faultf(restTokenInvalid, "Access token invalid: access_token in the query is not accepted; send Authorization: Bearer")
	}
	hs := r.Header.Values("Authorization")
	if len(hs) == 0 {
		return faultf(restTokenEmpty, "Access token empty")
	}
	if len(hs) != 1 {
		return restStandard(restTokenInvalid)
	}
	scheme, token, _ := strings.Cut(hs[0], " ")
	switch {
	case !strings.EqualFold(scheme, "Bearer"):
		return restStandard(restTokenInvalid)
	case token == "":
		return faultf(restTokenEmpty, "Access token empty")
	}
	return a.tokens.check(token, now)
}

// identityError is the OAuth error body of the identity service.
type identityError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

type identityToken struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

// serveIdentity answers <identity>/oauth/token: client credentials in the
// query (GET or POST) or in a form body (POST).
func (s *Server) serveIdentity(w http.ResponseWriter, r *http.Request, rec *Request, now time.Time) {
	rec.Operation = "identity"
	if !s.hold(r) { // Stall and SetLatency apply; queued injections do not
		return
	}
	s.bodyDeadline(w, r) // a form body must arrive within bodyTimeout, as any other
	status, body := s.identity(r, rec, now)
	rec.HTTPStatus = status
	s.record(*rec, rec.Body, "")
	writeJSON(w, status, body)
}

func (s *Server) identity(r *http.Request, rec *Request, now time.Time) (int, []byte) {
	if r.URL.Path != IdentityPath+"/oauth/token" {
		return oauthError(rec, http.StatusNotFound, "not_found", "No such identity path")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return oauthError(rec, http.StatusMethodNotAllowed, "method_not_allowed", "Request method '"+r.Method+"' not supported")
	}
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		form, ok := readForm(r)
		if !ok {
			return oauthError(rec, http.StatusBadRequest, "invalid_request", "The form body could not be read")
		}
		rec.Body = []byte(redactQuery(form.Encode()))
		for k, vs := range form {
			q[k] = append(q[k], vs...)
		}
	}
	switch gt := q.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		return oauthError(rec, http.StatusBadRequest, "invalid_request", "Missing grant type")
	default:
		return oauthError(rec, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
	}
	if q.Get("client_id") != s.rest.clientID {
		return oauthError(rec, http.StatusUnauthorized, "invalid_client", "No client with requested id")
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("client_secret")), []byte(s.rest.clientSecret)) != 1 {
		return oauthError(rec, http.StatusUnauthorized, "unauthorized", "Bad Client Credentials")
	}
	t := s.rest.tokens.issue(now)
	b, _ := json.Marshal(identityToken{AccessToken: t.value, TokenType: "bearer", ExpiresIn: expiresIn(t.expires.Sub(now)), Scope: "apis@marketotest"})
	return http.StatusOK, b
}

func oauthError(rec *Request, status int, code, description string) (int, []byte) {
	rec.FaultMessage = code + ": " + description
	b, _ := json.Marshal(identityError{Error: code, Description: description})
	return status, b
}

// readForm reads a form-encoded POST body (at most 1 MB); an absent body is
// an empty form.
func readForm(r *http.Request) (url.Values, bool) {
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return url.Values{}, true
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxRESTBody+1))
	if err != nil || len(b) > maxRESTBody {
		return nil, false
	}
	form, err := url.ParseQuery(string(b))
	return form, err == nil
}

// redactQuery hides the client secret and any access token in a query.
func redactQuery(raw string) string {
	q, err := url.ParseQuery(raw)
	if err != nil {
		if raw == "" {
			return ""
		}
		return "REDACTED (unparsable query)"
	}
	for _, k := range []string{"client_secret", "access_token"} {
		if _, ok := q[k]; ok {
			q[k] = []string{"REDACTED"}
		}
	}
	return q.Encode()
}

// ExpireAccessTokens ends the life of every access token issued so far, as
// if their hour had passed: the next use of each is 602, later uses 601,
// and the identity service issues a new token. Tests on the real clock use
// it where a ManualClock would be advanced.
func (s *Server) ExpireAccessTokens() {
	ts := &s.rest.tokens
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, t := range ts.live {
		t.expires = time.Time{}
	}
	ts.current = nil
}
