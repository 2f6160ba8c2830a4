package marketo_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestFaultsBecomeTypedErrors(t *testing.T) {
	t.Parallel()
	const unknownSuffix = " (outcome unknown: the request was sent and Marketo may have run it; check before retrying)"
	cases := []struct {
		name     string
		status   int
		code     int
		text     string
		want     marketo.Code
		sentinel error
		unknown  bool
		wantErr  string
	}{
		{"campaign not found with HTTP 500", 500, 20113, "Campaign not found", marketo.CodeCampaignNotFound, marketo.ErrCampaignNotFound, false,
			"marketo: ScheduleCampaign: fault 20113 (campaign not found): Campaign not found"},
		{"auth failed", 500, 20014, "Authentication failed", marketo.CodeAuthenticationFailed, marketo.ErrAuthenticationFailed, false,
			"marketo: ScheduleCampaign: fault 20014 (authentication failed): Authentication failed"},
		{"request expired", 500, 20016, "Request expired", marketo.CodeRequestExpired, marketo.ErrRequestExpired, false,
			"marketo: ScheduleCampaign: fault 20016 (request expired): Request expired"},
		{"rate limit", 500, 20023, "Rate limit exceeded", marketo.CodeRateLimitExceeded, marketo.ErrRateLimitExceeded, false,
			"marketo: ScheduleCampaign: fault 20023 (rate limit exceeded): Rate limit exceeded"},
		{"concurrency limit", 500, 20024, "Concurrency limit exceeded", marketo.CodeConcurrencyLimitExceeded, marketo.ErrConcurrencyLimitExceeded, false,
			"marketo: ScheduleCampaign: fault 20024 (concurrency limit exceeded): Concurrency limit exceeded"},
		{"daily quota", 500, 20015, "Request limit exceeded", marketo.CodeRequestLimitExceeded, marketo.ErrDailyQuotaExceeded, false,
			"marketo: ScheduleCampaign: fault 20015 (daily request limit exceeded): Request limit exceeded; " +
				"the daily quota resets at 2010-04-10T00:00:00-05:00 (midnight US Central)"},
		{"fault with an unusual status", 503, 20024, "Concurrency limit exceeded", marketo.CodeConcurrencyLimitExceeded, marketo.ErrConcurrencyLimitExceeded, false,
			"marketo: ScheduleCampaign: fault 20024 (concurrency limit exceeded): Concurrency limit exceeded (HTTP 503)"},
		{"fault with HTTP 200", 200, 20110, "Input error", marketo.CodeBadParameter, marketo.ErrBadParameter, false,
			"marketo: ScheduleCampaign: fault 20110 (bad parameter): Input error"},
		{"internal error leaves outcome unknown", 500, 20011, "Internal error", marketo.CodeAPIInternalError, nil, true,
			"marketo: ScheduleCampaign: fault 20011 (API service internal error): Internal error" + unknownSuffix},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, respond(rec, tc.status, "text/xml;charset=UTF-8", faultXML(tc.code, tc.text)))
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			require.Error(t, err)
			var f *marketo.Fault
			require.ErrorAs(t, err, &f)
			assert.Equal(t, tc.want, f.Code)
			assert.Equal(t, tc.status, f.HTTPStatus)
			assert.Equal(t, "SOAP-ENV:Client", f.FaultCode)
			assert.Equal(t, fmt.Sprintf("%d - %s", tc.code, tc.text), f.FaultString)
			assert.Equal(t, fmt.Sprintf("%s (%d)", tc.text, tc.code), f.Message)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			assert.NotErrorIs(t, err, marketo.ErrLeadNotFound)
			assert.Equal(t, tc.unknown, errors.Is(err, marketo.ErrOutcomeUnknown))
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "ScheduleCampaign", oe.Operation)
			assert.True(t, oe.Sent)
			assert.Equal(t, 1, oe.Attempts)
			assert.EqualError(t, err, tc.wantErr)
		})
	}
}

