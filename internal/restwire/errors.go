package restwire

import "fmt"

// The wire's own errors. The SDK's REST backend turns each into its public
// error in one place; here they carry plain values only.

// AnswerError is an answer that is not a well-formed envelope: a gateway's
// HTML page, a truncated or malformed body, a body with no "success", or
// one strictjson.Decode refuses. Reason says what is wrong; Err is the decoder's
// error, if any.
type AnswerError struct {
	Reason string
	Err    error
}

func (e *AnswerError) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

func (e *AnswerError) Unwrap() error { return e.Err }

// Refusal is a "success":false answer: Marketo's errors, in order, never
// empty.
type Refusal struct {
	RequestID string
	Errors    []Reason
}

func (e *Refusal) Error() string {
	return fmt.Sprintf("%d: %s", e.Errors[0].Code, e.Errors[0].Message)
}

// ParamError is a parameter the wire cannot carry: Field names it as the
// caller wrote it ("Rows[3]", "Header[0]"), Rule says why.
type ParamError struct{ Field, Rule string }

func (e *ParamError) Error() string { return e.Field + " " + e.Rule }
