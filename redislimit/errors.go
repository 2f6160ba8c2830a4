package redislimit

import (
	"errors"
	"fmt"
)

// ErrUnavailable is what every *UnavailableError matches with errors.Is.
var ErrUnavailable = errors.New("the Redis that keeps the tenant's limits is unreachable")

// UnavailableError says a Limiter could not reach Redis in time, so it let
// nothing start. Nothing was sent to Marketo.
type UnavailableError struct {
	Op  string // "acquire" or "clone"
	Err error  // what the Redis client reported
}

func (e *UnavailableError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%s: %v", e.Op, ErrUnavailable)
	}
	return fmt.Sprintf("%s: %v: %v", e.Op, ErrUnavailable, e.Err)
}

// Unwrap returns ErrUnavailable and not the Redis client's error, which may
// be a context error of the Limiter's own timeout, not the caller's.
func (e *UnavailableError) Unwrap() error { return ErrUnavailable }