func TestFaultWithoutDetailCodeUsesFaultString(t *testing.T) {
	t.Parallel()
	body := `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>` +
		`<faultcode>S:Client</faultcode><faultstring>20014 - Authentication failed</faultstring></S:Fault></S:Body></S:Envelope>`
	c := newMockClient(t, respond(&recorder{}, 500, "text/xml", body))
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	assert.ErrorIs(t, err, marketo.ErrAuthenticationFailed)
}

func TestNonSOAPAnswersAreResponseErrors(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 5000)
	const notSOAP = "body is not a SOAP envelope"
	const wantSchedule = " in SOAP Body, want {http://www.marketo.com/mktows/}successScheduleCampaign"
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		reason      string // the whole Reason
		cause       string // the text of ResponseError.Err, "" for none
		unknown     bool
	}{
		{"502 HTML from a gateway", 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", "content type is not XML", "", true},
		{"503 HTML", 503, "text/html", "<html>Service Unavailable</html>", "content type is not XML", "", false},
		{"429", 429, "text/plain", "slow down", "content type is not XML", "", false},
		{"JSON", 200, "application/json", `{"success":true}`, "content type is not XML", "", true},
		{"empty 200", 200, "text/xml", "", "empty body", "", true},
		{"blank 200", 200, "text/xml", " \r\n\t", "empty body", "", true},
		{"truncated", 200, "text/xml", successScheduleXML[:len(successScheduleXML)-40], "malformed or truncated XML after the answer", "XML syntax error on line 8: unexpected EOF", true},
		{"mismatched end tag", 200, "text/xml", "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><a></b>", "unexpected element {}a" + wantSchedule, "", true},
		{"not XML at all", 200, "text/xml", long, notSOAP, "text before the root element", true},
		{"SOAP 1.2 envelope", 200, "application/soap+xml", `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`,
			"body is not a SOAP 1.1 envelope (root element {http://www.w3.org/2003/05/soap-envelope}Envelope)", "", true},
		{"wrong answer element", 200, "text/xml", strings.ReplaceAll(successScheduleXML, "successScheduleCampaign", "successRequestCampaign"),
			"unexpected element {http://www.marketo.com/mktows/}successRequestCampaign" + wantSchedule, "", true},
		{"answer element in no namespace", 200, "text/xml", strings.ReplaceAll(successScheduleXML, "ns1:successScheduleCampaign", "successScheduleCampaign"),
			"unexpected element {}successScheduleCampaign" + wantSchedule, "", true},
		{"success with HTTP 500", 500, "text/xml", successScheduleXML, "successScheduleCampaign answer with HTTP status 500", "", true},
		{"DOCTYPE", 200, "text/xml", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>` + successScheduleXML[strings.Index(successScheduleXML, "<SOAP-ENV:Envelope"):],
			notSOAP, "DOCTYPE and entity declarations are not accepted", true},
		{"entity expansion bomb", 200, "text/xml", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`,
			notSOAP, "DOCTYPE and entity declarations are not accepted", true},
		{"wrong content type", 200, "text/plain", successScheduleXML, "content type is not XML", "", true},
		{"no content type", 200, "", successScheduleXML, "content type is not XML", "", true},
		{"success missing", 200, "text/xml", strings.ReplaceAll(successScheduleXML, "<success>true</success>", ""), "result/success is missing", "", true},
		{"success missing, SOAP 1.2 content type", 200, "application/soap+xml; charset=utf-8", strings.ReplaceAll(successScheduleXML, "<success>true</success>", ""),
			"result/success is missing", "", true},
		{"success not boolean", 200, "text/xml", strings.ReplaceAll(successScheduleXML, ">true<", ">yes<"), "malformed successScheduleCampaign", `success: "yes" is not an xs:boolean`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, respond(&recorder{}, tc.status, tc.contentType, tc.body))
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			require.Error(t, err)
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re, "got %v", err)
			assert.Equal(t, tc.status, re.HTTPStatus)
			assert.Equal(t, tc.contentType, re.ContentType)
			assert.Equal(t, tc.reason, re.Reason)
			if tc.cause == "" {
				assert.NoError(t, re.Err)
			} else if assert.Error(t, re.Err) {
				assert.Equal(t, anyXMLLine(tc.cause), anyXMLLine(re.Err.Error()))
			}
			assert.Equal(t, asciiExcerpt(tc.body), re.Excerpt)
			var f *marketo.Fault
			assert.False(t, errors.As(err, &f))
			assert.Equal(t, tc.unknown, errors.Is(err, marketo.ErrOutcomeUnknown))

			ct := tc.contentType
			if ct == "" {
				ct = "none"
			}
			want := fmt.Sprintf("marketo: ScheduleCampaign: unexpected response (HTTP %d, Content-Type %s): %s", tc.status, ct, tc.reason)
			if tc.cause != "" {
				want += ": " + tc.cause
			}
			if e := asciiExcerpt(tc.body); e != "" {
				want += fmt.Sprintf("; body starts %q", e)
			}
			if tc.unknown {
				want += " (outcome unknown: the request was sent and Marketo may have run it; check before retrying)"
			}
			assert.Equal(t, anyXMLLine(want), anyXMLLine(err.Error()))
		})
	}
}

