package marketo_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// Answers that say two things at once: a member repeated in another letter
// case, or a name given twice below the top level. encoding/json reads the
// last spelling, so each of them once read as success, ran a call again, or
// named another campaign.
var lyingAnswers = map[string]string{
	"SUCCESS false after success true": `{"requestId":"a1","success":true,"result":[{"id":1001}],"SUCCESS":false,"Errors":[{"code":"606","message":"Max rate limit '100' exceeded with in '20' secs"}]}`,
	"Success true after success false": `{"requestId":"a2","success":false,"errors":[{"code":"1003","message":"Trigger campaign expected"}],"Success":true}`,
	"code twice in an error":           `{"requestId":"a3","success":false,"errors":[{"code":"1003","code":"606","message":"x"}]}`,
	"id twice in a result":             `{"requestId":"a4","success":true,"result":[{"id":1001,"id":6666}]}`,
}

// requireAmbiguous checks that a state-changing call whose answer lied
// failed as an unreadable answer after which Marketo may have run it,
// having sent the call exactly once although retries were on.
func requireAmbiguous(t *testing.T, err error, sent int) {
	t.Helper()
	var re *marketo.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, re.Reason, "ambiguous")
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.True(t, oe.Sent)
	assert.True(t, oe.OutcomeUnknown)
	assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
	assert.Equal(t, 1, sent, "the call is never repeated")
}

func TestRESTScheduleRefusesAnAnswerThatSaysTwoThings(t *testing.T) {
	t.Parallel()
	for name, lie := range lyingAnswers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) { return 200, lie })
			_, err := stub.client(t, fastRetries).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{CampaignID: 1001})
			requireAmbiguous(t, err, len(stub.posts()))
		})
	}
}

func TestRESTTriggerRefusesAnAnswerThatSaysTwoThings(t *testing.T) {
	t.Parallel()
	for name, lie := range lyingAnswers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) { return 200, lie })
			_, err := stub.client(t, fastRetries).RequestCampaign(context.Background(), marketo.RequestCampaignParams{
				CampaignID: 1001, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "318592"}},
			})
			requireAmbiguous(t, err, len(stub.posts()))
		})
	}
}

func TestRESTImportRefusesAnAnswerThatSaysTwoThings(t *testing.T) {
	t.Parallel()
	for name, lie := range lyingAnswers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			it := &importTenant{submits: []func() (int, string){func() (int, string) { return 200, lie }}}
			stub := newRESTStub(t, it.serve)
			_, err := stub.client(t, fastRetries).ImportToList(context.Background(), importParams())
			submits := 0
			for _, p := range stub.posts() {
				if p.Path == "/bulk/v1/leads.json" {
					submits++
				}
			}
			requireAmbiguous(t, err, submits)
		})
	}
}

// A campaigns.json record naming two IDs must not schedule either: the
// lookup fails before anything is sent.
func TestRESTCampaignLookupRefusesARecordWithTwoIDs(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"ID after id":   restOK(`[{"id":1001,"name":"Batch Campaign Example","type":"batch","programName":"Trav-Demo-Program","active":true,"ID":6666}]`),
		"id twice":      restOK(`[{"id":1001,"name":"Batch Campaign Example","type":"batch","programName":"Trav-Demo-Program","active":true,"id":6666}]`),
		"escaped twice": restOK(`[{"id":1001,"name":"Batch Campaign Example","type":"batch","programName":"Trav-Demo-Program","active":true,"\u0069d":6666}]`),
		"name in caps":  restOK(`[{"id":6666,"NAME":"Batch Campaign Example","name":"Other","type":"batch","programName":"Trav-Demo-Program","active":true}]`),
	}
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, tenant(page, nil))
			_, err := stub.client(t, fastRetries).ScheduleCampaign(context.Background(), runNowParams())
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, re.Reason, "ambiguous")
			assert.Empty(t, stub.posts(), "nothing scheduled")
		})
	}
}

// A lone name in another case is not the member it resembles: "ID" does
// not fill id, so a record without "id" is not read as campaign 6666.
func TestRESTCampaignLookupDoesNotReadANameInAnotherCase(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(restOK(`[{"ID":6666,"name":"Batch Campaign Example","type":"batch","programName":"Trav-Demo-Program","active":true}]`), nil))
	_, err := stub.client(t).ScheduleCampaign(context.Background(), runNowParams())
	require.Error(t, err)
	for _, p := range stub.posts() {
		assert.NotContains(t, p.Path, "6666")
	}
}

// A lead record is read as a map of its fields, which has no known names
// to hold a spelling to: "ID" beside "id" (or "EMAIL" beside "email") is a
// second value for the same field, and the lookup's answer is refused
// before any lead is triggered.
func TestRESTLeadLookupRefusesARecordWithANameInTwoCases(t *testing.T) {
	t.Parallel()
	for name, rec := range map[string]string{
		"id and ID":       `{"id":318592,"email":"jane@example.com","ID":6666}`,
		"email and EMAIL": `{"id":318592,"email":"jane@example.com","EMAIL":"other@example.com"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(_ int, r *http.Request, _ []byte) (int, string) {
				if r.URL.Path == "/rest/v1/leads.json" {
					return 200, restOK("[" + rec + "]")
				}
				return 200, restOK(`[{"id":1001}]`)
			})
			_, err := stub.client(t).RequestCampaign(context.Background(), marketo.RequestCampaignParams{
				CampaignID: 1001, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "jane@example.com"}},
			})
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, re.Reason, "in another case: the answer is ambiguous")
			assert.Empty(t, stub.posts(), "no lead triggered")
		})
	}
}
