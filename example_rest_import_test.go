package marketo_test

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func ExampleClient_WaitForImports() {
	// A fake Marketo tenant whose imports end at once; with a real one, use
	// marketo.RESTConfigFromEnv().
	srv := marketotest.NewServer(marketotest.WithImportDuration(0))
	defer srv.Close()
	client, err := marketo.NewRESTClient(srv.RESTConfig())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// The same call as on SOAP: display names in the header are translated
	// to REST field names, and the rows go in one bulk import job per 10 MB.
	res, err := client.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List",
		Mode:   marketo.ImportModeUpsertLeads,
		Header: []string{"Email Address", "First Name"},
		Rows:   [][]string{{"ann@example.com", "Ann"}, {"", "Nobody"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("jobs:", len(res.ImportIDs))

	status, err := client.WaitForImports(ctx, res, marketo.WithPollInterval(10*time.Millisecond))
	if err != nil {
		panic(err)
	}
	fmt.Println(status.Status, "imported:", *status.RowsImported, "failed:", *status.RowsFailed)

	failures, err := client.ImportFailures(ctx, res.ImportIDs[0])
	if err != nil {
		panic(err)
	}
	defer failures.Close()
	for {
		row, err := failures.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		fmt.Printf("%q failed: %s\n", row.Fields, row.Reason)
	}
	// Output:
	// jobs: 1
	// COMPLETE imported: 1 failed: 1
	// ["" "Nobody"] failed: Value for lookup field 'email' not found
}