// anyXMLLine hides the line number of an encoding/xml syntax error: the
// parser counts lines, which is not the SDK's behaviour to pin (and
// decoding through a token filter counts them from the filter's start).
func anyXMLLine(s string) string {
	return regexp.MustCompile(`XML syntax error on line \d+`).ReplaceAllString(s, "XML syntax error on line N")
}

// asciiExcerpt is what an excerpt of an ASCII body must be: its first 200
// bytes, with line breaks shown as spaces.
func asciiExcerpt(body string) string {
	if len(body) > 200 {
		body = body[:200]
	}
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(body)
}

// The excerpt keeps text printable without losing what it shows: control
// characters become spaces (tab stays), invalid UTF-8 and a character cut at
// the 200th byte become U+FFFD, and nothing past 200 bytes is kept.
func TestResponseErrorExcerpt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, want string
	}{
		{"controls", "a\x00b\x1bc\td\re\nf\x7fg", "a b c\td e f\x7fg"},
		{"invalid UTF-8", "ok \xff\xfe end", "ok \uFFFD end"}, // one U+FFFD per run of bad bytes
		{"non-ASCII kept", "Grüße 日本", "Grüße 日本"},
		{"exactly 200 bytes", strings.Repeat("y", 200), strings.Repeat("y", 200)},
		{"201 bytes", strings.Repeat("y", 200) + "z", strings.Repeat("y", 200)},
		{"character cut at 200 bytes", strings.Repeat("y", 199) + "é and more", strings.Repeat("y", 199) + "\uFFFD"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, respond(&recorder{}, 502, "text/html", tc.body))
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tc.want, re.Excerpt)
		})
	}
}

func TestSuccessFalseIsAnError(t *testing.T) {
	t.Parallel()
	body := strings.ReplaceAll(successScheduleXML, ">true<", ">false<")
	c := newMockClient(t, respond(&recorder{}, 200, "text/xml", body))
	res, err := c.ScheduleCampaign(context.Background(), seedParams())
	assert.Nil(t, res)
	assert.ErrorIs(t, err, marketo.ErrNotSuccessful)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
}

func TestDecodingIsTolerantWhereMarketoVaries(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"other prefixes": `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://www.marketo.com/mktows/">` +
			`<soap:Body><m:successScheduleCampaign><result><success>true</success></result></m:successScheduleCampaign></soap:Body></soap:Envelope>`,
		"default namespace on the answer": `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
			`<successScheduleCampaign xmlns="http://www.marketo.com/mktows/"><result><success>1</success></result></successScheduleCampaign></soap:Body></soap:Envelope>`,
		"comments, whitespace and a header": `<?xml version="1.0" encoding="UTF-8"?>
<!-- leading comment -->
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Header><ns1:Something><x/></ns1:Something></SOAP-ENV:Header>
  <SOAP-ENV:Body>
    <!-- a comment -->
    <ns1:successScheduleCampaign>
      <result>
        <!-- Possible values: true/false -->
        <success> true </success>
        <extra xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
      </result>
    </ns1:successScheduleCampaign>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, respond(&recorder{}, 200, "text/xml; charset=utf-8", body))
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			assert.NoError(t, err)
		})
	}
}

