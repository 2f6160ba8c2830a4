package marketo_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// soapRequestLimit is the largest request Marketo's SOAP endpoint (and the
// fake) accepts.
const soapRequestLimit = 8 << 20

func importWithValue(value string) marketo.ImportToListParams {
	return marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program",
		ListName:    "List",
		Mode:        marketo.ImportModeUpsertLeads,
		Header:      []string{"Email Address", "First Name"},
		Rows:        [][]string{{"a@example.com", value}},
	}
}

// TestRequestsOverTheLimitAreNotSent: a request larger than the endpoint
// accepts is refused before anything is sent, with an error that names the
// parameter that made it large; one exactly at the limit is sent.
func TestRequestsOverTheLimitAreNotSent(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successImportXML))

	// The size of a small import's request, to pad one value up to the
	// limit exactly (letters are written as they are).
	_, err := c.ImportToList(context.Background(), importWithValue("x"))
	require.NoError(t, err)
	_, body := rec.last(t)
	pad := soapRequestLimit - len(body)

	_, err = c.ImportToList(context.Background(), importWithValue("x"+strings.Repeat("y", pad)))
	require.NoError(t, err, "a request of exactly %d bytes", soapRequestLimit)
	_, body = rec.last(t)
	require.Len(t, body, soapRequestLimit)

	_, err = c.ImportToList(context.Background(), importWithValue("x"+strings.Repeat("y", pad+1)))
	requireNotSentTooLarge(t, err, "Rows")
	assert.Equal(t, 2, rec.count(), "the request over the limit was sent")

	_, err = c.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "List", Mode: marketo.ImportModeListOnly,
		Header: []string{"Email Address", strings.Repeat("h", soapRequestLimit)}, Rows: [][]string{{"a@example.com", "v"}},
	})
	requireNotSentTooLarge(t, err, "Header")

	p := runNowParams()
	p.Tokens = []marketo.Token{{Name: "{{my.big}}", Value: strings.Repeat("v", soapRequestLimit)}}
	_, err = c.ScheduleCampaign(context.Background(), p)
	requireNotSentTooLarge(t, err, "Tokens")

	p = runNowParams()
	p.ProgramName = strings.Repeat("p", soapRequestLimit)
	_, err = c.ScheduleCampaign(context.Background(), p)
	requireNotSentTooLarge(t, err, "ProgramName")

	_, err = c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
		CampaignID: 1, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: strings.Repeat("l", soapRequestLimit) + "@example.com"}},
	})
	requireNotSentTooLarge(t, err, "Leads")
	assert.Equal(t, 2, rec.count(), "a request over the limit was sent")
}

func requireNotSentTooLarge(t *testing.T, err error, field string) {
	t.Helper()
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent)
	assert.False(t, oe.OutcomeUnknown)
	assert.Zero(t, oe.Attempts)
	var ve *marketo.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
	assert.Contains(t, ve.Rule, strconv.Itoa(soapRequestLimit))
}
