package redislimit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
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
	var logged bytes.Buffer
	if role == "refused" {
		a.Config.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
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
	case "refused":
		return runRefusedChild(l, &logged)
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
	// The last renewal was at most LeaseTTL/6 before the kill, so every
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

// refusedResult is what a "refused" child reports.
type refusedResult struct {
	Err    string // Acquire's error
	Logged string // the Limiter's Logger's output
}

// runRefusedChild calls Acquire against an address where nothing listens,
// waits for the Redis client's dial attempts to end (it would log then),
// and prints a refusedResult.
func runRefusedChild(l *Limiter, logged *bytes.Buffer) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := l.Acquire(ctx)
	if err == nil {
		fmt.Fprintln(os.Stderr, "Acquire succeeded with nothing listening")
		return 1
	}
	time.Sleep(2 * time.Second) // 5 dial attempts 100 ms apart, then the Redis client logs
	_ = l.Close()
	if err := json.NewEncoder(os.Stdout).Encode(refusedResult{Err: err.Error(), Logged: logged.String()}); err != nil {
		return 2
	}
	return 0
}

// TestARefusedConnectionIsReportedInItsOwnWords: with nothing listening at
// Redis's address, Acquire reports the dial's error (connection refused),
// not a timeout, and the Redis client's own log lines reach the Limiter's
// Logger at debug level, never the process's standard error.
func TestARefusedConnectionIsReportedInItsOwnWords(t *testing.T) {
	t.Parallel()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t)))
	args, err := json.Marshal(childArgs{Redis: addr, Config: Config{Tenant: t.Name(), RedisTimeout: 500 * time.Millisecond}})
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=refused", childArgsEnv+"="+string(args))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
	var r refusedResult
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &r), "%s", stdout.Bytes())
	assert.Contains(t, r.Err, "connection refused")
	assert.Contains(t, r.Err, "acquire: the Redis that keeps the tenant's limits is unreachable: cannot connect to Redis: dial tcp "+addr)
	assert.NotContains(t, r.Err, "RedisTimeout")
	assert.Empty(t, stderr.String(), "nothing on the process's standard error")
	assert.Contains(t, r.Logged, "failed to dial after", "the Redis client's line, at debug level")
	assert.Contains(t, r.Logged, "level=DEBUG msg=\"marketo limiter: Redis client\"")
}