func TestResponseBodyIsCapped(t *testing.T) {
	t.Parallel()
	body := successScheduleXML + strings.Repeat("<!-- padding -->", 1000)
	c := newMockClient(t, respond(&recorder{}, 200, "text/xml", body), marketo.WithMaxResponseBytes(1024))
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	assert.ErrorIs(t, err, marketo.ErrResponseTooLarge)
	assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
}

func TestTransportErrorsSayWhetherTheRequestWasSent(t *testing.T) {
	t.Parallel()
	t.Run("dial failure proves nothing was sent", func(t *testing.T) {
		t.Parallel()
		dialErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		c := newMockClient(t, httpmock.NewErrorResponder(dialErr))
		_, err := c.ScheduleCampaign(context.Background(), seedParams())
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.False(t, oe.Sent)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, dialErr)
	})
	t.Run("reset after sending leaves the outcome unknown", func(t *testing.T) {
		t.Parallel()
		resetErr := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
		c := newMockClient(t, httpmock.NewErrorResponder(resetErr))
		_, err := c.ScheduleCampaign(context.Background(), seedParams())
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.True(t, oe.Sent)
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
		assert.Contains(t, err.Error(), "outcome unknown")
	})
	t.Run("connection refused on a real socket", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		c, err := marketo.NewClient(marketo.Config{Endpoint: "http://" + addr + "/soap/mktows/2_9", UserID: "u", EncryptionKey: "k"}, marketo.WithoutRetries())
		require.NoError(t, err)
		_, err = c.ScheduleCampaign(context.Background(), seedParams())
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.False(t, oe.Sent)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	})
	t.Run("server drops the connection after reading the request", func(t *testing.T) {
		t.Parallel()
		srv := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		})
		c, err := marketo.NewClient(marketo.Config{Endpoint: srv.URL, UserID: "u", EncryptionKey: "k"}, marketo.WithoutRetries())
		require.NoError(t, err)
		_, err = c.ScheduleCampaign(context.Background(), seedParams())
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
	})
}

// expiringContext is a context whose deadline passes when expire is called,
// so a test can let it pass exactly after the server received the request.
type expiringContext struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newExpiringContext() *expiringContext {
	return &expiringContext{Context: context.Background(), done: make(chan struct{})}
}

func (c *expiringContext) expire()                     { c.once.Do(func() { close(c.done) }) }
func (c *expiringContext) Done() <-chan struct{}       { return c.done }
func (c *expiringContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *expiringContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func TestContextErrorsMatchWithErrorsIs(t *testing.T) {
	t.Parallel()
	received := make(chan struct{}, 1)
	srv := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		received <- struct{}{}
		<-r.Context().Done() // no answer until the client gives up
	})
	c, err := marketo.NewClient(marketo.Config{Endpoint: srv.URL, UserID: "u", EncryptionKey: "k"}, marketo.WithoutRetries(), marketo.WithoutLimiter())
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)

	t.Run("deadline after sending", func(t *testing.T) {
		ctx := newExpiringContext()
		go func() { <-received; ctx.expire() }()
		_, err := c.ScheduleCampaign(ctx, seedParams())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the request was sent before the deadline")
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.True(t, oe.Sent)
	})
	t.Run("cancel after sending", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-received; cancel() }()
		_, err := c.ScheduleCampaign(ctx, seedParams())
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the request was sent before the cancel")
	})
	t.Run("already cancelled sends nothing", func(t *testing.T) {
		rec := &recorder{}
		mc := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := mc.ScheduleCampaign(ctx, seedParams())
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		var oe *marketo.OperationError
		require.ErrorAs(t, err, &oe)
		assert.False(t, oe.Sent)
		assert.Zero(t, rec.count())
	})
}

