package soapwire

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	testEnvOpen = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">`
	testEnvClose = `</SOAP-ENV:Envelope>`
	testFault    = `<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>20113 - Campaign not found</faultstring>` +
		`<detail><ns1:serviceException><name>mktServiceException</name><message>Campaign not found (20113)</message><code>20113</code></ns1:serviceException></detail></SOAP-ENV:Fault>`
)

func testBody(inner string) []byte {
	return []byte(testEnvOpen + `<SOAP-ENV:Body>` + inner + `</SOAP-ENV:Body>` + testEnvClose)
}

// TestDecodeFault: a fault decodes to the codec's Fault with any HTTP
// status, its code from the detail or, without one, from the number the
// faultstring starts with.
func TestDecodeFault(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault string
		want  Fault
	}{
		{"detail code", testFault, Fault{FaultCode: "SOAP-ENV:Client", FaultString: "20113 - Campaign not found", Message: "Campaign not found (20113)", Code: 20113}},
		{"faultstring code", `<SOAP-ENV:Fault><faultcode> SOAP-ENV:Server </faultcode><faultstring>20014 - Authentication failed</faultstring></SOAP-ENV:Fault>`,
			Fault{FaultCode: "SOAP-ENV:Server", FaultString: "20014 - Authentication failed", Code: 20014}},
		{"no code", `<SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode><faultstring>Internal error</faultstring></SOAP-ENV:Fault>`,
			Fault{FaultCode: "SOAP-ENV:Server", FaultString: "Internal error"}},
	}
	for _, tc := range cases {
		for _, status := range []int{200, 500} {
			err := Decode(testBody(tc.fault), status, "text/xml", "successScheduleCampaign", &ResultSuccess{})
			var f *Fault
			if !errors.As(err, &f) {
				t.Fatalf("%s, HTTP %d: got %v, want a *Fault", tc.name, status, err)
			}
			if *f != tc.want {
				t.Errorf("%s, HTTP %d: got %+v, want %+v", tc.name, status, *f, tc.want)
			}
		}
	}
}

// TestDecodeNotAnAnswer: whatever is not the operation's answer is an
// *AnswerError that says why, with the parse error behind it when there is
// one.
func TestDecodeNotAnAnswer(t *testing.T) {
	t.Parallel()
	success := `<ns1:successScheduleCampaign><result><success>true</success></result></ns1:successScheduleCampaign>`
	cases := []struct {
		name, body, contentType string
		status                  int
		reason                  string
		cause                   bool
	}{
		{"empty", "  ", "text/xml", 200, "empty body", false},
		{"html", "<html/>", "text/html", 502, "content type is not XML", false},
		{"not an envelope", "<html/>", "text/xml", 200, "body is not a SOAP 1.1 envelope", false},
		{"other element", string(testBody(`<ns1:successRequestCampaign/>`)), "text/xml", 200, "unexpected element {http://www.marketo.com/mktows/}successRequestCampaign", false},
		{"success with 500", string(testBody(success)), "text/xml", 500, "successScheduleCampaign answer with HTTP status 500", false},
		{"truncated", testEnvOpen + `<SOAP-ENV:Body>` + success, "text/xml", 200, "malformed or truncated XML after the answer", true},
		{"fault beside the answer", string(testBody(success + testFault)), "text/xml", 200, "unexpected element", false},
		{"DOCTYPE", `<!DOCTYPE x>` + string(testBody(success)), "text/xml", 200, "body is not a SOAP envelope", true},
	}
	for _, tc := range cases {
		err := Decode([]byte(tc.body), tc.status, tc.contentType, "successScheduleCampaign", &ResultSuccess{})
		var ae *AnswerError
		if !errors.As(err, &ae) {
			t.Fatalf("%s: got %v, want an *AnswerError", tc.name, err)
		}
		if !strings.Contains(ae.Reason, tc.reason) {
			t.Errorf("%s: reason %q, want %q", tc.name, ae.Reason, tc.reason)
		}
		if (ae.Err != nil) != tc.cause {
			t.Errorf("%s: cause %v, want one: %v", tc.name, ae.Err, tc.cause)
		}
	}
}

