package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestFaultsBecomeTypedErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		status   int
		body     string
		code     marketo.Code
		sentinel error
		unknown  bool
	}{
		{"campaign not found with HTTP 500", 500, faultXML(20113, "Campaign not found"), marketo.CodeCampaignNotFound, marketo.ErrCampaignNotFound, false},
		{"auth failed", 500, faultXML(20014, "Authentication failed"), marketo.CodeAuthenticationFailed, marketo.ErrAuthenticationFailed, false},
		{"request expired", 500, faultXML(20016, "Request expired"), marketo.CodeRequestExpired, marketo.ErrRequestExpired, false},
		{"rate limit", 500, faultXML(20023, "Rate limit exceeded"), marketo.CodeRateLimitExceeded, marketo.ErrRateLimitExceeded, false},
		{"concurrency limit", 500, faultXML(20024, "Concurrency limit exceeded"), marketo.CodeConcurrencyLimitExceeded, marketo.ErrConcurrencyLimitExceeded, false},
		{"daily quota", 500, faultXML(20015, "Request limit exceeded"), marketo.CodeRequestLimitExceeded, marketo.ErrDailyQuotaExceeded, false},
		{"fault with HTTP 200", 200, faultXML(20110, "Input error"), marketo.CodeBadParameter, marketo.ErrBadParameter, false},
		{"internal error leaves outcome unknown", 500, faultXML(20011, "Internal error"), marketo.CodeAPIInternalError, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, respond(rec, tc.status, "text/xml;charset=UTF-8", tc.body))
			_, err := c.ScheduleCampaign(context.Background(), seedParams())
			require.Error(t, err)
			var f *marketo.Fault
			require.ErrorAs(t, err, &f)
			assert.Equal(t, tc.code, f.Code)
			assert.Equal(t, tc.status, f.HTTPStatus)
			assert.Equal(t, "SOAP-ENV:Client", f.FaultCode)
			assert.Equal(t, fmt.Sprintf("%d - ", tc.code)+strings.SplitN(f.FaultString, " - ", 2)[1], f.FaultString)
			assert.Contains(t, f.Message, fmt.Sprintf("(%d)", tc.code))
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			assert.NotErrorIs(t, err, marketo.ErrLeadNotFound)
			assert.Equal(t, tc.unknown, errors.Is(err, marketo.ErrOutcomeUnknown))
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "ScheduleCampaign", oe.Operation)
			assert.True(t, oe.Sent)
			assert.Contains(t, err.Error(), "marketo: ScheduleCampaign: fault "+tc.code.String())
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
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		reason      string
		unknown     bool
	}{
		{"502 HTML from a gateway", 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", "content type is not XML", true},
		{"503 HTML", 503, "text/html", "<html>Service Unavailable</html>", "content type is not XML", false},
		{"429", 429, "text/plain", "slow down", "content type is not XML", false},
		{"JSON", 200, "application/json", `{"success":true}`, "content type is not XML", true},
		{"empty 200", 200, "text/xml", "", "empty body", true},
		{"truncated", 200, "text/xml", successScheduleXML[:len(successScheduleXML)-40], "truncated", true},
		{"malformed", 200, "text/xml", "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><a></b>", "", true},
		{"not XML at all", 200, "text/xml", long, "not a SOAP envelope", true},
		{"SOAP 1.2 envelope", 200, "application/soap+xml", `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`, "not a SOAP 1.1 envelope", true},
		{"wrong answer element", 200, "text/xml", strings.ReplaceAll(successScheduleXML, "successScheduleCampaign", "successRequestCampaign"), "unexpected element", true},
		{"answer element in no namespace", 200, "text/xml", strings.ReplaceAll(successScheduleXML, "ns1:successScheduleCampaign", "successScheduleCampaign"), "unexpected element", true},
		{"success with HTTP 500", 500, "text/xml", successScheduleXML, "HTTP status 500", true},
		{"DOCTYPE", 200, "text/xml", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>` + successScheduleXML[strings.Index(successScheduleXML, "<SOAP-ENV:Envelope"):], "not a SOAP envelope", true},
		{"entity expansion bomb", 200, "text/xml", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`, "not a SOAP envelope", true},
		{"wrong content type", 200, "text/plain", successScheduleXML, "content type is not XML", true},
		{"no content type", 200, "", successScheduleXML, "content type is not XML", true},
		{"success missing", 200, "text/xml", strings.ReplaceAll(successScheduleXML, "<success>true</success>", ""), "result/success is missing", true},
		{"success not boolean", 200, "text/xml", strings.ReplaceAll(successScheduleXML, ">true<", ">yes<"), "malformed successScheduleCampaign", true},
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
			assert.Contains(t, re.Reason, tc.reason)
			assert.LessOrEqual(t, len(re.Excerpt), 200, "the excerpt is capped")
			assert.Contains(t, err.Error(), fmt.Sprintf("HTTP %d", tc.status))
			if tc.contentType != "" {
				assert.Contains(t, err.Error(), tc.contentType)
			}
			var f *marketo.Fault
			assert.False(t, errors.As(err, &f))
			assert.Equal(t, tc.unknown, errors.Is(err, marketo.ErrOutcomeUnknown))
			assert.Contains(t, err.Error(), "ScheduleCampaign")
			if strings.Contains(tc.body, "<!DOCTYPE") {
				assert.Contains(t, err.Error(), "DOCTYPE and entity declarations are not accepted")
			}
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

func TestContextErrorsMatchWithErrorsIs(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	c, err := marketo.NewClient(marketo.Config{Endpoint: srv.URL, UserID: "u", EncryptionKey: "k"}, marketo.WithoutRetries())
	require.NoError(t, err)

	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.ScheduleCampaign(ctx, seedParams())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the request was sent before the deadline")
		assert.Less(t, time.Since(start), 5*time.Second)
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := c.ScheduleCampaign(ctx, seedParams())
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("already cancelled sends nothing", func(t *testing.T) {
		rec := &recorder{}
		mc := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := mc.ScheduleCampaign(ctx, seedParams())
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
		assert.Zero(t, rec.count())
	})
}

func TestCodeString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "20113 (campaign not found)", marketo.CodeCampaignNotFound.String())
	assert.Equal(t, "12345", marketo.Code(12345).String())
	assert.Equal(t, "rate limit exceeded", marketo.CodeRateLimitExceeded.Meaning())
	assert.Empty(t, marketo.Code(12345).Meaning())
}
