package soapwire

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// ambiguousAnswers repeat an element the schema allows once: whichever copy
// a decoder keeps, the answer does not say one thing.
var ambiguousAnswers = map[string]string{
	"success twice":                  `<result><success>false</success><success>true</success></result>`,
	"result twice":                   `<result><success>false</success></result><result><success>true</success></result>`,
	"result twice in two namespaces": `<result><success>false</success></result><x:result xmlns:x="urn:x"><success>true</success></x:result>`,
	"success twice, same value":      `<result><success>true</success><success>true</success></result>`,
}

func ambiguousEnvelope(inner string) []byte {
	return []byte(testEnvOpen + `<SOAP-ENV:Body><ns1:successScheduleCampaign>` + inner + `</ns1:successScheduleCampaign></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
}

// TestDecodeRefusesARepeatedElement: an answer that repeats result or
// success is not read as either copy.
func TestDecodeRefusesARepeatedElement(t *testing.T) {
	t.Parallel()
	for name, inner := range ambiguousAnswers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := ambiguousEnvelope(inner)
			var out ResultSuccess
			err := Decode(body, 200, "text/xml", "successScheduleCampaign", &out)
			var re *AnswerError
			if !errors.As(err, &re) {
				t.Fatalf("got %v (result %+v), want an *AnswerError", err, out)
			}
			if !strings.Contains(re.Reason, "repeated element") {
				t.Errorf("reason %q does not say an element is repeated", re.Reason)
			}
		})
	}
}

// TestDecodeRefusesARepeatedElementInAFault: a fault with two codes does not
// say which one Marketo meant.
func TestDecodeRefusesARepeatedElementInAFault(t *testing.T) {
	t.Parallel()
	fault := strings.Replace(testFault, `<code>20113</code>`, `<code>20113</code><code>20014</code>`, 1)
	body := testEnvOpen + `<SOAP-ENV:Body>` + fault + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
	err := Decode([]byte(body), 500, "text/xml", "successScheduleCampaign", &ResultSuccess{})
	var re *AnswerError
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "repeated element code") {
		t.Fatalf("got %v, want an *AnswerError about the repeated code", err)
	}
}

// TestDecodeKeepsListsThatRepeat: elements the schema lets repeat are read.
func TestDecodeKeepsListsThatRepeat(t *testing.T) {
	t.Parallel()
	body := testEnvOpen + `<SOAP-ENV:Body><ns1:successGetCampaignsForSource><result><returnCount>2</returnCount><campaignRecordList>` +
		`<campaignRecord><id>1</id><name>a</name><description/></campaignRecord>` +
		`<campaignRecord><id>2</id><name>b</name><description/></campaignRecord>` +
		`</campaignRecordList></result></ns1:successGetCampaignsForSource></SOAP-ENV:Body></SOAP-ENV:Envelope>`
	var out ResultGetCampaignsForSource
	if err := Decode([]byte(body), 200, "text/xml", "successGetCampaignsForSource", &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Records) != 2 || out.Records[1].Name.Value != "b" {
		t.Fatalf("records %+v, want two", out.Records)
	}
}

// TestDecodeAcceptsNestingUpToTheLimit: the limit refuses only what is past
// it.
func TestDecodeAcceptsNestingUpToTheLimit(t *testing.T) {
	t.Parallel()
	// Envelope, Body, the answer and result are four levels.
	deep := func(levels int) []byte {
		return []byte(testEnvOpen + `<SOAP-ENV:Body><ns1:successScheduleCampaign><result>` +
			strings.Repeat("<a>", levels) + strings.Repeat("</a>", levels) +
			`<success>true</success></result></ns1:successScheduleCampaign></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
	}
	var out ResultSuccess
	if err := Decode(deep(MaxAnswerDepth-4), 200, "text/xml", "successScheduleCampaign", &out); err != nil || !out.Success.Value {
		t.Fatalf("answer %d levels deep: %v, %+v", MaxAnswerDepth, err, out)
	}
	if err := Decode(deep(MaxAnswerDepth-3), 200, "text/xml", "successScheduleCampaign", &out); err == nil {
		t.Fatalf("answer %d levels deep accepted", MaxAnswerDepth+1)
	}
}

// manySiblings is count empty elements with distinct names, more than the
// guard keeps without a map.
func manySiblings(count int) string {
	var b strings.Builder
	for i := range count {
		b.WriteString("<e" + strconv.Itoa(i) + "/>")
	}
	return b.String()
}

// TestDecodeRefusesARepeatedElementAmongMany: an element repeated after
// many siblings is found as well as one repeated at once.
func TestDecodeRefusesARepeatedElementAmongMany(t *testing.T) {
	t.Parallel()
	for _, count := range []int{3, 15, 16, 17, 40} {
		body := ambiguousEnvelope(`<result>` + manySiblings(count) + `<success>true</success><e2/></result>`)
		var out ResultSuccess
		err := Decode(body, 200, "text/xml", "successScheduleCampaign", &out)
		var re *AnswerError
		if !errors.As(err, &re) || !strings.Contains(re.Reason, "repeated element e2") {
			t.Errorf("%d siblings: got %v, want an *AnswerError about the repeated e2", count, err)
		}
	}
}

// TestDecodeForgetsChildrenOfEachRecordAmongMany: the children of one
// element are not siblings of the next one's, however many elements came
// before.
func TestDecodeForgetsChildrenOfEachRecordAmongMany(t *testing.T) {
	t.Parallel()
	for _, count := range []int{0, 20} {
		body := testEnvOpen + `<SOAP-ENV:Body><ns1:successGetCampaignsForSource><result>` + manySiblings(count) +
			`<returnCount>3</returnCount><campaignRecordList>` +
			`<campaignRecord><id>1</id><name>a</name><description/></campaignRecord>` +
			`<campaignRecord><id>2</id><name>b</name><description/></campaignRecord>` +
			`<campaignRecord><id>3</id><name>c</name><description/></campaignRecord>` +
			`</campaignRecordList></result></ns1:successGetCampaignsForSource></SOAP-ENV:Body></SOAP-ENV:Envelope>`
		var out ResultGetCampaignsForSource
		if err := Decode([]byte(body), 200, "text/xml", "successGetCampaignsForSource", &out); err != nil {
			t.Fatalf("%d siblings: %v", count, err)
		}
		if len(out.Records) != 3 || out.Records[2].Name.Value != "c" {
			t.Fatalf("%d siblings: records %+v, want three", count, out.Records)
		}
	}
}
