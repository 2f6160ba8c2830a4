package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mktows/marketo"
)

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.api, "api", g.api, "the Marketo `API`: rest or soap (default rest when a $MARKETO_REST_* variable is set or --demo is given, else soap)")
	fs.StringVar(&g.endpoint, "endpoint", g.endpoint, "the tenant's `URL` for the API: REST e.g. https://284-RPR-133.mktorest.com/rest (default $"+marketo.EnvRESTEndpoint+"), SOAP e.g. https://123-ABC-456.mktoapi.com/soap/mktows/2_9 (default $"+marketo.EnvEndpoint+")")
	fs.StringVar(&g.clientID, "client-id", g.clientID, "REST API client `ID` (default $"+marketo.EnvRESTClientID+")")
	fs.StringVar(&g.secretFile, "client-secret-file", g.secretFile, "read the REST client secret from `FILE` (default $"+marketo.EnvRESTClientSecret+")")
	fs.StringVar(&g.secret, "client-secret", g.secret, "the REST client `SECRET`; avoid: other users can see it in the process list and it stays in shell history (use --client-secret-file or $"+marketo.EnvRESTClientSecret+")")
	fs.StringVar(&g.identityURL, "identity-url", g.identityURL, "the tenant's REST identity `URL` (default $"+marketo.EnvRESTIdentityURL+", else the endpoint's host with /identity)")
	fs.StringVar(&g.userID, "user-id", g.userID, "SOAP API user `ID` (default $"+marketo.EnvUserID+")")
	fs.StringVar(&g.keyFile, "encryption-key-file", g.keyFile, "read the SOAP encryption key from `FILE` (default $"+marketo.EnvEncryptionKey+")")
	fs.StringVar(&g.key, "encryption-key", g.key, "the SOAP encryption `KEY`; avoid: other users can see it in the process list and it stays in shell history (use --encryption-key-file or $"+marketo.EnvEncryptionKey+")")
	fs.BoolVar(&g.json, "json", g.json, "print one JSON object on stdout, and every line on stderr as a JSON object (errors as {\"error\": ...}, --trace as {\"trace\": TEXT})")
	fs.BoolVar(&g.demo, "demo", g.demo, "run against an in-process fake Marketo tenant (no credentials needed; nothing leaves this machine)")
	fs.BoolVar(&g.dryRun, "dry-run", g.dryRun, "print the request that would be sent (secrets redacted) and send nothing")
	fs.BoolVar(&g.trace, "trace", g.trace, "write every raw request and answer to stderr (secrets redacted)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "give up a call after `DURATION`, retries included (0: no limit); import-list --wait then waits without limit")
}

func (a *app) mainHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString("mktows runs Marketo API calls from the command line, on the REST or the SOAP API.\n\n")
	b.WriteString("Usage:\n  mktows [global flags] <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-18s %s\n", c.name, c.summary)
	}
	b.WriteString("\nGlobal flags (before or after the command):\n")
	fs := newFlagSet("mktows")
	var g globals
	g.timeout = 2 * time.Minute
	g.register(fs)
	printFlags(&b, fs)
	fmt.Fprintf(&b, `
The API is REST when a MARKETO_REST_* variable is set (%s, %s,
%s, optional %s), else SOAP (%s,
%s, %s); --api and the credential flags above choose
it too, and override the environment.

Exit status: 0 success; 1 Marketo refused the call, the network or Marketo's
answer failed, or an import ended FAILED or CANCELED; 2 bad usage or invalid
input, or a command the API does not offer (nothing was sent); 130 interrupted
(SIGINT; 143 for SIGTERM).

Run 'mktows <command> --help' for a command's flags and examples.
Try it without a tenant:
  mktows --demo campaigns
`, marketo.EnvRESTEndpoint, marketo.EnvRESTClientID, marketo.EnvRESTClientSecret, marketo.EnvRESTIdentityURL,
		marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey)
	_, _ = io.WriteString(w, b.String())
}

func (c *command) printHelp(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: mktows %s %s\n\n%s\n\nFlags:\n", c.name, c.usage, strings.TrimSpace(c.help))
	fs := newFlagSet("mktows " + c.name)
	c.runner().register(fs)
	printFlags(&b, fs)
	b.WriteString("\nExamples:\n")
	for _, e := range c.examples {
		b.WriteString("  " + e + "\n")
	}
	b.WriteString("\nGlobal flags (--api, --demo, --dry-run, --json, --trace, --timeout, and the tenant's\n--endpoint and credentials) are described by 'mktows --help'.\n")
	_, _ = io.WriteString(w, b.String())
}

// printFlags lists the flags of fs as --name ARG, with their defaults.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		switch arg {
		case "string":
			arg = "NAME"
		case "int":
			arg = "N"
		case "duration":
			arg = "DURATION"
		case "value":
			arg = "VALUE"
		}
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		switch f.DefValue {
		case "", "false", "0", "0s":
		default:
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, usage)
	})
}
