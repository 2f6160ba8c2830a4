// Command schedule-campaign runs Marketo's documented scheduleCampaign
// example: it clones the program "Trav-Demo-Program", schedules the clone's
// "Batch Campaign Example" an hour from now, and overrides two My Tokens
// for that run.
//
// With MARKETO_SOAP_ENDPOINT, MARKETO_SOAP_USER_ID and
// MARKETO_SOAP_ENCRYPTION_KEY set, it calls that endpoint. With none of
// them set, it starts the fake Marketo server (package marketotest)
// in-process, runs against it, and prints what the fake recorded.
//
//	go run ./examples/schedule-campaign
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "schedule-campaign:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	var fake *marketotest.Server
	cfg, err := marketo.ConfigFromEnv()
	if noneSet() {
		fake = marketotest.NewServer()
		defer fake.Close()
		cfg = fake.Config()
		fmt.Fprintf(out, "No MARKETO_SOAP_* variables set: using the fake Marketo server at %s\n\n", cfg.Endpoint)
	} else if err != nil {
		return err
	} else {
		fmt.Fprintf(out, "Using %s as %s\n\n", cfg.Endpoint, cfg.UserID)
	}

	var trace bytes.Buffer
	client, err := marketo.NewClient(cfg, marketo.WithWireTrace(&trace))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	params := marketo.ScheduleCampaignParams{
		ProgramName:        "Trav-Demo-Program",
		CampaignName:       "Batch Campaign Example",
		RunAt:              time.Now().Add(time.Hour).Truncate(time.Second),
		CloneToProgramName: "TestProgramCloneFromSOAP",
		Tokens: []marketo.Token{
			{Name: "{{my.message}}", Value: "Updated message"},
			{Name: "{{my.other token}}", Value: "Value for other token"},
		},
	}
	res, err := client.ScheduleCampaign(ctx, params)
	fmt.Fprintln(out, "What was sent and received (signature redacted):")
	fmt.Fprintln(out, indent(trace.String()))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Scheduled %q in %q", res.CampaignName, res.CloneToProgramName)
	fmt.Fprintf(out, " (a clone of %q) to run at %s.\n", res.ProgramName, res.RunAt.Format(time.RFC3339))

	if fake == nil {
		return nil
	}
	fmt.Fprintln(out, "\nWhat the fake Marketo recorded:")
	for _, r := range fake.Runs() {
		fmt.Fprintf(out, "  run %d: campaign %q in program %q (cloned from %q: %v)\n", r.ID, r.Campaign, r.Program, r.CloneOf, r.Cloned)
		fmt.Fprintf(out, "  runs at: %s\n", r.RunAt.Format(time.RFC3339))
		fmt.Fprintln(out, "  effective tokens:")
		names := make([]string, 0, len(r.Tokens))
		for n := range r.Tokens {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(out, "    %-22s = %q\n", n, r.Tokens[n])
		}
	}
	return nil
}

// noneSet reports whether no MARKETO_SOAP_* variable is set.
func noneSet() bool {
	for _, v := range []string{marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey} {
		if os.Getenv(v) != "" {
			return false
		}
	}
	return true
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "  " + strings.Join(lines, "\n  ")
}
