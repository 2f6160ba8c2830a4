package marketo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestGetCampaignsForSourceMatchesGoldenAndDecodes(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml; charset=utf-8", string(readGolden(t, "get_campaigns_for_source_response.xml"))))
	res, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{
		Name: "Trigger Campaign Example", ExactName: true,
	})
	require.NoError(t, err)

	req, body := rec.last(t)
	assert.Equal(t, "http://www.marketo.com/mktows/getCampaignsForSource", req.Header.Get("SOAPAction"))
	assert.Equal(t, canonicalXML(t, readGolden(t, "get_campaigns_for_source_request.xml")), canonicalXML(t, body))

	assert.Equal(t, []marketo.Campaign{
		{ID: 3374, Name: "ER Demo.Triggered Campaign"},
		{ID: 4240, Name: "Fulfillment Email Trigger"},
		{ID: 4239, Name: "Sign-Up Email Trigger"},
		{ID: 5001, Name: "Trigger Campaign Example", Description: "Sends the welcome email & alerts sales"},
	}, res.Campaigns)
}

func TestGetCampaignsForSourceSendsOnlyWhatIsSet(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successEnvelope("GetCampaignsForSource", "<returnCount>0</returnCount>")))
	_, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{Source: marketo.SourceSales})
	require.NoError(t, err)
	_, body := rec.last(t)
	assert.Contains(t, string(body), "<ns1:paramsGetCampaignsForSource><source>SALES</source></ns1:paramsGetCampaignsForSource>")

	_, err = c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{Name: "Trigger"})
	require.NoError(t, err)
	_, body = rec.last(t)
	assert.Contains(t, string(body), "<ns1:paramsGetCampaignsForSource><source>MKTOWS</source><name>Trigger</name></ns1:paramsGetCampaignsForSource>")
}

func TestGetCampaignsForSourceEmptyLists(t *testing.T) {
	t.Parallel()
	for name, result := range map[string]string{
		"absent list":       `<returnCount>0</returnCount>`,
		"empty element":     `<returnCount>0</returnCount><campaignRecordList/>`,
		"nil list":          `<returnCount>0</returnCount><campaignRecordList xsi:nil="true"/>`,
		"list with comment": `<returnCount> 0 </returnCount><campaignRecordList><!-- none --></campaignRecordList>`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, answer(200, successEnvelope("GetCampaignsForSource", result)))
			res, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
			require.NoError(t, err)
			assert.Empty(t, res.Campaigns)
		})
	}
}

func TestGetCampaignsForSourceRefusesInconsistentAnswers(t *testing.T) {
	t.Parallel()
	rec1 := `<campaignRecord><id>1</id><name>A</name><description/></campaignRecord>`
	for name, tc := range map[string]struct{ result, reason string }{
		"count too high":     {`<returnCount>2</returnCount><campaignRecordList>` + rec1 + `</campaignRecordList>`, "returnCount is 2 but 1"},
		"count too low":      {`<returnCount>0</returnCount><campaignRecordList>` + rec1 + `</campaignRecordList>`, "returnCount is 0 but 1"},
		"count missing":      {`<campaignRecordList>` + rec1 + `</campaignRecordList>`, "returnCount is missing"},
		"count nil":          {`<returnCount xsi:nil="true"/>`, "returnCount is missing"},
		"record without id":  {`<returnCount>1</returnCount><campaignRecordList><campaignRecord><name>A</name></campaignRecord></campaignRecordList>`, "has no id"},
		"record with nil id": {`<returnCount>1</returnCount><campaignRecordList><campaignRecord><id xsi:nil="true"/><name>A</name></campaignRecord></campaignRecordList>`, "has no id"},
		"record no name":     {`<returnCount>1</returnCount><campaignRecordList><campaignRecord><id>1</id></campaignRecord></campaignRecordList>`, "has no name"},
		"id not a number":    {`<returnCount>1</returnCount><campaignRecordList><campaignRecord><id>x</id><name>A</name></campaignRecord></campaignRecordList>`, "malformed"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newMockClient(t, answer(200, successEnvelope("GetCampaignsForSource", tc.result)))
			res, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
			assert.Nil(t, res)
			var re *marketo.ResponseError
			require.True(t, errors.As(err, &re), "want *ResponseError, got %v", err)
			assert.Contains(t, re.Reason, tc.reason)
			var oe *marketo.OperationError
			require.True(t, errors.As(err, &oe))
			assert.Equal(t, "GetCampaignsForSource", oe.Operation)
			assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown, "a read-only call never has an unknown outcome")
		})
	}
}

func TestGetCampaignsForSourceValidation(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t))
	for name, tc := range map[string]struct {
		p      marketo.GetCampaignsForSourceParams
		fields []string
	}{
		"exact without name": {marketo.GetCampaignsForSourceParams{ExactName: true}, []string{"ExactName"}},
		"blank name":         {marketo.GetCampaignsForSourceParams{Name: "  "}, []string{"Name"}},
		"bad name":           {marketo.GetCampaignsForSourceParams{Name: "a\x01"}, []string{"Name"}},
		"bad source":         {marketo.GetCampaignsForSourceParams{Source: "WEB", ExactName: true}, []string{"Source", "ExactName"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := c.GetCampaignsForSource(context.Background(), tc.p)
			requireInvalid(t, err, "GetCampaignsForSource", nil, tc.fields...)
			require.Error(t, tc.p.Validate())
		})
	}
}

func TestGetCampaignsForSourceFault(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, answer(500, faultXML(20013, "Access denied")))
	_, err := c.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{})
	require.ErrorIs(t, err, marketo.ErrAccessDenied)
}
