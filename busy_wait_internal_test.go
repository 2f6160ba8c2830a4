package marketo

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestBusyWaitIsWhatAdobeAsks: after a busy queue or list the default
// policy waits 5 s, then at least 10 s, 20 s, then 30 s (MaxDelay); other
// retryable faults keep the policy's backoff, and a Retry-After longer
// than the busy wait wins.
func TestBusyWaitIsWhatAdobeAsks(t *testing.T) {
	t.Parallel()
	busy := attemptResult{sent: true, err: &OperationError{Err: &Fault{Code: CodeBulkQueueFull, Message: "Too many jobs in queue"}}}
	p := DefaultRetryPolicy
	for n, least := range map[int]time.Duration{1: 5 * time.Second, 2: 10 * time.Second, 3: 20 * time.Second, 4: 30 * time.Second, 40: 30 * time.Second} {
		for range 50 {
			w := p.wait(n, busy)
			assert.GreaterOrEqual(t, w, least, "after attempt %d", n)
			assert.LessOrEqual(t, w, 30*time.Second, "after attempt %d", n)
		}
	}
	for _, code := range []Code{CodeTooManyImports, CodeImportInProgress} {
		assert.GreaterOrEqual(t, p.wait(1, attemptResult{err: &Fault{Code: code}}), 5*time.Second, "%v", code)
	}
	for _, err := range []error{
		&Fault{Code: CodeMaxRateExceeded},
		&Fault{Code: CodeBulkQueueFull, Message: "Job already queued"},
		errors.New("connection refused"),
	} {
		assert.LessOrEqual(t, p.wait(1, attemptResult{err: err}), time.Second, "%v", err)
	}
	withRetryAfter := busy
	withRetryAfter.retryAfter = 25 * time.Second
	assert.Equal(t, 25*time.Second, p.wait(1, withRetryAfter))
	fast := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
	assert.LessOrEqual(t, fast.wait(1, busy), 2*time.Millisecond, "MaxDelay caps the busy wait too")
}
