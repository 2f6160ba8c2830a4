package marketo

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/mktows/marketo/internal/redact"
)

// The failed and warned rows of a REST bulk import job: GET
// /bulk/v1/leads/batch/{id}/failures.json and .../warnings.json, which
// answer the job's CSV with a reason column (or a JSON error).

// ImportFailures returns the rows Marketo could not import in the REST bulk
// import job importID (one of ImportToListResult.ImportIDs), each with
// Marketo's reason, as a reader of the file as it arrives. Close it when
// done: until it is read to its end or closed, Marketo is still sending it,
// so it keeps one of the limiter's calls in flight. Reading is bounded by
// the client's attempt timeout (see WithAttemptTimeout). A job without failed rows gives a reader with no
// rows. On SOAP, whose import reports only counts and a summary, the error
// matches ErrRESTOnly.
func (c *Client) ImportFailures(ctx context.Context, importID string, opts ...CallOption) (*ImportRows, error) {
	return c.importRows(ctx, opImportFailures, importID, opts)
}

// ImportWarnings is ImportFailures for the rows Marketo imported with a
// warning.
func (c *Client) ImportWarnings(ctx context.Context, importID string, opts ...CallOption) (*ImportRows, error) {
	return c.importRows(ctx, opImportWarnings, importID, opts)
}

func (c *Client) importRows(ctx context.Context, op *operation, importID string, opts []CallOption) (*ImportRows, error) {
	s, optErr := callOptions(opts)
	if err := c.refused(ctx, op, errors.Join(checkImportID(nil, "importID", importID)...), importID, optErr); err != nil {
		return nil, err
	}
	return c.backend.forCall(s).importRows(ctx, op, importID)
}

// importRows opens the file of op of the job importID: failures.json or
// warnings.json.
func (b *restBackend) importRows(ctx context.Context, op *operation, importID string) (*ImportRows, error) {
	file := "failures"
	if op == opImportWarnings {
		file = "warnings"
	}
	return b.openImportRows(ctx, op, "/bulk/v1/leads/batch/"+importID+"/"+file+".json")
}

// openImportRows gets the file at path through the call loop and returns
// a reader of its rows; the answer's body stays open, read by the caller.
func (b *restBackend) openImportRows(ctx context.Context, op *operation, path string) (*ImportRows, error) {
	var rows *ImportRows
	err := b.e.call(ctx, op, b.opts, func(ctx context.Context) attemptResult {
		return b.withToken(ctx, func(tok string) attemptResult {
			var r attemptResult
			rows, r = b.openFile(ctx, path, tok)
			return r
		})
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// openFile sends one GET of a file. A CSV answer is returned unread, its
// attempt left open until the rows are closed; a JSON one is Marketo's
// error.
func (b *restBackend) openFile(callCtx context.Context, path, tok string) (*ImportRows, attemptResult) {
	a := b.e.startAttempt(callCtx)
	a.secret = tok
	u := b.base + path
	req, err := b.e.newRequest(a.ctx, outRequest{method: http.MethodGet, url: u, auth: b.authorization(tok), accept: "text/csv, application/json"})
	if err != nil {
		a.cancel()
		return nil, attemptResult{err: err}
	}
	if t := b.e.trace; t != nil {
		t.write("> GET "+u, req.Header, nil, tok)
	}
	resp, r := a.send(req)
	if r.err != nil {
		a.cancel()
		return nil, r
	}
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode != http.StatusOK || strings.Contains(ct, "json") || strings.Contains(ct, "html") {
		defer a.cancel()
		defer resp.Body.Close()
		ans, r := a.read(resp)
		r.method = req.Method
		if r.err != nil {
			return nil, r
		}
		_, err := decodeRESTAnswer(ans.status, ans.contentType, redact.JSON(ans.body, tok), nil)
		if err == nil {
			err = &ResponseError{HTTPStatus: ans.status, ContentType: ans.contentType, Reason: "a JSON success answer where the CSV file was expected", Excerpt: excerpt(ans.body)}
		}
		r.err = a.scrub((&restRequest{notFound: ErrImportNotFound}).answerError(err))
		return nil, r
	}
	if t := b.e.trace; t != nil {
		t.write("< "+resp.Status, resp.Header, []byte("[wire trace: the CSV file is read by the caller, not shown]"), tok)
	}
	body := &attemptBody{ReadCloser: resp.Body, a: a}
	r.stream = body
	return newImportRows(body), r
}

// attemptBody is an answer body read after its attempt returned: closing
// it ends the attempt, and errors it returns say why the attempt ended.
// Marketo is still sending it, so the attempt's limiter slot stays taken
// until it is read to its end or closed.
type attemptBody struct {
	io.ReadCloser
	a *httpAttempt

	mu    sync.Mutex
	ended bool   // read to its end, or closed
	free  func() // frees the attempt's limiter slot; nil once called, or if none
}

func (b *attemptBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.end()
	}
	if err != nil && err != io.EOF {
		if e := b.a.ctxErr(); e != nil {
			err = e
		}
		err = redact.Err(err, b.a.secret)
	}
	return n, err
}

func (b *attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.a.cancel()
	b.end()
	return err
}

// freeSlotOnEnd makes the body free the attempt's limiter slot with free
// when it ends, or at once if it has.
func (b *attemptBody) freeSlotOnEnd(free func()) {
	b.mu.Lock()
	if !b.ended {
		b.free = free
		b.mu.Unlock()
		return
	}
	b.mu.Unlock()
	free()
}

// end marks the body read to its end or closed: Marketo no longer sends
// it.
func (b *attemptBody) end() {
	b.mu.Lock()
	free := b.free
	b.ended, b.free = true, nil
	b.mu.Unlock()
	if free != nil {
		free()
	}
}