// A fault whose code cannot be read says nothing about whether the call
// ran: a state-changing call reports the outcome unknown and is not
// repeated; a read-only one is repeated.
func TestFaultWithoutACodeLeavesTheOutcomeUnknown(t *testing.T) {
	t.Parallel()
	body := `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault>` +
		`<faultcode>S:Server</faultcode><faultstring>Internal server error</faultstring></S:Fault></S:Body></S:Envelope>`
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 500, "text/xml", body), fastRetries)
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	var f *marketo.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, marketo.Code(0), f.Code)
	assert.Equal(t, "Internal server error", f.FaultString)
	assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Equal(t, 1, rec.count(), "a state-changing call that may have run is not repeated")

	rec = &recorder{}
	c = newMockClient(t, respond(rec, 500, "text/xml", body), fastRetries)
	_, err = c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
	require.ErrorAs(t, err, &f)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown, "a read-only call has no outcome to be unknown")
	assert.Equal(t, 4, rec.count(), "a read-only call is repeated")
}

// Only a Fault in the SOAP envelope namespace is a SOAP fault. One in
// another namespace (or none) is an unexpected answer, whatever its detail
// says: here a rate-limit code, which would otherwise be retried.
func TestFaultOutsideTheSOAPNamespaceIsNotAFault(t *testing.T) {
	t.Parallel()
	inner := `<faultcode>Client</faultcode><faultstring>20023 - Rate limit exceeded</faultstring>` +
		`<detail><serviceException><name>mktServiceException</name><message>Rate limit exceeded (20023)</message><code>20023</code></serviceException></detail>`
	bodies := map[string]string{
		"no namespace":           `<Fault>` + inner + `</Fault>`,
		"Marketo's namespace":    `<ns1:Fault xmlns:ns1="http://www.marketo.com/mktows/">` + inner + `</ns1:Fault>`,
		"SOAP 1.2's namespace":   `<e:Fault xmlns:e="http://www.w3.org/2003/05/soap-envelope">` + inner + `</e:Fault>`,
		"a namespace of its own": `<x:Fault xmlns:x="urn:example:fault">` + inner + `</x:Fault>`,
	}
	for name, fault := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>` + fault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
			rec := &recorder{}
			c := newMockClient(t, respond(rec, 500, "text/xml", body), fastRetries)
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			var f *marketo.Fault
			assert.False(t, errors.As(err, &f), "read as a fault: %v", err)
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.True(t, strings.HasPrefix(re.Reason, "unexpected element {"), re.Reason)
			assert.True(t, strings.HasSuffix(re.Reason, "}Fault in SOAP Body, want {http://www.marketo.com/mktows/}successScheduleCampaign"), re.Reason)
			assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
			assert.NotErrorIs(t, err, marketo.ErrRateLimitExceeded)
			assert.Equal(t, 1, rec.count(), "not retried as a rate-limit fault")
		})
	}
}

// A TLS handshake that fails (here: the server's certificate is not
// trusted) proves the request never left, so the call says so and is
// retried, even for a state-changing call.
func TestTLSHandshakeFailureIsNotSent(t *testing.T) {
	t.Parallel()
	var handshakes, requests atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			handshakes.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	// The SDK's default HTTP client, which trusts only the system's roots.
	c, err := marketo.NewClient(marketo.Config{Endpoint: srv.URL + "/soap/mktows/2_9", UserID: "u", EncryptionKey: "k"},
		marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}),
		marketo.WithoutLimiter())
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	_, err = c.ScheduleCampaign(context.Background(), runNowParams())
	require.Error(t, err)
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent, "a failed handshake sends nothing: %v", err)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Equal(t, 3, oe.Attempts, "a request that was not sent is retried")
	assert.Equal(t, int64(3), handshakes.Load())
	assert.Zero(t, requests.Load())
	var ve *tls.CertificateVerificationError
	assert.ErrorAs(t, err, &ve)
}

func TestCodeString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "20113 (campaign not found)", marketo.CodeCampaignNotFound.String())
	assert.Equal(t, "12345", marketo.Code(12345).String())
	assert.Equal(t, "rate limit exceeded", marketo.CodeRateLimitExceeded.Meaning())
	assert.Empty(t, marketo.Code(12345).Meaning())
}
