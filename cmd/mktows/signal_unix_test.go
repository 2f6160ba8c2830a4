//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestMain runs main itself when a test starts this test binary as mktows.
func TestMain(m *testing.M) {
	if os.Getenv("MKTOWS_TEST_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// TestSIGINTExits130 sends a real SIGINT to mktows waiting for an import:
// it reports that the import goes on, and exits 130.
func TestSIGINTExits130(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "--demo", "--api", "soap", "import-list", "--program", "Trav-Demo-Program", "--list", "Trav-Test-List",
		"--file", "-", "--wait", "--poll-interval", "1h")
	cmd.Env = append(os.Environ(), "MKTOWS_TEST_RUN_MAIN=1")
	cmd.Stdin = strings.NewReader(importCSV)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.HasPrefix(sc.Text(), "PROCESSING") {
			// The first poll is done; the next is an hour away.
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitSIGINT {
		t.Fatalf("exit %d (%v), want %d\nstderr:\n%s", code, err, exitSIGINT, strings.Join(lines, "\n"))
	}
	out := strings.Join(lines, "\n")
	for _, want := range []string{"mktows import-list: interrupted", "hint: the import goes on in Marketo; follow it with: mktows import-status --program Trav-Demo-Program --list Trav-Test-List"} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
}
