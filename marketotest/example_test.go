package marketotest_test

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mktows/marketo/marketotest"
)

func ExampleNewServer() {
	srv := marketotest.NewServer()
	defer srv.Close()

	cfg := srv.Config() // pass to marketo.NewClient in real tests
	ts := time.Now().Format(marketotest.TimestampLayout)
	body := `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Header>
    <ns1:AuthenticationHeader>
      <mktowsUserId>` + cfg.UserID + `</mktowsUserId>
      <requestSignature>` + marketotest.Sign(cfg.EncryptionKey, ts, cfg.UserID) + `</requestSignature>
      <requestTimestamp>` + ts + `</requestTimestamp>
    </ns1:AuthenticationHeader>
  </SOAP-ENV:Header>
  <SOAP-ENV:Body>
    <ns1:paramsScheduleCampaign>
      <programName>Trav-Demo-Program</programName>
      <campaignName>Batch Campaign Example</campaignName>
      <programTokenList>
        <attrib><name>{{my.message}}</name><value>Updated message</value></attrib>
      </programTokenList>
    </ns1:paramsScheduleCampaign>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
	resp, err := http.Post(cfg.Endpoint, "text/xml; charset=utf-8", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	run := srv.Runs()[0]
	fmt.Println(run.Program, "/", run.Campaign)
	fmt.Println(run.Tokens["{{my.message}}"])
	fmt.Println(run.Tokens["{{my.other token}}"])
	// Output:
	// 200 OK
	// Trav-Demo-Program / Batch Campaign Example
	// Updated message
	// Default other token
}
