package marketo

import (
	"io"

	"github.com/mktows/marketo/internal/restwire"
)

// uploadBody returns body as a request's body, read through gate, with its
// exact length and its multipart content type. Each attempt reads the rows
// afresh.
func uploadBody(body *restwire.ImportBody, gate *requestBodyGate) (io.Reader, int64, string) {
	return &gatedReader{gate: gate, chunks: body.Chunks()}, body.Size(), body.ContentType()
}
