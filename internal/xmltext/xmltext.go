// Package xmltext writes text as XML character data, the one escaping rule
// of the SOAP envelope and of the CSV records it carries.
package xmltext

// Append appends s as XML character data. Besides the markup
// characters it escapes '>' (so "]]>" cannot occur) and carriage returns,
// which an XML parser would otherwise normalise away; everything else is
// written as is, so values arrive byte for byte. s must be text that XML
// 1.0 can carry.
func Append(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}
