package marketotest

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestSignMatchesPublishedVector(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "ffbff4d4bef354807481e66dc7540f7890523a87",
		Sign("899756834129871744AAEE88DDCC77CDEEDEC1AAAD66", "2010-04-09T14:04:54-07:00", "bigcorp1_461839624B16E06BA2D663"))
	assert.Equal(t, "17bf0b9e412e58eec836dc557ca9433f666944b6",
		Sign("27272727aa", "2013-08-05T14:56:58-07:00", "demo17_1_809934544BFABAE58E5D27"))
}

func TestSeedRequestSucceeds(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	r := post(t, srv, signed(srv, seedSchedule), "SOAPAction", `"http://www.marketo.com/mktows/scheduleCampaign"`)
	requireSuccess(t, r)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successScheduleCampaign>
      <result>
        <success>true</success>
      </result>
    </ns1:successScheduleCampaign>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`, r.Body)
	runs := srv.Runs()
	require.Len(t, runs, 1)
	run := runs[0]
	assert.Equal(t, "Trav-Demo-Program", run.Program)
	assert.Equal(t, "Batch Campaign Example", run.Campaign)
	assert.Equal(t, 1001, run.CampaignID)
	assert.True(t, run.RunAt.Equal(time.Date(2013, 8, 4, 4, 39, 34, 0, time.UTC)))
	assert.Equal(t, map[string]string{"{{my.message}}": "Updated message", "{{my.other token}}": "Value for other token"}, run.Tokens)
	assert.False(t, run.Cloned)
	// Overrides apply to that run only.
	p, ok := srv.Program("Trav-Demo-Program")
	require.True(t, ok)
	assert.Equal(t, "Default message", p.Tokens["{{my.message}}"])

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "scheduleCampaign", reqs[0].Operation)
	assert.Equal(t, http.StatusOK, reqs[0].HTTPStatus)
	assert.Contains(t, string(reqs[0].Body), "<requestSignature>REDACTED</requestSignature>")
}

func TestScheduleCampaignAccepts31Order(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireSuccess(t, call(t, srv, `<ns1:paramsScheduleCampaign><programName>Trav-Demo-Program</programName>
<cloneToProgramName>Clone A</cloneToProgramName><campaignName>Batch Campaign Example</campaignName></ns1:paramsScheduleCampaign>`))
	// Any prefix works, and so does a default namespace undone on the children.
	requireSuccess(t, call(t, srv, `<m:paramsScheduleCampaign xmlns:m="http://www.marketo.com/mktows/"><programName>Trav-Demo-Program</programName><campaignName>Batch Campaign Example</campaignName></m:paramsScheduleCampaign>`))
	requireSuccess(t, call(t, srv, `<paramsScheduleCampaign xmlns="http://www.marketo.com/mktows/"><programName xmlns="">Trav-Demo-Program</programName><campaignName xmlns="">Batch Campaign Example</campaignName></paramsScheduleCampaign>`))
	assert.Len(t, srv.Runs(), 3)
}

func TestFaultShapeIsExact(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	body := envelopeAt(srv.Config().UserID, "wrong key", srv.Now(), seedSchedule)
	r := post(t, srv, body)
	requireFault(t, r, marketo.CodeAuthenticationFailed)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Body>
    <SOAP-ENV:Fault>
      <faultcode>SOAP-ENV:Client</faultcode>
      <faultstring>20014 - Authentication failed</faultstring>
      <detail>
        <ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/">
          <name>mktServiceException</name>
          <message>Authentication failed (20014)</message>
          <code>20014</code>
        </ns1:serviceException>
      </detail>
    </SOAP-ENV:Fault>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`, r.Body)
	assert.Empty(t, srv.Runs())
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	cfg := srv.Config()
	now := srv.Now()
	stamp := now.Format("2006-01-02T15:04:05-07:00")
	good := schedule("Trav-Demo-Program", "Batch Campaign Example", "")
	withTS := func(ts string) string {
		return envelopeRaw(cfg.UserID, Sign(cfg.EncryptionKey, ts, cfg.UserID), ts, good)
	}
	cases := []struct {
		name   string
		body   string
		header []string
		code   marketo.Code
	}{
		{"default namespace on children", signed(srv, `<paramsScheduleCampaign xmlns="http://www.marketo.com/mktows/"><programName>Trav-Demo-Program</programName><campaignName>Batch Campaign Example</campaignName></paramsScheduleCampaign>`), nil, marketo.CodeRequestNotUnderstood},
		{"qualified child", signed(srv, `<ns1:paramsScheduleCampaign><ns1:programName>Trav-Demo-Program</ns1:programName><campaignName>Batch Campaign Example</campaignName></ns1:paramsScheduleCampaign>`), nil, marketo.CodeRequestNotUnderstood},
		{"params in no namespace", signed(srv, `<paramsScheduleCampaign><programName>Trav-Demo-Program</programName><campaignName>Batch Campaign Example</campaignName></paramsScheduleCampaign>`), nil, marketo.CodeRequestNotUnderstood},
		{"undeclared prefix", signed(srv, `<x:paramsScheduleCampaign><programName>P</programName><campaignName>C</campaignName></x:paramsScheduleCampaign>`), nil, marketo.CodeRequestNotUnderstood},
		{"SOAP 1.2 envelope", strings.ReplaceAll(signed(srv, good), "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"), nil, marketo.CodeRequestNotUnderstood},
		{"DOCTYPE", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>` + strings.TrimPrefix(signed(srv, good), `<?xml version="1.0" encoding="UTF-8"?>`), nil, marketo.CodeRequestNotUnderstood},
		{"undefined entity", signed(srv, schedule("&e;", "Batch Campaign Example", "")), nil, marketo.CodeRequestNotUnderstood},
		{"malformed XML", signed(srv, good)[:200], nil, marketo.CodeRequestNotUnderstood},
		{"not XML", "hello", nil, marketo.CodeRequestNotUnderstood},
		{"unknown child", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<priority>1</priority>")), nil, marketo.CodeRequestNotUnderstood},
		{"repeated child", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<campaignName>X</campaignName>")), nil, marketo.CodeRequestNotUnderstood},
		{"out of order", signed(srv, `<ns1:paramsScheduleCampaign><campaignName>Batch Campaign Example</campaignName><programName>Trav-Demo-Program</programName></ns1:paramsScheduleCampaign>`), nil, marketo.CodeRequestNotUnderstood},
		{"tokens before runAt", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", `<programTokenList/><campaignRunAt>2026-03-10T10:00:00-05:00</campaignRunAt>`)), nil, marketo.CodeRequestNotUnderstood},
		{"unknown operation", signed(srv, `<ns1:paramsDoMagic/>`), nil, marketo.CodeUnsupportedOperation},
		{"body element not a params element", signed(srv, `<ns1:scheduleCampaign/>`), nil, marketo.CodeRequestNotUnderstood},
		{"unsupported operation", signed(srv, `<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType><keyValue>1</keyValue></leadKey></ns1:paramsGetLead>`), nil, marketo.CodeUnsupportedOperation},
		{"two body elements", signed(srv, good+good), nil, marketo.CodeRequestNotUnderstood},
		{"empty body", signed(srv, ""), nil, marketo.CodeInvalidRequest},
		{"missing header", strings.Replace(signed(srv, good), "<ns1:AuthenticationHeader>", "<ns1:Other>", 1), nil, marketo.CodeRequestNotUnderstood},
		{"no Header element", `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body>` + good + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`, nil, marketo.CodeInvalidRequest},
		{"missing timestamp", strings.Replace(withTS(stamp), "<requestTimestamp>"+stamp+"</requestTimestamp>", "<audit>"+stamp+"</audit>", 1), nil, marketo.CodeInvalidRequest},
		{"qualified header child", strings.Replace(signed(srv, good), "<mktowsUserId>"+cfg.UserID+"</mktowsUserId>", "<ns1:mktowsUserId>"+cfg.UserID+"</ns1:mktowsUserId>", 1), nil, marketo.CodeRequestNotUnderstood},
		{"missing programName", signed(srv, `<ns1:paramsScheduleCampaign><campaignName>Batch Campaign Example</campaignName></ns1:paramsScheduleCampaign>`), nil, marketo.CodeParameterRequired},
		{"empty programName", signed(srv, schedule("", "Batch Campaign Example", "")), nil, marketo.CodeParameterRequired},
		{"nil programName", signed(srv, `<ns1:paramsScheduleCampaign xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><programName xsi:nil="true"/><campaignName>Batch Campaign Example</campaignName></ns1:paramsScheduleCampaign>`), nil, marketo.CodeParameterRequired},
		{"runAt not a dateTime", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<campaignRunAt>tomorrow</campaignRunAt>")), nil, marketo.CodeBadParameterValue},
		{"runAt without zone", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<campaignRunAt>2026-03-10T10:00:00</campaignRunAt>")), nil, marketo.CodeBadParameterValue},
		{"bad signature", envelopeRaw(cfg.UserID, strings.Repeat("0", 40), stamp, good), nil, marketo.CodeAuthenticationFailed},
		{"uppercase signature", envelopeRaw(cfg.UserID, strings.ToUpper(Sign(cfg.EncryptionKey, stamp, cfg.UserID)), stamp, good), nil, marketo.CodeAuthenticationFailed},
		{"unknown user", envelopeAt("someone_else", cfg.EncryptionKey, now, good), nil, marketo.CodeAuthenticationFailed},
		{"timestamp with Z", withTS(now.UTC().Format("2006-01-02T15:04:05Z")), nil, marketo.CodeRequestExpired},
		{"timestamp without seconds", withTS(now.Format("2006-01-02T15:04-07:00")), nil, marketo.CodeRequestExpired},
		{"timestamp garbage", withTS("yesterday"), nil, marketo.CodeRequestExpired},
		{"timestamp 16 minutes old", withTS(now.Add(-16 * time.Minute).Format(TimestampLayout)), nil, marketo.CodeRequestExpired},
		{"timestamp 16 minutes ahead", withTS(now.Add(16 * time.Minute).Format(TimestampLayout)), nil, marketo.CodeRequestExpired},
		{"SOAPAction of another operation", signed(srv, good), []string{"SOAPAction", "http://www.marketo.com/mktows/requestCampaign"}, marketo.CodeRequestNotUnderstood},
		{"empty SOAPAction", signed(srv, good), []string{"SOAPAction", `""`}, marketo.CodeRequestNotUnderstood},
		{"SOAP 1.2 content type", signed(srv, good), []string{"Content-Type", "application/soap+xml; charset=utf-8"}, marketo.CodeRequestNotUnderstood},
		{"latin1 charset", signed(srv, good), []string{"Content-Type", "text/xml; charset=iso-8859-1"}, marketo.CodeRequestNotUnderstood},
		{"processing instruction", strings.Replace(signed(srv, good), "<SOAP-ENV:Body>", "<?php echo 1 ?><SOAP-ENV:Body>", 1), nil, marketo.CodeRequestNotUnderstood},
		{"latin1 declaration", strings.Replace(signed(srv, good), `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1), nil, marketo.CodeRequestNotUnderstood},
		{"text in params", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "stray text")), nil, marketo.CodeRequestNotUnderstood},
		{"element inside a string", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<cloneToProgramName><b>x</b></cloneToProgramName>")), nil, marketo.CodeRequestNotUnderstood},
		{"element after Body", strings.Replace(signed(srv, good), "</SOAP-ENV:Body>", "</SOAP-ENV:Body><SOAP-ENV:Body/>", 1), nil, marketo.CodeRequestNotUnderstood},
		{"Header after Body", `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body/><SOAP-ENV:Header/></SOAP-ENV:Envelope>`, nil, marketo.CodeRequestNotUnderstood},
		{"unknown header entry", strings.Replace(signed(srv, good), "</SOAP-ENV:Header>", "<x:Trace xmlns:x=\"urn:x\"/></SOAP-ENV:Header>", 1), nil, marketo.CodeRequestNotUnderstood},
		{"header mode not an int", strings.Replace(withTS(stamp), "</requestTimestamp>", "</requestTimestamp><mode>high</mode>", 1), nil, marketo.CodeRequestNotUnderstood},
		{"header children out of order", strings.Replace(withTS(stamp), "</requestTimestamp>", "</requestTimestamp><mode>1</mode><audit>a</audit>", 1), nil, marketo.CodeRequestNotUnderstood},
		{"unknown program", signed(srv, schedule("Nope", "Batch Campaign Example", "")), nil, marketo.CodeCampaignNotFound},
		{"unknown campaign", signed(srv, schedule("Trav-Demo-Program", "Nope", "")), nil, marketo.CodeCampaignNotFound},
		{"trigger campaign", signed(srv, schedule("Trav-Demo-Program", "Trigger Campaign Example", "")), nil, marketo.CodeBadParameter},
		{"token name not in full form", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<programTokenList><attrib><name>my.message</name><value>x</value></attrib></programTokenList>")), nil, marketo.CodeBadParameter},
		{"token repeated", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<programTokenList><attrib><name>{{my.message}}</name><value>x</value></attrib><attrib><name>{{my.message}}</name><value>y</value></attrib></programTokenList>")), nil, marketo.CodeBadParameter},
		{"attrib without value", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<programTokenList><attrib><name>{{my.message}}</name></attrib></programTokenList>")), nil, marketo.CodeParameterRequired},
		{"clone onto existing program", signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<cloneToProgramName>Trav-Demo-Program</cloneToProgramName>")), nil, marketo.CodeBadParameter},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := requireFault(t, post(t, srv, tc.body, tc.header...), tc.code)
			assert.Equal(t, "SOAP-ENV:Client", f.FaultCode)
			assert.True(t, strings.HasPrefix(f.FaultString, f.Message[len(f.Message)-6:len(f.Message)-1]+" - "), f.FaultString)
			assert.NotContains(t, f.Message, cfg.EncryptionKey)
		})
	}
}

func TestRefusalsDoNotRun(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireFault(t, call(t, srv, schedule("Trav-Demo-Program", "Trigger Campaign Example", "")), marketo.CodeBadParameter)
	assert.Empty(t, srv.Runs())
	for _, r := range srv.Requests() {
		assert.NotContains(t, string(r.Body), srv.Config().EncryptionKey)
		assert.NotContains(t, r.FaultMessage, srv.Config().EncryptionKey)
	}
}

func TestSignatureWindowEdges(t *testing.T) {
	t.Parallel()
	srv, clock := newTestServer(t, WithSignatureWindow(time.Minute))
	body := signed(srv, schedule("Trav-Demo-Program", "Batch Campaign Example", ""))
	clock.Advance(time.Minute)
	requireSuccess(t, post(t, srv, body)) // exactly at the edge
	clock.Advance(time.Second)
	requireFault(t, post(t, srv, body), marketo.CodeRequestExpired)
}

func TestHTTPLevel(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	get := func(url string) (int, string, string) {
		resp, err := http.Get(url)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	code, _, _ := get(srv.Config().Endpoint)
	assert.Equal(t, http.StatusMethodNotAllowed, code)
	code, _, _ = get(srv.URL + "/other")
	assert.Equal(t, http.StatusNotFound, code)
	code, ct, body := get(srv.Config().Endpoint + "?WSDL")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "text/xml; charset=utf-8", ct)
	assert.Contains(t, body, `location="`+srv.Config().Endpoint+`"`)
	code, _, _ = get(srv.Config().Endpoint + "?wsdl")
	assert.Equal(t, http.StatusOK, code)
}

func TestRecordedBodiesNeverHoldTheSignature(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	body := signed(srv, seedSchedule)
	requireFault(t, post(t, srv, body[:len(body)-30]), marketo.CodeRequestNotUnderstood) // malformed: not parsed
	requireSuccess(t, post(t, srv, body))
	cfg := srv.Config()
	la, _ := time.LoadLocation("America/Los_Angeles")
	sig := Sign(cfg.EncryptionKey, srv.Now().In(la).Format(TimestampLayout), cfg.UserID)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.NotContains(t, string(r.Body), sig)
		assert.Contains(t, string(r.Body), "<requestSignature>REDACTED</requestSignature>")
	}
}

func TestOptionalHeaderParts(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	cfg := srv.Config()
	stamp := srv.Now().Format(TimestampLayout)
	body := envelopeRaw(cfg.UserID, Sign(cfg.EncryptionKey, stamp, cfg.UserID), stamp, seedSchedule)
	body = strings.Replace(body, "</requestTimestamp>", "</requestTimestamp><partnerId>p</partnerId><audit>a</audit><mode>1</mode>", 1)
	body = strings.Replace(body, "</SOAP-ENV:Header>", "<ns1:MktowsContextHeader><targetWorkspace>Default</targetWorkspace></ns1:MktowsContextHeader></SOAP-ENV:Header>", 1)
	body = strings.Replace(body, "<SOAP-ENV:Body>", "<!-- a comment --><SOAP-ENV:Body>", 1)
	requireSuccess(t, post(t, srv, body))
}
