package marketo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// jsonEscaped writes s as JSON string content made only of \u escapes: the
// answer's bytes do not spell s, but the decoded value is s.
func jsonEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// TestRESTHostileServerCannotLeakTheToken: a REST server that echoes the
// bearer token back, in an error message, a request ID, a header, a
// malformed body or a value the SDK quotes, spelled out or as JSON escapes,
// does not get it into the call's error, its %+v and %#v, the log or the
// wire trace.
func TestRESTHostileServerCannotLeakTheToken(t *testing.T) {
	t.Parallel()
	issue := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"`+liveToken+`","token_type":"bearer","expires_in":3599}`)
	}
	escaped := jsonEscaped(liveToken)
	schedule := func(c *marketo.Client) error {
		_, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
		return err
	}
	cases := map[string]struct {
		raw  http.HandlerFunc
		call func(c *marketo.Client) error
	}{
		"message with escapes": {call: schedule, raw: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"requestId":"1","success":false,"errors":[{"code":"603","message":"denied `+escaped+`"}]}`)
		}},
		"request ID with escapes": {call: schedule, raw: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"requestId":"`+escaped+`","success":false,"errors":[{"code":"603","message":"denied"}]}`)
		}},
		"a second error's message": {call: schedule, raw: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"requestId":"1","success":false,"errors":[{"code":"603","message":"a"},{"code":"604","message":"`+escaped+`"}]}`)
		}},
		"redirect to a URL with the token": {call: schedule, raw: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://elsewhere.example/?t="+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
			w.WriteHeader(http.StatusTemporaryRedirect)
		}},
		"content type with the token": {call: schedule, raw: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; x="+r.Header.Get("Authorization"))
			w.Header().Set("X-Echo", r.Header.Get("Authorization"))
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>bad gateway</html>")
		}},
		"malformed body with the token": {call: schedule, raw: func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"success":false,"errors":[{"code":"`+r.Header.Get("Authorization")+`"`)
		}},
		"code with escapes": {call: schedule, raw: func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"success":false,"errors":[{"code":"`+escaped+`","message":"m"}]}`)
		}},
		"lead lookup quotes a bad id": {
			call: func(c *marketo.Client) error {
				_, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
					Source: marketo.SourceMKTOWS, CampaignID: 1001,
					Leads: []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "a@example.com"}}})
				return err
			},
			raw: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, `{"requestId":"1","success":true,"result":[{"id":"`+escaped+`","email":"a@example.com"}]}`)
			},
		},
		"failures file refused with escapes": {
			call: func(c *marketo.Client) error {
				_, err := c.ImportFailures(context.Background(), "3404")
				return err
			},
			raw: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"requestId":"`+escaped+`","success":false,"errors":[{"code":"1013","message":"`+escaped+`"}]}`)
			},
		},
		"import status message with escapes": {
			call: func(c *marketo.Client) error {
				_, err := c.WaitForImport(context.Background(), marketo.GetImportToListStatusParams{ImportID: "3404"})
				return err
			},
			raw: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, `{"requestId":"1","success":true,"result":[{"batchId":3404,"status":"Failed","numOfRowsFailed":1,"message":"`+escaped+`"}]}`)
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStubWith(t, func(s *restStub) { s.identity, s.raw = issue, tc.raw })
			var logs, trace bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := stub.client(t, marketo.WithLogger(logger), marketo.WithWireTrace(&trace))
			err := tc.call(c)
			require.Error(t, err)
			printed := []string{logs.String(), trace.String(), err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%v", errors.Unwrap(err))}
			for _, e := range unwrapAll(err) {
				printed = append(printed, e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
			}
			for _, s := range printed {
				assert.NotContains(t, strings.ToLower(s), strings.ToLower(liveToken))
			}
		})
	}
}
