package redact

import (
	"bytes"
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// Secrets in JSON text: an answer can spell a secret, or the name of a
// member that holds one, with escapes (\u0063…) or in another case, which
// a search of its bytes does not see. These functions read the text's
// strings as they decode, one at a time, without parsing the whole value,
// so that they work on truncated or garbled JSON too and take memory for
// one string, not for a tree of the answer.

// JSON returns body with secret (in every form String knows) replaced in
// every JSON string, key or value, as the string decodes. It returns body
// itself when it has no escapes, or none of its strings holds the secret;
// otherwise a copy, built only then. Bytes handles the escape-free text.
func JSON(body []byte, secret string) []byte {
	if secret == "" || bytes.IndexByte(body, '\\') < 0 {
		return body
	}
	fs := forms(secret) // once, not for each string
	var out []byte
	last := 0
	eachString(body, func(start, end int, s []byte) {
		if !holdsForm(s, fs) {
			return
		}
		if out == nil {
			out = make([]byte, 0, len(body))
		}
		out = append(out, body[last:start]...)
		out = appendString(out, String(string(s), secret))
		last = end
	})
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// accessTokenName is the member of an identity answer that holds the
// token.
const accessTokenName = "access_token"

// TokenFields returns text with the value of every member named
// access_token, in any letter case and spelt with or without escapes,
// replaced by Text: the token of a traced identity answer is known only
// once the answer is parsed, after it was traced, and an answer the SDK
// refuses may still hold a live one.
func TokenFields(text []byte) []byte {
	if !NamesAccessToken(text) {
		return text
	}
	var out []byte
	last, valueNext := 0, false
	eachString(text, func(start, end int, s []byte) {
		if !valueNext {
			valueNext = bytes.EqualFold(s, []byte(accessTokenName)) && followedByColon(text, end)
			return
		}
		valueNext = false
		out = append(out, text[last:start]...)
		out = appendString(out, Text)
		last = end
	})
	if out == nil {
		return text
	}
	return append(out, text[last:]...)
}

// NamesAccessToken reports whether text mentions access_token in any
// letter case, as bytes or as a JSON string that decodes to it.
func NamesAccessToken(text []byte) bool {
	if indexFold(text, accessTokenName) >= 0 {
		return true
	}
	if bytes.IndexByte(text, '\\') < 0 {
		return false
	}
	found := false
	eachString(text, func(_, _ int, s []byte) {
		found = found || indexFold(s, accessTokenName) >= 0
	})
	return found
}

// followedByColon reports whether the next byte of text from i that is
// not white space is a colon: the string before i is a member's name.
func followedByColon(text []byte, i int) bool {
	rest := bytes.TrimLeft(text[i:], " \t\r\n")
	return len(rest) > 0 && rest[0] == ':'
}

// appendString appends s to b as a JSON string.
func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// eachString calls fn for every string literal of text, keys and values
// alike: start is its opening quote, end just past its closing one (or
// len(text) for one that never closes), s its decoded content (valid until
// the next call; the raw content if it does not decode).
func eachString(text []byte, fn func(start, end int, s []byte)) {
	scratch := make([]byte, 0, 64)
	for i := 0; i < len(text); {
		q := bytes.IndexByte(text[i:], '"')
		if q < 0 {
			return
		}
		start := i + q
		end := literalEnd(text, start)
		var s []byte
		s, scratch = stringAt(text, start, end, scratch)
		fn(start, end, s)
		i = end
	}
}

// stringAt decodes the string literal text[start:end]. One cut short (a
// truncated answer) decodes as if it were closed there; one that does not
// decode reads as its raw content.
func stringAt(text []byte, start, end int, scratch []byte) (s, kept []byte) {
	if s, ok := decodeString(text[start:end], scratch); ok {
		return s, s[:0]
	}
	if end == len(text) && end > start+1 {
		closed := append(text[start:end:end], '"')
		if s, ok := decodeString(closed, scratch); ok {
			return s, s[:0]
		}
	}
	return text[start+1 : max(start+1, end-1)], scratch
}

// literalEnd returns the index just past the string literal that opens at
// text[start], whatever it holds, or len(text).
func literalEnd(text []byte, start int) int {
	for i := start + 1; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(text)
}

// decodeString decodes lit, a JSON string literal quotes included, into
// out's storage, as encoding/json would: a lone surrogate becomes U+FFFD.
// It reports false for a literal that is not one whole valid string.
func decodeString(lit, out []byte) ([]byte, bool) {
	out = out[:0]
	for i := 1; i < len(lit); i++ {
		c := lit[i]
		switch {
		case c == '"':
			return out, i == len(lit)-1
		case c < 0x20:
			return nil, false
		case c != '\\':
			out = append(out, c)
			continue
		}
		if i+1 >= len(lit) {
			return nil, false
		}
		i++
		switch e := lit[i]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(lit, i+1)
			if !ok {
				return nil, false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r, i = lowSurrogate(lit, i, r)
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, false
		}
	}
	return nil, false
}

// lowSurrogate completes the surrogate pair started by high, whose escape
// ends at lit[i], if the next escape ends it; a lone surrogate becomes
// U+FFFD. It returns the rune and the index of its last byte.
func lowSurrogate(lit []byte, i int, high rune) (rune, int) {
	if i+6 < len(lit) && lit[i+1] == '\\' && lit[i+2] == 'u' {
		if low, ok := hex4(lit, i+3); ok {
			if r := utf16.DecodeRune(high, low); r != utf8.RuneError {
				return r, i + 6
			}
		}
	}
	return utf8.RuneError, i
}

// hex4 reads the four hex digits of a \u escape at lit[i:].
func hex4(lit []byte, i int) (rune, bool) {
	if i+4 > len(lit) {
		return 0, false
	}
	var r rune
	for _, c := range lit[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
