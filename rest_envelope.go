package marketo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// restEnvelope is the JSON answer every REST call gets:
//
//	{"requestId":"e42b#14272d07d78","success":true,"result":[...],"errors":[...],
//	 "warnings":[...],"nextPageToken":"...","moreResult":false}
//
// Marketo answers errors, call-level and record-level alike, with HTTP 200
// and "success":false.
type restEnvelope struct {
	RequestID     string          `json:"requestId"`
	Success       *bool           `json:"success"`
	Result        json.RawMessage `json:"result"`
	Errors        []restReason    `json:"errors"`
	Warnings      []restReason    `json:"warnings"`
	NextPageToken string          `json:"nextPageToken"`
	MoreResult    bool            `json:"moreResult"`
}

// restReason is one item of errors, warnings or a record's reasons:
// {"code":"601","message":"Access token invalid"}. The asset API sends
// warnings as plain strings; those become a reason with only a message.
type restReason struct {
	Code    restCode `json:"code"`
	Message string   `json:"message"`
}

func (r *restReason) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &r.Message)
	}
	type plain restReason // without this method
	return json.Unmarshal(b, (*plain)(r))
}

// restCode is a REST error code. Marketo sends it as a JSON string holding
// an integer ("a quoted integer"); a plain number is accepted too.
type restCode int

func (c *restCode) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("error code %s is not an integer", b)
	}
	*c = restCode(n)
	return nil
}

// decodeRESTAnswer checks one REST answer and decodes its result into result
// (a pointer to a slice, or nil to skip it). An answer with "success":false
// becomes a *Fault carrying Marketo's first error code and message; anything
// that is not a well-formed envelope (a gateway's HTML page, a truncated or
// malformed body, a body with no "success") is a *ResponseError.
func decodeRESTAnswer(status int, contentType string, body []byte, result any) (*restEnvelope, error) {
	bad := func(reason string, err error) error {
		return &ResponseError{HTTPStatus: status, ContentType: contentType, Reason: reason, Excerpt: excerpt(body), Err: err}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, bad("body is empty", nil)
	}
	if b := bytes.TrimSpace(body); b[0] != '{' {
		return nil, bad("body is not a JSON object", nil)
	}
	var env restEnvelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, bad("body is truncated JSON", err)
		}
		return nil, bad("body is malformed JSON", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad("body has data after the JSON object", nil)
	}
	if env.Success == nil {
		return nil, bad(`answer has no "success"`, nil)
	}
	if !*env.Success {
		if len(env.Errors) == 0 {
			return nil, bad(`answer has "success":false but no errors`, nil)
		}
		return nil, restFault(&env, status)
	}
	if status < 200 || status > 299 {
		return nil, bad("success answer with a non-2xx status", nil)
	}
	if result != nil && len(env.Result) > 0 && string(env.Result) != "null" {
		if err := json.Unmarshal(env.Result, result); err != nil {
			return nil, bad(`"result" does not have the expected shape`, err)
		}
	}
	return &env, nil
}

// restFault turns the errors of a "success":false answer into a *Fault: the
// first error's code and message, with the others' appended to the message.
func restFault(env *restEnvelope, status int) *Fault {
	first := env.Errors[0]
	msg := first.Message
	for _, e := range env.Errors[1:] {
		msg += fmt.Sprintf("; %d: %s", e.Code, e.Message)
	}
	return &Fault{Code: Code(first.Code), Message: msg, HTTPStatus: status, RequestID: env.RequestID}
}
