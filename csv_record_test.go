package marketo

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/mktows/marketo/internal/soapwire"
)

// csvRecordReference is csvRecord written with encoding/csv.
func csvRecordReference(fields []string) string {
	if len(fields) == 1 && fields[0] == "" {
		return `""`
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(fields)
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

var csvRecordCases = [][]string{
	{""}, {"", ""}, {"a"}, {"a", "b", "c"}, {"a,b"}, {`say "hi"`}, {`"`}, {`""`}, {"line\nfeed"}, {"cr\rhere"},
	{" leading"}, {"\tleading tab"}, {"\u00a0nbsp"}, {"\u2003em space"}, {`\.`}, {`\.x`}, {"trailing "},
	{"ünïcödé", "日本"}, {"a", "", "c"}, {"x\"y\"z", "1,2", "\n"}, {"{{my.token}}", "value"},
}

func TestCSVRecordMatchesEncodingCSV(t *testing.T) {
	for _, fields := range csvRecordCases {
		if got, want := csvRecord(fields), csvRecordReference(fields); got != want {
			t.Errorf("csvRecord(%q) = %q, encoding/csv writes %q", fields, got, want)
		}
	}
}

func FuzzCSVRecord(f *testing.F) {
	for _, fields := range csvRecordCases {
		f.Add(strings.Join(fields, "\x1f"))
	}
	f.Fuzz(func(t *testing.T, joined string) {
		fields := strings.Split(joined, "\x1f")
		if got, want := csvRecord(fields), csvRecordReference(fields); got != want {
			t.Fatalf("csvRecord(%q) = %q, encoding/csv writes %q", fields, got, want)
		}
		// The record as XML text, as streamed, and its size counted ahead.
		text := appendCSVRecord(nil, fields, true)
		if want := soapwire.AppendEscaped(nil, csvRecord(fields)); string(text) != string(want) {
			t.Fatalf("appendCSVRecord(%q, escape) = %q; want %q", fields, text, want)
		}
		if n := csvRecordTextSize(fields); n != len(text) {
			t.Fatalf("csvRecordTextSize(%q) = %d; the text has %d bytes", fields, n, len(text))
		}
	})
}
