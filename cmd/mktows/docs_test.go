package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// docRun is one command of the transcript in docs/cli.md and what it
// printed there.
type docRun struct {
	args []string
	out  []string
}

// docTranscript returns the `$ mktows …` commands of docs/cli.md's text
// blocks, each with the lines shown after it.
func docTranscript(t *testing.T) []docRun {
	t.Helper()
	b, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	var runs []docRun
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			in = line == "```text"
		case in && strings.HasPrefix(line, "$ mktows "):
			runs = append(runs, docRun{args: shellWords(t, strings.TrimPrefix(line, "$ mktows "))})
		case in && len(runs) > 0:
			runs[len(runs)-1].out = append(runs[len(runs)-1].out, line)
		}
	}
	return runs
}

// shellWords splits a command line at spaces, keeping single-quoted text
// whole, as the transcript writes it.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	quoted, started := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, started = !quoted, true
		case r == ' ' && !quoted:
			if started {
				words = append(words, w.String())
			}
			w.Reset()
			started = false
		default:
			w.WriteRune(r)
			started = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if started {
		words = append(words, w.String())
	}
	return words
}

// variable masks what differs from one run to the next: request IDs, the
// fake's address and client ID, times.
var variable = regexp.MustCompile(`a001#[0-9a-f]+|127\.0\.0\.1:\d+|client_id=[0-9a-f-]+|\d{4}-\d\d-\d\dT[\d:]+(Z|[+-]\d\d:\d\d)`)

// TestDocsTranscript runs every --demo command of docs/cli.md's transcript
// and checks that it prints what the page shows, apart from IDs and times
// that differ between runs. Imports (their progress is timed) are left out.
func TestDocsTranscript(t *testing.T) {
	t.Parallel()
	runs := docTranscript(t)
	if len(runs) < 10 {
		t.Fatalf("found %d commands in docs/cli.md", len(runs))
	}
	for _, d := range runs {
		if !strings.Contains(strings.Join(d.args, " "), "--demo") || strings.Contains(strings.Join(d.args, " "), "import-list") {
			continue
		}
		r := mktows(t, nil, "", d.args...)
		got := variable.ReplaceAllString(r.stdout+r.stderr, "X")
		for _, want := range d.out {
			if want = variable.ReplaceAllString(want, "X"); want != "" && !strings.Contains(got, want) {
				t.Errorf("mktows %s prints no line %q; it printed:\n%s%s", strings.Join(d.args, " "), want, r.stdout, r.stderr)
			}
		}
	}
}
