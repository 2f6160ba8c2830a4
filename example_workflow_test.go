package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func ExampleClient_GetCampaignsForSource() {
	// A fake Marketo tenant; with a real one, use marketo.ConfigFromEnv().
	srv := marketotest.NewServer()
	defer srv.Close()
	client, err := marketo.NewClient(srv.Config())
	if err != nil {
		panic(err)
	}

	res, err := client.GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{
		Source: marketo.SourceMKTOWS,
		Name:   "Trigger",
	})
	if err != nil {
		panic(err)
	}
	for _, c := range res.Campaigns {
		fmt.Printf("%d %s %q\n", c.ID, c.Name, c.Description)
	}
	// Output:
	// 1002 Trigger Campaign Example "Requested by the SOAP API"
	// 1003 Welcome Email Trigger ""
}

func ExampleClient_RequestCampaign() {
	srv := marketotest.NewServer()
	defer srv.Close()
	client, err := marketo.NewClient(srv.Config())
	if err != nil {
		panic(err)
	}

	res, err := client.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Trigger Campaign Example",
		Leads: []marketo.LeadKey{
			{Type: marketo.LeadKeyEmail, Value: "jdoe@janeconsulting.com"},
			{Type: marketo.LeadKeyIDNum, Value: "3"},
		},
		Tokens: []marketo.Token{{Name: "my.message", Value: "Thanks for asking"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("requested:", res.CampaignName, "for", len(res.Leads), "leads from", res.Source)

	run := srv.Runs()[0]
	fmt.Println("Marketo ran it for leads", run.LeadIDs, "with {{my.message}} =", run.Tokens["{{my.message}}"])

	// More than 100 lead keys are refused before anything is sent: Marketo
	// would silently ignore the rest.
	_, err = client.RequestCampaign(context.Background(), marketo.RequestCampaignParams{
		CampaignID: 1002,
		Leads:      make([]marketo.LeadKey, 101),
	})
	var ve *marketo.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, "refused")
	}
	// Output:
	// requested: Trigger Campaign Example for 2 leads from MKTOWS
	// Marketo ran it for leads [1 3] with {{my.message}} = Thanks for asking
	// Leads refused
}

func ExampleClient_ImportToList() {
	srv := marketotest.NewServer()
	defer srv.Close()
	client, err := marketo.NewClient(srv.Config())
	if err != nil {
		panic(err)
	}

	res, err := client.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName:  "Trav-Demo-Program",
		ListName:     "Trav-Test-List",
		Mode:         marketo.ImportModeUpsertLeads,
		CampaignName: "Batch Campaign Example",
		Header:       []string{"Email Address", "Last Name", "Company Name", "{{my.message}}"},
		Rows: [][]string{
			{"kim@example.com", "Kim", "Kim, Lee & Partners", "Hello Kim"},
			{"lee@example.com", "Lee", "Acme \"West\"", "Hello Lee"},
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("import:", res.Status)
	// Output:
	// import: PROCESSING
}

func ExampleClient_GetImportToListStatus() {
	srv := marketotest.NewServer()
	defer srv.Close()
	client, err := marketo.NewClient(srv.Config())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	_, err = client.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName:  "Trav-Demo-Program",
		ListName:     "Trav-Test-List",
		Mode:         marketo.ImportModeUpsertLeads,
		CampaignName: "Batch Campaign Example",
		Header:       []string{"Email Address", "First Name"},
		Rows:         [][]string{{"kim@example.com", "Kim"}},
	})
	if err != nil {
		panic(err)
	}

	st, err := client.GetImportToListStatus(ctx, marketo.GetImportToListStatusParams{
		ProgramName: "Trav-Demo-Program",
		ListName:    "Trav-Test-List",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("status:", st.Status)
	fmt.Println("started:", st.StartedTime != nil, "ended:", st.EndedTime != nil)
	// Output:
	// status: PROCESSING
	// started: true ended: false
}

func ExampleClient_WaitForImport() {
	// The fake completes an import one second after it starts.
	srv := marketotest.NewServer(marketotest.WithImportDuration(time.Second))
	defer srv.Close()
	client, err := marketo.NewClient(srv.Config())
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = client.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName:  "Trav-Demo-Program",
		ListName:     "Trav-Test-List",
		Mode:         marketo.ImportModeUpsertLeads,
		CampaignName: "Batch Campaign Example",
		Header:       []string{"Email Address", "First Name"},
		Rows:         [][]string{{"kim@example.com", "Kim"}, {"lee@example.com", "Lee"}},
	})
	if err != nil {
		panic(err)
	}

	st, err := client.WaitForImport(ctx,
		marketo.GetImportToListStatusParams{ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List"},
		// Against Marketo keep the default of one poll a minute.
		marketo.WithPollInterval(200*time.Millisecond),
		marketo.WithPollProgress(func(s marketo.ImportToListStatus) {
			if s.Status != marketo.ImportProcessing {
				fmt.Println("progress:", s.Status)
			}
		}))
	var failed *marketo.ImportFailedError
	switch {
	case errors.As(err, &failed):
		fmt.Println("import failed:", failed.Status.ImportSummary)
	case err != nil:
		panic(err)
	default:
		fmt.Println("imported rows:", *st.RowsImported)
	}
	// Output:
	// progress: COMPLETE
	// imported rows: 2
}
