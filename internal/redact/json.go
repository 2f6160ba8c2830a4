package redact

import (
	"bytes"
	"encoding/json"

	"github.com/mktows/marketo/internal/strictjson"
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
// len(text) for one that never closes), s its decoded content as
// strictjson.Strings reads it (valid until the next call; the raw content
// if it does not decode).
func eachString(text []byte, fn func(start, end int, s []byte)) {
	strs := strictjson.NewStrings(text)
	for i := 0; i < len(text); {
		q := bytes.IndexByte(text[i:], '"')
		if q < 0 {
			return
		}
		start := i + q
		end := literalEnd(text, start)
		fn(start, end, strs.At(start, end))
		i = end
	}
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
