package main

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"syscall"
	"time"
)

// interruptGrace is how long a signalled run may take to report what its
// call did before mktows exits without waiting for it (a run blocked where
// it cannot see the signal).
const interruptGrace = 5 * time.Second

// interrupted is the cause of a run's context when a signal stopped it.
type interrupted struct{ sig os.Signal }

func (e interrupted) Error() string { return "interrupted (" + e.sig.String() + ")" }

// exitCode is what a shell reports for a process ended by the signal: 128
// plus its number, 130 for SIGINT.
func (e interrupted) exitCode() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

// errNotStarted ends a run that a signal reached before its call was sent.
var errNotStarted = &cliError{Exit: exitFail, Message: "interrupted; nothing was sent"}

// runMain runs the command line until it ends or a signal arrives on
// signals. On a signal the run's context is cancelled, so that the command
// reports what its call did; a second signal, or a run that does not end
// within interruptGrace, ends it at once.
func runMain(signals <-chan os.Signal, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	done := make(chan int, 1)
	go func() { done <- runContext(ctx, args, stdin, stdout, stderr, getenv) }()
	var stop interrupted
	select {
	case code := <-done:
		return code
	case stop.sig = <-signals:
	}
	cancel(stop)
	select {
	case code := <-done:
		return code
	case <-signals:
	case <-time.After(interruptGrace):
	}
	a := &app{stderr: stderr}
	a.g.json = wantsJSON(args)
	a.fail(&cliError{Exit: stop.exitCode(), Message: "interrupted; stopped without waiting for the command to finish"})
	return stop.exitCode()
}

// finish reports the run's error and returns its exit code. A run that a
// signal stopped exits as the signal says, still telling what its call did.
func (a *app) finish(ctx context.Context, err error) int {
	var stop interrupted
	if err == nil || !errors.As(context.Cause(ctx), &stop) {
		return a.fail(err)
	}
	ce := a.explain(err)
	if ce.Exit == exitUsage {
		// Input cut short by the signal is not the user's mistake.
		ce = &cliError{Message: "interrupted; nothing was sent"}
	}
	out := *ce
	out.Exit = stop.exitCode()
	if !strings.HasPrefix(out.Message, "interrupted") {
		out.Message = "interrupted: " + out.Message
	}
	return a.fail(&out)
}

// readerContext returns r as a reader whose Read returns, with the context's
// cause, once ctx is done, so that a signal is not lost while a command
// waits for standard input. A Read then still pending in r is abandoned.
func readerContext(ctx context.Context, r io.Reader) io.Reader {
	if r == nil {
		return nil
	}
	return &ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

type readResult struct {
	buf []byte
	err error
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	ch := make(chan readResult, 1)
	go func() {
		// Its own buffer: an abandoned Read must not write into p later.
		buf := make([]byte, len(p))
		n, err := c.r.Read(buf)
		ch <- readResult{buf[:n], err}
	}()
	select {
	case res := <-ch:
		return copy(p, res.buf), res.err
	case <-c.ctx.Done():
		return 0, context.Cause(c.ctx)
	}
}
