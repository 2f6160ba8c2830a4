package marketo

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type closeCounter struct {
	io.Reader
	closed int
}

func (c *closeCounter) Close() error { c.closed++; return nil }

func TestImportRowsReadsTheReasonColumn(t *testing.T) {
	t.Parallel()
	body := &closeCounter{Reader: iotest.HalfReader(strings.NewReader(
		"firstName,lastName,phone,Import Failure Reason\n" +
			"Benji,Nordstrom,212-555-2323,Value for lookup field 'email' not found\n" +
			"\"A, B\",\"multi\nline\",,\"Invalid value \"\"x\"\" for field\"\n"))}
	rows := newImportRows(body)
	assert.Equal(t, []string{"firstName", "lastName", "phone"}, rows.Header())
	r, err := rows.Next()
	require.NoError(t, err)
	assert.Equal(t, ImportRow{Fields: []string{"Benji", "Nordstrom", "212-555-2323"}, Reason: "Value for lookup field 'email' not found"}, r)
	r, err = rows.Next()
	require.NoError(t, err)
	assert.Equal(t, ImportRow{Fields: []string{"A, B", "multi\nline", ""}, Reason: `Invalid value "x" for field`}, r)
	_, err = rows.Next()
	assert.Equal(t, io.EOF, err)
	_, err = rows.Next()
	assert.Equal(t, io.EOF, err, "EOF again")
	require.NoError(t, rows.Close())
	require.NoError(t, rows.Close())
	assert.Equal(t, 1, body.closed)
}

func TestImportRowsEmptyFile(t *testing.T) {
	t.Parallel()
	rows := newImportRows(io.NopCloser(strings.NewReader("")))
	assert.Nil(t, rows.Header())
	_, err := rows.Next()
	assert.Equal(t, io.EOF, err)
}

func TestImportRowsRefusesBrokenFiles(t *testing.T) {
	t.Parallel()
	for name, file := range map[string]string{
		"short row":      "a,b,Import Failure Reason\nx,because\n",
		"bare quote":     "a,Import Failure Reason\nx\"y,z\n",
		"broken header":  "a,\"b\n",
		"truncated row":  "a,Import Failure Reason\n\"x,",
		"long row":       "a,Import Failure Reason\nx,y,z\n",
		"unclosed quote": "a,Import Failure Reason\n\"x,y\n",
	} {
		rows := newImportRows(io.NopCloser(strings.NewReader(file)))
		var err error
		for err == nil {
			_, err = rows.Next()
		}
		var re *ResponseError
		assert.True(t, errors.As(err, &re), "%s: %v", name, err)
	}
}

func TestImportRowsKeepsTransportErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	rows := newImportRows(io.NopCloser(io.MultiReader(strings.NewReader("a,Import Failure Reason\nx,y\n"), iotest.ErrReader(boom))))
	_, err := rows.Next()
	require.NoError(t, err)
	_, err = rows.Next()
	assert.ErrorIs(t, err, boom)
}

// endless is a file whose header is head and whose rest repeats unit, for
// eight times MaxImportRecordBytes: endless as far as a reader that keeps
// to the cap can tell, and short enough that one that does not ends. It
// counts the bytes it gave.
type endless struct {
	head, unit string
	given      int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.given >= 8*MaxImportRecordBytes {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		src := e.unit
		if e.given < int64(len(e.head)) {
			src = e.head[e.given:]
		} else {
			src = src[(e.given-int64(len(e.head)))%int64(len(src)):]
		}
		k := copy(p[n:], src)
		n += k
		e.given += int64(k)
	}
	return n, nil
}

func (e *endless) Close() error { return nil }

// TestImportRowsStopsAnEndlessRecord: a record a server never ends, on one
// line or over many short ones inside quotes, fails once it passes
// MaxImportRecordBytes, with an error naming the cap; what was read and
// what was allocated stay near the cap, where reading used to go on
// until memory ran out. Not parallel: the runtime counts the heap
// allocated by the whole process, so the measure holds only while no other
// test runs.
// csvReadAhead is how far the CSV reader may read past a record (its
// bufio.Reader's default size).
const csvReadAhead = 4096

func TestImportRowsStopsAnEndlessRecord(t *testing.T) {
	for name, unit := range map[string]string{
		"one line":                "x",
		"quoted, many lines":      "x\n",
		"quoted, many CR LF":      "y\r\n",
		"after a row, one line":   "z",
		"in the header, one line": "h",
	} {
		t.Run(name, func(t *testing.T) { // one at a time: each measures the heap
			head := "email,Import Failure Reason\n"
			switch {
			case strings.HasPrefix(name, "quoted"):
				head += `"`
			case strings.HasPrefix(name, "after a row"):
				head += "a@example.com,Value for lookup field 'email' not found\n"
			case strings.HasPrefix(name, "in the header"):
				head = ""
			}
			file := &endless{head: head, unit: unit}
			var rows *ImportRows
			var err error
			allocated := bytesAllocated(func() {
				rows = newImportRows(file)
				for err == nil {
					_, err = rows.Next()
				}
			})
			require.ErrorIs(t, err, ErrResponseTooLarge)
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, err.Error(), "a record is longer than MaxImportRecordBytes (10065536 bytes)")
			assert.LessOrEqual(t, file.given, int64(len(head))+MaxImportRecordBytes+2*csvReadAhead, "read past the cap")
			// A record near the cap takes 4 to 7 times the cap, as the CSV
			// reader grows its line and its fields; reading on to the
			// file's end would take over 25 times.
			assert.Less(t, allocated, uint64(10*MaxImportRecordBytes), "allocated %d bytes", allocated)
			_, again := rows.Next()
			assert.Equal(t, err, again, "the error stays")
		})
	}
}

// TestImportRowsRecordCapBoundary: a record of the cap's bytes, its line
// break included, is read; one byte more is refused, on one line or over
// quoted ones. (A small cap keeps the test light; TestImportRowsStops-
// AnEndlessRecord reads with MaxImportRecordBytes itself.)
func TestImportRowsRecordCapBoundary(t *testing.T) {
	t.Parallel()
	const max = 1000
	const reason = ",Value for lookup field 'email' not found\n"
	for _, size := range []int{max - 1, max, max + 1} {
		for _, quoted := range []bool{false, true} {
			value := strings.Repeat("v", size-len(reason))
			if quoted { // the same size, with line breaks inside quotes
				value = `"` + strings.Repeat("v\n", (size-len(reason)-2)/2) + strings.Repeat("v", (size-len(reason)-2)%2) + `"`
			}
			require.Len(t, value+reason, size)
			rows := newImportRowsCapped(io.NopCloser(strings.NewReader("email,Import Failure Reason\n"+value+reason+"b@example.com,x\n")), max)
			row, err := rows.Next()
			if size > max {
				require.ErrorIs(t, err, ErrResponseTooLarge, "size %d, quoted %v", size, quoted)
				assert.Contains(t, err.Error(), "a record is longer than MaxImportRecordBytes (1000 bytes)")
				continue
			}
			require.NoError(t, err, "size %d, quoted %v", size, quoted)
			assert.Len(t, row.Fields[0], len(strings.Trim(value, `"`)))
			row, err = rows.Next()
			require.NoError(t, err)
			assert.Equal(t, "b@example.com", row.Fields[0], "the record after it is read as well")
		}
	}
}
