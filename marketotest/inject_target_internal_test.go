package marketotest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A SOAP call is aimed at by its SOAPAction or, for a client that sends
// none, by its params element.
func TestSOAPTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action, body string
		want         Target
	}{
		{`"http://www.marketo.com/mktows/scheduleCampaign"`, "", TargetScheduleCampaign},
		{"http://www.marketo.com/mktows/getImportToListStatus", "", TargetGetImportToListStatus},
		{"", `<SOAP-ENV:Body><ns1:paramsRequestCampaign><source>MKTOWS</source>`, TargetRequestCampaign},
		{"", `<paramsImportToList/>`, TargetImportToList},
		{"", `<ns1:paramsGetLead>`, ""},
		{"http://www.marketo.com/mktows/syncLead", "", ""},
	} {
		r := httptest.NewRequest(http.MethodPost, EndpointPath, nil)
		if tc.action != "" {
			r.Header.Set("SOAPAction", tc.action)
		}
		assert.Equal(t, tc.want, soapTarget(r, []byte(tc.body)), "%s %s", tc.action, tc.body)
	}
}

// campaigns.json is GetCampaignsForSource when it lists triggerable
// campaigns without a name, in the query or in a _method=GET form body.
func TestRESTTargetOfCampaigns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method, target, form string
		want                 Target
	}{
		{http.MethodGet, "/rest/v1/campaigns.json?isTriggerable=true", "", TargetGetCampaignsForSource},
		{http.MethodGet, "/rest/v1/campaigns.json?name=A&programName=P", "", TargetCampaignLookup},
		{http.MethodGet, "/rest/v1/campaigns.json?programName=P", "", TargetCampaignLookup},
		{http.MethodPost, "/rest/v1/campaigns.json?_method=GET", "isTriggerable=true", TargetGetCampaignsForSource},
		{http.MethodPost, "/rest/v1/campaigns.json?_method=GET", "isTriggerable=true&name=A", TargetCampaignLookup},
		{http.MethodPost, "/rest/v1/campaigns/7/schedule.json", "", TargetScheduleCampaign},
		{http.MethodGet, "/rest/v1/leads.json?filterType=email", "", TargetLeadLookup},
		{http.MethodGet, "/bulk/v1/leads/batch/9/warnings.json", "", TargetImportWarnings},
		{http.MethodGet, "/rest/v1/campaigns/7.json", "", TargetCampaignLookup},
		{http.MethodGet, "/rest/asset/v1/staticList/byName.json?name=L", "", TargetListLookup},
		{http.MethodGet, "/rest/v1/leads/describe2.json", "", TargetLeadDescribe},
		{http.MethodGet, "/rest/v1/nothing.json", "", ""},
	} {
		r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.form))
		if tc.form != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		assert.Equal(t, tc.want, restTarget(r, []byte(tc.form)), "%s %s %s", tc.method, tc.target, tc.form)
	}
}
