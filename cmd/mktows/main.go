// Command mktows runs Marketo SOAP API calls from the command line, built on
// the SDK github.com/mktows/marketo.
//
// Usage:
//
//	mktows [global flags] <command> [flags]
//
// Commands: schedule-campaign, request-campaign, campaigns, import-list and
// import-status. "mktows --help" lists the global flags and "mktows
// <command> --help" a command's flags and examples.
//
// The tenant is read from MARKETO_SOAP_ENDPOINT, MARKETO_SOAP_USER_ID and
// MARKETO_SOAP_ENCRYPTION_KEY; --endpoint, --user-id and
// --encryption-key-file override them. --demo runs any command against an
// in-process fake tenant (package marketotest) instead, so nothing leaves the
// machine. --dry-run prints the request the SDK would send, signature
// redacted, and sends nothing. --json prints one JSON object on standard
// output, and errors as JSON on standard error.
//
// Exit status: 0 on success; 1 when Marketo refused the call, the network or
// Marketo's answer failed, or an import ended FAILED or CANCELED; 2 for bad
// usage or invalid input (nothing was sent).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mktows/marketo"
)

// Exit codes.
const (
	exitOK    = 0 // success
	exitFail  = 1 // Marketo refused the call, or the network or the answer failed
	exitUsage = 2 // bad usage or invalid input; nothing was sent
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run runs one mktows command line and returns its exit code. It reads the
// environment through getenv only.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return runContext(context.Background(), args, stdin, stdout, stderr, getenv)
}

// globals are the flags every command accepts, before or after its name.
type globals struct {
	endpoint string
	userID   string
	keyFile  string
	key      string
	json     bool
	demo     bool
	dryRun   bool
	trace    bool
	timeout  time.Duration
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.endpoint, "endpoint", g.endpoint, "SOAP `URL` of the tenant, e.g. https://123-ABC-456.mktoapi.com/soap/mktows/2_9 (default $"+marketo.EnvEndpoint+")")
	fs.StringVar(&g.userID, "user-id", g.userID, "SOAP API user `ID` (default $"+marketo.EnvUserID+")")
	fs.StringVar(&g.keyFile, "encryption-key-file", g.keyFile, "read the SOAP encryption key from `FILE` (default $"+marketo.EnvEncryptionKey+")")
	fs.StringVar(&g.key, "encryption-key", g.key, "the SOAP encryption `KEY`; avoid: other users can see it in the process list and it stays in shell history (use --encryption-key-file or $"+marketo.EnvEncryptionKey+")")
	fs.BoolVar(&g.json, "json", g.json, "print one JSON object on stdout, and errors as JSON on stderr")
	fs.BoolVar(&g.demo, "demo", g.demo, "run against an in-process fake Marketo tenant (no credentials needed; nothing leaves this machine)")
	fs.BoolVar(&g.dryRun, "dry-run", g.dryRun, "print the request that would be sent (signature redacted) and send nothing")
	fs.BoolVar(&g.trace, "trace", g.trace, "write every raw request and answer to stderr (signature redacted)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "give up a call after `DURATION`, retries included (0: no limit); import-list --wait then waits without limit")
}

// app is one run of the command line.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	g      globals
	cmd    *command
	set    map[string]bool // flags given on the command line
	fields fieldMap        // names SDK fields after the flags they came from
}

// command is one subcommand. flags registers its flags on fs and returns
// what to run once they are parsed.
type command struct {
	name     string
	summary  string
	usage    string
	help     string
	examples []string
	flags    func(fs *flag.FlagSet) action
}

type action func(ctx context.Context, a *app) error

func commands() []*command {
	return []*command{scheduleCampaignCmd(), requestCampaignCmd(), campaignsCmd(), importListCmd(), importStatusCmd()}
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, set: map[string]bool{}}
	a.g.timeout = 2 * time.Minute
	a.g.json = wantsJSON(args)

	top := newFlagSet("mktows")
	a.g.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.mainHelp(stdout)
			return exitOK
		}
		return a.fail(usageHint(err.Error(), ""))
	}
	top.Visit(func(f *flag.Flag) { a.set[f.Name] = true })
	rest := top.Args()
	if len(rest) == 0 {
		a.mainHelp(stderr)
		return exitUsage
	}
	if rest[0] == "help" {
		if len(rest) == 1 {
			a.mainHelp(stdout)
			return exitOK
		}
		if c := lookup(rest[1]); c != nil {
			c.printHelp(stdout)
			return exitOK
		}
		return a.fail(unknownCommand(rest[1]))
	}
	a.cmd = lookup(rest[0])
	if a.cmd == nil {
		return a.fail(unknownCommand(rest[0]))
	}
	fs := newFlagSet("mktows " + a.cmd.name)
	act := a.cmd.flags(fs)
	a.g.register(fs)
	if err := fs.Parse(rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.cmd.printHelp(stdout)
			return exitOK
		}
		return a.fail(usageHint(err.Error(), a.cmd.name))
	}
	if fs.NArg() > 0 {
		return a.fail(usageHint(fmt.Sprintf("unexpected argument %q: this command takes flags only (--name value)", fs.Arg(0)), a.cmd.name))
	}
	fs.Visit(func(f *flag.Flag) { a.set[f.Name] = true })
	return a.fail(act(ctx, a))
}

// wantsJSON reports whether --json is among the arguments, so that errors in
// the arguments themselves are reported as JSON too.
func wantsJSON(args []string) bool {
	for _, arg := range args {
		switch arg {
		case "--":
			return false
		case "-json", "--json", "-json=true", "--json=true":
			return true
		}
	}
	return false
}

// newFlagSet returns a flag set that reports errors to its caller instead of
// printing them.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

func unknownCommand(name string) *cliError {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return &cliError{Exit: exitUsage, Message: fmt.Sprintf("unknown command %q", name),
		Hint: "commands: " + strings.Join(names, ", ") + "; run 'mktows --help' for usage"}
}

// usageHint is a usage error with a pointer to the help of cmd ("" for the
// top level).
func usageHint(msg, cmd string) *cliError {
	help := "mktows --help"
	if cmd != "" {
		help = "mktows " + cmd + " --help"
	}
	return &cliError{Exit: exitUsage, Message: msg, Hint: "run '" + help + "' for usage"}
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
input (nothing was sent).

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
	c.flags(fs)
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
