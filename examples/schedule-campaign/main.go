// Command schedule-campaign runs Marketo's documented scheduleCampaign
// example: it clones the program "Trav-Demo-Program", schedules the clone's
// "Batch Campaign Example" an hour from now, and overrides two My Tokens
// for that run.
//
// It uses the REST API, or the SOAP API with -api soap. With the API's
// variables set (MARKETO_REST_ENDPOINT, MARKETO_REST_CLIENT_ID and
// MARKETO_REST_CLIENT_SECRET; or MARKETO_SOAP_ENDPOINT, MARKETO_SOAP_USER_ID
// and MARKETO_SOAP_ENCRYPTION_KEY), it calls that tenant. With none of them
// set, it starts the fake Marketo server (package marketotest) in-process,
// runs against it, and prints what the fake recorded.
//
//	go run ./examples/schedule-campaign
//	go run ./examples/schedule-campaign -api soap
package main

import (
	"bytes"
	"context"
	"flag"
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
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "schedule-campaign:", err)
		os.Exit(1)
	}
}

func run(out io.Writer, args []string) error {
	flags := flag.NewFlagSet("schedule-campaign", flag.ContinueOnError)
	flags.SetOutput(out)
	api := flags.String("api", "rest", "the Marketo API to use: rest or soap")
	if err := flags.Parse(args); err != nil {
		return err
	}
	var fake *marketotest.Server
	startFake := func() *marketotest.Server {
		fake = marketotest.NewServer()
		return fake
	}
	defer func() {
		if fake != nil {
			fake.Close()
		}
	}()
	var trace bytes.Buffer
	client, cloneName, err := newClient(out, *api, startFake, marketo.WithWireTrace(&trace))
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	params := marketo.ScheduleCampaignParams{
		ProgramName:        "Trav-Demo-Program",
		CampaignName:       "Batch Campaign Example",
		RunAt:              time.Now().Add(time.Hour).Truncate(time.Second),
		CloneToProgramName: cloneName,
		Tokens: []marketo.Token{
			{Name: "{{my.message}}", Value: "Updated message"},
			{Name: "{{my.other token}}", Value: "Value for other token"},
		},
	}
	res, err := client.ScheduleCampaign(ctx, params)
	fmt.Fprintln(out, "What was sent and received (credentials redacted):")
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

// newClient returns a client for api: of the tenant the environment names,
// or of a fake that startFake starts when the environment names none. It
// also returns the name of the program clone to make.
func newClient(out io.Writer, api string, startFake func() *marketotest.Server, opts ...marketo.Option) (*marketo.Client, string, error) {
	switch api {
	case "rest":
		if !anySet(marketo.EnvRESTEndpoint, marketo.EnvRESTClientID, marketo.EnvRESTClientSecret, marketo.EnvRESTIdentityURL) {
			cfg := startFake().RESTConfig()
			fmt.Fprintf(out, "No MARKETO_REST_* variables set: using the fake Marketo server's REST API at %s\n\n", cfg.Endpoint)
			c, err := marketo.NewRESTClient(cfg, opts...)
			return c, "TestProgramCloneFromREST", err
		}
		cfg, err := marketo.RESTConfigFromEnv()
		if err != nil {
			return nil, "", err
		}
		fmt.Fprintf(out, "Using the REST API at %s as client %s\n\n", cfg.Endpoint, cfg.ClientID)
		c, err := marketo.NewRESTClient(cfg, opts...)
		return c, "TestProgramCloneFromREST", err
	case "soap":
		if !anySet(marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey) {
			cfg := startFake().Config()
			fmt.Fprintf(out, "No MARKETO_SOAP_* variables set: using the fake Marketo server's SOAP API at %s\n\n", cfg.Endpoint)
			c, err := marketo.NewClient(cfg, opts...)
			return c, "TestProgramCloneFromSOAP", err
		}
		cfg, err := marketo.ConfigFromEnv()
		if err != nil {
			return nil, "", err
		}
		fmt.Fprintf(out, "Using the SOAP API at %s as %s\n\n", cfg.Endpoint, cfg.UserID)
		c, err := marketo.NewClient(cfg, opts...)
		return c, "TestProgramCloneFromSOAP", err
	}
	return nil, "", fmt.Errorf("-api %q: want rest or soap", api)
}

// anySet reports whether any of the variables is set.
func anySet(names ...string) bool {
	for _, v := range names {
		if os.Getenv(v) != "" {
			return true
		}
	}
	return false
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return "  " + strings.Join(lines, "\n  ")
}
