package marketotest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func importReq(header, mode, list, clear, campaign string, rows ...string) string {
	var b strings.Builder
	b.WriteString(`<ns1:paramsImportToList><programName>Trav-Demo-Program</programName><importFileHeader>` + escape(header) + `</importFileHeader><importFileRows>`)
	for _, r := range rows {
		b.WriteString("<stringItem>" + escape(r) + "</stringItem>")
	}
	b.WriteString(`</importFileRows><importListMode>` + mode + `</importListMode><listName>` + list + `</listName><clearList>` + clear + `</clearList>`)
	if campaign == "" {
		b.WriteString(`<campaignName xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`)
	} else {
		b.WriteString(`<campaignName>` + campaign + `</campaignName>`)
	}
	b.WriteString(`</ns1:paramsImportToList>`)
	return b.String()
}

const statusReq = `<ns1:paramsGetImportToListStatus><programName>Trav-Demo-Program</programName><listName>Trav-Test-List</listName></ns1:paramsGetImportToListStatus>`

func TestImportToListDocsExample(t *testing.T) {
	t.Parallel()
	srv, clock := newTestServer(t)
	r := call(t, srv, `<ns1:paramsImportToList>
      <programName>Trav-Demo-Program</programName>
      <importFileHeader>Last Name,First Name,Job Title,Company Name,Email Address</importFileHeader>
      <importFileRows>
        <stringItem>Awesomesauce,Developer,Code Slinger,Marketo,dawesomesauce@marketo.com</stringItem>
        <stringItem>Doe,Jane,VP Marketing,Jane Consulting,jdoe@janeconsulting.com</stringItem>
        <stringItem>"Smith, Jr.","Multi
Line",CEO,"Acme ""Inc""",new@example.com</stringItem>
        <stringItem>too,few,columns</stringItem>
      </importFileRows>
      <importListMode>UPSERTLEADS</importListMode>
      <listName>Trav-Test-List</listName>
      <clearList>false</clearList>
      <campaignName>Batch Campaign Example</campaignName>
    </ns1:paramsImportToList>`)
	requireSuccess(t, r)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successImportToList>
      <result>
        <!-- Possible Values: COMPLETE/PROCESSING/FAILED/CANCELED -->
        <importStatus>PROCESSING</importStatus>
      </result>
    </ns1:successImportToList>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`, r.Body)

	clock.Advance(30 * time.Second)
	r = call(t, srv, statusReq)
	requireSuccess(t, r)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successGetImportToListStatus>
      <result>
        <!-- Possible status values: PROCESSING/COMPLETE/FAILED/CANCELED -->
        <status>PROCESSING</status>
        <startedTime>2026-03-10T11:00:00-05:00</startedTime>
        <endedTime xsi:nil="true" />
        <estimatedTime>30</estimatedTime>
        <estimatedRows>4</estimatedRows>
        <rowsImported>0</rowsImported>
        <rowsFailed>0</rowsFailed>
        <rowsIgnored>0</rowsIgnored>
        <importSummary xsi:nil="true" />
      </result>
    </ns1:successGetImportToListStatus>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`, r.Body)
	members, _ := srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
	assert.Equal(t, []int{1}, members, "nothing applied while PROCESSING")

	clock.Advance(30 * time.Second)
	r = call(t, srv, statusReq)
	assert.Contains(t, r.Body, "<status>COMPLETE</status>")
	assert.Contains(t, r.Body, "<endedTime>2026-03-10T11:01:00-05:00</endedTime>")
	assert.Contains(t, r.Body, `<estimatedTime xsi:nil="true" />`)
	assert.Contains(t, r.Body, "<rowsImported>3</rowsImported>")
	assert.Contains(t, r.Body, "<rowsFailed>1</rowsFailed>")
	assert.Contains(t, r.Body, "<rowsIgnored>0</rowsIgnored>")

	members, _ = srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
	assert.Equal(t, []int{1, 2, 4}, members)
	leads := srv.Leads()
	require.Len(t, leads, 4)
	assert.Equal(t, "VP Marketing", leads[0].Fields["Job Title"])
	assert.Equal(t, "new@example.com", leads[3].Email)
	assert.Equal(t, "Smith, Jr.", leads[3].Fields["Last Name"])
	assert.Equal(t, "Multi\nLine", leads[3].Fields["First Name"])
	assert.Equal(t, `Acme "Inc"`, leads[3].Fields["Company Name"])
	imp := srv.Imports()[0]
	assert.Equal(t, "COMPLETE", imp.Status)
	assert.Equal(t, 4, imp.Rows)
}

func TestImportListOnlyIgnoresUnknownLeadsAndClears(t *testing.T) {
	t.Parallel()
	srv, clock := newTestServer(t, WithImportDuration(0))
	requireSuccess(t, call(t, srv, importReq("Email Address,First Name", "LISTONLY", "Trav-Test-List", "true", "",
		"sam@example.com,Changed", "ghost@example.com,Nobody")))
	clock.Advance(time.Second)
	members, _ := srv.ListMembers("Trav-Demo-Program", "Trav-Test-List")
	assert.Equal(t, []int{3}, members, "list cleared, ghost ignored")
	assert.Len(t, srv.Leads(), 3)
	assert.Equal(t, "Sam", srv.Leads()[2].Fields["First Name"], "LISTONLY does not update leads")
	r := call(t, srv, statusReq)
	assert.Contains(t, r.Body, "<rowsIgnored>1</rowsIgnored>")
	assert.Contains(t, r.Body, "<rowsImported>1</rowsImported>")
}

