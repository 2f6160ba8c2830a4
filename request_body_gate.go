package marketo

import (
	"errors"
	"io"
	"sync"
)

// requestBodyGate guards the body of one attempt's request, a SOAP envelope
// or a REST upload alike. The transport may go on reading a body after it has
// returned the answer; once the attempt is over, a read fails instead of
// reading the caller's rows, which the caller owns again.
type requestBodyGate struct {
	mu     sync.Mutex
	closed bool
}

func (g *requestBodyGate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

var errAttemptOver = errors.New("the request body was read after its attempt ended")

// read fills p from *pending, calling next to make more bytes pending
// whenever it is empty (next reports false at the end of the body), unless
// the gate is closed: the Read of every body the SDK streams.
func (g *requestBodyGate) read(p []byte, pending *[]byte, next func() bool) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return 0, errAttemptOver
	}
	n := 0
	for n < len(p) {
		if len(*pending) == 0 && !next() {
			if n == 0 {
				return 0, io.EOF
			}
			break
		}
		c := copy(p[n:], *pending)
		*pending = (*pending)[c:]
		n += c
	}
	return n, nil
}
