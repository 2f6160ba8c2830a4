package marketotest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/mktows/marketo/marketotest"
)

// The fake speaks REST over the same tenant: a token from the identity
// service, then a schedule by campaign ID.
func ExampleServer_RESTConfig() {
	srv := marketotest.NewServer()
	defer srv.Close()

	cfg := srv.RESTConfig() // pass to marketo.NewRESTClient in real tests
	q := url.Values{"grant_type": {"client_credentials"}, "client_id": {cfg.ClientID}, "client_secret": {cfg.ClientSecret}}
	resp, err := http.Get(cfg.IdentityURL + "/oauth/token?" + q.Encode())
	if err != nil {
		fmt.Println(err)
		return
	}
	var token struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	err = json.NewDecoder(resp.Body).Decode(&token)
	resp.Body.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("token lives", token.ExpiresIn, "s")

	body := `{"input":{"tokens":[{"name":"{{my.message}}","value":"Updated message"}]}}`
	req, _ := http.NewRequest(http.MethodPost, cfg.Endpoint+"/v1/campaigns/1001/schedule.json", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	var answer struct {
		Success bool `json:"success"`
		Result  []struct {
			ID int `json:"id"`
		} `json:"result"`
	}
	err = json.NewDecoder(resp.Body).Decode(&answer)
	resp.Body.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("success:", answer.Success, "campaign", answer.Result[0].ID)

	run := srv.Runs()[0]
	fmt.Println(run.API, run.Operation, run.Program, "/", run.Campaign)
	fmt.Println(run.Tokens["{{my.message}}"])
	fmt.Println("runs", run.RunAt.Sub(run.Requested), "after the call")
	// Output:
	// token lives 3599 s
	// success: true campaign 1001
	// REST scheduleCampaign Trav-Demo-Program / Batch Campaign Example
	// Updated message
	// runs 5m0s after the call
}
