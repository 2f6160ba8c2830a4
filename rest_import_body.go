package marketo

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// A REST bulk import (POST /bulk/v1/leads.json) is a multipart/form-data
// body: the form fields format and listId, then the CSV file in a part named
// "file". The body is laid out as mime/multipart's Writer lays it out, so a
// standard multipart reader takes it, but it is written by hand: the CSV
// records of the caller's rows are encoded as the body is read, one row at a
// time, so that the SDK's memory does not grow with the rows and the body's
// exact length is known before it is sent.

// importFileName is the file name of the CSV part. Marketo reads the format
// from the format field, not from the name.
const importFileName = "leads.csv"

// importBody is the multipart body of one bulk import job: head (the form
// fields, the file part's headers and the CSV header record), the CSV
// records of rows, and tail (the closing boundary).
type importBody struct {
	boundary string
	head     []byte
	rows     [][]string // the caller's rows of this job, never copied
	rowsSize int        // bytes of the rows' CSV records, line feeds included
	tail     []byte
}

// newImportBody lays out the body of a job importing rows, whose CSV
// records take rowsSize bytes, into the list listID. header holds REST
// field names.
func newImportBody(boundary string, listID int, header []string, rows [][]string, rowsSize int) *importBody {
	return &importBody{
		boundary: boundary,
		head:     appendImportHead(nil, boundary, listID, header),
		rows:     rows,
		rowsSize: rowsSize,
		tail:     appendImportTail(nil, boundary),
	}
}

// appendImportHead appends everything of the body before the first row.
func appendImportHead(b []byte, boundary string, listID int, header []string) []byte {
	b = appendFormField(b, boundary, true, "format", "csv")
	b = appendFormField(b, boundary, false, "listId", strconv.Itoa(listID))
	b = appendPartStart(b, boundary, false)
	b = append(b, `Content-Disposition: form-data; name="file"; filename="`+importFileName+`"`+"\r\n"+
		"Content-Type: text/csv\r\n\r\n"...)
	return appendCSVLine(b, header)
}

// appendFormField appends a part holding a form field's value.
func appendFormField(b []byte, boundary string, first bool, name, value string) []byte {
	b = appendPartStart(b, boundary, first)
	b = append(b, `Content-Disposition: form-data; name="`...)
	b = append(b, name...)
	b = append(b, "\"\r\n\r\n"...)
	return append(b, value...)
}

// appendPartStart appends the boundary line that opens a part; every part
// but the first ends with the line break before it.
func appendPartStart(b []byte, boundary string, first bool) []byte {
	if !first {
		b = append(b, "\r\n"...)
	}
	b = append(b, "--"...)
	b = append(b, boundary...)
	return append(b, "\r\n"...)
}

func appendImportTail(b []byte, boundary string) []byte {
	b = append(b, "\r\n--"...)
	b = append(b, boundary...)
	return append(b, "--\r\n"...)
}

// appendCSVLine appends the CSV record of fields and a line feed.
func appendCSVLine(b []byte, fields []string) []byte {
	return append(appendCSVRecord(b, fields, false), '\n')
}

// csvLineSize is len(appendCSVLine(nil, fields)), counted without encoding.
func csvLineSize(fields []string) int {
	if len(fields) == 1 && fields[0] == "" {
		return len(`""`) + 1
	}
	n := len(fields) // the commas and the line feed
	for _, f := range fields {
		n += len(f)
		class := csvClass(f)
		if class&csvQuoted == 0 && !csvQuotedForStart(f) {
			continue
		}
		n += 2
		for i := 0; i < len(f); i++ {
			if f[i] == '"' {
				n++ // doubled
			}
		}
	}
	return n
}

// size is the body's length in bytes: its Content-Length.
func (b *importBody) size() int64 {
	return int64(len(b.head) + b.rowsSize + len(b.tail))
}

// contentType is the Content-Type header of the body.
func (b *importBody) contentType() string {
	return "multipart/form-data; boundary=" + b.boundary
}

// appendTo appends the whole body to dst.
func (b *importBody) appendTo(dst []byte) []byte {
	dst = append(dst, b.head...)
	for _, row := range b.rows {
		dst = appendCSVLine(dst, row)
	}
	return append(dst, b.tail...)
}

// setOn makes the body req's, read through gate and streamed with its
// exact length. It has no GetBody: a request leaves at most once per
// attempt (see httpAttempt.do), and each attempt reads the rows afresh.
func (b *importBody) setOn(req *http.Request, gate *envelopeGate) {
	req.Body = b.reader(gate)
	req.ContentLength = b.size()
	req.Header["Content-Type"] = []string{b.contentType()}
}

// maxTracedImport is how many bytes of rows the wire trace shows of one
// import job; the rest are summed up in one line.
const maxTracedImport = 1 << 20

// traced returns the body for the wire trace: whole, unless its rows take
// more than maxTracedImport bytes, in which case the rows past that are
// replaced by a line that says how many were sent and how large they were.
func (b *importBody) traced() []byte {
	out := append([]byte(nil), b.head...)
	for i, row := range b.rows {
		if len(out)-len(b.head) >= maxTracedImport {
			out = fmt.Appendf(out, "[wire trace: %d more rows (%d bytes) sent, not shown]\n", len(b.rows)-i, b.rowsSize-(len(out)-len(b.head)))
			break
		}
		out = appendCSVLine(out, row)
	}
	return append(out, b.tail...)
}

// reader returns a reader of the body that encodes one row at a time and
// fails once gate is closed.
func (b *importBody) reader(gate *envelopeGate) io.ReadCloser {
	return &importBodyReader{body: b, gate: gate, pending: b.head}
}

// importBodyReader reads an importBody: the head, each row's CSV record
// encoded into a reused buffer as it is reached, then the tail.
type importBodyReader struct {
	body    *importBody
	gate    *envelopeGate
	row     int    // next row to encode
	tailed  bool   // the tail is pending or read
	pending []byte // bytes not read yet of the head, a record or the tail
	buf     []byte // the current record, reused
}

func (r *importBodyReader) Read(p []byte) (int, error) { return r.gate.read(p, &r.pending, r.next) }

// next makes the next record, or the tail, pending, and reports false at
// the end of the body.
func (r *importBodyReader) next() bool {
	switch {
	case r.row < len(r.body.rows):
		r.buf = appendCSVLine(r.buf[:0], r.body.rows[r.row])
		r.row++
		r.pending = r.buf
		return true
	case !r.tailed:
		r.tailed = true
		r.pending = r.body.tail
		return true
	}
	return false
}

func (r *importBodyReader) Close() error { return nil }

// randomBoundary returns a multipart boundary as mime/multipart makes one:
// 30 random bytes in hex, which no CSV record can be mistaken for.
func randomBoundary() string {
	var b [30]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
