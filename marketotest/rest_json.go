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

// callTokensREST reads the tokens of a schedule or trigger body (see
// checkCallTokens).
func callTokensREST(tokens []restToken, max int) (map[string]string, []string, *Fault) {
	var pairs [][2]string
	if tokens != nil {
		pairs = make([][2]string, 0, len(tokens))
	}
	for _, t := range tokens {
		pairs = append(pairs, [2]string{t.Name, t.Value})
	}
	call, order, derr := checkCallTokens(pairs, max)
	if derr != nil {
		return nil, nil, derr.rest()
	}
	return call, order, nil
}
