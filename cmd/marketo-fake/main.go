// Command marketo-fake serves a fake Marketo tenant (package
// github.com/mktows/marketo/marketotest), speaking the SOAP and the REST API
// on one port, for manual and end-to-end testing.
//
// Usage:
//
//	marketo-fake [-addr 127.0.0.1:8080] [-user-id U -encryption-key K] [-client-id I -client-secret S] [-seed tenant.json]
//	             [-import-duration 1m] [-latency 0s] [-inject TARGET:KIND[=ARG][:COUNT]]...
//
// Before serving it prints, on standard output, seven lines a POSIX shell
// can eval, values single-quoted, for both APIs (served on one port):
//
//	export MARKETO_SOAP_ENDPOINT='http://127.0.0.1:8080/soap/mktows/2_9'
//	export MARKETO_SOAP_USER_ID='…'
//	export MARKETO_SOAP_ENCRYPTION_KEY='…'
//	export MARKETO_REST_ENDPOINT='http://127.0.0.1:8080/rest'
//	export MARKETO_REST_CLIENT_ID='…'
//	export MARKETO_REST_CLIENT_SECRET='…'
//	export MARKETO_REST_IDENTITY_URL='http://127.0.0.1:8080/identity'
//
// so that, run in the background, eval "$(head -7 out)" puts the SDK's
// settings in the environment of the commands the shell runs next. The
// endpoints are always ones the SDK accepts: listening on every interface
// (-addr 0.0.0.0:8080 or [::]:8080) prints the 127.0.0.1 address.
//
// The SOAP user ID and encryption key and the REST client ID and secret are
// random unless given. With -seed the tenant holds exactly the seed file's
// content (JSON format documented in package marketotest); without it, the
// default tenant. One log line per
// call, and one per campaign run started (campaign, leads, the call's My
// Tokens), goes to standard error (never credentials or signatures). SIGINT or
// SIGTERM shuts the server down gracefully and the command exits 0.
//
// -import-duration sets how long an import takes (one minute by default);
// -latency delays every API call, so that timeouts and Ctrl-C can be tried
// by hand; -inject queues a fault for the first calls of one SDK operation
// (marketotest.Server.On), e.g. -inject ScheduleCampaign:drop-answer runs
// the first schedule and drops its answer, -inject any:fail=606:2 refuses
// the next two calls of any kind with 606.
//
// Served on an open interface, the fake defends itself as package
// marketotest documents under "Connections": headers within 30 s, bodies
// within 1 minute, idle connections closed after 2 minutes, each answer
// written within 1 minute, at most 512 connections, and a REST call
// without a live access token refused before its body is read.
//
// Exit status: 0 after a graceful stop or -help; 2 for a bad flag or
// argument; 1 when the fake cannot start (address in use, unreadable seed).
// An error is printed once, on standard error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is a bad flag or argument (exit 2). printed is set when the
// flag package has already printed it, with the usage.
type usageError struct {
	err     error
	printed bool
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// cli runs the command and returns its exit status, printing an error once.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := run(ctx, args, stdout, stderr)
	var usage *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		if !usage.printed {
			fmt.Fprintln(stderr, "marketo-fake:", err)
		}
		return 2
	default:
		fmt.Fprintln(stderr, "marketo-fake:", err)
		return 1
	}
}

// run serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("marketo-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	userID := fs.String("user-id", "", "SOAP user ID to accept (random when empty)")
	key := fs.String("encryption-key", "", "SOAP encryption key to accept (random when empty)")
	clientID := fs.String("client-id", "", "REST client ID to accept (random when empty)")
	clientSecret := fs.String("client-secret", "", "REST client secret to accept (random when empty)")
	seedPath := fs.String("seed", "", "JSON seed file describing the tenant (default tenant when empty)")
	importDuration := fs.Duration("import-duration", time.Minute, "how long an import takes to complete, e.g. 2s")
	latency := fs.Duration("latency", 0, "delay every API call by this much before answering, e.g. 3s (for timeouts and Ctrl-C)")
	var injections injectionFlag
	fs.Var(&injections, "inject", "TARGET:KIND[=ARG][:COUNT]: fail the first matching calls, e.g. ScheduleCampaign:drop-answer or\nany:fail=606:2 (kinds: "+kindUsage()+";\nrepeatable, applied in order)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err: err, printed: true}
	}
	if fs.NArg() > 0 {
		return &usageError{err: fmt.Errorf("unexpected arguments: %v", fs.Args())}
	}
	if (*userID == "") != (*key == "") {
		return &usageError{err: errors.New("-user-id and -encryption-key must be given together")}
	}
	if (*clientID == "") != (*clientSecret == "") {
		return &usageError{err: errors.New("-client-id and -client-secret must be given together")}
	}
	if *importDuration < 0 {
		return &usageError{err: fmt.Errorf("-import-duration %v: must not be negative", *importDuration)}
	}
	if *latency < 0 {
		return &usageError{err: fmt.Errorf("-latency %v: must not be negative", *latency)}
	}
	opts := []marketotest.Option{
		marketotest.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))),
		marketotest.WithImportDuration(*importDuration),
	}
	if *userID != "" {
		opts = append(opts, marketotest.WithCredentials(*userID, *key))
	}
	if *clientID != "" {
		opts = append(opts, marketotest.WithRESTCredentials(*clientID, *clientSecret))
	}
	srv, err := newServer(*seedPath, opts)
	if err != nil {
		return err
	}
	srv.SetLatency(*latency)
	for _, in := range injections {
		in.apply(srv)
	}
	return serve(ctx, srv, *addr, stdout)
}

// newServer returns the fake with the default tenant, or with exactly the
// content of the seed file at seedPath.
func newServer(seedPath string, opts []marketotest.Option) (*marketotest.Server, error) {
	if seedPath == "" {
		return marketotest.NewUnstartedServer(opts...), nil
	}
	f, err := os.Open(seedPath)
	if err != nil {
		return nil, err
	}
	seed, err := marketotest.LoadSeed(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	srv := marketotest.NewUnstartedServer(append(opts, marketotest.WithEmptyTenant())...)
	if err := srv.ApplySeed(seed); err != nil {
		return nil, err
	}
	return srv, nil
}

func serve(ctx context.Context, srv *marketotest.Server, addr string, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv.Listener = ln
	srv.Start()
	printEnv(stdout, srv)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// printEnv writes the configuration of both APIs as export lines.
func printEnv(w io.Writer, srv *marketotest.Server) {
	soap, rest := srv.Config(), srv.RESTConfig()
	for _, kv := range [][2]string{
		{marketo.EnvEndpoint, soap.Endpoint},
		{marketo.EnvUserID, soap.UserID},
		{marketo.EnvEncryptionKey, soap.EncryptionKey},
		{marketo.EnvRESTEndpoint, rest.Endpoint},
		{marketo.EnvRESTClientID, rest.ClientID},
		{marketo.EnvRESTClientSecret, rest.ClientSecret},
		{marketo.EnvRESTIdentityURL, rest.IdentityURL},
	} {
		fmt.Fprintf(w, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
}

// shellQuote quotes s for a POSIX shell: within single quotes nothing is
// special, so each single quote in s closes the quotes, is escaped with a
// backslash, and opens them again.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
