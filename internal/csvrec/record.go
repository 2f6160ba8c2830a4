package csvrec

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mktows/marketo/internal/xmltext"
)

// Record encodes fields as one CSV record without a line ending, by the
// rules of encoding/csv: a field is quoted when it holds a comma, a quote, a
// line break or a leading space, and quotes are doubled. Line feeds inside
// quoted fields are kept as they are.
func Record(fields []string) string {
	return string(appendRecord(nil, fields, false))
}

// AppendLine appends the CSV record of fields and a line feed: a line of a
// CSV file.
func AppendLine(b []byte, fields []string) []byte {
	return append(appendRecord(b, fields, false), '\n')
}

// AppendXML appends the CSV record of fields as XML character data: '&',
// '<', '>' and carriage returns are written "&amp;", "&lt;", "&gt;" and
// "&#xD;" (an XML parser would normalise a bare carriage return away), all
// else as is, so that the record arrives byte for byte. The fields must be
// text XML can carry.
func AppendXML(b []byte, fields []string) []byte {
	return appendRecord(b, fields, true)
}

// appendRecord appends the record Record returns, as XML character data
// when escape is true.
func appendRecord(b []byte, fields []string, escape bool) []byte {
	if len(fields) == 1 && fields[0] == "" {
		// A lone empty field would be an empty line, which readers skip.
		return append(b, `""`...)
	}
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		class := classOf(f)
		esc := escape && class&escaped != 0
		if class&quoted == 0 && !quotedForStart(f) {
			b = appendText(b, f, esc)
			continue
		}
		b = append(b, '"')
		for {
			j := strings.IndexByte(f, '"')
			if j < 0 {
				break
			}
			b = appendText(b, f[:j+1], esc)
			b = append(b, '"')
			f = f[j+1:]
		}
		b = appendText(b, f, esc)
		b = append(b, '"')
	}
	return b
}

// appendText appends s, as XML character data when escape is true.
func appendText(b []byte, s string, escape bool) []byte {
	if escape {
		return xmltext.Append(b, s)
	}
	return append(b, s...)
}

// LineSize is len(AppendLine(nil, fields)), counted without encoding.
func LineSize(fields []string) int {
	if len(fields) == 1 && fields[0] == "" {
		return len(`""`) + 1
	}
	n := len(fields) // the commas and the line feed
	for _, f := range fields {
		n += len(f)
		if classOf(f)&quoted == 0 && !quotedForStart(f) {
			continue
		}
		n += 2
		n += strings.Count(f, `"`) // doubled
	}
	return n
}

// XMLSize is len(AppendXML(nil, fields)), counted without encoding.
func XMLSize(fields []string) int {
	if len(fields) == 1 && fields[0] == "" {
		return 2
	}
	n := 0
	for i, f := range fields {
		if i > 0 {
			n++ // comma
		}
		n += len(f)
		var class uint8
		for j := 0; j < len(f); j++ {
			class |= byteClasses[f[j]].class
			n += int(byteClasses[f[j]].extra)
		}
		if class&quoted != 0 || quotedForStart(f) {
			n += 2
		}
	}
	return n
}

// What a byte of a field does to the field's CSV record.
const (
	quoted  = 1 << iota // the field is quoted
	escaped             // the byte is escaped as XML character data
)

// byteClasses holds, per byte, its quoted and escaped class and how many
// bytes it adds to the record as XML character data: a quote is doubled,
// and appendText writes "&amp;", "&lt;", "&gt;" and "&#xD;".
var byteClasses = [256]struct{ class, extra uint8 }{
	',':  {quoted, 0},
	'"':  {quoted, 1},
	'\n': {quoted, 0},
	'\r': {quoted | escaped, 4},
	'&':  {escaped, 4},
	'<':  {escaped, 3},
	'>':  {escaped, 3},
}

// classOf returns the classes of the bytes of f.
func classOf(f string) uint8 {
	var class uint8
	for i := 0; i < len(f); i++ {
		class |= byteClasses[f[i]].class
	}
	return class
}

// quotedForStart is the rest of encoding/csv's rule for quoting a field,
// besides the quoted bytes: the field \. and a field that starts with a
// space are quoted.
func quotedForStart(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}
