package strictjson

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStringsReadAsEncodingJSON: a whole literal reads as encoding/json
// reads it (escapes, surrogate pairs, lone surrogates as U+FFFD); one cut
// short reads as if closed there; one that does not decode reads as its
// raw content.
func TestStringsReadAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, lit := range []string{`"a"`, `""`, `"\u0041\n\/\\\""`, `"\ud83d\ude00"`, `"\ud83d x"`, `"\udE00\u0041"`, `"\uD83D\u0041"`} {
		var want string
		if err := json.Unmarshal([]byte(lit), &want); err != nil {
			t.Fatal(lit, err)
		}
		if got := NewStrings([]byte(lit)).At(0, len(lit)); string(got) != want {
			t.Errorf("%s reads as %q, encoding/json says %q", lit, got, want)
		}
	}
	for lit, want := range map[string]string{
		`"a`:        "a",
		`"\u0041b`:  "Ab",
		`"\u00"`:    `\u00`,
		`"\x"`:      `\x`,
		"\"a\tb\"":  "a\tb",
		`"\`:        "",
		`"\u00zz"`:  `\u00zz`,
		`"\u+041"`:  `\u+041`,
		`"two" "x"`: "two", // read from its own start to its own end
	} {
		end := len(lit)
		if lit == `"two" "x"` {
			end = 5
		}
		if got := NewStrings([]byte(lit)).At(0, end); string(got) != want {
			t.Errorf("%s reads as %q, want %q", lit, got, want)
		}
	}
}

// TestStringsAtInsideAText: a literal followed by more text reads decoded
// (not raw); a range that is not a whole literal reads as its raw content,
// down to a lone quote, which reads as nothing.
func TestStringsAtInsideAText(t *testing.T) {
	t.Parallel()
	text := exact(`"\u0041\n" "x" "`)
	s := NewStrings(text)
	for _, tc := range []struct {
		start, end int
		want       string
	}{
		{0, 10, "A\n"},
		{11, 14, "x"},
		{0, 1, ""},
		{0, 2, ""},
		{0, 9, `\u0041\`},
		{15, 16, ""}, // a lone quote at the end of the text
	} {
		assert.Equal(t, tc.want, string(s.At(tc.start, tc.end)), "At(%d, %d)", tc.start, tc.end)
	}
}
