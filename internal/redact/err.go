package redact

import "errors"

// Err keeps an error whose text would contain a secret from reaching the
// caller with it. The replacement still matches the original's sentinels
// with errors.Is, but does not unwrap to it, since anything reached by
// unwrapping could print the secret.
func Err(err error, secret string) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); Holds(msg, secret) {
		return &redactedError{msg: String(msg, secret), err: err}
	}
	return err
}

// ErrAll is Err for each of secrets.
func ErrAll(err error, secrets ...string) error {
	for _, s := range secrets {
		err = Err(err, s)
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// GoString keeps %#v from printing the original error.
func (e *redactedError) GoString() string { return e.msg }
