package marketo_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests. Keep-alive
// connections parked in an HTTP client's idle pool are not leaks (they end
// with CloseIdleConnections, see TestNoGoroutineOutlivesItsCall), so their
// read and write loops are ignored here.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
	)
}
