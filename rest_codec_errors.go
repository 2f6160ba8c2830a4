package marketo

import (
	"errors"
	"fmt"

	"github.com/mktows/marketo/internal/csvrec"
	"github.com/mktows/marketo/internal/restwire"
)

// codecAnswer is the answer a codec's error is about: its status,
// Content-Type and body. An error about parameters has none.
type codecAnswer struct {
	status      int
	contentType string
	body        []byte
}

// csvAnswer is the answer of an import's failures or warnings file.
var csvAnswer = codecAnswer{status: 200, contentType: "text/csv"}

// publicRESTError turns an error of the REST codecs (internal/restwire,
// internal/csvrec) into the SDK's public error for it, the one place that
// does: an answer that is not a well-formed envelope or CSV file is a
// *ResponseError, a "success":false answer a *Fault, a parameter the wire
// cannot carry a *ValidationError. Errors of several parameters stay
// joined; any other error is returned as it is.
func publicRESTError(err error, ans codecAnswer) error {
	switch e := err.(type) {
	case *restwire.AnswerError:
		return &ResponseError{HTTPStatus: ans.status, ContentType: ans.contentType, Reason: e.Reason, Excerpt: excerpt(ans.body), Err: e.Err}
	case *restwire.Refusal:
		return restFault(e, ans.status)
	case *restwire.ParamError:
		return &ValidationError{Field: e.Field, Rule: e.Rule}
	case *csvrec.FileError:
		return &ResponseError{HTTPStatus: ans.status, ContentType: ans.contentType, Reason: "the file is not the CSV Marketo sends",
			Err: publicRESTError(e.Err, ans)}
	case *csvrec.TooLargeError:
		return fmt.Errorf("%w: a record is longer than MaxImportRecordBytes (%d bytes)", ErrResponseTooLarge, e.Max)
	case interface{ Unwrap() []error }:
		errs := e.Unwrap()
		out := make([]error, len(errs))
		for i, err := range errs {
			out[i] = publicRESTError(err, ans)
		}
		return errors.Join(out...)
	}
	return err
}

// restFault turns the errors of a "success":false answer into a *Fault: the
// first error's code and message, with the others' appended to the message.
func restFault(r *restwire.Refusal, status int) *Fault {
	first := r.Errors[0]
	msg := first.Message
	for _, e := range r.Errors[1:] {
		msg += fmt.Sprintf("; %d: %s", e.Code, e.Message)
	}
	return &Fault{Code: Code(first.Code), Message: msg, HTTPStatus: status, RequestID: r.RequestID}
}

// decodeRESTAnswer decodes one REST answer with restwire.DecodeAnswer and
// returns its envelope, or the public error for it.
func decodeRESTAnswer(status int, contentType string, body []byte, result any) (*restwire.Envelope, error) {
	env, err := restwire.DecodeAnswer(status, body, result)
	if err != nil {
		return nil, publicRESTError(err, codecAnswer{status: status, contentType: contentType, body: body})
	}
	return env, nil
}
