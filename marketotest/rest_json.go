package marketotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// restToken is a My Token override in a schedule or trigger body.
type restToken struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// restID is a result record holding only an ID.
type restID struct {
	ID int `json:"id"`
}

// decodeStrict decodes one JSON object into v. Unknown keys, values of the
// wrong type and trailing data are 609: a misspelt key (Adobe's prose says
// "cloneToProgram", the API "cloneToProgramName") must not be ignored
// silently.
func decodeStrict(body []byte, v any) *Fault {
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return faultf(restInvalidJSON, "Invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if err := d.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return faultf(restInvalidJSON, "Invalid JSON: data after the object")
	}
	return nil
}

// callTokensREST checks tokens like the SOAP side's callTokens: names of
// the form {{my.name}}, not repeated ignoring case (1003), at most max when
// max > 0.
func callTokensREST(tokens []restToken, max int) (map[string]string, []string, *Fault) {
	if tokens == nil {
		return nil, nil, nil
	}
	if max > 0 && len(tokens) > max {
		return nil, nil, faultf(restInvalidData, "Too many tokens: %d (at most %d)", len(tokens), max)
	}
	out := map[string]string{}
	seen := map[string]bool{}
	var order []string
	for _, t := range tokens {
		if !ValidTokenName(t.Name) {
			return nil, nil, faultf(restInvalidData, "Token name %q is not of the form {{my.name}}", t.Name)
		}
		lower := strings.ToLower(t.Name)
		if seen[lower] {
			return nil, nil, faultf(restInvalidData, "Token %s given more than once", t.Name)
		}
		seen[lower] = true
		out[t.Name] = t.Value
		order = append(order, t.Name)
	}
	return out, order, nil
}
