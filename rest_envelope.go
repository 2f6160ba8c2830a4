package marketo

import (
	"bytes"
	"errors"
	"fmt"
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
	RequestID     string       `json:"requestId"`
	Success       jsonBool     `json:"success"`
	Result        any          `json:"result"` // set to where the result goes before decoding
	Errors        []restReason `json:"errors"`
	Warnings      []restReason `json:"warnings"`
	NextPageToken string       `json:"nextPageToken"`
	MoreResult    bool         `json:"moreResult"`
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
		return decodeStrict(b, &r.Message)
	}
	type plain restReason // without this method
	return decodeStrict(b, (*plain)(r))
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
		if err := decodeStrict(b, &s); err != nil {
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
// malformed body, a body with no "success") is a *ResponseError, and so is
// an answer decodeStrict refuses: a name given twice at any depth, or a
// known name in another case. encoding/json would keep the last of two
// values, so {"success":false,…,"SUCCESS":true} would read as a success.
func decodeRESTAnswer(status int, contentType string, body []byte, result any) (*restEnvelope, error) {
	bad := func(reason string, err error) error {
		return &ResponseError{HTTPStatus: status, ContentType: contentType, Reason: reason, Excerpt: excerpt(body), Err: err}
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return nil, bad("body is empty", nil)
	case trimmed[0] != '{':
		return nil, bad("body is not a JSON object", nil)
	}
	if result == nil {
		result = &skipped
	}
	// The result is decoded in place, not copied out as raw JSON first.
	env := &restEnvelope{Result: result}
	if err := decodeStrict(body, env); err != nil {
		return nil, bad(answerProblem(err), err)
	}
	switch {
	case !env.Success.set:
		return nil, bad(`answer has no "success"`, nil)
	case !env.Success.value && len(env.Errors) == 0:
		return nil, bad(`answer has "success":false but no errors`, nil)
	case !env.Success.value:
		return nil, restFault(env, status)
	case status < 200 || status > 299:
		return nil, bad("success answer with a non-2xx status", nil)
	}
	return env, nil
}

// answerProblem says in a ResponseError's words what decodeStrict found
// wrong with an answer.
func answerProblem(err error) string {
	var je *jsonError
	if !errors.As(err, &je) {
		return "body is malformed JSON"
	}
	switch je.kind {
	case jsonTruncated:
		return "body is truncated JSON"
	case jsonTrailing:
		return "body has data after the JSON object"
	case jsonRepeated:
		return fmt.Sprintf("answer gives %q more than once: the answer is ambiguous", je.path)
	case jsonCaseVariant:
		return fmt.Sprintf("answer gives %q, a known name in another case: the answer is ambiguous", je.path)
	case jsonShape:
		if je.path == "result" || strings.HasPrefix(je.path, "result.") || strings.HasPrefix(je.path, "result[") {
			return `"result" does not have the expected shape`
		}
	}
	return "body is malformed JSON"
}

// jsonBool is a JSON boolean that says whether it was present.
type jsonBool struct{ set, value bool }

func (b *jsonBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", "false":
		b.set, b.value = true, string(data) == "true"
		return nil
	}
	return fmt.Errorf("%s is not a JSON boolean", data)
}

// skipJSON takes any JSON value and keeps nothing of it. Pointing the
// envelope's Result at skipped keeps encoding/json from building a generic
// value for a result nobody reads.
type skipJSON struct{}

func (*skipJSON) UnmarshalJSON([]byte) error { return nil }

var skipped skipJSON

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
