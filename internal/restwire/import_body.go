package restwire

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/mktows/marketo/internal/csvrec"
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

// ImportBody is the multipart body of one bulk import job: head (the form
// fields, the file part's headers and the CSV header record), the CSV
// records of rows, and tail (the closing boundary).
type ImportBody struct {
	boundary string
	head     []byte
	rows     [][]string // the caller's rows of this job, never copied
	rowsSize int        // bytes of the rows' CSV records, line feeds included
	tail     []byte
}

// NewImportBody lays out the body of a job importing rows, whose CSV
// records take rowsSize bytes (see csvrec.LineSize), into the list listID.
// header holds REST field names.
func NewImportBody(boundary string, listID int, header []string, rows [][]string, rowsSize int) *ImportBody {
	return &ImportBody{
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
	return csvrec.AppendLine(b, header)
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

// Size is the body's length in bytes: its Content-Length.
func (b *ImportBody) Size() int64 {
	return int64(len(b.head) + b.rowsSize + len(b.tail))
}

// ContentType is the Content-Type header of the body.
func (b *ImportBody) ContentType() string {
	return "multipart/form-data; boundary=" + b.boundary
}

// AppendTo appends the whole body to dst.
func (b *ImportBody) AppendTo(dst []byte) []byte {
	dst = append(dst, b.head...)
	for _, row := range b.rows {
		dst = csvrec.AppendLine(dst, row)
	}
	return append(dst, b.tail...)
}

// maxTracedImport is how many bytes of rows the wire trace shows of one
// import job; the rest are summed up in one line.
const maxTracedImport = 1 << 20

// Traced returns the body for the wire trace: whole, unless its rows take
// more than maxTracedImport bytes, in which case the rows past that are
// replaced by a line that says how many were sent and how large they were.
func (b *ImportBody) Traced() []byte {
	out := append([]byte(nil), b.head...)
	for i, row := range b.rows {
		if len(out)-len(b.head) >= maxTracedImport {
			out = fmt.Appendf(out, "[wire trace: %d more rows (%d bytes) sent, not shown]\n", len(b.rows)-i, b.rowsSize-(len(out)-len(b.head)))
			break
		}
		out = csvrec.AppendLine(out, row)
	}
	return append(out, b.tail...)
}

// Chunks returns the body's bytes as a sequence of chunks, for a reader
// that streams it: the head, each row's CSV record encoded as it is
// reached, then the tail.
func (b *ImportBody) Chunks() *Chunks {
	return &Chunks{body: b}
}

// Chunks yields an ImportBody's bytes one chunk at a time, the records
// encoded into one reused buffer.
type Chunks struct {
	body   *ImportBody
	headed bool // the head is returned
	row    int  // next row to encode
	tailed bool // the tail is returned
	buf    []byte
}

// Next returns the next chunk, never empty and valid until the next call,
// or nil at the end of the body.
func (c *Chunks) Next() []byte {
	switch {
	case !c.headed:
		c.headed = true
		return c.body.head
	case c.row < len(c.body.rows):
		c.buf = csvrec.AppendLine(c.buf[:0], c.body.rows[c.row])
		c.row++
		return c.buf
	case !c.tailed:
		c.tailed = true
		return c.body.tail
	}
	return nil
}

// RandomBoundary returns a multipart boundary as mime/multipart makes one:
// 30 random bytes in hex, which no CSV record can be mistaken for.
func RandomBoundary() string {
	var b [30]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
