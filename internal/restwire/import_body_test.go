package restwire

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/csvrec"
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
		n += csvrec.LineSize(row)
	}
	return n
}

// multipartReference writes the body of a job with mime/multipart and
// encoding/csv: what ImportBody must send byte for byte.
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

// readBody returns the body as its chunks give it, as a request reads it.
func readBody(b *ImportBody) []byte {
	var out []byte
	c := b.Chunks()
	for {
		chunk := c.Next()
		if chunk == nil {
			return out
		}
		out = append(out, chunk...)
	}
}

// awkwardRows are rows of values CSV writers quote, double, or keep as
// they are with care.
func awkwardRows(n int) [][]string {
	values := []string{
		"", " ", "plain", `say "hi"`, `"`, `""`, "a,b", "line\nfeed", "lone\rcr", "]]>", "<tag>", "a & b",
		" leading", "trailing ", "\tleading tab", "\u00a0nbsp", "ünïcödé", "日本語", "😀", `\.`, `\.x`, "{{my.token}}",
	}
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = []string{
			values[i%len(values)],
			values[(i*7+3)%len(values)],
			"lead" + strconv.Itoa(i) + "@example.com",
			values[(i*13+5)%len(values)],
		}
	}
	return rows
}

// recordCases are fields whose records quote, double quotes or keep line
// breaks.
var recordCases = [][]string{
	{""}, {"", ""}, {"a"}, {"a", "b", "c"}, {"a,b"}, {`say "hi"`}, {`"`}, {`""`}, {"line\nfeed"}, {"cr\rhere"},
	{" leading"}, {"\tleading tab"}, {"\u00a0nbsp"}, {`\.`}, {"ünïcödé", "日本"}, {"a", "", "c"}, {"x\"y\"z", "1,2", "\n"},
}

func TestImportBodyMatchesMimeMultipart(t *testing.T) {
	t.Parallel()
	header := []string{"email", "firstName", "lastName", "title"}
	rows := restRows(200)
	body := NewImportBody(testBoundary, 1234, header, rows, rowsSize(rows))
	got := readBody(body)
	assert.Equal(t, string(multipartReference(t, "1234", header, rows)), string(got))
	assert.Equal(t, int64(len(got)), body.Size(), "Content-Length is exact")
	assert.Equal(t, string(got), string(body.AppendTo(nil)))
	assert.Equal(t, string(got), string(body.Traced()), "a body under the trace's cap is traced whole")

	// A standard multipart reader gets the fields and the rows back.
	mt, params, err := mime.ParseMediaType(body.ContentType())
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
	body := NewImportBody(testBoundary, 7, []string{"email"}, rows, rowsSize(rows))
	got := readBody(body)
	assert.Equal(t, string(multipartReference(t, "7", []string{"email"}, rows)), string(got))
	assert.Equal(t, int64(len(got)), body.Size())
}

func TestRandomBoundary(t *testing.T) {
	t.Parallel()
	a, b := RandomBoundary(), RandomBoundary()
	assert.NotEqual(t, a, b)
	assert.Len(t, a, 60)
	w := multipart.NewWriter(io.Discard)
	assert.NoError(t, w.SetBoundary(a), "a boundary mime/multipart accepts")
}

// FuzzImportBody checks, for any fields, that a job's counted size is the
// size of the body read, and that encoding/csv reads the rows back.
func FuzzImportBody(f *testing.F) {
	for _, fields := range recordCases {
		f.Add(strings.Join(fields, "\x1f"))
	}
	f.Fuzz(func(t *testing.T, joined string) {
		fields := strings.Split(joined, "\x1f")
		if n := csvrec.LineSize(fields); n != len(csvrec.AppendLine(nil, fields)) {
			t.Fatalf("csvrec.LineSize(%q) = %d; the line has %d bytes", fields, n, len(csvrec.AppendLine(nil, fields)))
		}
		if strings.Contains(joined, "\r") {
			return // CSV readers turn carriage returns into line feeds
		}
		header := make([]string, len(fields))
		for i := range header {
			header[i] = "f" + strconv.Itoa(i)
		}
		rows := [][]string{fields, fields}
		body := NewImportBody(testBoundary, 1, header, rows, rowsSize(rows))
		got := readBody(body)
		if int64(len(got)) != body.Size() {
			t.Fatalf("read %d bytes; size says %d", len(got), body.Size())
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
