package marketo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// TestAmbiguousAnswerLeavesTheOutcomeUnknown: an answer that says both
// false and true is not a success; the campaign may have been scheduled.
func TestAmbiguousAnswerLeavesTheOutcomeUnknown(t *testing.T) {
	t.Parallel()
	answers := map[string]string{
		"success twice": strings.Replace(successScheduleXML, "<success>true</success>", "<success>false</success><success>true</success>", 1),
		"result twice":  strings.Replace(successScheduleXML, "</result>", "</result><result><success>true</success></result>", 1),
		"deep":          strings.Replace(successScheduleXML, "<result>", "<result>"+strings.Repeat("<a>", 100_000)+strings.Repeat("</a>", 100_000), 1),
	}
	for name, body := range answers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, respond(rec, 200, "text/xml", body))
			_, err := c.ScheduleCampaign(context.Background(), runNowParams())
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe, "an ambiguous answer was taken for a success")
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.True(t, oe.OutcomeUnknown)
			assert.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
			assert.Equal(t, 1, rec.count())
		})
	}
}
