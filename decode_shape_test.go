package marketo

import (
	"errors"
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/soapwire"
)

// TestDecodeRefusesDeepNesting: a million nested elements inside an answer
// that fits the size limit are refused at the depth limit, before the
// decoder keeps a stack for each of them.
func TestDecodeRefusesDeepNesting(t *testing.T) {
	t.Parallel()
	const levels = 1_000_000
	var b strings.Builder
	b.WriteString(fuzzEnvOpen + `<SOAP-ENV:Body><ns1:successScheduleCampaign><result>`)
	b.WriteString(strings.Repeat("<a>", levels))
	b.WriteString(strings.Repeat("</a>", levels))
	b.WriteString(`<success>true</success></result></ns1:successScheduleCampaign></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
	body := []byte(b.String())
	if len(body) > DefaultMaxResponseBytes {
		t.Fatalf("answer of %d bytes is over the size limit; the test needs one that fits", len(body))
	}
	err := decodeResponse(body, 200, "text/xml", soapOperations[opScheduleCampaign].success, &soapwire.ResultSuccess{})
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *ResponseError", err)
	}
	if want := "elements nested deeper than 256 levels"; !strings.Contains(re.Reason, want) {
		t.Errorf("reason %q does not say %q", re.Reason, want)
	}
}
