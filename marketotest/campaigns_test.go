package marketotest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func leadKeys(keys ...string) string {
	var b strings.Builder
	b.WriteString("<leadList>")
	for i := 0; i+1 < len(keys); i += 2 {
		b.WriteString("<leadKey><keyType>" + keys[i] + "</keyType><keyValue>" + keys[i+1] + "</keyValue></leadKey>")
	}
	b.WriteString("</leadList>")
	return b.String()
}

func request(inner string) string {
	return "<ns1:paramsRequestCampaign>" + inner + "</ns1:paramsRequestCampaign>"
}

func TestRequestCampaignByID(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	r := call(t, srv, request("<source>MKTOWS</source><campaignId>1002</campaignId>"+leadKeys("IDNUM", "1", "EMAIL", "SAM@example.com", "SFDCLEADID", "00Q000000000001", "EMAIL", "nobody@example.com")))
	requireSuccess(t, r)
	assert.Contains(t, r.Body, "<ns1:successRequestCampaign>\n      <result>\n        <success>true</success>")
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, "requestCampaign", runs[0].Operation)
	assert.Equal(t, "Trigger Campaign Example", runs[0].Campaign)
	assert.Equal(t, "MKTOWS", runs[0].Source)
	assert.Equal(t, []int{1, 3}, runs[0].LeadIDs)
	assert.Equal(t, []LeadKey{{"EMAIL", "nobody@example.com"}}, runs[0].LeadsNotFound)
	assert.Equal(t, "Default message", runs[0].Tokens["{{my.message}}"])
}

func TestRequestCampaignByNameWithTokens(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireSuccess(t, call(t, srv, request("<source>SALES</source>"+leadKeys("EMAIL", "jdoe@janeconsulting.com")+
		"<programName>Trav-Demo-Program</programName><campaignName>Welcome Email Trigger</campaignName>"+
		"<programTokenList><attrib><name>{{my.message}}</name><value>Hi</value></attrib></programTokenList>")))
	run := srv.Runs()[0]
	assert.Equal(t, "Hi", run.Tokens["{{my.message}}"])
	assert.Equal(t, "Default other token", run.Tokens["{{my.other token}}"])
	assert.Equal(t, "SALES", run.Source)
}

func TestRequestCampaignIgnoresKeysPast100(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	var keys []string
	for i := 0; i < 100; i++ {
		keys = append(keys, "EMAIL", fmt.Sprintf("nobody%d@example.com", i))
	}
	keys = append(keys, "IDNUM", "1", "IDNUM", "2")
	// The only existing leads are keys 101 and 102: ignored, so none found.
	requireFault(t, call(t, srv, request("<source>MKTOWS</source><campaignId>1002</campaignId>"+leadKeys(keys...))), marketo.CodeLeadNotFound)
	keys[1] = "jdoe@janeconsulting.com"
	requireSuccess(t, call(t, srv, request("<source>MKTOWS</source><campaignId>1002</campaignId>"+leadKeys(keys...))))
	run := srv.Runs()[0]
	assert.Equal(t, 2, run.LeadKeysIgnored)
	assert.Equal(t, []int{1}, run.LeadIDs)
	assert.Len(t, run.LeadsNotFound, 99)
}

func TestRequestCampaignRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	one := leadKeys("IDNUM", "1")
	names := "<programName>Trav-Demo-Program</programName><campaignName>Trigger Campaign Example</campaignName>"
	cases := []struct {
		name, inner string
		code        marketo.Code
	}{
		{"missing source", "<campaignId>1002</campaignId>" + one, marketo.CodeParameterRequired},
		{"bad source", "<source>WEB</source><campaignId>1002</campaignId>" + one, marketo.CodeBadParameterValue},
		{"id not an int", "<source>MKTOWS</source><campaignId>abc</campaignId>" + one, marketo.CodeBadParameterValue},
		{"id and names", "<source>MKTOWS</source><campaignId>1002</campaignId>" + one + names, marketo.CodeBadParameter},
		{"id and tokens", "<source>MKTOWS</source><campaignId>1002</campaignId>" + one + "<programTokenList/>", marketo.CodeBadParameter},
		{"program only", "<source>MKTOWS</source>" + one + "<programName>Trav-Demo-Program</programName>", marketo.CodeBadParameter},
		{"campaign only", "<source>MKTOWS</source>" + one + "<campaignName>Trigger Campaign Example</campaignName>", marketo.CodeBadParameter},
		{"no campaign", "<source>MKTOWS</source>" + one, marketo.CodeParameterRequired},
		{"unknown id", "<source>MKTOWS</source><campaignId>9999</campaignId>" + one, marketo.CodeCampaignNotFound},
		{"unknown name", "<source>MKTOWS</source>" + one + "<programName>Trav-Demo-Program</programName><campaignName>Nope</campaignName>", marketo.CodeCampaignNotFound},
		{"batch campaign", "<source>MKTOWS</source><campaignId>1001</campaignId>" + one, marketo.CodeBadParameter},
		{"trigger not requestable", "<source>MKTOWS</source><campaignId>1004</campaignId>" + one, marketo.CodeBadParameter},
		{"no leads", "<source>MKTOWS</source><campaignId>1002</campaignId>", marketo.CodeLeadKeyRequired},
		{"empty lead list", "<source>MKTOWS</source><campaignId>1002</campaignId><leadList/>", marketo.CodeLeadKeyRequired},
		{"bad keyType", "<source>MKTOWS</source><campaignId>1002</campaignId>" + leadKeys("ID", "1"), marketo.CodeBadParameterValue},
		{"IDNUM not a number", "<source>MKTOWS</source><campaignId>1002</campaignId>" + leadKeys("IDNUM", "x"), marketo.CodeLeadKeyBad},
		{"lead not found", "<source>MKTOWS</source><campaignId>1002</campaignId>" + leadKeys("EMAIL", "pants@example.com"), marketo.CodeLeadNotFound},
		{"leadKey out of order", "<source>MKTOWS</source><campaignId>1002</campaignId><leadList><leadKey><keyValue>1</keyValue><keyType>IDNUM</keyType></leadKey></leadList>", marketo.CodeRequestNotUnderstood},
		{"elements out of order", "<source>MKTOWS</source>" + one + "<campaignId>1002</campaignId>", marketo.CodeRequestNotUnderstood},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			requireFault(t, call(t, srv, request(tc.inner)), tc.code)
		})
	}
	t.Run("not found message", func(t *testing.T) {
		t.Parallel()
		f := requireFault(t, call(t, srv, request("<source>MKTOWS</source><campaignId>1002</campaignId>"+leadKeys("EMAIL", "pants@example.com"))), marketo.CodeLeadNotFound)
		assert.Equal(t, "No lead found with EMAIL = pants@example.com (20103)", f.Message)
		assert.Equal(t, "20103 - Lead not found", f.FaultString)
	})
}

