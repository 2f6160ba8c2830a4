package marketo_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

var signatureElem = regexp.MustCompile(`<requestSignature>([0-9a-f]+)</requestSignature>`)

// echoing answers with whatever answer makes of the request's signature.
func echoing(answer func(sig string) *http.Response) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(req.Body)
		m := signatureElem.FindSubmatch(body)
		if m == nil {
			return nil, errors.New("no signature in the request")
		}
		return answer(string(m[1])), nil
	}
}

func xmlAnswer(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "text/xml; charset=utf-8")
	return resp
}

// TestSecretsDoNotLeakThroughEchoes: a server that echoes the request's
// signature, in any part of its answer, does not get it into anything the
// SDK prints: the error in every form, the fields of a *Fault, the log
// (the retry line included) or the wire trace.
func TestSecretsDoNotLeakThroughEchoes(t *testing.T) {
	t.Parallel()
	doors := map[string]func(sig string) *http.Response{
		"fault message": func(sig string) *http.Response {
			return xmlAnswer(500, strings.Replace(faultXML(20023, "Rate limit exceeded"), "<message>", "<message>signature "+sig+" is wrong: ", 1))
		},
		"faultstring": func(sig string) *http.Response {
			return xmlAnswer(500, strings.Replace(faultXML(20023, "Rate limit exceeded"), "<faultstring>", "<faultstring>"+sig+" ", 1))
		},
		"faultcode": func(sig string) *http.Response {
			return xmlAnswer(500, strings.Replace(faultXML(20023, "Rate limit exceeded"), "SOAP-ENV:Client", "SOAP-ENV:"+sig, 1))
		},
		"fault message as character references": func(sig string) *http.Response {
			var ref strings.Builder
			for _, c := range []byte(sig) {
				fmt.Fprintf(&ref, "&#x%x;", c)
			}
			return xmlAnswer(500, strings.Replace(faultXML(20023, "Rate limit exceeded"), "<message>", "<message>"+ref.String()+" ", 1))
		},
		"value that fails to parse": func(sig string) *http.Response {
			return xmlAnswer(200, `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body>`+
				`<ns1:successGetCampaignsForSource><result><returnCount>`+sig+`</returnCount></result></ns1:successGetCampaignsForSource></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
		},
		"response headers": func(sig string) *http.Response {
			resp := httpmock.NewStringResponse(502, "<html>bad gateway</html>")
			resp.Status = "502 " + sig
			resp.Header.Set("Content-Type", "text/html; echo="+sig)
			resp.Header.Set("X-Request-Signature", sig)
			return resp
		},
		"start of an HTML body": func(sig string) *http.Response {
			resp := httpmock.NewStringResponse(502, sig+" was refused")
			resp.Header.Set("Content-Type", "text/html")
			return resp
		},
		"in upper case": func(sig string) *http.Response {
			resp := httpmock.NewStringResponse(502, "refused "+strings.ToUpper(sig))
			resp.Header.Set("Content-Type", "text/html")
			return resp
		},
		"across the end of the excerpt": func(sig string) *http.Response {
			resp := httpmock.NewStringResponse(502, strings.Repeat("x", 180)+sig)
			resp.Header.Set("Content-Type", "text/html")
			return resp
		},
	}
	for name, door := range doors {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs, trace bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			// Two attempts of a read-only call, so that the retry is logged.
			c := newMockClient(t, echoing(door), marketo.WithLogger(logger), marketo.WithWireTrace(&trace),
				marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			_, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
			require.Error(t, err)
			printed := map[string]string{
				"log":   logs.String(),
				"trace": trace.String(),
				"%v":    err.Error(),
				"%+v":   fmt.Sprintf("%+v", err),
				"%#v":   fmt.Sprintf("%#v", err),
			}
			for i, e := range unwrapAll(err) {
				printed[fmt.Sprintf("cause %d %T", i, e)] = fmt.Sprintf("%v %+v %#v", e, e, e)
			}
			var f *marketo.Fault
			if errors.As(err, &f) {
				printed["Fault fields"] = strings.Join([]string{f.FaultCode, f.FaultString, f.Message}, " ")
			}
			var re *marketo.ResponseError
			if errors.As(err, &re) {
				printed["ResponseError fields"] = strings.Join([]string{re.ContentType, re.Reason, re.Excerpt}, " ")
			}
			// Half the signature is enough to notice it cut in two.
			for where, s := range printed {
				s = strings.ToLower(s)
				assert.NotContains(t, s, vectorSig[:20], where)
				assert.NotContains(t, s, vectorSig[20:], where)
			}
			assert.Contains(t, logs.String(), "marketo retry", "the retry line is not logged")
			assert.Contains(t, trace.String(), "[REDACTED]")
		})
	}
}

// TestClientPrintsNoSecret: printing a Client, or logging it, shows neither
// the encryption key nor anything derived from it.
func TestClientPrintsNoSecret(t *testing.T) {
	t.Parallel()
	c, err := marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey})
	require.NoError(t, err)
	// Sign a request first, so that whatever the client keeps for signing
	// exists when it is printed.
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, testEndpoint, answer(200, successScheduleXML))
	c2, err := marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}, marketo.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c2.ScheduleCampaign(context.Background(), runNowParams())
	require.NoError(t, err)

	forms := []string{vectorKey, fmt.Sprint([]byte(vectorKey)), fmt.Sprintf("%#v", []byte(vectorKey)), hex.EncodeToString([]byte(vectorKey)), vectorKey[:12]}
	for i, client := range []*marketo.Client{c, c2} {
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("m", slog.Any("client", client))
		slog.New(slog.NewJSONHandler(&js, nil)).Info("m", slog.Any("client", client))
		printed := map[string]string{
			"%v": fmt.Sprintf("%v", client), "%+v": fmt.Sprintf("%+v", client), "%#v": fmt.Sprintf("%#v", client),
			"%s": fmt.Sprintf("%s", client), "%x": fmt.Sprintf("%x", client), "%q": fmt.Sprintf("%q", client),
			"value %+v": fmt.Sprintf("%+v", []any{client}), "slog text": text.String(), "slog JSON": js.String(),
		}
		for where, s := range printed {
			for _, secret := range forms {
				assert.NotContains(t, s, secret, "client %d, %s", i, where)
			}
		}
		// What is printed still says which client it is.
		assert.Contains(t, printed["%+v"], "123-ABC-456.mktoapi.com", "client %d", i)
		assert.Contains(t, printed["slog JSON"], "123-ABC-456.mktoapi.com", "client %d", i)
	}
}
