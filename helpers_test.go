package marketo_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// The published signing test vector.
const (
	vectorUserID = "bigcorp1_461839624B16E06BA2D663"
	vectorKey    = "899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"
	vectorTS     = "2010-04-09T14:04:54-07:00"
	vectorSig    = "ffbff4d4bef354807481e66dc7540f7890523a87"
	testEndpoint = "https://123-ABC-456.mktoapi.com/soap/mktows/2_9"
)

func vectorTime(t *testing.T) time.Time {
	ts, err := time.Parse(time.RFC3339, vectorTS)
	require.NoError(t, err)
	return ts
}

// seedParams is Marketo's documented scheduleCampaign example.
func seedParams() marketo.ScheduleCampaignParams {
	return marketo.ScheduleCampaignParams{
		ProgramName:        "Trav-Demo-Program",
		CampaignName:       "Batch Campaign Example",
		RunAt:              time.Date(2013, 8, 3, 21, 39, 34, 0, time.FixedZone("PDT", -7*3600)),
		CloneToProgramName: "TestProgramCloneFromSOAP",
		Tokens: []marketo.Token{
			{Name: "{{my.message}}", Value: "Updated message"},
			{Name: "{{my.other token}}", Value: "Value for other token"},
		},
	}
}

// runNowParams schedules the seed's campaign now, without a clone, so that
// it can be called any number of times a day.
func runNowParams() marketo.ScheduleCampaignParams {
	p := seedParams()
	p.RunAt = time.Time{}
	p.CloneToProgramName = ""
	return p
}

const successScheduleXML = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successScheduleCampaign>
      <result>
        <success>true</success>
      </result>
    </ns1:successScheduleCampaign>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`

func faultXML(code int, text string) string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Body>
    <SOAP-ENV:Fault>
      <faultcode>SOAP-ENV:Client</faultcode>
      <faultstring>%d - %s</faultstring>
      <detail>
        <ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/">
          <name>mktServiceException</name>
          <message>%s (%d)</message>
          <code>%d</code>
        </ns1:serviceException>
      </detail>
    </SOAP-ENV:Fault>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`, code, text, text, code, code)
}

// recorder keeps the requests a mock transport received.
type recorder struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies [][]byte
}

func (r *recorder) add(req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
	r.bodies = append(r.bodies, body)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

func (r *recorder) last(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.NotEmpty(t, r.reqs, "no request was sent")
	return r.reqs[len(r.reqs)-1], r.bodies[len(r.bodies)-1]
}

// respond returns a responder that records the request and answers with the
// given status, content type and body.
func respond(rec *recorder, status int, contentType, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		rec.add(req)
		resp := httpmock.NewStringResponse(status, body)
		if contentType != "" {
			resp.Header.Set("Content-Type", contentType)
		}
		return resp, nil
	}
}

// newMockClient returns a client whose transport is an httpmock
// MockTransport answering every POST to testEndpoint with responder, a
// clock fixed at the published test vector's timestamp, and no retries
// (tests of retries set a policy of their own).
func newMockClient(t *testing.T, responder httpmock.Responder, opts ...marketo.Option) *marketo.Client {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, testEndpoint, responder)
	ts := vectorTime(t)
	opts = append([]marketo.Option{
		marketo.WithHTTPClient(&http.Client{Transport: mt}),
		marketo.WithClock(func() time.Time { return ts }),
		marketo.WithoutRetries(),
	}, opts...)
	c, err := marketo.NewClient(marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}, opts...)
	require.NoError(t, err)
	return c
}

// canonicalXML renders a document as one line per element and text node,
// with namespace URIs instead of prefixes, attributes sorted, namespace
// declarations, comments and whitespace-only text between elements dropped.
// Two documents that mean the same to a namespace-aware reader render alike.
func canonicalXML(t *testing.T, doc []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var b strings.Builder
	depth := 0
	var text strings.Builder
	flush := func() {
		s := text.String()
		text.Reset()
		if strings.TrimSpace(s) == "" {
			return
		}
		fmt.Fprintf(&b, "%s%q\n", strings.Repeat("  ", depth), s)
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			var attrs []string
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				attrs = append(attrs, fmt.Sprintf("{%s}%s=%q", a.Name.Space, a.Name.Local, a.Value))
			}
			fmt.Fprintf(&b, "%s{%s}%s %s\n", strings.Repeat("  ", depth), tok.Name.Space, tok.Name.Local, strings.Join(attrs, " "))
			depth++
		case xml.EndElement:
			flush()
			depth--
		case xml.CharData:
			text.Write(tok)
		}
	}
	return b.String()
}

func readGolden(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

// newSOAPServer starts an httptest server with handler, closed at cleanup.
func newSOAPServer(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}

// sequence answers the i-th request with responders[i] (the last one
// repeats) and records every request.
func sequence(rec *recorder, responders ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int64
	return func(req *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		if i >= len(responders) {
			i = len(responders) - 1
		}
		rec.add(req)
		return responders[i](req)
	}
}

func answer(status int, body string, header ...string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "text/xml; charset=utf-8")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}
