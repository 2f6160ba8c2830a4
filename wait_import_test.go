package marketo_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

var (
	processingXML = statusXML("PROCESSING", `<startedTime>2026-11-28T10:00:00Z</startedTime><endedTime xsi:nil="true"/><estimatedRows>2</estimatedRows><rowsImported>0</rowsImported>`)
	completeXML   = statusXML("COMPLETE", `<startedTime>2026-11-28T10:00:00Z</startedTime><endedTime>2026-11-28T10:02:00Z</endedTime><estimatedRows>2</estimatedRows><rowsImported>2</rowsImported><rowsFailed>0</rowsFailed>`)
)

func TestWaitForImportPollsUntilComplete(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, sequence(rec, answer(200, processingXML), answer(200, processingXML), answer(200, completeXML)))
	var seen []marketo.ImportStatus
	var times []time.Time
	st, err := c.WaitForImport(context.Background(), statusParams,
		marketo.WithPollInterval(20*time.Millisecond),
		marketo.WithPollProgress(func(s marketo.ImportToListStatus) {
			seen = append(seen, s.Status)
			times = append(times, time.Now())
		}))
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportComplete, st.Status)
	assert.Equal(t, intp(2), st.RowsImported)
	assert.Equal(t, []marketo.ImportStatus{marketo.ImportProcessing, marketo.ImportProcessing, marketo.ImportComplete}, seen)
	assert.Equal(t, 3, rec.count())
	for i := 1; i < len(times); i++ {
		assert.GreaterOrEqual(t, times[i].Sub(times[i-1]), 20*time.Millisecond, "polls are an interval apart")
	}
	for _, body := range rec.bodies {
		assert.Contains(t, string(body), "<ns1:paramsGetImportToListStatus><programName>Trav-Demo-Program</programName><listName>Trav-Test-List</listName>")
	}
}

// The first poll does not wait for the interval: with an interval of an
// hour, it still arrives, and nothing else does.
func TestWaitForImportPollsAtOnce(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	polled := make(chan struct{}, 1)
	c := newMockClient(t, sequence(rec, func(req *http.Request) (*http.Response, error) {
		polled <- struct{}{}
		return answer(200, processingXML)(req)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.WaitForImport(ctx, statusParams, marketo.WithPollInterval(time.Hour))
		done <- err
	}()
	select {
	case <-polled:
	case <-time.After(time.Minute):
		t.Fatal("the first poll waited for the interval")
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	assert.Equal(t, 1, rec.count())
}

func TestWaitForImportFailedAndCanceledCarryTheSummary(t *testing.T) {
	t.Parallel()
	for _, status := range []marketo.ImportStatus{marketo.ImportFailed, marketo.ImportCanceled} {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			final := statusXML(string(status), `<rowsFailed>2</rowsFailed><importSummary>Email Address column missing</importSummary>`)
			c := newMockClient(t, sequence(rec, answer(200, processingXML), answer(200, final)))
			st, err := c.WaitForImport(context.Background(), statusParams, marketo.WithPollInterval(time.Millisecond))
			var fe *marketo.ImportFailedError
			require.True(t, errors.As(err, &fe), "want *ImportFailedError, got %v", err)
			assert.Equal(t, status, fe.Status.Status)
			assert.Equal(t, "Email Address column missing", fe.Status.ImportSummary)
			assert.Equal(t, "Trav-Test-List", fe.ListName)
			assert.Equal(t, "Trav-Demo-Program", fe.ProgramName)
			assert.ErrorContains(t, err, string(status))
			assert.ErrorContains(t, err, "2 rows failed")
			assert.ErrorContains(t, err, "Email Address column missing")
			require.NotNil(t, st)
			assert.Equal(t, status, st.Status)
		})
	}
}

func TestWaitForImportStopsWhenTheContextIsCancelled(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, sequence(rec, answer(200, processingXML)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polled := make(chan struct{}, 1)
	done := make(chan struct{})
	var st *marketo.ImportToListStatus
	var err error
	go func() {
		defer close(done)
		st, err = c.WaitForImport(ctx, statusParams,
			marketo.WithPollInterval(time.Hour),
			marketo.WithPollProgress(func(marketo.ImportToListStatus) { polled <- struct{}{} }))
	}()
	<-polled
	cancel() // the next poll is an hour away: only the cancel can end the wait
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("WaitForImport did not return after cancel")
	}
	require.ErrorIs(t, err, context.Canceled)
	var oe *marketo.OperationError
	require.True(t, errors.As(err, &oe))
	assert.Equal(t, "WaitForImport", oe.Operation)
	require.NotNil(t, st, "the last status seen is returned")
	assert.Equal(t, marketo.ImportProcessing, st.Status)
	assert.Equal(t, 1, rec.count())
}

func TestWaitForImportDeadlineBeforeFirstPoll(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := c.WaitForImport(ctx, statusParams)
	assert.Nil(t, st)
	require.ErrorIs(t, err, context.Canceled)
}

func TestWaitForImportRetriesTransientPollFailures(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, sequence(rec,
		answer(200, processingXML),
		answer(500, faultXML(20023, "Rate limit exceeded")),
		answer(500, faultXML(20024, "Concurrency limit exceeded")),
		answer(200, completeXML)))
	st, err := c.WaitForImport(context.Background(), statusParams, marketo.WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportComplete, st.Status)
	assert.Equal(t, 4, rec.count())
}

