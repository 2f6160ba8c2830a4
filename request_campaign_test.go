package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// tooBigID does not fit an xs:int.
var tooBigID int64 = math.MaxInt32 + 1

var successRequestXML = successEnvelope("RequestCampaign", "<success>true</success>")

func TestRequestCampaignByNameMatchesGolden(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml; charset=utf-8", successRequestXML))
	p := marketo.RequestCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Trigger Campaign Example",
		Leads: []marketo.LeadKey{
			{Type: marketo.LeadKeyEmail, Value: "jdoe@example.com"},
			{Type: marketo.LeadKeyIDNum, Value: "1049"},
		},
		Tokens: []marketo.Token{{Name: "my.message", Value: "Updated message"}},
	}
	res, err := c.RequestCampaign(context.Background(), p)
	require.NoError(t, err)

	req, body := rec.last(t)
	assert.Equal(t, "http://www.marketo.com/mktows/requestCampaign", req.Header.Get("SOAPAction"))
	assert.Equal(t, canonicalXML(t, readGolden(t, "request_campaign_request.xml")), canonicalXML(t, body))
	assert.Contains(t, string(body), "<ns1:paramsRequestCampaign><source>")

	assert.Equal(t, &marketo.RequestCampaignResult{
		Source:       marketo.SourceMKTOWS,
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Trigger Campaign Example",
		Leads:        p.Leads,
		Tokens:       []marketo.Token{{Name: "{{my.message}}", Value: "Updated message"}},
	}, res)
}

func TestRequestCampaignByIDMatchesGolden(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successRequestXML))
	res, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
		Source:     marketo.SourceSales,
		CampaignID: 4240,
		Leads:      []marketo.LeadKey{{Type: marketo.LeadKeySFDCLeadID, Value: "00Q5000000abcdeEAA"}},
	})
	require.NoError(t, err)
	_, body := rec.last(t)
	assert.Equal(t, canonicalXML(t, readGolden(t, "request_campaign_by_id_request.xml")), canonicalXML(t, body))
	for _, el := range []string{"programName", "campaignName", "programTokenList"} {
		assert.NotContains(t, string(body), el)
	}
	assert.Equal(t, marketo.SourceSales, res.Source)
	assert.Equal(t, 4240, res.CampaignID)
	assert.Nil(t, res.Tokens)
}

func TestRequestCampaignSendsEveryLeadKeyType(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successRequestXML))
	types := []marketo.LeadKeyType{
		marketo.LeadKeyIDNum, marketo.LeadKeyCookie, marketo.LeadKeyEmail, marketo.LeadKeyLeadOwnerEmail,
		marketo.LeadKeySFDCAccountID, marketo.LeadKeySFDCContactID, marketo.LeadKeySFDCLeadID,
		marketo.LeadKeySFDCLeadOwnerID, marketo.LeadKeySFDCOpptyID,
	}
	var leads []marketo.LeadKey
	for i, kt := range types {
		leads = append(leads, marketo.LeadKey{Type: kt, Value: fmt.Sprint(i + 1)})
	}
	_, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{CampaignID: 1, Leads: leads})
	require.NoError(t, err)
	_, body := rec.last(t)
	for _, kt := range []string{"IDNUM", "COOKIE", "EMAIL", "LEADOWNEREMAIL", "SFDCACCOUNTID", "SFDCCONTACTID", "SFDCLEADID", "SFDCLEADOWNERID", "SFDCOPPTYID"} {
		assert.Contains(t, string(body), "<keyType>"+kt+"</keyType>")
	}
}

func TestRequestCampaignRefusesMoreThan100Leads(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t))
	leads := func(n int) []marketo.LeadKey {
		out := make([]marketo.LeadKey, n)
		for i := range out {
			out[i] = marketo.LeadKey{Type: marketo.LeadKeyEmail, Value: fmt.Sprintf("lead%d@example.com", i)}
		}
		return out
	}
	_, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{CampaignID: 7, Leads: leads(101)})
	requireInvalid(t, err, "RequestCampaign", map[string]string{"Leads": "split"}, "Leads")
	assert.ErrorContains(t, err, "101 lead keys")

	// Exactly 100 is allowed.
	require.NoError(t, marketo.RequestCampaignParams{CampaignID: 7, Leads: leads(marketo.MaxRequestCampaignLeads)}.Validate())
}

