package marketotest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"time"
)

// A bulk import body (up to MaxBulkBody) is parsed as it arrives instead
// of being read whole first: the file part is copied once into a buffer
// sized from Content-Length, the form fields are small, and the request
// log keeps only the head it would keep anyway. So a 10 MB import costs
// about its size in memory, not several times it.

// multipartBody is a multipart/form-data body, parsed.
type multipartBody struct {
	params url.Values
	file   []byte // the part named file; nil without one
	fault  *Fault // 613 when the body is not valid multipart
}

// streamsBody reports whether r is a bulk import whose multipart body is
// parsed as it arrives (readBulkBody) rather than read whole (readBody).
// Any other content type is read whole, to be refused with 612 as before.
func streamsBody(r *http.Request) bool {
	rt, _, f := route(r, nil)
	if f != nil || rt.body != bodyMultipart {
		return false
	}
	mt, ps, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data" && ps["boundary"] != ""
}

// readBulkBody parses r's multipart body as it arrives, with readBody's
// limits: at most MaxBulkBody bytes (413) within bodyTimeout (408). It
// returns the body's head for the request log and sets rec.BodySize; a
// body that is not valid multipart is kept as a 613 for the operation to
// answer where it always has, after the token and the limits. It reports
// false when it has answered, or when the client went away.
func (s *Server) readBulkBody(w http.ResponseWriter, r *http.Request, rec *Request) (*multipartBody, []byte, bool) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(s.bodyTimeout)) // not supported in-process: no client to wait for
	in := &headReader{r: http.MaxBytesReader(w, r.Body, MaxBulkBody), keep: s.requests.maxBody}
	mb := parseMultipart(r.Header.Get("Content-Type"), in, r.ContentLength)
	_, _ = io.Copy(io.Discard, in) // the epilogue, or what a refused part left: the size limit still holds
	rec.BodySize = in.n
	var mbe *http.MaxBytesError
	switch {
	case in.err == nil:
		_ = rc.SetReadDeadline(time.Time{}) // a held call must not time out reading nothing
		return mb, in.head, true
	case errors.As(in.err, &mbe):
		rec.HTTPStatus = http.StatusRequestEntityTooLarge
		http.Error(w, "413 request too large: the body is limited to 10 MB", rec.HTTPStatus)
	case errors.Is(in.err, os.ErrDeadlineExceeded):
		rec.HTTPStatus = http.StatusRequestTimeout
		w.Header().Set("Connection", "close") // what is left of the body must not be read as a request
		http.Error(w, "408 request timeout: the body did not arrive within "+s.bodyTimeout.String(), rec.HTTPStatus)
	default:
		return nil, nil, false
	}
	s.record(*rec, in.head, "")
	return nil, nil, false
}

// parseMultipart reads a multipart/form-data body: the form fields into
// params, the part named file into file. sizeHint is the body's size when
// known (Content-Length), an upper bound of the file's. Another content
// type is 612, a body that is not multipart 613.
func parseMultipart(ct string, body io.Reader, sizeHint int64) *multipartBody {
	mb := &multipartBody{params: url.Values{}}
	mt, ps, err := mime.ParseMediaType(ct)
	if err != nil || mt != "multipart/form-data" || ps["boundary"] == "" {
		mb.fault = faultf(restContentType, "Invalid Content Type: %q, want multipart/form-data", ct)
		return mb
	}
	mr := multipart.NewReader(body, ps["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return mb
		}
		if err != nil {
			mb.fault = faultf(restInvalidMultipart, "Invalid multipart request: %v", err)
			return mb
		}
		name := part.FormName()
		hint := int64(0)
		if name == "file" {
			hint = sizeHint
		}
		data, err := readSized(part, hint)
		if err != nil {
			mb.fault = faultf(restInvalidMultipart, "Invalid multipart request: %v", err)
			return mb
		}
		if name == "file" {
			mb.file = data
		} else if name != "" {
			mb.params.Add(name, string(data))
		}
	}
}

// readSized reads r to its end into a buffer of hint bytes, growing it only
// if r holds more: io.ReadAll's doubling would allocate about twice a
// large file.
func readSized(r io.Reader, hint int64) ([]byte, error) {
	if hint <= 0 || hint > MaxBulkBody {
		hint = 512
	}
	b := make([]byte, 0, hint+1) // +1: the read that finds the end needs room
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// headReader reads through r, keeping the first keep bytes (the request
// log's share of the body), counting all of them, and remembering the
// first error of r that is not its end: a body too large or too slow
// shows as that, whatever the multipart parser made of it.
type headReader struct {
	r    io.Reader
	keep int
	head []byte
	n    int
	err  error
}

func (h *headReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.n += n
	if room := h.keep - len(h.head); room > 0 && n > 0 {
		h.head = append(h.head, p[:min(n, room)]...)
	}
	if err != nil && err != io.EOF && h.err == nil {
		h.err = err
	}
	return n, err
}

// bodyOf returns the multipart body of a call: parsed as it arrived, or
// from the body read whole.
func bodyOf(c *restCall, ct string, body []byte) *multipartBody {
	if c.multipart != nil {
		return c.multipart
	}
	return parseMultipart(ct, bytes.NewReader(body), int64(len(body)))
}
