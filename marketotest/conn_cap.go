package marketotest

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// connCap bounds the connections the fake holds, so that a flood of idle
// keep-alive connections cannot use up the process's file descriptors and
// lock real calls out. At the cap, a new connection takes the place of the
// one that has waited longest without a request (idle between requests, or
// new and silent); when every connection is busy with a request, the new
// one waits in the accept queue until one ends or goes idle.
type connCap struct {
	max int

	mu      sync.Mutex
	conns   map[net.Conn]connEntry // the connections being served
	changed chan struct{}          // a connection closed or went idle
}

// connEntry is a served connection's state: waiting says it has no
// request in progress, since when.
type connEntry struct {
	waiting bool
	since   time.Time
}

func newConnCap(limit int) *connCap {
	return &connCap{max: limit, conns: map[net.Conn]connEntry{}, changed: make(chan struct{}, 1)}
}

// track follows the connections' states (http.Server.ConnState).
func (c *connCap) track(conn net.Conn, st http.ConnState) {
	c.mu.Lock()
	switch st {
	case http.StateNew, http.StateIdle:
		c.conns[conn] = connEntry{waiting: true, since: time.Now()}
	case http.StateActive:
		c.conns[conn] = connEntry{}
	case http.StateHijacked, http.StateClosed:
		delete(c.conns, conn)
	}
	c.mu.Unlock()
	if st != http.StateActive {
		select {
		case c.changed <- struct{}{}:
		default:
		}
	}
}

// makeRoom returns once one more connection can be served: below the cap,
// or after closing the connection that has waited longest without a
// request. It returns net.ErrClosed once done is closed.
func (c *connCap) makeRoom(done <-chan struct{}) error {
	for {
		if victim, ok := c.room(); ok {
			if victim != nil {
				_ = victim.Close() // its server goroutine sees the error and ends
			}
			return nil
		}
		select {
		case <-c.changed:
		case <-done:
			return net.ErrClosed
		}
	}
}

// room reports whether a connection can be taken, and the waiting
// connection to close for it (nil below the cap).
func (c *connCap) room() (net.Conn, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.conns) < c.max {
		return nil, true
	}
	var victim net.Conn
	var oldest time.Time
	for conn, e := range c.conns {
		if e.waiting && (victim == nil || e.since.Before(oldest)) {
			victim, oldest = conn, e.since
		}
	}
	if victim == nil {
		return nil, false
	}
	delete(c.conns, victim)
	return victim, true
}

// cappedListener accepts a connection only when connCap has room for it.
type cappedListener struct {
	net.Listener
	conns *connCap
	done  chan struct{}
	once  sync.Once
}

func newCappedListener(ln net.Listener, c *connCap) *cappedListener {
	return &cappedListener{Listener: ln, conns: c, done: make(chan struct{})}
}

// Accept takes the next connection and waits for room to serve it. At
// most one connection waits so, beyond the cap.
func (l *cappedListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if err := l.conns.makeRoom(l.done); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

// Close stops a waiting Accept and closes the listener.
func (l *cappedListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}
