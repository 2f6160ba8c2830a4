package marketo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// TestSecretsNeverLeak drives success and every kind of failure with debug
// logging and the wire trace on, and searches everything printable for the
// encryption key and the request signature.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	echo := func(status int, ct string) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			body, _ := io.ReadAll(req.Body)
			resp := httpmock.NewBytesResponse(status, body)
			resp.Header.Set("Content-Type", ct)
			return resp, nil
		}
	}
	responders := map[string]httpmock.Responder{
		"success":            respond(&recorder{}, 200, "text/xml", successScheduleXML),
		"fault":              respond(&recorder{}, 500, "text/xml", faultXML(20014, "Authentication failed")),
		"echo as HTML":       echo(502, "text/html"),
		"echo as XML":        echo(200, "text/xml"),
		"echo as fault code": echo(500, "text/xml"),
		"empty":              respond(&recorder{}, 200, "text/xml", ""),
		"transport error":    httpmock.NewErrorResponder(&net.OpError{Op: "read", Net: "tcp", Err: errors.New("reset")}),
		"transport error quoting the request": func(req *http.Request) (*http.Response, error) {
			body, _ := io.ReadAll(req.Body)
			return nil, fmt.Errorf("proxy refused %s", body)
		},
	}
	for name, responder := range responders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs, trace bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := newMockClient(t, responder, marketo.WithLogger(logger), marketo.WithWireTrace(&trace))
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			printed := []string{logs.String(), trace.String()}
			if err != nil {
				printed = append(printed, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%v", errors.Unwrap(err)))
				for _, e := range unwrapAll(err) {
					printed = append(printed, e.Error())
				}
			}
			for _, s := range printed {
				assert.NotContains(t, s, vectorKey)
				assert.NotContains(t, s, vectorSig)
			}
			assert.Contains(t, trace.String(), "<requestSignature>[REDACTED]</requestSignature>")
			assert.Contains(t, trace.String(), "<programName>Trav-Demo-Program</programName>")
			assert.Contains(t, logs.String(), "operation=ScheduleCampaign")
		})
	}
}

// An answer that echoes the request signature at its start puts it inside
// the 200-byte excerpt of a ResponseError: the excerpt shows [REDACTED] in
// its place, on the decoding path and on the path of a body over the size
// limit, and no printed form of the error holds the signature.
func TestSignatureIsRedactedFromAnswerExcerpts(t *testing.T) {
	t.Parallel()
	sigRe := regexp.MustCompile(`<requestSignature>([0-9a-f]{40})</requestSignature>`)
	echoFirst := func(status int, ct, rest string) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			body, _ := io.ReadAll(req.Body)
			m := sigRe.FindSubmatch(body)
			if m == nil {
				return nil, errors.New("no signature in the request")
			}
			resp := httpmock.NewStringResponse(status, "signature "+string(m[1])+" "+rest)
			resp.Header.Set("Content-Type", ct)
			return resp, nil
		}
	}
	padding := strings.Repeat("p", 300)
	cases := []struct {
		name      string
		responder httpmock.Responder
		opts      []marketo.Option
		reason    string
	}{
		{"HTML from a gateway", echoFirst(502, "text/html", "was refused "+padding), nil, "content type is not XML"},
		{"not XML", echoFirst(200, "text/xml", "was refused "+padding), nil, "body is not a SOAP envelope"},
		{"over the size limit", echoFirst(200, "text/xml", "was refused "+padding), []marketo.Option{marketo.WithMaxResponseBytes(100)}, "reading the body failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, tc.responder, tc.opts...)
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tc.reason, re.Reason)
			assert.True(t, strings.HasPrefix(re.Excerpt, "signature [REDACTED] was refused ppp"), "excerpt %q", re.Excerpt)
			for _, s := range []string{re.Excerpt, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				assert.NotContains(t, s, vectorSig)
			}
		})
	}
}

func TestValidationErrorsDoNotPrintTheKey(t *testing.T) {
	t.Parallel()
	_, err := marketo.NewClient(marketo.Config{Endpoint: "http://example.com", UserID: "u", EncryptionKey: vectorKey})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), vectorKey)
}

// unwrapAll returns err and every error it wraps.
func unwrapAll(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
