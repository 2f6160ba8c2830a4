// Command marketo-fake serves a fake Marketo SOAP API tenant (package
// github.com/mktows/marketo/marketotest) for manual and end-to-end testing.
//
// Usage:
//
//	marketo-fake [-addr 127.0.0.1:8080] [-user-id U] [-encryption-key K] [-seed tenant.json]
//
// Before serving it prints, on standard output, three lines a shell can eval:
//
//	MARKETO_SOAP_ENDPOINT=http://127.0.0.1:8080/soap/mktows/2_9
//	MARKETO_SOAP_USER_ID=…
//	MARKETO_SOAP_ENCRYPTION_KEY=…
//
// The user ID and encryption key are random unless given. With -seed the
// tenant holds exactly the seed file's content (JSON format documented in
// package marketotest); without it, the default tenant. One log line per
// call goes to standard error (never credentials or signatures). SIGINT or
// SIGTERM shuts the server down gracefully and the command exits 0.
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
	"syscall"
	"time"

	"github.com/mktows/marketo/marketotest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "marketo-fake:", err)
		}
		os.Exit(2)
	}
}

// run serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("marketo-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	userID := fs.String("user-id", "", "SOAP user ID to accept (random when empty)")
	key := fs.String("encryption-key", "", "SOAP encryption key to accept (random when empty)")
	seedPath := fs.String("seed", "", "JSON seed file describing the tenant (default tenant when empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if (*userID == "") != (*key == "") {
		return errors.New("-user-id and -encryption-key must be given together")
	}
	opts := []marketotest.Option{marketotest.WithLogger(slog.New(slog.NewTextHandler(stderr, nil)))}
	if *userID != "" {
		opts = append(opts, marketotest.WithCredentials(*userID, *key))
	}
	if *seedPath != "" {
		f, err := os.Open(*seedPath)
		if err != nil {
			return err
		}
		seed, err := marketotest.LoadSeed(f)
		f.Close()
		if err != nil {
			return err
		}
		opts = append(opts, marketotest.WithEmptyTenant())
		srv := marketotest.NewUnstartedServer(opts...)
		if err := srv.ApplySeed(seed); err != nil {
			return err
		}
		return serve(ctx, srv, *addr, stdout)
	}
	return serve(ctx, marketotest.NewUnstartedServer(opts...), *addr, stdout)
}

func serve(ctx context.Context, srv *marketotest.Server, addr string, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv.Listener = ln
	srv.Start()
	cfg := srv.Config()
	fmt.Fprintf(stdout, "MARKETO_SOAP_ENDPOINT=%s\nMARKETO_SOAP_USER_ID=%s\nMARKETO_SOAP_ENCRYPTION_KEY=%s\n", cfg.Endpoint, cfg.UserID, cfg.EncryptionKey)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
