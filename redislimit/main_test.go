package redislimit

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain runs a helper process when the multi-process tests re-execute
// the test binary as one, and otherwise fails the run if any goroutine
// outlives the tests.
func TestMain(m *testing.M) {
	if role := os.Getenv(childEnv); role != "" {
		os.Exit(runChild(role))
	}
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}
