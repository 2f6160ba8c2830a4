package csvrec

import (
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"
)

// recordReference is Record written with encoding/csv.
func recordReference(fields []string) string {
	if len(fields) == 1 && fields[0] == "" {
		return `""`
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(fields)
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

var recordCases = [][]string{
	{""}, {"", ""}, {"a"}, {"a", "b", "c"}, {"a,b"}, {`say "hi"`}, {`"`}, {`""`}, {"line\nfeed"}, {"cr\rhere"},
	{" leading"}, {"\tleading tab"}, {"\u00a0nbsp"}, {"\u2003em space"}, {`\.`}, {`\.x`}, {"trailing "},
	{"ünïcödé", "日本"}, {"a", "", "c"}, {"x\"y\"z", "1,2", "\n"}, {"{{my.token}}", "value"},
	{"a&b", "<tag>", "]]>", "cr\r\nlf"},
}

func TestRecordMatchesEncodingCSV(t *testing.T) {
	t.Parallel()
	for _, fields := range recordCases {
		checkRecord(t, fields)
	}
}

func FuzzRecord(f *testing.F) {
	for _, fields := range recordCases {
		f.Add(strings.Join(fields, "\x1f"))
	}
	f.Fuzz(func(t *testing.T, joined string) {
		checkRecord(t, strings.Split(joined, "\x1f"))
	})
}

// checkRecord checks every form of the record of fields against
// encoding/csv, and their sizes counted ahead against what is written.
func checkRecord(t *testing.T, fields []string) {
	t.Helper()
	rec := Record(fields)
	if want := recordReference(fields); rec != want {
		t.Fatalf("Record(%q) = %q, encoding/csv writes %q", fields, rec, want)
	}
	line := AppendLine(nil, fields)
	if string(line) != rec+"\n" {
		t.Fatalf("AppendLine(%q) = %q; want the record and a line feed", fields, line)
	}
	if n := LineSize(fields); n != len(line) {
		t.Fatalf("LineSize(%q) = %d; the line has %d bytes", fields, n, len(line))
	}
	text := AppendXML(nil, fields)
	if n := XMLSize(fields); n != len(text) {
		t.Fatalf("XMLSize(%q) = %d; the text has %d bytes", fields, n, len(text))
	}
	if !xmlText(rec) {
		return // not text an XML request can carry: the SDK refuses it first
	}
	var got string
	if err := xml.Unmarshal([]byte("<v>"+string(text)+"</v>"), &got); err != nil || got != rec {
		t.Fatalf("AppendXML(%q) = %q reads back as %q (%v); want %q", fields, text, got, err, rec)
	}
}

// xmlText reports whether s is UTF-8 made of XML's characters only.
func xmlText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF || r >= 0xD800 && r < 0xE000 {
			return false
		}
	}
	return true
}
