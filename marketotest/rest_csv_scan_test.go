package marketotest

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// csvReference reads data with encoding/csv as the bulk import did before
// scanCSV: the shape, or false on an error.
func csvReference(data []byte, comma byte) (records int, header []string, ok bool) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord = rune(comma), -1
	recs, err := r.ReadAll()
	if err != nil {
		return 0, nil, false
	}
	if len(recs) > 0 {
		header = recs[0]
	}
	return len(recs), header, true
}

// checkScanCSV compares scanCSV with encoding/csv on data: the same
// verdict, the same number of records, and a header end from which
// encoding/csv reads the same first record.
func checkScanCSV(t *testing.T, data []byte, comma byte) {
	t.Helper()
	n, header, ok := csvReference(data, comma)
	shape, sok := scanCSV(data, comma)
	require.Equal(t, ok, sok, "verdict for %q", data)
	if !ok {
		return
	}
	require.Equal(t, n, shape.records, "records of %q", data)
	if n == 0 {
		return
	}
	first, err := csv.NewReader(bytes.NewReader(data[:shape.headerEnd])).Read()
	if comma != ',' {
		r := csv.NewReader(bytes.NewReader(data[:shape.headerEnd]))
		r.Comma = rune(comma)
		first, err = r.Read()
	}
	require.NoError(t, err, "header of %q", data)
	require.Equal(t, header, first, "header of %q", data)
	rest := csv.NewReader(bytes.NewReader(data[shape.headerEnd:]))
	rest.Comma, rest.FieldsPerRecord = rune(comma), -1
	recs, err := rest.ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, n-1, "rows after the header of %q", data)
}

func TestScanCSVAgreesWithEncodingCSV(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "\n", "\r", "\r\n\r\n", "a", "a,", "a,\n", "a,b\nc", "a\n\nb\n", "\n\na,b\r\n1,2\r\n",
		`"a"`, `"a",b`, `"a"` + "\r", `"a"` + "\r\r\n", `"a""b"`, `"a"b`, `a"b`, `"a` + "\n" + `b"`,
		`"unterminated`, `"a"` + "\n" + `"`, "a,\"b\nc\",d\ne", `""`, `""""`, `"""`, "a\rb,c\n",
		"email,firstName\nx@y.com,X\n\"q@y.com\",\"Q, R\"\n",
	} {
		for _, comma := range []byte{',', '\t', ';'} {
			checkScanCSV(t, []byte(s), comma)
		}
	}
	alphabet := []byte("a,;\t\"\r\n")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkScanCSV(t, b, []byte{',', '\t', ';'}[rng.IntN(3)])
	}
}

func FuzzScanCSV(f *testing.F) {
	f.Add([]byte("email,firstName\nx@y.com,\"X\"\"Y\"\r\n"), byte(','))
	f.Add([]byte(`"a"b`), byte(';'))
	f.Fuzz(func(t *testing.T, data []byte, pick byte) {
		checkScanCSV(t, data, []byte{',', '\t', ';'}[int(pick)%3])
	})
}
