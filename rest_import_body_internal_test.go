package marketo

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testBoundary = "mktows-test-boundary"

// restRows are awkwardRows as a REST import takes them: every value but
// those CSV readers cannot read back as written (a lone carriage return).
func restRows(n int) [][]string {
	rows := awkwardRows(n)
	for _, row := range rows {
		for j, v := range row {
			if bytes.ContainsRune([]byte(v), '\r') {
				row[j] = "no cr"
			}
		}
	}
	return rows
}

func rowsSize(rows [][]string) int {
	n := 0
	for _, row := range rows {
		n += csvLineSize(row)
	}
	return n
}

// multipartReference writes the body of a job with mime/multipart and
// encoding/csv: what importBody must send byte for byte.
func multipartReference(t *testing.T, listID string, header []string, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	require.NoError(t, w.SetBoundary(testBoundary))
	require.NoError(t, w.WriteField("format", "csv"))
	require.NoError(t, w.WriteField("listId", listID))
	part, err := w.CreatePart(textproto.MIMEHeader{
		"Content-Disposition": {`form-data; name="file"; filename="leads.csv"`},
		"Content-Type":        {"text/csv"},
	})
	require.NoError(t, err)
	cw := csv.NewWriter(part)
	require.NoError(t, cw.Write(header))
	cw.Flush()
	for _, row := range rows {
		if len(row) == 1 && row[0] == "" {
			_, err := io.WriteString(part, "\"\"\n") // a lone empty field is written quoted, as on SOAP
			require.NoError(t, err)
			continue
		}
		require.NoError(t, cw.Write(row))
		cw.Flush()
	}
	cw.Flush()
	require.NoError(t, w.Close())
	return b.Bytes()
}

func TestImportBodyMatchesMimeMultipart(t *testing.T) {
	t.Parallel()
	header := []string{"email", "firstName", "lastName", "title"}
	rows := restRows(200)
	body := newImportBody(testBoundary, 1234, header, rows, rowsSize(rows))
	got, err := io.ReadAll(body.reader(&envelopeGate{}))
	require.NoError(t, err)
	assert.Equal(t, string(multipartReference(t, "1234", header, rows)), string(got))
	assert.Equal(t, int64(len(got)), body.size(), "Content-Length is exact")
	assert.Equal(t, string(got), string(body.appendTo(nil)))

	// A standard multipart reader gets the fields and the rows back.
	mt, params, err := mime.ParseMediaType(body.contentType())
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", mt)
	form, err := multipart.NewReader(bytes.NewReader(got), params["boundary"]).ReadForm(32 << 20)
	require.NoError(t, err)
	assert.Equal(t, []string{"csv"}, form.Value["format"])
	assert.Equal(t, []string{"1234"}, form.Value["listId"])
	require.Len(t, form.File["file"], 1)
	f, err := form.File["file"][0].Open()
	require.NoError(t, err)
	records, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, append([][]string{header}, rows...), records)
}

func TestImportBodySingleEmptyField(t *testing.T) {
	t.Parallel()
	rows := [][]string{{""}, {"a"}, {""}}
	body := newImportBody(testBoundary, 7, []string{"email"}, rows, rowsSize(rows))
	got, err := io.ReadAll(body.reader(&envelopeGate{}))
	require.NoError(t, err)
	assert.Equal(t, string(multipartReference(t, "7", []string{"email"}, rows)), string(got))
	assert.Equal(t, int64(len(got)), body.size())
}

func TestImportBodyMatchesGolden(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"jane@example.com", "Jane", `Doe, "JD"`},
		{"li@example.com", "Li", "Wang\nJr"},
		{"ana@example.com", " Ana", "Ünïcödé"},
	}
	body := newImportBody(testBoundary, 1045, []string{"email", "firstName", "lastName"}, rows, rowsSize(rows))
	want, err := os.ReadFile(filepath.Join("testdata", "rest", "bulk_import_body.txt"))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(body.appendTo(nil)))
}

func TestImportBodyReaderInSmallReads(t *testing.T) {
	t.Parallel()
	rows := restRows(50)
	body := newImportBody(testBoundary, 99, []string{"a", "b", "c", "d"}, rows, rowsSize(rows))
	require.NoError(t, iotest.TestReader(body.reader(&envelopeGate{}), body.appendTo(nil)))
	got, err := io.ReadAll(iotest.OneByteReader(body.reader(&envelopeGate{})))
	require.NoError(t, err)
	assert.Equal(t, body.appendTo(nil), got)
}

