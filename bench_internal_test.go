package marketo

import (
	"encoding/xml"
	"strconv"
	"testing"
	"time"

	"github.com/mktows/marketo/internal/soapwire"
)

// Micro-benchmarks of the per-call steps, each alone. The end-to-end
// comparisons live in ./bench (see bench/README.md).

const benchSuccessXML = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successScheduleCampaign>
      <result>
        <success>true</success>
      </result>
    </ns1:successScheduleCampaign>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`

func benchScheduleParams() ScheduleCampaignParams {
	p := ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"}
	for i := 1; i <= 5; i++ {
		p.Tokens = append(p.Tokens, Token{Name: "{{my.token " + strconv.Itoa(i) + "}}", Value: "Value for token " + strconv.Itoa(i)})
	}
	return p
}

// BenchmarkValidate is ScheduleCampaign's parameter check and conversion to
// the wire struct.
func BenchmarkValidate(b *testing.B) {
	p := benchScheduleParams()
	b.ReportAllocs()
	for b.Loop() {
		if err := validateOn(apiSOAP, opScheduleCampaign, &p); err != nil {
			b.Fatal(err)
		}
		_ = p.wire()
	}
}

// BenchmarkEncode is the params element of ScheduleCampaign with five
// tokens.
func BenchmarkEncode(b *testing.B) {
	w := benchScheduleParams().wire()
	b.ReportAllocs()
	for b.Loop() {
		_ = soapwire.EncodeParams(soapOperations[opScheduleCampaign].params, w)
	}
}

// BenchmarkEnvelope is the signed envelope around an encoded params
// element, as an attempt builds it: timestamp, signature, header and the
// copy of the params into one request buffer.
func BenchmarkEnvelope(b *testing.B) {
	w := benchScheduleParams().wire()
	body := soapwire.AppendElement(nil, soapOperations[opScheduleCampaign].params, w)
	c, err := NewClient(Config{Endpoint: "https://123-ABC-456.mktoapi.com/soap/mktows/2_9", UserID: "bigcorp1_461839624B16E06BA2D663", EncryptionKey: "899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var sig [40]byte
		sb := c.backend.(*soapBackend)
		env := sb.appendSignedHead(make([]byte, 0, sb.headSize+len(body)+len(soapwire.EnvelopeEnd)), &sig)
		_ = append(append(env, body...), soapwire.EnvelopeEnd...)
	}
}

// BenchmarkSign is the request signature alone: timestamp and HMAC.
func BenchmarkSign(b *testing.B) {
	s := soapwire.NewSigner([]byte("899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"))
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		var sig [40]byte
		_ = s.Sign(&sig, now, "bigcorp1_461839624B16E06BA2D663")
	}
}

// BenchmarkDecode is the documented scheduleCampaign success answer.
func BenchmarkDecode(b *testing.B) {
	body := []byte(benchSuccessXML)
	b.ReportAllocs()
	for b.Loop() {
		var out soapwire.ResultSuccess
		if err := decodeResponse(body, 200, "text/xml; charset=utf-8", soapOperations[opScheduleCampaign].success, &out); err != nil || !out.Success.Value {
			b.Fatal(err)
		}
	}
}

// xmlParamsScheduleCampaign is soapwire.ParamsScheduleCampaign as encoding/xml would
// write it, the prefix in the tag, for BenchmarkEncodeWithEncodingXML.
type xmlParamsScheduleCampaign struct {
	XMLName            xml.Name                `xml:"ns1:paramsScheduleCampaign"`
	ProgramName        string                  `xml:"programName"`
	CampaignName       string                  `xml:"campaignName"`
	CampaignRunAt      string                  `xml:"campaignRunAt,omitempty"`
	CloneToProgramName string                  `xml:"cloneToProgramName,omitempty"`
	ProgramTokenList   *soapwire.ArrayOfAttrib `xml:"programTokenList,omitempty"`
}

// BenchmarkEncodeWithEncodingXML is BenchmarkEncode's element written by
// xml.Marshal, the alternative to the tag-driven encoder (see
// bench/README.md). It checks first that both write the same bytes.
func BenchmarkEncodeWithEncodingXML(b *testing.B) {
	w := benchScheduleParams().wire()
	x := xmlParamsScheduleCampaign{ProgramName: w.ProgramName, CampaignName: w.CampaignName, ProgramTokenList: w.ProgramTokenList}
	if got, want := xmlMarshal(b, x), soapwire.AppendElement(nil, soapOperations[opScheduleCampaign].params, w); string(got) != string(want) {
		b.Fatalf("encoding/xml wrote\n%s\nthe encoder\n%s", got, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = xmlMarshal(b, x)
	}
}

func xmlMarshal(b *testing.B, v any) []byte {
	out, err := xml.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
