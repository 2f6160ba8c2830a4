package marketo_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func ExampleAmbiguousNameError() {
	// A fake tenant where a folder and a program each hold a batch
	// campaign named "Monthly Newsletter Send".
	srv := marketotest.NewServer(marketotest.WithSeed(&marketotest.Seed{Programs: []marketotest.SeedProgram{{
		Name: "Newsletter Program", Campaigns: []marketotest.SeedCampaign{{Name: "Monthly Newsletter Send", Type: "batch"}},
	}}}))
	defer srv.Close()
	client, err := marketo.NewRESTClient(srv.RESTConfig())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// On REST a campaign is found by its name alone, wherever it lives.
	_, err = client.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{CampaignName: "Monthly Newsletter Send"})
	var ae *marketo.AmbiguousNameError
	if !errors.As(err, &ae) {
		panic(err)
	}
	for _, c := range ae.Candidates {
		if c.ProgramName == "" {
			// The one in the folder: name it by its ID.
			res, err := client.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{CampaignID: c.ID})
			if err != nil {
				panic(err)
			}
			fmt.Println("scheduled", res.CampaignID, "request ID given:", res.Metadata.RequestID != "")
		}
	}
	// Output:
	// scheduled 1005 request ID given: true
}
