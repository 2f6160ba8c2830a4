package marketotest

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// t0 is the test clock's start: 10:00 in Chicago on a weekday.
var t0 = time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)

func newTestServer(t *testing.T, opts ...Option) (*Server, *ManualClock) {
	t.Helper()
	clock := NewManualClock(t0)
	srv := NewServer(append([]Option{WithClock(clock.Now), WithCredentials("test1_ABCDEF", "secretKEY0123456789")}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, clock
}

// envelopeAt builds a signed request the way a careful client writes it:
// the ns1 prefix bound on the Envelope, children unqualified.
func envelopeAt(userID, key string, ts time.Time, params string) string {
	stamp := ts.Format("2006-01-02T15:04:05-07:00")
	return envelopeRaw(userID, Sign(key, stamp, userID), stamp, params)
}

func envelopeRaw(userID, sig, stamp, params string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Header>
    <ns1:AuthenticationHeader>
      <mktowsUserId>` + userID + `</mktowsUserId>
      <requestSignature>` + sig + `</requestSignature>
      <requestTimestamp>` + stamp + `</requestTimestamp>
    </ns1:AuthenticationHeader>
  </SOAP-ENV:Header>
  <SOAP-ENV:Body>
` + params + `
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
}

// signed builds a request signed with the server's credentials at the
// server's clock time, in Pacific time like Marketo's samples.
func signed(srv *Server, params string) string {
	la, _ := time.LoadLocation("America/Los_Angeles")
	c := srv.Config()
	return envelopeAt(c.UserID, c.EncryptionKey, srv.Now().In(la), params)
}

type response struct {
	Status      int
	ContentType string
	Body        string
}

func post(t *testing.T, srv *Server, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.Config().Endpoint, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: string(b)}
}

// call posts a signed request with the given params element.
func call(t *testing.T, srv *Server, params string) response {
	t.Helper()
	return post(t, srv, signed(srv, params))
}

type soapFault struct {
	FaultCode   string       `xml:"Body>Fault>faultcode"`
	FaultString string       `xml:"Body>Fault>faultstring"`
	Name        string       `xml:"Body>Fault>detail>serviceException>name"`
	Message     string       `xml:"Body>Fault>detail>serviceException>message"`
	Code        marketo.Code `xml:"Body>Fault>detail>serviceException>code"`
}

// requireFault checks the HTTP status, content type and fault code.
func requireFault(t *testing.T, r response, code marketo.Code) soapFault {
	t.Helper()
	require.Equal(t, http.StatusInternalServerError, r.Status, r.Body)
	require.Equal(t, "text/xml; charset=utf-8", r.ContentType)
	var f soapFault
	require.NoError(t, xml.Unmarshal([]byte(r.Body), &f), r.Body)
	require.Equal(t, code, f.Code, r.Body)
	require.Equal(t, "mktServiceException", f.Name)
	return f
}

func requireSuccess(t *testing.T, r response) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	require.Equal(t, "text/xml; charset=utf-8", r.ContentType)
}

// seedSchedule is the scheduleCampaign request of Marketo's documentation,
// retyped, without the clone.
const seedSchedule = `    <ns1:paramsScheduleCampaign>
      <programName>Trav-Demo-Program</programName>
      <campaignName>Batch Campaign Example</campaignName>
      <campaignRunAt>2013-08-03T21:39:34-07:00</campaignRunAt>
      <programTokenList>
        <attrib>
          <name>{{my.message}}</name>
          <value>Updated message</value>
        </attrib>
        <attrib>
          <name>{{my.other token}}</name>
          <value>Value for other token</value>
        </attrib>
      </programTokenList>
    </ns1:paramsScheduleCampaign>`

func schedule(program, campaign, extra string) string {
	return `<ns1:paramsScheduleCampaign><programName>` + program + `</programName><campaignName>` + campaign +
		`</campaignName>` + extra + `</ns1:paramsScheduleCampaign>`
}
