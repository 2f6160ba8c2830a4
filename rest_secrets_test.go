package marketo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// liveToken is the access token the identity endpoint issues in
// TestRESTSecretsNeverLeak: long enough not to appear by chance.
const liveToken = "cdf01657-110d-4155-99a7-f986b2ff13a0:int"

// TestRESTSecretsNeverLeak drives success and every kind of failure with
// debug logging and the wire trace on, and searches everything printable
// for the client secret (raw and as the URL carries it) and the access
// token.
func TestRESTSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	issue := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"`+liveToken+`","token_type":"bearer","expires_in":3599}`)
	}
	echoURL := func(status int) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = fmt.Fprintf(w, "<html>no: %s %s</html>", r.URL.String(), r.URL.Query().Get("client_secret"))
		}
	}
	cases := map[string]struct {
		identity func(w http.ResponseWriter, r *http.Request)
		rest     func(i int, r *http.Request, body []byte) (int, string)
		identURL string // overrides the stub's identity URL
		opts     []marketo.Option
	}{
		"success": {identity: issue, rest: tenant(seedCampaigns, nil)},
		"token refused": {identity: issue, rest: func(int, *http.Request, []byte) (int, string) {
			return 200, restErr(601, "Access token invalid")
		}},
		"token echoed in a fault": {identity: issue, rest: func(_ int, r *http.Request, _ []byte) (int, string) {
			return 200, restErr(603, "Access denied for "+r.Header.Get("Authorization"))
		}},
		"token echoed in HTML": {identity: issue, rest: func(_ int, r *http.Request, _ []byte) (int, string) {
			return 502, "<html>" + r.Header.Get("Authorization") + "</html>"
		}},
		"identity echoes the URL":   {identity: echoURL(500)},
		"identity refuses, echoing": {identity: echoURL(401)},
		"identity describes the secret": {identity: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(401)
			_, _ = fmt.Fprintf(w, `{"error":"unauthorized","error_description":"Bad secret %s"}`, r.URL.Query().Get("client_secret"))
		}},
		"identity sends a garbled token": {identity: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"access_token":"`+liveToken+`","token_type":"bea`)
		}},
		"identity unreachable": {identURL: "http://127.0.0.1:1/identity"},
		// An answer whose read fails is quoted in an excerpt: for a token
		// answer the excerpt would hold the live token.
		"identity answer cut off": {identity: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "500")
			_, _ = io.WriteString(w, `{"access_token":"`+liveToken+`","token_type":"bearer",`)
		}},
		"identity answer over the size cap": {identity: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"access_token":"`+liveToken+`","scope":"`+strings.Repeat("x", 2000)+`"}`)
		}, opts: []marketo.Option{marketo.WithMaxResponseBytes(1000)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStubWith(t, func(s *restStub) { s.identity, s.rest = tc.identity, tc.rest })
			cfg := stub.config()
			if tc.identURL != "" {
				cfg.IdentityURL = tc.identURL
			}
			var logs, trace bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			opts := append([]marketo.Option{marketo.WithoutRetries(), marketo.WithLogger(logger), marketo.WithWireTrace(&trace)}, tc.opts...)
			c, err := marketo.NewRESTClient(cfg, opts...)
			require.NoError(t, err)
			defer c.CloseIdleConnections()
			_, err = c.ScheduleCampaign(context.Background(), runNowParams())
			printed := []string{logs.String(), trace.String(), fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg)}
			if err != nil {
				printed = append(printed, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%v", errors.Unwrap(err)))
				for _, e := range unwrapAll(err) {
					printed = append(printed, e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
				}
			}
			for _, s := range printed {
				assert.NotContains(t, s, stubSecret)
				assert.NotContains(t, s, url.QueryEscape(stubSecret))
				assert.NotContains(t, s, liveToken)
			}
			if tc.identURL == "" {
				assert.Contains(t, trace.String(), "client_secret=[REDACTED]")
			}
			if tc.rest != nil {
				assert.Contains(t, trace.String(), "Authorization: [REDACTED]")
				assert.Contains(t, trace.String(), `"access_token":"[REDACTED]"`)
			}
		})
	}
}

// TestRESTUnreachableIdentityIsRetryableAndRedacted: Go's *url.Error
// prints the URL, secret included; the client's error does not, and still
// says what happened.
func TestRESTUnreachableIdentityIsRetryableAndRedacted(t *testing.T) {
	t.Parallel()
	cfg := marketo.RESTConfig{Endpoint: "http://127.0.0.1:1/rest", ClientID: stubClientID, ClientSecret: stubSecret}
	c, err := marketo.NewRESTClient(cfg, fastRetries)
	require.NoError(t, err)
	_, err = c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "getting an access token")
	assert.Contains(t, err.Error(), "client_secret=[REDACTED]")
	assert.NotContains(t, err.Error(), url.QueryEscape(stubSecret))
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 4, oe.Attempts, "nothing left the client, so every attempt was made")
	assert.False(t, oe.Sent)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
}

// TestRESTSuccessEchoingTheTokenKeepsItFromTheObserver: a successful answer
// is redacted too, since what is decoded from it leaves the SDK: its
// requestId goes to the result's metadata and to the Observer, which
// telemetry exports. An answer whose requestId echoes the access token, as
// it is or with escapes, gives neither the token.
func TestRESTSuccessEchoingTheTokenKeepsItFromTheObserver(t *testing.T) {
	t.Parallel()
	for name, echo := range map[string]func(tok string) string{
		"as it is":     func(tok string) string { return tok },
		"with escapes": func(tok string) string { return `\u0074` + tok[1:] },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(i int, r *http.Request, body []byte) (int, string) {
				if strings.HasSuffix(r.URL.Path, "/schedule.json") {
					tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
					return 200, `{"requestId":"` + echo(tok) + `","result":[{"id":1001}],"success":true}`
				}
				return tenant(seedCampaigns, nil)(i, r, body)
			})
			var ends []marketo.CallEnd
			var mu sync.Mutex
			obs := marketo.Observer{Call: func(ctx context.Context, _ marketo.CallStart) (context.Context, func(marketo.CallEnd)) {
				return ctx, func(e marketo.CallEnd) { mu.Lock(); ends = append(ends, e); mu.Unlock() }
			}}
			c, err := marketo.NewRESTClient(stub.config(), marketo.WithoutRetries(), marketo.WithObserver(&obs))
			require.NoError(t, err)
			defer c.CloseIdleConnections()
			res, err := c.ScheduleCampaign(context.Background(), runNowParams())
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, ends, 1)
			const token = "tok-1:int" // the stub's first token
			for where, s := range map[string]string{"observer": ends[0].RequestID, "metadata": res.Metadata.RequestID,
				"metadata list": strings.Join(res.Metadata.RequestIDs, " ")} {
				assert.NotContains(t, s, token, where)
				assert.NotContains(t, s, token[1:], where)
			}
			assert.Contains(t, ends[0].RequestID, "[REDACTED]")
		})
	}
}
