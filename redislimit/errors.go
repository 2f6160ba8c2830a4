package redislimit

import (
	"errors"
	"fmt"
	"time"

	"github.com/mktows/marketo"
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

// QuotaError says the tenant's calls for the day are used up, by every
// process together; it matches marketo.ErrDailyQuotaExceeded with
// errors.Is. Nothing was sent.
type QuotaError struct {
	Tenant   string
	Calls    int64     // calls started this US Central day
	ResetsAt time.Time // the next midnight, US Central
}

// Error says it once: the OperationError around it names the SDK.
func (e *QuotaError) Error() string {
	return fmt.Sprintf("the daily quota of calls is used up: %d calls today (US Central) by every process of tenant %q; the quota resets at %s",
		e.Calls, e.Tenant, e.ResetsAt.UTC().Format(time.RFC3339))
}

func (e *QuotaError) Unwrap() error { return marketo.ErrDailyQuotaExceeded }