func TestGetCampaignsForSource(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	r := call(t, srv, `<ns1:paramsGetCampaignsForSource><source>MKTOWS</source></ns1:paramsGetCampaignsForSource>`)
	requireSuccess(t, r)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successGetCampaignsForSource>
      <result>
        <returnCount>2</returnCount>
        <campaignRecordList>
          <campaignRecord>
            <id>1002</id>
            <name>Trigger Campaign Example</name>
            <description>Requested by the SOAP API</description>
          </campaignRecord>
          <campaignRecord>
            <id>1003</id>
            <name>Welcome Email Trigger</name>
            <description />
          </campaignRecord>
        </campaignRecordList>
      </result>
    </ns1:successGetCampaignsForSource>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`, r.Body)

	r = call(t, srv, `<ns1:paramsGetCampaignsForSource><source>MKTOWS</source><name>welcome</name></ns1:paramsGetCampaignsForSource>`)
	assert.Contains(t, r.Body, "<returnCount>1</returnCount>")
	assert.Contains(t, r.Body, "<id>1003</id>")
	r = call(t, srv, `<ns1:paramsGetCampaignsForSource><source>MKTOWS</source><name>welcome</name><exactName>true</exactName></ns1:paramsGetCampaignsForSource>`)
	assert.Contains(t, r.Body, "<returnCount>0</returnCount>")
	assert.Contains(t, r.Body, `<campaignRecordList xsi:nil="true" />`)
	assert.Contains(t, r.Body, `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`)
	r = call(t, srv, `<ns1:paramsGetCampaignsForSource><source>MKTOWS</source><name>Welcome Email Trigger</name><exactName>1</exactName></ns1:paramsGetCampaignsForSource>`)
	assert.Contains(t, r.Body, "<returnCount>1</returnCount>")
	requireFault(t, call(t, srv, `<ns1:paramsGetCampaignsForSource><source>MKTOWS</source><exactName>yes</exactName></ns1:paramsGetCampaignsForSource>`), marketo.CodeBadParameterValue)
	requireFault(t, call(t, srv, `<ns1:paramsGetCampaignsForSource><name>x</name></ns1:paramsGetCampaignsForSource>`), marketo.CodeParameterRequired)
}

func TestUnknownTokensAreIgnored(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example",
		"<programTokenList><attrib><name>{{my.nope}}</name><value>x</value></attrib><attrib><name>{{my.message}}</name><value>m</value></attrib></programTokenList>")))
	run := srv.Runs()[0]
	assert.Equal(t, []string{"{{my.nope}}"}, run.IgnoredTokens)
	assert.Equal(t, map[string]string{"{{my.message}}": "m", "{{my.other token}}": "Default other token"}, run.Tokens)
	assert.Equal(t, map[string]string{"{{my.nope}}": "x", "{{my.message}}": "m"}, run.CallTokens)
}

func TestCloneToProgramName(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example",
		"<campaignRunAt>2026-04-01T09:00:00-05:00</campaignRunAt><cloneToProgramName>TestProgramCloneFromSOAP</cloneToProgramName>"+
			"<programTokenList><attrib><name>{{my.message}}</name><value>Cloned run</value></attrib></programTokenList>")))
	clone, ok := srv.Program("TestProgramCloneFromSOAP")
	require.True(t, ok)
	orig, _ := srv.Program("Trav-Demo-Program")
	assert.Equal(t, "Trav-Demo-Program", clone.ClonedFrom)
	assert.Equal(t, orig.Tokens, clone.Tokens)
	require.Len(t, clone.Campaigns, len(orig.Campaigns))
	assert.NotEqual(t, orig.Campaigns[0].ID, clone.Campaigns[0].ID)
	assert.Equal(t, "TestProgramCloneFromSOAP", clone.Campaigns[0].Program)
	assert.Equal(t, []List{{Program: "TestProgramCloneFromSOAP", Name: "Trav-Test-List", Members: []int{1}}}, clone.Lists)
	run := srv.Runs()[0]
	assert.True(t, run.Cloned)
	assert.Equal(t, "Trav-Demo-Program", run.CloneOf)
	assert.Equal(t, "TestProgramCloneFromSOAP", run.Program)
	assert.Equal(t, clone.Campaigns[0].ID, run.CampaignID)
	assert.Equal(t, "Cloned run", run.Tokens["{{my.message}}"])
	// The same name again is refused.
	requireFault(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<cloneToProgramName>TestProgramCloneFromSOAP</cloneToProgramName>")), marketo.CodeBadParameter)
}

func TestRunAtAbsentMeansNow(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireSuccess(t, call(t, srv, `<ns1:paramsScheduleCampaign xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><programName>Trav-Demo-Program</programName><campaignName>Batch Campaign Example</campaignName><campaignRunAt xsi:nil="true"/></ns1:paramsScheduleCampaign>`))
	assert.True(t, srv.Runs()[0].RunAt.Equal(t0))
}

func TestTokenNamesAreNotCaseSensitive(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example",
		"<programTokenList><attrib><name>{{my.Message}}</name><value>m</value></attrib></programTokenList>")))
	run := srv.Runs()[0]
	assert.Equal(t, "m", run.Tokens["{{my.message}}"])
	assert.Empty(t, run.IgnoredTokens)
	requireFault(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example",
		"<programTokenList><attrib><name>{{my.message}}</name><value>a</value></attrib><attrib><name>{{MY.MESSAGE}}</name><value>b</value></attrib></programTokenList>")), marketo.CodeBadParameter)
}
