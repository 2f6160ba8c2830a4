package main

import (
	"context"
	"flag"
)

// command is one subcommand: its help, and a runner for its flags.
type command struct {
	name     string
	summary  string
	usage    string
	help     string
	examples []string
	runner   func() runner // a new runner, its flags at their defaults
}

// runner is one command's flags, and what it does once they are parsed.
type runner interface {
	register(fs *flag.FlagSet)
	run(ctx context.Context, a *app) error
}

func commands() []*command {
	return []*command{scheduleCampaignCmd, requestCampaignCmd, campaignsCmd, importListCmd, importStatusCmd}
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// sdkCall is what every command shares around its one SDK call: the call
// runs within --timeout, and its result is printed, or under --dry-run the
// request it would have sent. The client checks the parameters, by the
// rules of its API, before it sends anything; names turns its validation
// errors into flags.
type sdkCall[R any] struct {
	operation  string    // the SDK method, e.g. "ScheduleCampaign"
	names      flagNames // names the parameters after the flags they came from
	call       func(ctx context.Context, s *session) (R, error)
	print      func(s *session, res R) error
	dryRunNote string // what --dry-run adds below the request
	// dryRunLookups makes --dry-run on REST send the read-only lookups
	// of names, so that the request shown carries the IDs they found.
	dryRunLookups bool
}

func (c sdkCall[R]) run(ctx context.Context, a *app) error {
	a.names, a.dryRunLookups = c.names, c.dryRunLookups
	if ctx.Err() != nil {
		return errNotStarted
	}
	s, err := a.connect()
	if err != nil {
		return err
	}
	defer s.close()
	res, err := c.callWithin(ctx, a, s)
	if s.dryRun(err) {
		return a.printDryRun(s, c.operation, c.dryRunNote)
	}
	if err != nil {
		return err
	}
	return c.print(s, res)
}

// callWithin makes the call within --timeout.
func (c sdkCall[R]) callWithin(ctx context.Context, a *app, s *session) (R, error) {
	if a.g.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.g.timeout)
		defer cancel()
	}
	return c.call(ctx, s)
}
