package marketo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// everyEncoding prints v in every way a program's logs are likely to: the
// fmt verbs, log/slog's text and JSON handlers, and encoding/json.
func everyEncoding(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("config", "config", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("config", "config", v)
	out["slog text"], out["slog JSON"] = text.String(), js.String()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	out["json.Marshal"] = string(b)
	b, err = json.Marshal(struct{ Inside any }{v})
	require.NoError(t, err)
	out["json.Marshal, inside a struct"] = string(b)
	return out
}

func TestConfigsStayRedactedInEveryEncoding(t *testing.T) {
	t.Parallel()
	soap := marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}
	rest := marketo.RESTConfig{Endpoint: "https://284-RPR-133.mktorest.com/rest", ClientID: stubClientID, ClientSecret: stubSecret}
	for name, c := range map[string]struct {
		v             any
		secret, shown string
	}{
		"Config":      {soap, vectorKey, vectorUserID},
		"*Config":     {&soap, vectorKey, vectorUserID},
		"RESTConfig":  {rest, stubSecret, stubClientID},
		"*RESTConfig": {&rest, stubSecret, stubClientID},
	} {
		for enc, s := range everyEncoding(t, c.v) {
			assert.NotContains(t, s, c.secret, "%s in %s", name, enc)
			assert.NotContains(t, s, url.QueryEscape(c.secret), "%s in %s", name, enc)
			assert.Contains(t, s, "redacted", "%s in %s: says the secret is there", name, enc)
			assert.Contains(t, s, c.shown, "%s in %s: the rest is shown", name, enc)
		}
	}
	var back map[string]string
	b, err := json.Marshal(marketo.RESTConfig{Endpoint: "https://x.mktorest.com/rest", ClientID: "id"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, map[string]string{"Endpoint": "https://x.mktorest.com/rest", "ClientID": "id", "ClientSecret": "<empty>", "IdentityURL": ""}, back)
}

// traceOfIdentityAnswer runs one ScheduleCampaign against an identity
// endpoint that answers body, with the wire trace and debug logs on, and
// returns everything printed and the call's error.
func traceOfIdentityAnswer(t *testing.T, body string, rest func(int, *http.Request, []byte) (int, string)) (string, error) {
	t.Helper()
	stub := newRESTStubWith(t, func(s *restStub) {
		s.identity = func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		}
		s.rest = rest
	})
	var logs, trace bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := stub.client(t, marketo.WithLogger(logger), marketo.WithWireTrace(&trace))
	_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	printed := logs.String() + trace.String()
	if err != nil {
		printed += fmt.Sprintf("%v %+v %#v", err, err, err)
	}
	return printed, err
}

// escapeAll spells every character of s as a \u escape.
func escapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

func TestRESTTraceHidesAnAccessTokenHoweverItIsSpelt(t *testing.T) {
	t.Parallel()
	rest := tenant(seedCampaigns, nil)
	cases := map[string]struct {
		body string
		live bool // the SDK accepts the answer and uses the token
	}{
		"name in capitals":                     {`{"ACCESS_TOKEN":"` + liveToken + `","token_type":"bearer","expires_in":3599}`, false},
		"name in mixed case":                   {`{"Access_Token" : "` + liveToken + `","token_type":"bearer","expires_in":3599}`, false},
		"name with escapes":                    {`{"acc\u0065ss_token":"` + liveToken + `","token_type":"bearer","expires_in":3599}`, true},
		"value with escapes":                   {`{"access_token":"` + escapeAll(liveToken) + `","token_type":"bearer","expires_in":3599}`, true},
		"name escaped, in capitals, truncated": {`{"` + escapeAll("ACCESS_TOKEN") + `":"` + liveToken, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			printed, err := traceOfIdentityAnswer(t, tc.body, rest)
			if tc.live {
				require.NoError(t, err)
			} else {
				var re *marketo.ResponseError
				require.ErrorAs(t, err, &re)
			}
			assert.NotContains(t, printed, liveToken)
			assert.NotContains(t, printed, escapeAll(liveToken))
			assert.NotContains(t, printed, url.QueryEscape(liveToken))
			assert.Contains(t, printed, `"[REDACTED]"`)
		})
	}
}