func TestImportBodyReaderStopsWhenTheAttemptEnds(t *testing.T) {
	t.Parallel()
	rows := restRows(10)
	body := newImportBody(testBoundary, 1, []string{"a", "b", "c", "d"}, rows, rowsSize(rows))
	gate := &envelopeGate{}
	r := body.reader(gate)
	_, err := r.Read(make([]byte, 16))
	require.NoError(t, err)
	gate.close()
	_, err = r.Read(make([]byte, 16))
	assert.ErrorIs(t, err, errAttemptOver, "the caller's rows are not read after the attempt")
}

// TestImportBodyMemoryIsFlat reads bodies of 1,000 and 20,000 rows: the
// allocations of reading one must not grow with its rows. It is not
// parallel: AllocsPerRun counts the allocations of the whole process, and
// the parallel tests start only after the sequential ones.
func TestImportBodyMemoryIsFlat(t *testing.T) {
	header := []string{"a", "b", "c", "d"}
	small, large := restRows(1000), restRows(20000)
	buf := make([]byte, 32<<10)
	allocs := func(rows [][]string) float64 {
		body := newImportBody(testBoundary, 1, header, rows, rowsSize(rows))
		return testing.AllocsPerRun(5, func() {
			r := body.reader(&envelopeGate{})
			for {
				if _, err := r.Read(buf); err != nil {
					break
				}
			}
		})
	}
	a, b := allocs(small), allocs(large)
	assert.LessOrEqual(t, b, a+2, "reading 20x the rows allocates %v times, 1,000 rows %v", b, a)
}

func TestCSVLineSizeMatchesEncoding(t *testing.T) {
	t.Parallel()
	for _, fields := range append(csvRecordCases, restRows(100)...) {
		assert.Equal(t, len(appendCSVLine(nil, fields)), csvLineSize(fields), "%q", fields)
	}
}

func TestRandomBoundary(t *testing.T) {
	t.Parallel()
	a, b := randomBoundary(), randomBoundary()
	assert.NotEqual(t, a, b)
	assert.Len(t, a, 60)
	w := multipart.NewWriter(io.Discard)
	assert.NoError(t, w.SetBoundary(a), "a boundary mime/multipart accepts")
}

// FuzzImportBody checks, for any fields, that a job's counted size is the
// size of the body read, and that encoding/csv reads the rows back.
func FuzzImportBody(f *testing.F) {
	for _, fields := range csvRecordCases {
		f.Add(strings.Join(fields, "\x1f"))
	}
	f.Fuzz(func(t *testing.T, joined string) {
		fields := strings.Split(joined, "\x1f")
		if n := csvLineSize(fields); n != len(appendCSVLine(nil, fields)) {
			t.Fatalf("csvLineSize(%q) = %d; the line has %d bytes", fields, n, len(appendCSVLine(nil, fields)))
		}
		if strings.Contains(joined, "\r") {
			return // CSV readers turn carriage returns into line feeds
		}
		header := make([]string, len(fields))
		for i := range header {
			header[i] = "f" + strconv.Itoa(i)
		}
		rows := [][]string{fields, fields}
		body := newImportBody(testBoundary, 1, header, rows, rowsSize(rows))
		got, err := io.ReadAll(body.reader(&envelopeGate{}))
		if err != nil || int64(len(got)) != body.size() {
			t.Fatalf("read %d bytes (%v); size says %d", len(got), err, body.size())
		}
		start := bytes.Index(got, []byte("\r\n\r\n"+strings.Join(header, ",")))
		end := bytes.LastIndex(got, []byte("\r\n--"+testBoundary+"--"))
		if start < 0 || end < start {
			t.Fatalf("no file part in %q", got)
		}
		records, err := csv.NewReader(bytes.NewReader(got[start+4 : end])).ReadAll()
		if err != nil {
			t.Fatalf("the file is not CSV: %v", err)
		}
		if len(fields) == 1 && fields[0] == "" {
			fields = []string{""}
		}
		if len(records) != 3 || !slices.Equal(records[1], fields) || !slices.Equal(records[2], fields) {
			t.Fatalf("rows %q read back as %q", fields, records[1:])
		}
	})
}
