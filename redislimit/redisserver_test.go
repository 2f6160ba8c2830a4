package redislimit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisServer is a redis-server of the test's own, on a free loopback port,
// with its files in a temporary directory and no persistence.
type redisServer struct {
	t    testing.TB
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
	exit chan error
}

// startRedis starts a redis-server for t and stops it when t ends. Without
// the redis-server binary the test fails: CI must run these tests.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not installed, and these tests need a real Redis: install it with "+
			"`apt-get update && apt-get install -y redis-server` (Debian, Ubuntu) or `brew install redis` (macOS): %v", err)
	}
	s := &redisServer{t: t, bin: bin, dir: t.TempDir()}
	for try := 0; ; try++ {
		s.port = freePort(t)
		err := s.start()
		if err == nil {
			break
		}
		if try == 4 {
			t.Fatalf("starting redis-server: %v", err)
		}
	}
	t.Cleanup(s.stop)
	return s
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (s *redisServer) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// start runs redis-server on s.port and returns once it accepts connections.
func (s *redisServer) start() error {
	cmd := exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return err
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "Ready to accept connections") {
				close(ready)
				_, _ = io.Copy(io.Discard, out)
				return
			}
		}
	}()
	exit := make(chan error, 1)
	go func() { exit <- cmd.Wait() }()
	select {
	case <-ready:
		s.cmd, s.exit = cmd, exit
		return nil
	case err := <-exit:
		return fmt.Errorf("redis-server exited (%v) before it was ready", err)
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exit
		return errors.New("redis-server was not ready within 10 s")
	}
}

// stop ends redis-server and waits for it to exit.
func (s *redisServer) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exit
	s.cmd = nil
}

// restart stops redis-server and starts a new one on the same port: it
// comes back empty, as a Redis without persistence does.
func (s *redisServer) restart() {
	s.t.Helper()
	s.stop()
	if err := s.start(); err != nil {
		s.t.Fatalf("restarting redis-server: %v", err)
	}
}

// client returns a Redis client for s, closed when the test ends.
func (s *redisServer) client(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.addr(), ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping %s: %v", s.addr(), err)
	}
	return rdb
}
