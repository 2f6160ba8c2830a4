package marketo

import (
	"io"

	"github.com/mktows/marketo/internal/restwire"
)

// uploadBody returns body as a request's body, read through gate, with its
// exact length and its multipart content type. Each attempt reads the rows
// afresh.
func uploadBody(body *restwire.ImportBody, gate *requestBodyGate) (io.Reader, int64, string) {
	return &uploadReader{gate: gate, chunks: body.Chunks()}, body.Size(), body.ContentType()
}

// uploadReader reads an import body chunk by chunk, each row's CSV record
// encoded as it is reached, and fails once gate is closed.
type uploadReader struct {
	gate    *requestBodyGate
	chunks  *restwire.Chunks
	pending []byte // bytes not read yet of the current chunk
}

func (r *uploadReader) Read(p []byte) (int, error) { return r.gate.read(p, &r.pending, r.next) }

// next makes the next chunk pending, and reports false at the end of the
// body.
func (r *uploadReader) next() bool {
	c, ok := r.chunks.Next()
	r.pending = c
	return ok
}

func (r *uploadReader) Close() error { return nil }
