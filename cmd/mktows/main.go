// Command mktows runs Marketo API calls from the command line, on the REST
// or the SOAP API, built on the SDK github.com/mktows/marketo.
//
// Usage:
//
//	mktows [global flags] <command> [flags]
//
// Commands: schedule-campaign, request-campaign, campaigns, import-list and
// import-status. "mktows --help" lists the global flags and "mktows
// <command> --help" a command's flags and examples.
//
// The API is chosen as marketo.NewClientFromEnv chooses it: REST when a
// MARKETO_REST_* variable is set (MARKETO_REST_ENDPOINT,
// MARKETO_REST_CLIENT_ID, MARKETO_REST_CLIENT_SECRET, optional
// MARKETO_REST_IDENTITY_URL), SOAP otherwise (MARKETO_SOAP_ENDPOINT,
// MARKETO_SOAP_USER_ID, MARKETO_SOAP_ENCRYPTION_KEY). --api rest|soap
// chooses it, and so do the credential flags of one API (--client-id,
// --client-secret-file, --identity-url; --user-id, --encryption-key-file),
// which override the environment, as --endpoint does for either API.
// On REST, import-list prints the import's job IDs and import-status follows
// one with --import-id.
//
// --demo runs any command against an in-process fake tenant (package
// marketotest), on REST unless --api soap, so nothing leaves the machine.
// --dry-run prints the request the SDK would send, secrets redacted, and
// sends nothing. --json prints one JSON object on standard output, and
// every line on standard error as a JSON object too.
//
// Exit status: 0 on success; 1 when Marketo refused the call, the network or
// Marketo's answer failed, or an import ended FAILED or CANCELED; 2 for bad
// usage or invalid input, or a command the API does not offer (nothing was
// sent); 130 when interrupted (SIGINT; 143 for SIGTERM).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Exit codes. A run stopped by a signal exits 128 plus the signal's number.
const (
	exitOK    = 0 // success
	exitFail  = 1 // Marketo refused the call, or the network or the answer failed
	exitUsage = 2 // bad usage or invalid input; nothing was sent
)

func main() {
	// First thing: from here on a SIGINT or SIGTERM is received, never lost,
	// however early it comes.
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	args := os.Args[1:]
	if wantsJSON(args) {
		// Whatever a library logs must not break stderr's JSON lines.
		log.SetOutput(jsonLines{w: os.Stderr, key: "log"})
	}
	os.Exit(runMain(signals, args, os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run runs one mktows command line and returns its exit code. It reads the
// environment through getenv only.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return runContext(context.Background(), args, stdin, stdout, stderr, getenv)
}

// runContext runs one command line until it ends or ctx is done.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdin: readerContext(ctx, stdin), stdout: stdout, stderr: stderr, getenv: getenv, set: map[string]bool{}}
	a.g.timeout = 2 * time.Minute
	a.g.json = wantsJSON(args)
	if ctx.Err() != nil {
		return a.finish(ctx, errNotStarted)
	}
	r, code, done := a.parse(args)
	if done {
		return code
	}
	return a.finish(ctx, r.run(ctx, a))
}

// globals are the flags every command accepts, before or after its name.
type globals struct {
	api         string
	endpoint    string
	clientID    string
	secretFile  string
	secret      string
	identityURL string
	userID      string
	keyFile     string
	key         string
	json        bool
	demo        bool
	dryRun      bool
	trace       bool
	timeout     time.Duration
}

// app is one run of the command line.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	g      globals
	cmd    *command
	api    api             // once connected
	set    map[string]bool // flags given on the command line
	names  flagNames       // names SDK fields after the flags they came from
	// dryRunLookups: --dry-run sends the command's read-only lookups
	// (see sdkCall).
	dryRunLookups bool
}

// parse reads the command line and returns the command to run. done reports
// that parsing already ended the run (help, or a usage error), with code.
func (a *app) parse(args []string) (r runner, code int, done bool) {
	top := newFlagSet("mktows")
	a.g.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.mainHelp(a.stdout)
			return nil, exitOK, true
		}
		return nil, a.fail(usageHint(err.Error(), "")), true
	}
	top.Visit(func(f *flag.Flag) { a.set[f.Name] = true })
	rest := top.Args()
	switch {
	case len(rest) == 0 && a.g.json:
		return nil, a.fail(&cliError{Exit: exitUsage, Message: "no command given", Hint: commandList()}), true
	case len(rest) == 0:
		a.mainHelp(a.stderr)
		return nil, exitUsage, true
	case rest[0] == "help":
		return nil, a.help(rest[1:]), true
	}
	if a.cmd = lookup(rest[0]); a.cmd == nil {
		return nil, a.fail(unknownCommand(rest[0])), true
	}
	fs := newFlagSet("mktows " + a.cmd.name)
	r = a.cmd.runner()
	r.register(fs)
	a.g.register(fs)
	if err := fs.Parse(rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.cmd.printHelp(a.stdout)
			return nil, exitOK, true
		}
		return nil, a.fail(usageHint(err.Error(), a.cmd.name)), true
	}
	if fs.NArg() > 0 {
		return nil, a.fail(usageHint(fmt.Sprintf("unexpected argument %q: this command takes flags only (--name value)", fs.Arg(0)), a.cmd.name)), true
	}
	fs.Visit(func(f *flag.Flag) { a.set[f.Name] = true })
	return r, 0, false
}

// help runs "mktows help [command]".
func (a *app) help(args []string) int {
	if len(args) == 0 {
		a.mainHelp(a.stdout)
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		return a.fail(unknownCommand(args[0]))
	}
	c.printHelp(a.stdout)
	return exitOK
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
	return &cliError{Exit: exitUsage, Message: fmt.Sprintf("unknown command %q", name), Hint: commandList()}
}

func commandList() string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return "commands: " + strings.Join(names, ", ") + "; run 'mktows --help' for usage"
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
