package marketotest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

func credentials() url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
}

func identity(t *testing.T, srv *Server, method string, q url.Values, form url.Values) (restResp, tokenAnswer) {
	t.Helper()
	target := "/identity/oauth/token"
	if q != nil {
		target += "?" + q.Encode()
	}
	var r restResp
	if form != nil {
		r = restDo(t, srv, method, target, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = restDo(t, srv, method, target, "")
	}
	var a tokenAnswer
	if r.Status == http.StatusOK {
		require.NoError(t, json.Unmarshal([]byte(r.Raw), &a), r.Raw)
	}
	return r, a
}

func TestRESTIdentityIssuesTheSameTokenByGETAndPOST(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	r, get := identity(t, srv, http.MethodGet, credentials(), nil)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)
	assert.Equal(t, "application/json;charset=UTF-8", r.ContentType)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}:int$`, get.AccessToken)
	assert.Equal(t, "bearer", get.TokenType)
	assert.Equal(t, 3599, get.ExpiresIn, "a new token lives 3600 s; Marketo answers 3599")
	assert.NotEmpty(t, get.Scope)

	_, postQuery := identity(t, srv, http.MethodPost, credentials(), nil)
	assert.Equal(t, get.AccessToken, postQuery.AccessToken)
	_, postForm := identity(t, srv, http.MethodPost, nil, credentials())
	assert.Equal(t, get.AccessToken, postForm.AccessToken)

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, rq := range reqs {
		assert.Equal(t, APIREST, rq.API)
		assert.Equal(t, "identity", rq.Operation)
		assert.Equal(t, http.StatusOK, rq.HTTPStatus)
		assert.NotContains(t, rq.Query+string(rq.Body), testClientSecret, "the secret is never recorded")
	}
	assert.Contains(t, reqs[0].Query, "client_secret=REDACTED")
	assert.Contains(t, string(reqs[2].Body), "client_secret=REDACTED")
	assert.Equal(t, 0, srv.RESTUsage().CallsToday, "identity calls are not counted")
}

func TestRESTIdentityRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	with := func(k, v string) url.Values {
		q := credentials()
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	cases := []struct {
		name        string
		method      string
		q           url.Values
		status      int
		error, desc string
	}{
		{"wrong secret", http.MethodGet, with("client_secret", "nope"), 401, "unauthorized", "Bad Client Credentials"},
		{"no secret", http.MethodGet, with("client_secret", ""), 401, "unauthorized", "Bad Client Credentials"},
		{"unknown client", http.MethodGet, with("client_id", "someone-else"), 401, "invalid_client", "No client with requested id"},
		{"no grant type", http.MethodGet, with("grant_type", ""), 400, "invalid_request", "Missing grant type"},
		{"other grant type", http.MethodGet, with("grant_type", "password"), 400, "unsupported_grant_type", "Unsupported grant type: password"},
		{"PUT", http.MethodPut, credentials(), 405, "method_not_allowed", "Request method 'PUT' not supported"},
	}
	for _, c := range cases {
		r, _ := identity(t, srv, c.method, c.q, nil)
		assert.Equal(t, c.status, r.Status, c.name)
		assert.Equal(t, "application/json;charset=UTF-8", r.ContentType, c.name)
		assert.JSONEq(t, `{"error":"`+c.error+`","error_description":"`+c.desc+`"}`, r.Raw, c.name)
		assert.NotContains(t, r.Raw, testClientSecret)
	}
	r := restDo(t, srv, http.MethodGet, "/identity/v1/token?"+credentials().Encode(), "")
	assert.Equal(t, http.StatusNotFound, r.Status)
}

func TestRESTTokenIsTheSameUntilItExpires(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	_, first := identity(t, srv, http.MethodGet, credentials(), nil)
	clock.Advance(10 * time.Minute)
	_, again := identity(t, srv, http.MethodGet, credentials(), nil)
	assert.Equal(t, first.AccessToken, again.AccessToken, "asking early does not renew")
	assert.Equal(t, 2999, again.ExpiresIn, "the remaining lifetime")
	clock.Advance(49*time.Minute + 59*time.Second + 500*time.Millisecond) // 0.5 s left
	_, last := identity(t, srv, http.MethodGet, credentials(), nil)
	assert.Equal(t, first.AccessToken, last.AccessToken)
	assert.Equal(t, 0, last.ExpiresIn)
	requireRESTSuccess(t, restGet(t, srv, first.AccessToken, "/rest/v1/campaigns.json"))
	clock.Advance(500 * time.Millisecond) // expired
	_, next := identity(t, srv, http.MethodGet, credentials(), nil)
	assert.NotEqual(t, first.AccessToken, next.AccessToken)
	assert.Equal(t, 3599, next.ExpiresIn)
}

func TestRESTTokenExpiresOnTheClock602Then601(t *testing.T) {
	t.Parallel()
	srv, clock := newRESTServer(t)
	tok := getToken(t, srv)
	requireRESTSuccess(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"))
	clock.Advance(TokenLifetime)
	errs := requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "602")
	assert.Equal(t, "Access token expired", errs[0].Message)
	errs = requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "601")
	assert.Equal(t, "Access token invalid", errs[0].Message)
	fresh := getToken(t, srv)
	assert.NotEqual(t, tok, fresh)
	requireRESTSuccess(t, restGet(t, srv, fresh, "/rest/v1/campaigns.json"))
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "601")
	assert.Equal(t, 2, srv.RESTUsage().CallsToday, "refused calls are not counted")
}

func TestRESTBearerHeaderIsRequired(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	cases := []struct {
		name   string
		target string
		header []string
	}{
		{"token in the query", "/rest/v1/campaigns.json?access_token=" + url.QueryEscape(tok), nil},
		{"token in the query and the header", "/rest/v1/campaigns.json?access_token=" + url.QueryEscape(tok), []string{"Authorization", "Bearer " + tok}},
		{"two headers", "/rest/v1/campaigns.json", []string{"Authorization", "Bearer " + tok, "Authorization", "Bearer " + tok}},
		{"another scheme", "/rest/v1/campaigns.json", []string{"Authorization", "Basic " + tok}},
		{"bare token", "/rest/v1/campaigns.json", []string{"Authorization", tok}},
		{"unknown token", "/rest/v1/campaigns.json", []string{"Authorization", "Bearer 0000:int"}},
	}
	for _, c := range cases {
		r := restDo(t, srv, http.MethodGet, c.target, "", c.header...)
		requireRESTError(t, r, "601")
		assert.NotContains(t, r.Raw, tok, c.name)
	}
	requireRESTError(t, restDo(t, srv, http.MethodGet, "/rest/v1/campaigns.json", ""), "600") // no token at all
	requireRESTSuccess(t, restDo(t, srv, http.MethodGet, "/rest/v1/campaigns.json", "", "Authorization", "bearer "+tok))
	for _, rq := range srv.Requests() {
		assert.NotContains(t, rq.Query, strings.TrimSuffix(tok, ":int"), "tokens are never recorded")
	}
	assert.Equal(t, 1, srv.RESTUsage().CallsToday)
}

func TestRESTConfigWorks(t *testing.T) {
	t.Parallel()
	srv := NewServer() // random credentials
	t.Cleanup(srv.Close)
	cfg := srv.RESTConfig()
	assert.Equal(t, srv.URL+"/rest", cfg.Endpoint)
	assert.Equal(t, srv.URL+"/identity", cfg.IdentityURL)
	assert.NotEmpty(t, cfg.ClientID)
	assert.GreaterOrEqual(t, len(cfg.ClientSecret), 32)
	assert.NotEqual(t, cfg.ClientSecret, NewUnstartedServer().RESTConfig().ClientSecret, "random per server")

	q := url.Values{"grant_type": {"client_credentials"}, "client_id": {cfg.ClientID}, "client_secret": {cfg.ClientSecret}}
	resp, err := http.Get(cfg.IdentityURL + "/oauth/token?" + q.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	var tok tokenAnswer
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	req, err := http.NewRequest(http.MethodGet, cfg.Endpoint+"/v1/campaigns.json?isTriggerable=true", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp2, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp2.Body.Close()
	var env struct {
		Success bool              `json:"success"`
		Result  []json.RawMessage `json:"result"`
	}
	require.NoError(t, json.NewDecoder(resp2.Body).Decode(&env))
	assert.True(t, env.Success)
	assert.Len(t, env.Result, 2)
}

func TestExpireAccessTokens(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	srv.ExpireAccessTokens()
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "602")
	requireRESTError(t, restGet(t, srv, tok, "/rest/v1/campaigns.json"), "601")
	fresh := getToken(t, srv)
	assert.NotEqual(t, tok, fresh)
	requireRESTSuccess(t, restGet(t, srv, fresh, "/rest/v1/campaigns.json"))
}