// TestChecks: a decoded success answer that breaks what the schema
// promises fails its Check.
func TestChecks(t *testing.T) {
	t.Parallel()
	decode := func(elem, result string, out Result) error {
		t.Helper()
		body := testBody(`<ns1:` + elem + `><result>` + result + `</result></ns1:` + elem + `>`)
		if err := Decode(body, 200, "text/xml", elem, out); err != nil {
			t.Fatalf("%s %s: %v", elem, result, err)
		}
		return out.Check()
	}
	if err := decode("successScheduleCampaign", `<success>true</success>`, &ResultSuccess{}); err != nil {
		t.Errorf("success true: %v", err)
	}
	if err := decode("successScheduleCampaign", `<success>false</success>`, &ResultSuccess{}); !errors.Is(err, ErrNotSuccessful) {
		t.Errorf("success false: %v, want ErrNotSuccessful", err)
	}
	bad := []struct {
		elem, result string
		out          Result
		reason       string
	}{
		{"successScheduleCampaign", ``, &ResultSuccess{}, "result/success is missing"},
		{"successImportToList", `<importStatus> </importStatus>`, &ResultImportToList{}, "result/importStatus is missing"},
		{"successGetImportToListStatus", `<rowsImported>1</rowsImported>`, &ResultGetImportToListStatus{}, "result/status is missing"},
		{"successGetCampaignsForSource", `<campaignRecordList/>`, &ResultGetCampaignsForSource{}, "result/returnCount is missing"},
		{"successGetCampaignsForSource", `<returnCount>2</returnCount><campaignRecordList><campaignRecord><id>1</id><name>a</name></campaignRecord></campaignRecordList>`,
			&ResultGetCampaignsForSource{}, "result/returnCount is 2 but 1 campaignRecord elements were sent"},
		{"successGetCampaignsForSource", `<returnCount>1</returnCount><campaignRecordList><campaignRecord><name>a</name></campaignRecord></campaignRecordList>`,
			&ResultGetCampaignsForSource{}, "campaignRecord 0 has no id"},
		{"successGetCampaignsForSource", `<returnCount>1</returnCount><campaignRecordList><campaignRecord><id>1</id><name xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></campaignRecord></campaignRecordList>`,
			&ResultGetCampaignsForSource{}, "campaignRecord 0 has no name"},
	}
	for _, tc := range bad {
		err := decode(tc.elem, tc.result, tc.out)
		var ae *AnswerError
		if !errors.As(err, &ae) || ae.Reason != tc.reason {
			t.Errorf("%s %s: got %v, want an *AnswerError %q", tc.elem, tc.result, err, tc.reason)
		}
	}
}

// TestDecodeOptionalValues: absent and nil elements are not Valid, and an
// xs:dateTime without a zone is read as UTC.
func TestDecodeOptionalValues(t *testing.T) {
	t.Parallel()
	body := testBody(`<ns1:successGetImportToListStatus><result><status>COMPLETE</status>` +
		`<startedTime>2026-12-01T09:30:00.5+05:45</startedTime><endedTime>2026-12-01T09:31:00</endedTime>` +
		`<estimatedTime xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/><rowsImported> 7 </rowsImported>` +
		`</result></ns1:successGetImportToListStatus>`)
	var out ResultGetImportToListStatus
	if err := Decode(body, 200, "text/xml", "successGetImportToListStatus", &out); err != nil {
		t.Fatal(err)
	}
	started := time.Date(2026, 12, 1, 9, 30, 0, 5e8, time.FixedZone("", 5*3600+45*60))
	if !out.StartedTime.Valid || !out.StartedTime.Value.Equal(started) {
		t.Errorf("startedTime %+v, want %v", out.StartedTime, started)
	}
	if !out.EndedTime.Valid || !out.EndedTime.Value.Equal(time.Date(2026, 12, 1, 9, 31, 0, 0, time.UTC)) {
		t.Errorf("endedTime %+v, want 09:31 UTC", out.EndedTime)
	}
	if out.EstimatedTime.Valid || out.EstimatedRows.Valid {
		t.Errorf("nil or absent values are Valid: %+v, %+v", out.EstimatedTime, out.EstimatedRows)
	}
	if !out.RowsImported.Valid || out.RowsImported.Value != 7 {
		t.Errorf("rowsImported %+v, want 7", out.RowsImported)
	}
}
