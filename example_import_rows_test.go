package marketo_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// importOnFake imports rows into the fake tenant's list and waits for the
// job to end, returning its ID.
func importOnFake(client *marketo.Client, rows [][]string) string {
	ctx := context.Background()
	res, err := client.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List",
		Mode:   marketo.ImportModeUpsertLeads,
		Header: []string{"Email Address", "First Name"},
		Rows:   rows,
	})
	if err != nil {
		panic(err)
	}
	if _, err := client.WaitForImports(ctx, res, marketo.WithPollInterval(10*time.Millisecond)); err != nil {
		panic(err)
	}
	return res.ImportIDs[0]
}

func ExampleClient_ImportFailures() {
	srv := marketotest.NewServer(marketotest.WithImportDuration(0))
	defer srv.Close()
	client, err := marketo.NewRESTClient(srv.RESTConfig())
	if err != nil {
		panic(err)
	}
	importID := importOnFake(client, [][]string{{"ann@example.com", "Ann"}, {"", "Nobody"}})

	// The rows Marketo refused, read as the file arrives: close it when done.
	failures, err := client.ImportFailures(context.Background(), importID)
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
		fmt.Printf("%q: %s\n", row.Fields, row.Reason)
	}
	// Output:
	// ["" "Nobody"]: Value for lookup field 'email' not found
}

func ExampleClient_ImportWarnings() {
	srv := marketotest.NewServer(marketotest.WithImportDuration(0))
	defer srv.Close()
	client, err := marketo.NewRESTClient(srv.RESTConfig())
	if err != nil {
		panic(err)
	}
	long := strings.Repeat("a", marketotest.MaxFieldLength+1)
	importID := importOnFake(client, [][]string{{"ann@example.com", "Ann"}, {"bob@example.com", long}})

	// The rows Marketo imported, but not quite as sent.
	warnings, err := client.ImportWarnings(context.Background(), importID)
	if err != nil {
		panic(err)
	}
	defer warnings.Close()
	for {
		row, err := warnings.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s\n", row.Fields[0], row.Reason)
	}
	// Output:
	// bob@example.com: Value for field 'firstName' truncated to 255 characters
}
