package marketo_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func ExampleClient_ScheduleCampaign() {
	// A fake Marketo tenant; with a real one, use marketo.ConfigFromEnv().
	srv := marketotest.NewServer()
	defer srv.Close()

	client, err := marketo.NewClient(srv.Config())
	if err != nil {
		panic(err)
	}
	res, err := client.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName:        "Trav-Demo-Program",
		CampaignName:       "Batch Campaign Example",
		RunAt:              time.Date(2030, 1, 2, 9, 0, 0, 0, time.UTC),
		CloneToProgramName: "TestProgramCloneFromSOAP",
		Tokens:             []marketo.Token{{Name: "my.message", Value: "Updated message"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("scheduled:", res.CampaignName, "at", res.RunAt.Format(time.RFC3339))
	fmt.Println("tokens sent:", res.Tokens)

	run := srv.Runs()[0]
	fmt.Println("Marketo ran it in:", run.Program)
	fmt.Println("{{my.message}} was:", run.Tokens["{{my.message}}"])
	// Output:
	// scheduled: Batch Campaign Example at 2030-01-02T09:00:00Z
	// tokens sent: [{{my.message}}="Updated message"]
	// Marketo ran it in: TestProgramCloneFromSOAP
	// {{my.message}} was: Updated message
}

func ExampleFault() {
	srv := marketotest.NewServer()
	defer srv.Close()
	client, _ := marketo.NewClient(srv.Config())

	_, err := client.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "No Such Campaign",
	})
	var f *marketo.Fault
	if errors.As(err, &f) && f.Code == marketo.CodeCampaignNotFound {
		fmt.Println("Marketo code:", f.Code)
		fmt.Println("errors.Is ErrCampaignNotFound:", errors.Is(err, marketo.ErrCampaignNotFound))
		fmt.Println("may have run:", errors.Is(err, marketo.ErrOutcomeUnknown))
	}
	// Output:
	// Marketo code: 20113 (campaign not found)
	// errors.Is ErrCampaignNotFound: true
	// may have run: false
}

func ExampleValidationError() {
	client, _ := marketo.NewClient(marketo.Config{
		Endpoint: "https://123-ABC-456.mktoapi.com/soap/mktows/2_9", UserID: "user", EncryptionKey: "key",
	})
	_, err := client.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Batch Campaign Example",
		Tokens:       []marketo.Token{{Name: "{{lead.FirstName}}", Value: "x"}},
	})
	var ve *marketo.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field)
		fmt.Println(ve.Rule)
	}
	// Output:
	// Tokens[0].Name
	// token "{{lead.FirstName}}" is not a My Token; names must be in the my. namespace, e.g. {{my.message}}
}