func TestRequestCampaignValidation(t *testing.T) {
	t.Parallel()
	lead := []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "a@example.com"}}
	tok := []marketo.Token{{Name: "{{my.x}}", Value: "1"}}
	cases := []struct {
		name   string
		p      marketo.RequestCampaignParams
		rules  map[string]string
		fields []string
	}{
		{"nothing", marketo.RequestCampaignParams{}, map[string]string{"CampaignID": "unless CampaignName is given (with ProgramName on the SOAP API)", "Leads": "at least one"}, []string{"CampaignID", "Leads"}},
		{"no campaign", marketo.RequestCampaignParams{Leads: lead}, nil, []string{"CampaignID"}},
		{"tokens without campaign", marketo.RequestCampaignParams{Leads: lead, Tokens: tok}, nil, []string{"CampaignID"}},
		{"ID and program", marketo.RequestCampaignParams{CampaignID: 1, ProgramName: "P", Leads: lead}, map[string]string{"ProgramName": "CampaignID"}, []string{"ProgramName"}},
		{"ID and both names", marketo.RequestCampaignParams{CampaignID: 1, ProgramName: "P", CampaignName: "C", Leads: lead}, nil, []string{"ProgramName", "CampaignName"}},
		{"ID and tokens", marketo.RequestCampaignParams{CampaignID: 1, Leads: lead, Tokens: tok}, map[string]string{"Tokens": "must be empty"}, []string{"Tokens"}},
		{"only program", marketo.RequestCampaignParams{ProgramName: "P", Leads: lead}, nil, []string{"CampaignName"}},
		{"only campaign", marketo.RequestCampaignParams{CampaignName: "C", Leads: lead}, nil, []string{"ProgramName"}},
		{"blank names", marketo.RequestCampaignParams{ProgramName: " ", CampaignName: "\t", Leads: lead}, nil, []string{"ProgramName", "CampaignName"}},
		{"negative ID", marketo.RequestCampaignParams{CampaignID: -3, Leads: lead}, map[string]string{"CampaignID": "positive"}, []string{"CampaignID"}},
		{"ID too large", marketo.RequestCampaignParams{CampaignID: int(tooBigID), Leads: lead}, nil, []string{"CampaignID"}},
		{"bad source", marketo.RequestCampaignParams{Source: "mktows", CampaignID: 1, Leads: lead}, map[string]string{"Source": "MKTOWS or SALES"}, []string{"Source"}},
		{"bad token", marketo.RequestCampaignParams{ProgramName: "P", CampaignName: "C", Leads: lead, Tokens: []marketo.Token{{Name: "x", Value: "1"}}}, nil, []string{"Tokens[0].Name"}},
		{"bad lead keys", marketo.RequestCampaignParams{CampaignID: 1, Leads: []marketo.LeadKey{
			{Type: "PHONE", Value: "555"},
			{Type: marketo.LeadKeyEmail, Value: " "},
			{Type: marketo.LeadKeyIDNum, Value: "12a"},
			{Type: marketo.LeadKeyIDNum, Value: "+5"},
			{Type: marketo.LeadKeyIDNum, Value: "0"},
			{Type: marketo.LeadKeyCookie, Value: "id:\x00"},
			{Type: "", Value: "x"},
		}}, map[string]string{"Leads[0].Type": `"PHONE"`, "Leads[2].Value": "positive integer"},
			[]string{"Leads[0].Type", "Leads[1].Value", "Leads[2].Value", "Leads[3].Value", "Leads[4].Value", "Leads[5].Value", "Leads[6].Type"}},
	}
	c := newMockClient(t, neverCalled(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.RequestCampaign(context.Background(), tc.p)
			requireInvalid(t, err, "RequestCampaign", tc.rules, tc.fields...)
			switch tc.name {
			case "ID and tokens":
				assert.NoError(t, tc.p.Validate(), "REST takes tokens with a campaign ID: only the SOAP client refuses them")
				return
			case "only campaign":
				assert.NoError(t, tc.p.Validate(), "REST finds a campaign by its name alone: only the SOAP client needs ProgramName")
				return
			}
			assert.Equal(t, err.Error()[len("marketo: RequestCampaign: "):], strings.ReplaceAll(tc.p.Validate().Error(), "\n", "; "), "the error is the validation problems on one line")
		})
	}
}

func TestRequestCampaignFailures(t *testing.T) {
	t.Parallel()
	p := marketo.RequestCampaignParams{CampaignID: 99, Leads: []marketo.LeadKey{{Type: marketo.LeadKeyEmail, Value: "a@example.com"}}}

	t.Run("success=false", func(t *testing.T) {
		t.Parallel()
		c := newMockClient(t, answer(200, successEnvelope("RequestCampaign", "<success>false</success>")))
		_, err := c.RequestCampaign(context.Background(), p)
		require.ErrorIs(t, err, marketo.ErrNotSuccessful)
		assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)
	})
	t.Run("fault", func(t *testing.T) {
		t.Parallel()
		c := newMockClient(t, answer(500, faultXML(20113, "Campaign not found")))
		_, err := c.RequestCampaign(context.Background(), p)
		require.ErrorIs(t, err, marketo.ErrCampaignNotFound)
		var oe *marketo.OperationError
		require.True(t, errors.As(err, &oe))
		assert.Equal(t, "RequestCampaign", oe.Operation)
		assert.True(t, oe.Sent)
		assert.False(t, oe.OutcomeUnknown)
	})
	t.Run("garbled answer leaves outcome unknown", func(t *testing.T) {
		t.Parallel()
		c := newMockClient(t, answer(http.StatusBadGateway, "<html>bad gateway</html>"))
		_, err := c.RequestCampaign(context.Background(), p)
		require.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
	})
	t.Run("wrong success element", func(t *testing.T) {
		t.Parallel()
		c := newMockClient(t, answer(200, successScheduleXML))
		_, err := c.RequestCampaign(context.Background(), p)
		var re *marketo.ResponseError
		require.True(t, errors.As(err, &re))
		assert.True(t, strings.Contains(re.Reason, "successRequestCampaign"), re.Reason)
	})
}