func TestImportTokenPrecedence(t *testing.T) {
	t.Parallel()
	srv, clock := newTestServer(t)
	requireSuccess(t, call(t, srv, importReq("Email Address,{{my.message}},{{my.unknown}}", "UPSERTLEADS", "Trav-Test-List", "false", "Batch Campaign Example",
		"jdoe@janeconsulting.com,Hello Jane,x", "sam@example.com,Hello Sam,y")))
	assert.Equal(t, []string{"{{my.unknown}}"}, srv.Imports()[0].IgnoredTokens)
	clock.Advance(time.Minute)
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example",
		"<programTokenList><attrib><name>{{my.message}}</name><value>Call</value></attrib><attrib><name>{{my.other token}}</name><value>Call other</value></attrib></programTokenList>")))
	run := srv.Runs()[0]
	assert.Equal(t, []int{1, 3}, run.LeadIDs)
	assert.Equal(t, map[string]string{"{{my.message}}": "Call", "{{my.other token}}": "Call other"}, run.Tokens)
	assert.Equal(t, map[int]map[string]string{
		1: {"{{my.message}}": "Hello Jane", "{{my.other token}}": "Call other"},
		3: {"{{my.message}}": "Hello Sam", "{{my.other token}}": "Call other"},
	}, run.LeadTokens)
	// Per-lead tokens and call tokens were for that run only.
	requireSuccess(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "")))
	run = srv.Runs()[1]
	assert.Nil(t, run.LeadTokens)
	assert.Equal(t, "Default message", run.Tokens["{{my.message}}"])
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	cases := []struct {
		name, req string
		code      marketo.Code
	}{
		{"unknown field", importReq("Email Address,Shoe Size", "UPSERTLEADS", "Trav-Test-List", "false", "", "a@b.c,9"), marketo.CodeLeadAttributeBad},
		{"no email column", importReq("First Name", "UPSERTLEADS", "Trav-Test-List", "false", "", "Jo"), marketo.CodeBadParameter},
		{"repeated column", importReq("Email Address,Email Address", "UPSERTLEADS", "Trav-Test-List", "false", "", "a,b"), marketo.CodeBadParameter},
		{"bad token column", importReq("Email Address,{{message}}", "UPSERTLEADS", "Trav-Test-List", "false", "Batch Campaign Example", "a,b"), marketo.CodeBadParameter},
		{"token columns without campaign", importReq("Email Address,{{my.message}}", "UPSERTLEADS", "Trav-Test-List", "false", "", "a,b"), marketo.CodeParameterRequired},
		{"unknown campaign", importReq("Email Address", "UPSERTLEADS", "Trav-Test-List", "false", "Nope", "a"), marketo.CodeCampaignNotFound},
		{"unknown list", importReq("Email Address", "UPSERTLEADS", "Nope", "false", "", "a"), marketo.CodeListNotFound},
		{"bad mode", importReq("Email Address", "UPSERT", "Trav-Test-List", "false", "", "a"), marketo.CodeBadParameterValue},
		{"bad clearList", importReq("Email Address", "UPSERTLEADS", "Trav-Test-List", "no", "", "a"), marketo.CodeBadParameterValue},
		{"campaignName missing", strings.Replace(importReq("Email Address", "UPSERTLEADS", "Trav-Test-List", "false", "X", "a"), "<campaignName>X</campaignName>", "", 1), marketo.CodeParameterRequired},
		{"unknown program", strings.Replace(importReq("Email Address", "UPSERTLEADS", "Trav-Test-List", "false", "", "a"), "Trav-Demo-Program", "Nope", 1), marketo.CodeCampaignNotFound},
		{"stringItem qualified", strings.Replace(importReq("Email Address", "UPSERTLEADS", "Trav-Test-List", "false", "", "a"), "<stringItem>a</stringItem>", "<ns1:stringItem>a</ns1:stringItem>", 1), marketo.CodeRequestNotUnderstood},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			requireFault(t, call(t, srv, tc.req), tc.code)
		})
	}
}

func TestImportStatusRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	requireFault(t, call(t, srv, statusReq), marketo.CodeBadParameter) // no import yet
	requireFault(t, call(t, srv, `<ns1:paramsGetImportToListStatus><programName>Trav-Demo-Program</programName><listName>Nope</listName></ns1:paramsGetImportToListStatus>`), marketo.CodeListNotFound)
	requireFault(t, call(t, srv, `<ns1:paramsGetImportToListStatus><programName>Trav-Demo-Program</programName></ns1:paramsGetImportToListStatus>`), marketo.CodeParameterRequired)
	requireSuccess(t, call(t, srv, importReq("Email Address", "UPSERTLEADS", "Trav-Test-List", "false", "", "a@example.com")))
	requireFault(t, call(t, srv, importReq("Email Address", "UPSERTLEADS", "Trav-Test-List", "false", "", "b@example.com")), marketo.CodeBadParameter) // one at a time
}
