package marketo

import (
	"strings"
	"testing"
)

// fastSuccessDocs are success answers in forms decodeSuccessFast reads and
// forms it must leave to encoding/xml.
var fastSuccessDocs = []string{
	benchSuccessXML,
	strings.ReplaceAll(benchSuccessXML, "true", "false"),
	strings.ReplaceAll(benchSuccessXML, ">true<", "> 1 <"),
	strings.ReplaceAll(benchSuccessXML, ">true<", ">0<"),
	strings.ReplaceAll(benchSuccessXML, ">true<", ">yes<"),
	strings.ReplaceAll(benchSuccessXML, ">true<", "><"),
	strings.ReplaceAll(benchSuccessXML, ">true<", ">tr&#117;e<"),
	strings.ReplaceAll(benchSuccessXML, ">true<", "><![CDATA[true]]><"),
	strings.ReplaceAll(benchSuccessXML, "\n", "\r\n"),
	strings.ReplaceAll(benchSuccessXML, `"`, `'`),
	strings.ReplaceAll(benchSuccessXML, `<?xml version="1.0" encoding="UTF-8"?>`, ``),
	strings.ReplaceAll(benchSuccessXML, `<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.1"?>`),
	strings.ReplaceAll(benchSuccessXML, `encoding="UTF-8"`, `encoding="ISO-8859-1"`),
	strings.ReplaceAll(benchSuccessXML, "<result>", "<x:result xmlns:x=\"urn:x\">"),
	strings.ReplaceAll(benchSuccessXML, "<result>", "<ns1:result>"),
	strings.ReplaceAll(benchSuccessXML, "<result>", "<zz:result>"),
	strings.ReplaceAll(benchSuccessXML, "<success>", `<success xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`),
	strings.ReplaceAll(benchSuccessXML, "</result>", "</result><result><success>false</success></result>"),
	strings.ReplaceAll(benchSuccessXML, "</result>", "</reslt>"),
	strings.ReplaceAll(benchSuccessXML, "</SOAP-ENV:Envelope>", ""),
	strings.ReplaceAll(benchSuccessXML, "</SOAP-ENV:Envelope>", "</SOAP-ENV:Envelope><!-- c -->"),
	strings.ReplaceAll(benchSuccessXML, "</SOAP-ENV:Envelope>", "</SOAP-ENV:Envelope>x"),
	strings.ReplaceAll(benchSuccessXML, "<SOAP-ENV:Body>", "<SOAP-ENV:Header/><SOAP-ENV:Body>"),
	strings.ReplaceAll(benchSuccessXML, "<SOAP-ENV:Body>", "<SOAP-ENV:Body xmlns:ns1=\"urn:other\">"),
	strings.ReplaceAll(benchSuccessXML, "ns1:successScheduleCampaign", "successScheduleCampaign"),
	strings.ReplaceAll(benchSuccessXML, "<ns1:successScheduleCampaign>", "<successScheduleCampaign xmlns=\"http://www.marketo.com/mktows/\">"),
	strings.ReplaceAll(strings.ReplaceAll(benchSuccessXML, "<ns1:successScheduleCampaign>", "<successScheduleCampaign xmlns=\"http://www.marketo.com/mktows/\">"), "</ns1:successScheduleCampaign>", "</successScheduleCampaign>"),
	strings.ReplaceAll(benchSuccessXML, "ns1:successScheduleCampaign", "ns1:successRequestCampaign"),
	strings.ReplaceAll(benchSuccessXML, "http://www.marketo.com/mktows/", "http://www.marketo.com/mktows"),
	strings.ReplaceAll(benchSuccessXML, "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"),
	strings.ReplaceAll(benchSuccessXML, "SOAP-ENV", "soapenv"),
	strings.ReplaceAll(benchSuccessXML, `xmlns:SOAP-ENV=`, `xmlns:SOAP-ENV =`),
	strings.ReplaceAll(benchSuccessXML, `xmlns:ns1=`, `xmlns:SOAP-ENV=`),
	strings.ReplaceAll(benchSuccessXML, "</success>", "</success >"),
	"<!DOCTYPE x>" + benchSuccessXML,
	"\ufeff" + benchSuccessXML,
	" " + benchSuccessXML,
	`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><ns1:successScheduleCampaign xmlns:ns1="http://www.marketo.com/mktows/"><result><success>true</success></result></ns1:successScheduleCampaign></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
}

type slowResultSuccess resultSuccess

// checkFastAgrees fails when decodeSuccessFast accepts a document that
// encoding/xml does not decode to the same result.
func checkFastAgrees(t *testing.T, doc []byte) bool {
	t.Helper()
	var fast resultSuccess
	if !decodeSuccessFast(doc, soapOperations[opScheduleCampaign].success, &fast) {
		return false
	}
	// The same struct under another type takes decodeResponse's
	// encoding/xml path.
	var slow slowResultSuccess
	if err := decodeResponse(doc, 200, "text/xml", soapOperations[opScheduleCampaign].success, &slow); err != nil {
		t.Fatalf("fast decoder accepted a document encoding/xml refuses (%v):\n%q", err, doc)
	}
	if fast != resultSuccess(slow) {
		t.Fatalf("fast decoder read %+v, encoding/xml %+v:\n%q", fast, slow, doc)
	}
	return true
}

func TestDecodeSuccessFastAgreesWithEncodingXML(t *testing.T) {
	accepted := 0
	for _, doc := range fastSuccessDocs {
		if checkFastAgrees(t, []byte(doc)) {
			accepted++
		}
	}
	// The usual forms must take the fast path.
	for _, doc := range fastSuccessDocs[:4] {
		var out resultSuccess
		if !decodeSuccessFast([]byte(doc), soapOperations[opScheduleCampaign].success, &out) {
			t.Errorf("fast decoder refused a usual answer:\n%s", doc)
		}
	}
	if accepted < 8 {
		t.Errorf("fast decoder accepted only %d documents", accepted)
	}
}

func FuzzDecodeSuccessFast(f *testing.F) {
	for _, doc := range fastSuccessDocs {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkFastAgrees(t, doc)
	})
}
