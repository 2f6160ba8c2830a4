package redact

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestRedactTokenFields(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ in, want string }{
		"plain":               {`{"access_token":"t1:int","x":1}`, `{"access_token":"[REDACTED]","x":1}`},
		"in capitals, spaced": {`{"ACCESS_TOKEN" :  "t1:int"}`, `{"ACCESS_TOKEN" :  "[REDACTED]"}`},
		"name escaped":        {`{"acc\u0065ss_Token":"t1"}`, `{"acc\u0065ss_Token":"[REDACTED]"}`},
		"value escaped":       {`{"access_token":"\u0074\"1"}`, `{"access_token":"[REDACTED]"}`},
		"truncated value":     {`{"access_token":"t1:in`, `{"access_token":"[REDACTED]"`},
		"a value, not a name": {`{"x":"access_token","y":"t1"}`, `{"x":"access_token","y":"t1"}`},
		"no token":            {`{"x":"y"}`, `{"x":"y"}`},
	}
	for name, tc := range cases {
		assert.Equal(t, tc.want, string(TokenFields([]byte(tc.in))), name)
	}
}

// FuzzRedactJSON: the redaction helpers never panic, never change text
// that cannot hold the secret, and leave no string that decodes to it.
func FuzzRedactJSON(f *testing.F) {
	for _, seed := range []string{`{"a":"\u0074ok-9:int"}`, `{"access_token":"x`, `"\`, `"\u12`, `{"\u0061ccess_token":"x"}`} {
		f.Add([]byte(seed))
	}
	const secret = "tok-9:int"
	f.Fuzz(func(t *testing.T, text []byte) {
		out := JSON(text, secret)
		if !bytes.Contains(text, []byte(`\`)) && !bytes.Equal(out, text) {
			t.Fatalf("changed text without escapes: %q → %q", text, out)
		}
		eachString(out, func(_, _ int, s []byte) {
			if bytes.Contains(bytes.ToLower(s), []byte(secret)) && bytes.Contains(text, []byte(`\`)) {
				t.Fatalf("%q still holds the secret after redaction: %q", text, out)
			}
		})
		eachString(text, func(start, end int, s []byte) {
			// Invalid UTF-8 stays as it is (encoding/json would write
			// U+FFFD): secrets are ASCII, and the bytes are the answer's.
			var want string
			if utf8.Valid(text[start:end]) && json.Unmarshal(text[start:end], &want) == nil && string(s) != want {
				t.Fatalf("%q decodes as %q, encoding/json says %q", text[start:end], s, want)
			}
		})
		_ = TokenFields(text)
		_ = NamesAccessToken(text)
	})
}

func TestRedactJSONFindsTheSecretAsDecoded(t *testing.T) {
	t.Parallel()
	const secret = "tok-9:int"
	escaped := `\u0074\u006f\u006b-9:int`
	cases := map[string]struct{ body, want string }{
		"no escapes":         {`{"a":"tok-9:int"}`, `{"a":"tok-9:int"}`}, // the attempt's byte redaction handles it
		"escaped value":      {`{"a":["x ` + escaped + `"]}`, `{"a":["x [REDACTED]"]}`},
		"escaped key":        {`{"` + escaped + `":1}`, `{"[REDACTED]":1}`},
		"escapes, no secret": {`{"a":"\u0041","n":1.50}`, `{"a":"\u0041","n":1.50}`},
		"not JSON":           {`<html>\u0074</html>`, `<html>\u0074</html>`},
		// Not one JSON value, but its strings still decode: redacted too.
		"data after it":     {`{"a":"` + escaped + `"} x`, `{"a":"[REDACTED]"} x`},
		"truncated":         {`{"a":"` + escaped, `{"a":"[REDACTED]"`},
		"URL-escaped, case": {`{"a":"\u0074ok-9%3aint"}`, `{"a":"[REDACTED]"}`},
	}
	for name, tc := range cases {
		assert.Equal(t, tc.want, string(JSON([]byte(tc.body), secret)), name)
	}
}
