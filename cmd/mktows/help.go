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
	fs.StringVar(&g.endpoint, "endpoint", g.endpoint, "SOAP `URL` of the tenant, e.g. https://123-ABC-456.mktoapi.com/soap/mktows/2_9 (default $"+marketo.EnvEndpoint+")")
	fs.StringVar(&g.userID, "user-id", g.userID, "SOAP API user `ID` (default $"+marketo.EnvUserID+")")
	fs.StringVar(&g.keyFile, "encryption-key-file", g.keyFile, "read the SOAP encryption key from `FILE` (default $"+marketo.EnvEncryptionKey+")")
	fs.StringVar(&g.key, "encryption-key", g.key, "the SOAP encryption `KEY`; avoid: other users can see it in the process list and it stays in shell history (use --encryption-key-file or $"+marketo.EnvEncryptionKey+")")
	fs.BoolVar(&g.json, "json", g.json, "print one JSON object on stdout, and every line on stderr as a JSON object (errors as {\"error\": ...}, --trace as {\"trace\": TEXT})")
	fs.BoolVar(&g.demo, "demo", g.demo, "run against an in-process fake Marketo tenant (no credentials needed; nothing leaves this machine)")
	fs.BoolVar(&g.dryRun, "dry-run", g.dryRun, "print the request that would be sent (signature redacted) and send nothing")
	fs.BoolVar(&g.trace, "trace", g.trace, "write every raw request and answer to stderr (signature redacted)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "give up a call after `DURATION`, retries included (0: no limit); import-list --wait then waits without limit")
}

func (a *app) mainHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString("mktows runs Marketo SOAP API calls from the command line.\n\n")
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
The tenant comes from %s, %s and %s;
the flags above override them.

Exit status: 0 success; 1 Marketo refused the call, the network or Marketo's
answer failed, or an import ended FAILED or CANCELED; 2 bad usage or invalid
input (nothing was sent); 130 interrupted (SIGINT; 143 for SIGTERM).

Run 'mktows <command> --help' for a command's flags and examples.
Try it without a tenant:
  mktows --demo campaigns
`, marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey)
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
	b.WriteString("\nGlobal flags (--demo, --dry-run, --json, --endpoint, --user-id, --encryption-key-file,\n--trace, --timeout) are described by 'mktows --help'.\n")
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