func TestRESTTokenEchoedURLEncodedIsRedacted(t *testing.T) {
	t.Parallel()
	issue := `{"access_token":"` + liveToken + `","token_type":"bearer","expires_in":3599}`
	echo := func(enc func(string) string) func(int, *http.Request, []byte) (int, string) {
		return func(_ int, r *http.Request, _ []byte) (int, string) {
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			return 502, "<html>bad request ?access_token=" + enc(tok) + "</html>"
		}
	}
	for name, enc := range map[string]func(string) string{
		"query-escaped":            url.QueryEscape,
		"query-escaped, lowercase": func(s string) string { return strings.ToLower(url.QueryEscape(s)) },
		"path-escaped":             url.PathEscape,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			printed, err := traceOfIdentityAnswer(t, issue, echo(enc))
			require.Error(t, err)
			assert.NotContains(t, strings.ToLower(printed), strings.ToLower(url.QueryEscape(liveToken)))
			assert.NotContains(t, printed, liveToken)
			assert.Contains(t, printed, "access_token=[REDACTED]")
		})
	}
}

// A token no header can carry would make every call fail in the transport
// as if it might have run: it is refused where it is issued, and the call
// reports that nothing was sent.
func TestRESTTokenAHeaderCannotCarryFailsBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	body := `{"access_token":"cdf01657-110d-4155-99a7-f986b2ff13a0:int\u0001","token_type":"bearer","expires_in":3599}`
	stub := newRESTStubWith(t, func(s *restStub) {
		s.identity = func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) }
		s.rest = tenant(seedCampaigns, nil)
	})
	c := stub.client(t, fastRetries)
	for range 2 {
		_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.False(t, oe.Sent)
		assert.False(t, oe.OutcomeUnknown)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		assert.Contains(t, err.Error(), "HTTP header")
	}
	assert.Empty(t, stub.requests(), "no call left the client")
	assert.Equal(t, int64(8), stub.identityCalls.Load(), "no token was cached: every attempt asked again")
}

// An answer that quotes the token with JSON escapes reaches the trace as
// it came: the trace decodes its strings to find the token.
func TestRESTTraceHidesATokenEchoedWithEscapes(t *testing.T) {
	t.Parallel()
	issue := `{"access_token":"` + liveToken + `","token_type":"bearer","expires_in":3599}`
	echo := func(_ int, r *http.Request, _ []byte) (int, string) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		return 200, `{"requestId":"e1","success":false,"errors":[{"code":"603","message":"Access denied for ` + escapeAll(tok) + `"}]}`
	}
	printed, err := traceOfIdentityAnswer(t, issue, echo)
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.NotContains(t, printed, liveToken)
	assert.NotContains(t, printed, escapeAll(liveToken))
	assert.Contains(t, printed, "Access denied for [REDACTED]")
}

// An identity endpoint that quotes the client secret with JSON escapes
// does not get it into the error's excerpt or the trace.
func TestRESTClientSecretEchoedWithEscapesIsRedacted(t *testing.T) {
	t.Parallel()
	stub := newRESTStubWith(t, func(s *restStub) {
		s.identity = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"echo":"`+escapeAll(r.URL.Query().Get("client_secret"))+`"}`)
		}
	})
	var trace bytes.Buffer
	c := stub.client(t, marketo.WithWireTrace(&trace))
	_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	var re *marketo.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, re.Excerpt, "[REDACTED]", "the excerpt is shown, without the secret")
	for _, s := range []string{trace.String(), fmt.Sprintf("%v %+v %#v", err, err, err), re.Excerpt} {
		assert.NotContains(t, s, escapeAll(stubSecret))
		assert.NotContains(t, s, stubSecret)
	}
}
