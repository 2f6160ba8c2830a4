package marketo_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// Every operation method takes per-call options last, so that a call
// without them still compiles as before.
var (
	_ func(context.Context, marketo.ScheduleCampaignParams, ...marketo.CallOption) (*marketo.ScheduleCampaignResult, error)           = (*marketo.Client)(nil).ScheduleCampaign
	_ func(context.Context, marketo.RequestCampaignParams, ...marketo.CallOption) (*marketo.RequestCampaignResult, error)             = (*marketo.Client)(nil).RequestCampaign
	_ func(context.Context, marketo.GetCampaignsForSourceParams, ...marketo.CallOption) (*marketo.GetCampaignsForSourceResult, error) = (*marketo.Client)(nil).GetCampaignsForSource
	_ func(context.Context, marketo.ImportToListParams, ...marketo.CallOption) (*marketo.ImportToListResult, error)                   = (*marketo.Client)(nil).ImportToList
	_ func(context.Context, marketo.GetImportToListStatusParams, ...marketo.CallOption) (*marketo.ImportToListStatus, error)          = (*marketo.Client)(nil).GetImportToListStatus
	_ func(context.Context, string, ...marketo.CallOption) (*marketo.ImportRows, error)                                               = (*marketo.Client)(nil).ImportFailures
	_ func(context.Context, string, ...marketo.CallOption) (*marketo.ImportRows, error)                                               = (*marketo.Client)(nil).ImportWarnings
	// The waits take WaitOptions, which every CallOption is.
	_ marketo.WaitOption = marketo.WithRetryUnknownOutcome()
)

// TestWithRetryUnknownOutcomeRetriesThatCallOnly: a state-changing call
// whose first attempt may have run (a gateway's 502 page) is retried when
// it carries the option, by the option or by the deprecated context
// value, and not otherwise; the option does not outlive its call.
func TestWithRetryUnknownOutcomeRetriesThatCallOnly(t *testing.T) {
	t.Parallel()
	gateway := answer(502, "<html>bad gateway</html>", "Content-Type", "text/html")
	calls := map[string]struct {
		call    func(*marketo.Client, ...marketo.CallOption) error
		success string
	}{
		"ScheduleCampaign": {func(c *marketo.Client, opts ...marketo.CallOption) error {
			_, err := c.ScheduleCampaign(context.Background(), seedParams(), opts...)
			return err
		}, successScheduleXML},
		"RequestCampaign": {func(c *marketo.Client, opts ...marketo.CallOption) error {
			_, err := c.RequestCampaign(context.Background(), marketo.RequestCampaignParams{CampaignID: 7,
				Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "1049"}}}, opts...)
			return err
		}, successRequestXML},
	}
	for name, tc := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, sequence(rec, gateway, answer(200, tc.success), gateway, answer(200, tc.success)), fastRetries)
			require.NoError(t, tc.call(c, marketo.WithRetryUnknownOutcome()))
			assert.Equal(t, 2, rec.count(), "the option retried the 502")

			err := tc.call(c)
			require.ErrorIs(t, err, marketo.ErrOutcomeUnknown, "the next call without the option")
			assert.Equal(t, 3, rec.count(), "a call without the option is not repeated")
		})
	}
	t.Run("deprecated context value", func(t *testing.T) {
		t.Parallel()
		rec := &recorder{}
		c := newMockClient(t, sequence(rec, gateway, answer(200, successScheduleXML)), fastRetries)
		_, err := c.ScheduleCampaign(marketo.RetryUnknownOutcome(context.Background()), seedParams())
		require.NoError(t, err)
		assert.Equal(t, 2, rec.count())
	})
}

// TestNilCallOptionIsRefusedBeforeSending: a nil option is reported by its
// position, with the parameters' own problems, and nothing is sent.
func TestNilCallOptionIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
	p := seedParams()
	p.CampaignName = ""
	_, err := c.ScheduleCampaign(context.Background(), p, marketo.WithRetryUnknownOutcome(), nil)
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent)
	fields := []string{}
	for _, ve := range marketo.ValidationErrors(err) {
		fields = append(fields, ve.Field)
	}
	assert.Contains(t, fields, "opts[1]")
	assert.Len(t, fields, 2, "the nil option and the missing campaign: %v", err)
	assert.Equal(t, 0, rec.count())

	_, err = c.ImportFailures(context.Background(), "1234", nil)
	require.ErrorAs(t, err, &oe)
	assert.False(t, oe.Sent)

	var nilCall marketo.CallOption
	_, err = c.WaitForImport(context.Background(), marketo.GetImportToListStatusParams{ProgramName: "P", ListName: "L"},
		marketo.WithPollInterval(time.Millisecond), nilCall)
	require.Len(t, marketo.ValidationErrors(err), 1, "%v", err)
	assert.Equal(t, "WaitOption", marketo.ValidationErrors(err)[0].Field)
	assert.Equal(t, 0, rec.count())
}
