package marketo

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Token is a program My Token override for one campaign run, e.g.
// Token{Name: "{{my.message}}", Value: "Updated message"}.
//
// Name is the token's full name as the Marketo UI shows it, "{{my.name}}";
// "my.name" is sent as "{{my.name}}". Names may contain spaces, but not at
// either end or right after "my.", nor braces inside. Names are not
// case-sensitive: one token given twice under two spellings is refused.
// Value is any text XML can carry and is sent byte for byte.
type Token struct {
	Name  string
	Value string
}

// String returns the token as {{my.name}}="value", with the value quoted as
// Go quotes strings, so that spaces and line breaks show.
func (t Token) String() string {
	return t.Name + "=" + strconv.Quote(t.Value)
}

// normalizedTokens returns tokens that checkTokens accepted with names in
// the "{{my.name}}" form, in the caller's order.
func normalizedTokens(tokens []Token) []Token {
	if len(tokens) == 0 {
		return nil
	}
	out := make([]Token, len(tokens))
	for i, t := range tokens {
		name, _ := normalizeTokenName(t.Name)
		out[i] = Token{Name: name, Value: t.Value}
	}
	return out
}

// checkTokens checks tokens. field names the parameter, e.g. "Tokens".
// Problems are appended to errs.
func checkTokens(field string, tokens []Token, errs []error) []error {
	if len(tokens) == 0 {
		return errs
	}
	seen := make(map[string]int, len(tokens))
	for i, t := range tokens {
		name, err := normalizeTokenName(t.Name)
		if err != nil {
			errs = append(errs, &ValidationError{Field: fmt.Sprintf("%s[%d].Name", field, i), Rule: err.Error()})
		} else {
			key := strings.ToLower(name)
			if j, dup := seen[key]; dup {
				errs = append(errs, &ValidationError{
					Field: fmt.Sprintf("%s[%d].Name", field, i),
					Rule:  fmt.Sprintf("token %q is given twice (also %s[%d]); Marketo token names are not case-sensitive", name, field, j),
				})
			} else {
				seen[key] = i
			}
		}
		if err := checkXMLText(t.Value); err != nil {
			errs = append(errs, &ValidationError{Field: fmt.Sprintf("%s[%d].Value", field, i), Rule: err.Error()})
		}
	}
	return errs
}

// myPrefix starts every My Token name inside its braces.
const myPrefix = "my."

// normalizeTokenName returns name in the "{{my.name}}" form, or an error that
// says which rule it breaks (and quotes the name).
func normalizeTokenName(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("is empty; want a My Token name such as {{my.message}}")
	}
	if err := checkXMLText(name); err != nil {
		return "", err
	}
	inner := name
	if strings.HasPrefix(name, "{{") && strings.HasSuffix(name, "}}") && len(name) >= 4 {
		inner = name[2 : len(name)-2]
	}
	if strings.ContainsAny(inner, "{}") {
		return "", fmt.Errorf("token %q has stray braces; write {{my.name}} or my.name", name)
	}
	if strings.TrimSpace(inner) != inner {
		if inner != name {
			return "", fmt.Errorf("token %q has spaces just inside the braces; write {{my.name}}", name)
		}
		return "", fmt.Errorf("token %q has leading or trailing spaces; write my.name or {{my.name}}", name)
	}
	// The prefix is matched ignoring case, as Marketo matches token names.
	if len(inner) < len(myPrefix) || !strings.EqualFold(inner[:len(myPrefix)], myPrefix) {
		return "", fmt.Errorf("token %q is not a My Token; names must be in the my. namespace, e.g. {{my.message}}", name)
	}
	rest := inner[len(myPrefix):]
	if strings.TrimSpace(rest) == "" {
		return "", fmt.Errorf("token %q has no name after \"my.\"", name)
	}
	if strings.TrimSpace(rest) != rest {
		return "", fmt.Errorf("token %q has spaces right after \"my.\"; the name follows the dot directly, e.g. {{my.message}}", name)
	}
	if inner != name {
		return name, nil // already in the {{my.name}} form
	}
	return "{{" + inner + "}}", nil
}

// checkXMLText reports text that an XML 1.0 document cannot carry: invalid
// UTF-8, NUL and the other control characters except tab, newline and
// carriage return, and the non-characters U+FFFE and U+FFFF. Such text is
// refused rather than altered.
func checkXMLText(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Errorf("is not valid UTF-8 (byte 0x%02X at offset %d)", c, i)
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20:
			return fmt.Errorf("contains control character U+%04X at offset %d, which XML 1.0 cannot carry", r, i)
		case r == 0xFFFE || r == 0xFFFF:
			return fmt.Errorf("contains non-character U+%04X at offset %d, which XML 1.0 cannot carry", r, i)
		}
		i += size
	}
	return nil
}
