package marketotest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every refusal of the tenant has words on both APIs in the one table: a
// code each front knows (a SOAP code with its faultstring title, a REST
// code with its standard message) and a text that uses the error's facts.
func TestDomainFaultsHaveWordsOnBothAPIs(t *testing.T) {
	t.Parallel()
	full := &domainErr{
		campaign: "Camp", campaignID: 1234, program: "Prog", list: "List", listID: "5678", batch: 3404,
		n: 7, max: 5, assets: []string{"Push Notification"}, keyType: "EMAIL", keyValue: "x@example.com", leadID: 42,
	}
	for kind := errKind(1); kind < errKinds; kind++ {
		e := *full
		e.kind = kind
		soap, rest := e.soap(), e.rest()
		assert.NotEqual(t, "Error", FaultTitle(soap.Code), "kind %d: SOAP code %d has no title", kind, soap.Code)
		assert.Equal(t, APIREST, codeTexts[rest.Code].api, "kind %d: REST code %d has no standard message", kind, rest.Code)
		for _, f := range []*Fault{soap, rest} {
			assert.NotEmpty(t, f.Message, "kind %d", kind)
			assert.NotContains(t, f.Message, "%!", "kind %d: %q", kind, f.Message)
		}
	}
}

// One rule, two fronts: a schedule cloned onto its own program is refused
// by the tenant's one rule, SOAP answering 20110 and REST 1003, each with
// the table's text; a trigger campaign scheduled is refused on both, SOAP
// naming the campaign, REST its ID.
func TestDomainRuleAnsweredByBothFronts(t *testing.T) {
	t.Parallel()
	srv, _ := newRESTServer(t)
	tok := getToken(t, srv)
	prog, ok := srv.Program("Trav-Demo-Program")
	require.True(t, ok)
	ids := map[string]int{}
	for _, c := range prog.Campaigns {
		ids[c.Name] = c.ID
	}
	batchID := ids["Batch Campaign Example"]
	require.NotZero(t, batchID)

	want := &domainErr{kind: errCloneExists, program: "Trav-Demo-Program"}
	f := requireFault(t, call(t, srv, schedule("Trav-Demo-Program", "Batch Campaign Example", "<cloneToProgramName>Trav-Demo-Program</cloneToProgramName>")), want.soap().Code)
	assert.Equal(t, fmt.Sprintf("%s (%d)", want.soap().Message, want.soap().Code), f.Message)
	errs := requireRESTError(t, restPost(t, srv, tok, fmt.Sprintf("/rest/v1/campaigns/%d/schedule.json", batchID), `{"input":{"cloneToProgramName":"Trav-Demo-Program"}}`), "1003")
	assert.Equal(t, want.rest().Message, errs[0].Message)
	assert.Equal(t, strings.TrimSuffix(f.Message, " (20110)"), errs[0].Message, "the same words on both APIs")

	var trigger Campaign
	for _, c := range prog.Campaigns {
		if c.Kind == Trigger {
			trigger = c
		}
	}
	require.NotZero(t, trigger.ID)
	want = (&domainErr{kind: errNotBatch}).inCampaign(&campaign{Campaign: trigger})
	f = requireFault(t, call(t, srv, schedule("Trav-Demo-Program", trigger.Name, "")), want.soap().Code)
	assert.Contains(t, f.Message, trigger.Name)
	errs = requireRESTError(t, restPost(t, srv, tok, fmt.Sprintf("/rest/v1/campaigns/%d/schedule.json", trigger.ID), `{}`), "1003")
	assert.Equal(t, want.rest().Message, errs[0].Message)
	assert.Contains(t, errs[0].Message, fmt.Sprint(trigger.ID))
	assert.Empty(t, srv.Runs())
}