// WithPollRetries(n) repeats n polls that fail transiently, and returns
// the next failure; n = 0 is valid and returns the first.
func TestWaitForImportGivesUpAfterRepeatedTransientFailures(t *testing.T) {
	t.Parallel()
	for retries, polls := range map[int]int{2: 4, 0: 2} {
		rec := &recorder{}
		c := newMockClient(t, sequence(rec, answer(200, processingXML), answer(500, faultXML(20016, "Request expired"))))
		st, err := c.WaitForImport(context.Background(), statusParams, marketo.WithPollInterval(time.Millisecond), marketo.WithPollRetries(retries))
		require.ErrorIs(t, err, marketo.ErrRequestExpired)
		assert.Empty(t, marketo.ValidationErrors(err))
		assert.Equal(t, polls, rec.count(), "one success, then the failure and %d retries", retries)
		require.NotNil(t, st)
		assert.Equal(t, marketo.ImportProcessing, st.Status)
	}
}

func TestWaitForImportRetriesRequestsThatWereNotSent(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	refused := func(*http.Request) (*http.Response, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	c := newMockClient(t, sequence(rec, refused, answer(200, completeXML)))
	st, err := c.WaitForImport(context.Background(), statusParams, marketo.WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportComplete, st.Status)
}

func TestWaitForImportReturnsOtherErrorsAtOnce(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, sequence(rec, answer(200, processingXML), answer(500, faultXML(20111, "List not found"))))
	st, err := c.WaitForImport(context.Background(), statusParams, marketo.WithPollInterval(time.Millisecond))
	require.ErrorIs(t, err, marketo.ErrListNotFound)
	assert.Equal(t, 2, rec.count())
	require.NotNil(t, st)
}

func TestWaitForImportRefusesUnknownStatus(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, answer(200, statusXML("QUEUED", "")))
	st, err := c.WaitForImport(context.Background(), statusParams, marketo.WithPollInterval(time.Millisecond))
	require.ErrorIs(t, err, marketo.ErrUnknownImportStatus)
	assert.Equal(t, `marketo: WaitForImport: unknown import status "QUEUED"`, err.Error())
	require.NotNil(t, st)
	assert.False(t, st.Status.Known())
}

func TestWaitForImportValidatesBeforePolling(t *testing.T) {
	t.Parallel()
	c := newMockClient(t, neverCalled(t))
	_, err := c.WaitForImport(context.Background(), marketo.GetImportToListStatusParams{ProgramName: "P"},
		marketo.WithPollInterval(0), marketo.WithPollProgress(nil), marketo.WithPollRetries(-1), nil)
	requireInvalid(t, err, "WaitForImport", map[string]string{"WithPollInterval": "not positive"},
		"WithPollInterval", "WithPollProgress", "WithPollRetries", "WaitOption", "ListName")
}

// The default interval follows Marketo's once-a-minute rule: after the first
// poll nothing more is sent while the test watches (200 ms, far below the
// minute, and a lower bound only: a loaded machine can only make it longer).
func TestWaitForImportDefaultIntervalIsAMinute(t *testing.T) {
	t.Parallel()
	assert.Equal(t, time.Minute, marketo.DefaultPollInterval)
	rec := &recorder{}
	polled := make(chan struct{}, 2)
	c := newMockClient(t, sequence(rec, func(req *http.Request) (*http.Response, error) {
		polled <- struct{}{}
		return answer(200, processingXML)(req)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.WaitForImport(ctx, statusParams)
		done <- err
	}()
	select {
	case <-polled:
	case <-time.After(time.Minute):
		t.Fatal("no first poll")
	}
	select {
	case <-polled:
		t.Error("a second poll came within 200 ms of the first")
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	assert.Equal(t, 1, rec.count())
}
