package marketo

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAttemptUnderASoonerCallerDeadline checks that an attempt whose
// caller's deadline comes before the attempt timeout makes no timeout of
// its own, yet ends when the caller's context does and says so with the
// caller's error, not an AttemptTimeoutError.
func TestAttemptUnderASoonerCallerDeadline(t *testing.T) {
	t.Parallel()
	e := &engine{attemptTimeout: time.Minute}
	callCtx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	a := e.startAttempt(callCtx)
	defer a.cancel()
	want, _ := callCtx.Deadline()
	got, ok := a.ctx.Deadline()
	assert.True(t, ok)
	assert.Equal(t, want, got, "the caller's deadline bounds the attempt")
	a.cancel()
	assert.NoError(t, a.ctx.Err(), "the attempt made no context of its own (and no timer) for a timeout that cannot come first")
	<-a.ctx.Done()
	assert.True(t, errors.Is(a.ctxErr(), context.DeadlineExceeded), "%v", a.ctxErr())

	// A later caller deadline: the attempt timeout ends the attempt.
	e = &engine{attemptTimeout: 20 * time.Millisecond}
	later, cancelLater := context.WithTimeout(context.Background(), time.Minute)
	defer cancelLater()
	b := e.startAttempt(later)
	defer b.cancel()
	<-b.ctx.Done()
	var te *AttemptTimeoutError
	assert.True(t, errors.As(b.ctxErr(), &te), "%v", b.ctxErr())
}

// TestRedirectedAnswerToTheRequestItselfAllocatesNothing checks that the
// answer to the request itself, every call's case, is told apart from a
// followed redirect without printing URLs. It is not parallel:
// AllocsPerRun counts the allocations of the whole process, and the
// parallel tests start only after the sequential ones.
func TestRedirectedAnswerToTheRequestItselfAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation figures are the race detector's")
	}
	req, err := http.NewRequest(http.MethodPost, "https://123-ABC-456.mktorest.com/rest/v1/campaigns/1001/schedule.json", nil)
	require.NoError(t, err)
	resp := &http.Response{StatusCode: http.StatusOK, Request: req, Header: http.Header{}}
	var got error
	allocs := testing.AllocsPerRun(100, func() { got = redirected(req, resp) })
	assert.NoError(t, got)
	assert.Zero(t, allocs)
}
