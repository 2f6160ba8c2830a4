package restwire

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mktows/marketo/internal/strictjson"
)

// Envelope is the JSON answer every REST call gets:
//
//	{"requestId":"e42b#14272d07d78","success":true,"result":[...],"errors":[...],
//	 "warnings":[...],"nextPageToken":"...","moreResult":false}
//
// Marketo answers errors, call-level and record-level alike, with HTTP 200
// and "success":false.
type Envelope struct {
	RequestID     string   `json:"requestId"`
	Success       Bool     `json:"success"`
	Result        any      `json:"result"` // set to where the result goes before decoding
	Errors        []Reason `json:"errors"`
	Warnings      []Reason `json:"warnings"`
	NextPageToken string   `json:"nextPageToken"`
	MoreResult    bool     `json:"moreResult"`
}

// Reason is one item of errors, warnings or a record's reasons:
// {"code":"601","message":"Access token invalid"}. The asset API sends
// warnings as plain strings; those become a reason with only a message.
type Reason struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

func (r *Reason) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return strictjson.Decode(b, &r.Message)
	}
	type plain Reason // without this method
	return strictjson.Decode(b, (*plain)(r))
}

// Code is a REST error code. Marketo sends it as a JSON string holding an
// integer ("a quoted integer"); a plain number is accepted too.
type Code int

func (c *Code) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if err := strictjson.Decode(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("error code %s is not an integer", b)
	}
	*c = Code(n)
	return nil
}

// DecodeAnswer checks one REST answer and decodes its result into result
// (a pointer to a slice, or nil to skip it). An answer with
// "success":false is a *Refusal; anything that is not a well-formed
// envelope is an *AnswerError, and so is an answer Decode refuses: a name
// given twice at any depth, or a known name in another case (see
// strictjson.Decode).
// encoding/json would keep the last of two values, so
// {"success":false,…,"SUCCESS":true} would read as a success.
func DecodeAnswer(status int, body []byte, result any) (*Envelope, error) {
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return nil, &AnswerError{Reason: "body is empty"}
	case trimmed[0] != '{':
		return nil, &AnswerError{Reason: "body is not a JSON object"}
	}
	if result == nil {
		result = &skipped
	}
	// The result is decoded in place, not copied out as raw JSON first.
	env := &Envelope{Result: result}
	if err := strictjson.Decode(body, env); err != nil {
		return nil, &AnswerError{Reason: answerProblem(err), Err: err}
	}
	switch {
	case !env.Success.Set:
		return nil, &AnswerError{Reason: `answer has no "success"`}
	case !env.Success.Value && len(env.Errors) == 0:
		return nil, &AnswerError{Reason: `answer has "success":false but no errors`}
	case !env.Success.Value:
		return nil, &Refusal{RequestID: env.RequestID, Errors: env.Errors}
	case status < 200 || status > 299:
		return nil, &AnswerError{Reason: "success answer with a non-2xx status"}
	}
	return env, nil
}

// answerProblem says in an AnswerError's words what strictjson.Decode found wrong
// with an answer.
func answerProblem(err error) string {
	var je *strictjson.Error
	if !errors.As(err, &je) {
		return "body is malformed JSON"
	}
	switch je.Kind {
	case strictjson.Truncated:
		return "body is truncated JSON"
	case strictjson.Trailing:
		return "body has data after the JSON object"
	case strictjson.Repeated:
		return fmt.Sprintf("answer gives %q more than once: the answer is ambiguous", je.Path)
	case strictjson.CaseVariant:
		return fmt.Sprintf("answer gives %q, a known name in another case: the answer is ambiguous", je.Path)
	case strictjson.FoldedTwice:
		return fmt.Sprintf("answer gives %q and the same name in another case: the answer is ambiguous", je.Path)
	case strictjson.Shape:
		if je.Path == "result" || strings.HasPrefix(je.Path, "result.") || strings.HasPrefix(je.Path, "result[") {
			return `"result" does not have the expected shape`
		}
	}
	return "body is malformed JSON"
}

// Bool is a JSON boolean that says whether it was present.
type Bool struct{ Set, Value bool }

func (b *Bool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", "false":
		b.Set, b.Value = true, string(data) == "true"
		return nil
	}
	return fmt.Errorf("%s is not a JSON boolean", data)
}

// skipJSON takes any JSON value and keeps nothing of it. Pointing the
// envelope's Result at skipped keeps the decoder from building a generic
// value for a result nobody reads.
type skipJSON struct{}

func (*skipJSON) UnmarshalJSON([]byte) error { return nil }

var skipped skipJSON
