// Package redact removes secrets (client secrets, access tokens,
// encryption keys, signatures) from text that leaves the SDK: errors,
// logs and the wire trace. It finds a secret in any ASCII letter case, as
// a URL's query or path would carry it, and, in JSON, spelt with escapes.
//
// It knows nothing of the client: callers give it the secrets and the
// text.
package redact

import (
	"net/url"
	"strings"
	"sync/atomic"
)

// Text replaces a secret in text.
const Text = "[REDACTED]"

// String removes secret from s, which might echo the request, in any
// letter case (a server may print a hex signature in upper case), and as
// a URL query or path would carry it ("…%3Aint" for "…:int"): a server may
// echo the request's URL, or quote a token it was given in one.
func String(s, secret string) string {
	for _, form := range forms(secret) {
		s = redactForm(s, form)
	}
	return s
}

// All is String for each of secrets.
func All(s string, secrets ...string) string {
	for _, sec := range secrets {
		s = String(s, sec)
	}
	return s
}

// Bytes is String for a body; it returns b itself when b holds no secret.
func Bytes(b []byte, secret string) []byte {
	if !Holds(b, secret) {
		return b
	}
	return []byte(String(string(b), secret))
}

// Holds reports whether s holds secret in any of the forms String
// removes.
func Holds[T string | []byte](s T, secret string) bool {
	return holdsForm(s, forms(secret))
}

// forms returns secret as itself, query-escaped and path-escaped; a form
// that repeats an earlier one is empty.
func forms(secret string) [3]string {
	if f := lastForms.Load(); f != nil && f.secret == secret {
		return f.forms
	}
	q, p := url.QueryEscape(secret), url.PathEscape(secret)
	if q == secret {
		q = ""
	}
	if p == secret || p == q {
		p = ""
	}
	fs := [3]string{secret, q, p}
	if q != "" || p != "" {
		// Escaping took an allocation: keep its result for the next
		// call, which usually has the same secret (an access token
		// lives for an hour; a signature is new each call, but has
		// nothing to escape).
		lastForms.Store(&secretForms{secret: secret, forms: fs})
	}
	return fs
}

// secretForms are the forms of one secret.
type secretForms struct {
	secret string
	forms  [3]string
}

// lastForms are the forms of the last secret that had to be escaped.
var lastForms atomic.Pointer[secretForms]

// holdsForm reports whether s holds one of forms.
func holdsForm[T string | []byte](s T, forms [3]string) bool {
	for _, form := range forms {
		if indexFold(s, form) >= 0 {
			return true
		}
	}
	return false
}

// redactForm is String for one form of a secret.
func redactForm(s, secret string) string {
	i := indexFold(s, secret)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteString(Text)
		s = s[i+len(secret):]
		i = indexFold(s, secret)
	}
	b.WriteString(s)
	return b.String()
}

// indexFold returns the index of the first instance of secret in s,
// ignoring ASCII letter case, or -1; an empty secret is never found.
func indexFold[T string | []byte](s T, secret string) int {
	if secret == "" {
		return -1
	}
	first := [2]byte{lowerASCII(secret[0]), upperASCII(secret[0])}
	for i := 0; i+len(secret) <= len(s); i++ {
		if c := s[i]; c != first[0] && c != first[1] {
			continue
		}
		if equalFoldASCII(s[i:i+len(secret)], secret) {
			return i
		}
	}
	return -1
}

func equalFoldASCII[T string | []byte](s T, t string) bool {
	for i := 0; i < len(t); i++ {
		if lowerASCII(s[i]) != lowerASCII(t[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}
