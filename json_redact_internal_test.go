package marketo

import (
	"bytes"
	"testing"

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
		assert.Equal(t, tc.want, string(redactTokenFields([]byte(tc.in))), name)
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
		out := redactJSON(text, secret)
		if !bytes.Contains(text, []byte(`\`)) && !bytes.Equal(out, text) {
			t.Fatalf("changed text without escapes: %q → %q", text, out)
		}
		eachJSONString(out, func(_, _ int, s []byte) {
			if bytes.Contains(bytes.ToLower(s), []byte(secret)) && bytes.Contains(text, []byte(`\`)) {
				t.Fatalf("%q still holds the secret after redaction: %q", text, out)
			}
		})
		_ = redactTokenFields(text)
		_ = namesAccessToken(text)
	})
}
