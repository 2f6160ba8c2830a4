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

// chunkSource is a request body streamed in chunks: the next one, never
// empty, or nil at the end (soapwire's and restwire's Chunks).
type chunkSource interface{ Next() []byte }

// gatedReader reads a streamed request body, a SOAP envelope or a REST
// upload, chunk by chunk through the attempt's gate, which stops it once
// the attempt is over.
type gatedReader struct {
	gate    *requestBodyGate
	chunks  chunkSource
	pending []byte // bytes of the current chunk not read yet
}

func (r *gatedReader) Read(p []byte) (int, error) { return r.gate.read(p, &r.pending, r.next) }

func (r *gatedReader) next() bool {
	r.pending = r.chunks.Next()
	return r.pending != nil
}

func (r *gatedReader) Close() error { return nil }
