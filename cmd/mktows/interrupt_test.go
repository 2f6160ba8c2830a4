package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

const exitSIGINT = 130

func TestInterruptBeforeStartSendsNothing(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupted{os.Interrupt})
	for _, args := range [][]string{
		{"schedule-campaign", "--program", "Trav-Demo-Program", "--campaign", "Batch Campaign Example"},
		{"--json", "campaigns"},
	} {
		var out, errOut bytes.Buffer
		env := envFor(srv)
		code := runContext(ctx, args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
		if code != exitSIGINT || !strings.Contains(errOut.String(), "interrupted; nothing was sent") || out.Len() != 0 {
			t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, out.String(), errOut.String())
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the fake received %d requests", n)
	}
}

// blockedStdin is standard input that never delivers a byte; reading says
// so on reading.
type blockedStdin struct {
	*io.PipeReader
	reading chan struct{}
}

func (b blockedStdin) Read(p []byte) (int, error) {
	select {
	case <-b.reading:
	default:
		close(b.reading)
	}
	return b.PipeReader.Read(p)
}

func TestInterruptWhileReadingStdin(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	pr, pw := io.Pipe()
	t.Cleanup(func() { _ = pw.Close() })
	stdin := blockedStdin{pr, make(chan struct{})}
	signals := make(chan os.Signal, 1)
	go func() {
		<-stdin.reading
		signals <- os.Interrupt
	}()
	var out, errOut bytes.Buffer
	env := envFor(srv)
	code := runMain(signals, []string{"--json", "request-campaign", "--campaign-id", "1003", "--leads-file", "-"}, stdin, &out, &errOut,
		func(k string) string { return env[k] })
	if code != exitSIGINT {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut.String())
	}
	e := decode[jsonError](t, errOut.String())
	if e.Error.ExitCode != exitSIGINT || e.Error.Message != "interrupted; nothing was sent" {
		t.Errorf("error = %+v", e.Error)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the fake received %d requests", n)
	}
}

func TestInterruptDuringCallTellsTheOutcome(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.StallAnswerNext(1)
	signals := make(chan os.Signal, 1)
	go func() {
		// Interrupt once the fake has run the campaign and holds its answer.
		for len(srv.Runs()) == 0 {
			time.Sleep(time.Millisecond)
		}
		signals <- syscall.SIGTERM
	}()
	var out, errOut bytes.Buffer
	env := envFor(srv)
	code := runMain(signals, []string{"request-campaign", "--campaign-id", "1003", "--lead", "IDNUM:1"}, nil, &out, &errOut,
		func(k string) string { return env[k] })
	if code != 128+int(syscall.SIGTERM) {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut.String())
	}
	for _, want := range []string{"mktows request-campaign: interrupted: ", "hint: the request was sent but no answer came back: check the campaign in Marketo"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}
