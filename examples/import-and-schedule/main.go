// Command import-and-schedule runs Marketo's import-then-schedule workflow:
// it imports leads into a static list with a per-lead My Token column, waits
// for the import, then schedules a batch campaign with tokens of its own,
// and shows each lead's effective tokens. Marketo resolves a token for a
// lead from, in order: the lead's import column, the tokens passed to
// scheduleCampaign, the program's My Tokens.
//
// It uses the SOAP API: per-lead token columns exist only in SOAP's
// importToList (REST's bulk import takes lead fields alone), so it shows
// the workflow on SOAP gateways, recordings and the fake.
//
// With MARKETO_SOAP_ENDPOINT, MARKETO_SOAP_USER_ID and
// MARKETO_SOAP_ENCRYPTION_KEY set it calls that endpoint (program
// Trav-Demo-Program, list Trav-Test-List and campaign Batch Campaign
// Example must exist; the import is polled once a minute). With none set it
// starts the fake Marketo server in-process, which also reports the
// effective tokens.
//
//	go run ./examples/import-and-schedule
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

const (
	program  = "Trav-Demo-Program"
	list     = "Trav-Test-List"
	campaign = "Batch Campaign Example"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "import-and-schedule:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	var fake *marketotest.Server
	poll := marketo.DefaultPollInterval
	cfg, err := marketo.ConfigFromEnv()
	switch {
	case os.Getenv(marketo.EnvEndpoint) == "" && os.Getenv(marketo.EnvUserID) == "" && os.Getenv(marketo.EnvEncryptionKey) == "":
		// The fake's imports take 2 s, so poll faster than Marketo allows.
		fake = marketotest.NewServer(marketotest.WithImportDuration(2 * time.Second))
		defer fake.Close()
		if err := fake.SetProgramToken(program, "{{my.signature}}", "The Demo Team"); err != nil {
			return err
		}
		cfg, poll = fake.Config(), 500*time.Millisecond
		fmt.Fprintf(out, "No MARKETO_SOAP_* variables set: using the fake Marketo server at %s\n", cfg.Endpoint)
	case err != nil:
		return err
	}
	client, err := marketo.NewClient(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	imp, err := client.ImportToList(ctx, marketo.ImportToListParams{
		ProgramName:  program,
		ListName:     list,
		Mode:         marketo.ImportModeUpsertLeads,
		CampaignName: campaign, // its next run uses the {{my.message}} column
		Header:       []string{"Email Address", "First Name", "{{my.message}}"},
		Rows: [][]string{
			{"ann@example.com", "Ann", "Ann, your seat is booked"},
			{"bob@example.com", "Bob", "Bob, see you on Tuesday"},
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nimportToList: %s\n", imp.Status)

	status, err := client.WaitForImport(ctx, marketo.GetImportToListStatusParams{ProgramName: program, ListName: list},
		marketo.WithPollInterval(poll),
		marketo.WithPollProgress(func(s marketo.ImportToListStatus) {
			fmt.Fprintf(out, "  import %s, rows imported: %s\n", s.Status, count(s.RowsImported))
		}))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "import done: %s rows imported, %s failed\n", count(status.RowsImported), count(status.RowsFailed))

	_, err = client.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{
		ProgramName:  program,
		CampaignName: campaign,
		Tokens: []marketo.Token{
			{Name: "{{my.message}}", Value: "Hello from the scheduleCampaign call"},
			{Name: "{{my.other token}}", Value: "Set by the scheduleCampaign call"},
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nscheduleCampaign: %q runs now\n", campaign)
	if fake == nil {
		return nil
	}

	runs := fake.Runs()
	run := runs[len(runs)-1]
	fmt.Fprintln(out, "\nEffective tokens per lead, as Marketo resolved them:")
	for _, lead := range fake.Leads() {
		tokens, ok := run.LeadTokens[lead.ID]
		if !ok {
			continue
		}
		fmt.Fprintf(out, "  %s\n", lead.Email)
		names := make([]string, 0, len(tokens))
		for n := range tokens {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(out, "    %-20s = %-40q (%s)\n", n, tokens[n], source(n, tokens[n], run))
		}
	}
	fmt.Fprintln(out, "\nLeads without an import row get the call's tokens, then the program's:")
	for _, n := range []string{"{{my.message}}", "{{my.other token}}", "{{my.signature}}"} {
		fmt.Fprintf(out, "    %-20s = %q\n", n, run.Tokens[n])
	}
	return nil
}

// source says where a lead's effective token value came from.
func source(name, value string, run marketotest.Run) string {
	switch {
	case run.CallTokens[name] == value:
		return "scheduleCampaign token"
	case run.Tokens[name] == value:
		return "program My Token"
	default:
		return "lead's import column"
	}
}

func count(n *int) string {
	if n == nil {
		return "unknown"
	}
	return fmt.Sprint(*n)
}
