package marketo_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// TestTokenPrecedenceEndToEnd imports leads with a per-lead My Token column,
// waits for the import, schedules the campaign with call tokens, and checks
// each lead's effective tokens as the fake Marketo resolved them: the lead's
// column beats the call's token, which beats the program's own token. The
// overrides are gone after the run.
func TestTokenPrecedenceEndToEnd(t *testing.T) {
	t.Parallel()
	srv := marketotest.NewServer(marketotest.WithImportDuration(20 * time.Millisecond))
	defer srv.Close()
	require.NoError(t, srv.SetProgramToken("Trav-Demo-Program", "{{my.signature}}", "Program signature"))
	c, err := marketo.NewClient(srv.Config())
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	ctx := context.Background()

	_, err = c.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName:  "Trav-Demo-Program",
		ListName:     "Trav-Test-List",
		Mode:         marketo.ImportModeUpsertLeads,
		CampaignName: "Batch Campaign Example",
		Header:       []string{"Email Address", "First Name", "{{my.message}}"},
		Rows: [][]string{
			{"ann@example.com", "Ann", "Hi Ann, from your row"},
			{"bob@example.com", "Bob", "Bob's own, \"quoted\", message"},
		},
	})
	require.NoError(t, err)

	var seen []marketo.ImportStatus
	st, err := c.WaitForImport(ctx, marketo.GetImportToListStatusParams{ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List"},
		marketo.WithPollInterval(5*time.Millisecond),
		marketo.WithPollProgress(func(s marketo.ImportToListStatus) { seen = append(seen, s.Status) }))
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportComplete, st.Status)
	require.NotNil(t, st.RowsImported)
	assert.Equal(t, 2, *st.RowsImported)
	assert.Equal(t, marketo.ImportComplete, seen[len(seen)-1])

	_, err = c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Batch Campaign Example",
		Tokens: []marketo.Token{
			{Name: "{{my.message}}", Value: "Call message"},
			{Name: "{{my.other token}}", Value: "Call other token"},
		},
	})
	require.NoError(t, err)

	runs := srv.Runs()
	require.Len(t, runs, 1)
	run := runs[0]
	byEmail := map[string]int{}
	for _, l := range srv.Leads() {
		byEmail[l.Email] = l.ID
	}
	want := map[string]map[string]string{
		"ann@example.com": {"{{my.message}}": "Hi Ann, from your row", "{{my.other token}}": "Call other token", "{{my.signature}}": "Program signature"},
		"bob@example.com": {"{{my.message}}": "Bob's own, \"quoted\", message", "{{my.other token}}": "Call other token", "{{my.signature}}": "Program signature"},
	}
	for email, tokens := range want {
		id, ok := byEmail[email]
		require.True(t, ok, "lead %s was imported", email)
		assert.Equal(t, tokens, run.LeadTokens[id], "effective tokens of %s", email)
	}
	// Leads without an import row get the call's and the program's values.
	assert.Equal(t, "Call message", run.Tokens["{{my.message}}"])

	// Overrides apply to that run only: the next run sees the program's tokens.
	_, err = c.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"})
	require.NoError(t, err)
	next := srv.Runs()[1]
	assert.Nil(t, next.LeadTokens)
	prog, _ := srv.Program("Trav-Demo-Program")
	assert.Equal(t, prog.Tokens["{{my.message}}"], next.Tokens["{{my.message}}"])
	assert.Equal(t, "Program signature", next.Tokens["{{my.signature}}"])
}
