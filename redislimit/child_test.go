package redislimit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// childEnv names the role of a helper process re-executed from the test
// binary: TestMain runs runChild instead of the tests. childArgsEnv carries
// its childArgs as JSON.
const (
	childEnv     = "REDISLIMIT_TEST_CHILD"
	childArgsEnv = "REDISLIMIT_TEST_CHILD_ARGS"
)

// childArgs tell a helper process what to do.
type childArgs struct {
	Redis  string // address
	Config Config
	Hold   int       // role "hold": slots to take and keep
	Calls  callsArgs // role "calls"
}

// runChild runs a helper process's role and returns its exit code.
func runChild(role string) int {
	var a childArgs
	if err := json.Unmarshal([]byte(os.Getenv(childArgsEnv)), &a); err != nil {
		fmt.Fprintln(os.Stderr, "child args:", err)
		return 2
	}
	rdb := redis.NewClient(&redis.Options{Addr: a.Redis, ContextTimeoutEnabled: true})
	l, err := New(rdb, a.Config)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	switch role {
	case "hold":
		for range a.Hold {
			if _, err := l.Acquire(context.Background()); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		fmt.Println("holding")
		select {} // until killed; the lease renewal keeps running
	case "calls":
		return runCallsChild(l, a)
	}
	fmt.Fprintln(os.Stderr, "unknown role", role)
	return 2
}

// startChild starts the test binary as a helper process with role and a,
// and returns it with its standard output. The child is killed when the
// test ends.
func startChild(t testing.TB, role string, a childArgs) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	args, err := json.Marshal(a)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, childArgsEnv+"="+string(args))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, bufio.NewScanner(out)
}

// TestAKilledProcessGivesItsSlotsBackWithinTheLeaseTTL kills -9 a process
// holding every in-flight slot; the survivor gets them all back once the
// lease expires, not before and not never.
func TestAKilledProcessGivesItsSlotsBackWithinTheLeaseTTL(t *testing.T) {
	t.Parallel()
	srv := startRedis(t)
	const leaseTTL = time.Second
	cfg := Config{Tenant: t.Name(), MaxInFlight: 10, LeaseTTL: leaseTTL, RedisTimeout: 300 * time.Millisecond}
	keptAllAlong(t, srv.client(t), cfg.Tenant)
	child, out := startChild(t, "hold", childArgs{Redis: srv.addr(), Config: cfg, Hold: 10})
	require.True(t, out.Scan(), "the child reports it holds the slots")
	require.Equal(t, "holding", strings.TrimSpace(out.Text()))

	survivor := newLimiter(t, srv.client(t), cfg, nil)
	// Past one LeaseTTL the child's renewals still hold its slots.
	ctx, cancel := context.WithTimeout(context.Background(), 2*leaseTTL)
	_, err := survivor.Acquire(ctx)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded, "a live process keeps its slots past LeaseTTL")

	require.NoError(t, child.Process.Signal(syscall.SIGKILL))
	killed := time.Now()
	// The last renewal was at most LeaseTTL/3 before the kill, so every
	// lease ends within LeaseTTL of it; allow one more for a loaded machine.
	ctx, cancel = context.WithTimeout(context.Background(), 2*leaseTTL)
	defer cancel()
	var dones []func()
	for range 10 {
		done, err := survivor.Acquire(ctx)
		require.NoError(t, err, "slot %d of the killed process after %v", len(dones)+1, time.Since(killed))
		dones = append(dones, done)
	}
	t.Logf("all 10 slots back %v after kill -9 (LeaseTTL %v)", time.Since(killed).Round(time.Millisecond), leaseTTL)
	u, err := survivor.Usage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(10), u.InFlight)
	for _, d := range dones {
		d()
	}
}
