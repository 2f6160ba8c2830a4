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
