package marketo

import (
	"net/http"

	"github.com/mktows/marketo/internal/restwire"
)

// setUpload makes body req's, read through gate and streamed with its
// exact length. It has no GetBody: a request leaves at most once per
// attempt (see httpAttempt.do), and each attempt reads the rows afresh.
func setUpload(req *http.Request, body *restwire.ImportBody, gate *requestBodyGate) {
	req.Body = &uploadReader{gate: gate, chunks: body.Chunks()}
	req.ContentLength = body.Size()
	req.Header["Content-Type"] = []string{body.ContentType()}
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
