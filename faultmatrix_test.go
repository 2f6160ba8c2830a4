package marketo_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// matrixDeadline bounds every call of the fault matrix (matrixWaitDeadline
// the calls to a server that never answers); a call must return within its
// deadline plus matrixMargin whatever the server does.
const (
	matrixDeadline     = 2 * time.Second
	matrixWaitDeadline = 500 * time.Millisecond
	matrixMargin       = time.Second
)

// matrixRetries is a fast policy with the default's shape: a row that is
// retried makes exactly matrixRetries.MaxAttempts attempts when every
// attempt fails.
var matrixRetries = marketo.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// faultRow is one way a server can answer ScheduleCampaign, and what the
// call must then report.
type faultRow struct {
	name string
	// Exactly one of raw (an httptest handler), fake (injections on a
	// marketotest server) or refused (no server listening) is set.
	raw     http.HandlerFunc
	fake    func(t *testing.T, srv *marketotest.Server)
	refused bool
	params  func() marketo.ScheduleCampaignParams // default: run now, no clone

	ok           bool         // the call succeeds
	fault        marketo.Code // errors.As finds a *Fault with this code
	faultStatus  int          // … sent with this HTTP status (0: not checked)
	respStatus   int          // errors.As finds a *ResponseError with this status
	reason       string       // … whose Reason contains this
	deadline     bool         // errors.Is(err, context.DeadlineExceeded)
	tooLarge     bool         // errors.Is(err, marketo.ErrResponseTooLarge)
	unknown      bool         // errors.Is(err, marketo.ErrOutcomeUnknown)
	sent         bool         // OperationError.Sent
	attempts     int          // OperationError.Attempts and the requests the server saw
	runs         int          // campaign runs the fake recorded (fake rows only)
	minInterval  time.Duration
	skipAttempts bool // the server cannot count the attempts (refused)
	// waits marks rows whose server never answers: their calls get a
	// shorter deadline, so that the matrix does not take seconds.
	waits bool
	// slowRead marks rows whose answer is megabytes long: reading up to the
	// size cap takes longer than matrixDeadline on a loaded machine under
	// the race detector, so their calls get slowReadDeadline.
	slowRead bool
}

// slowReadDeadline bounds the calls of slowRead rows.
const slowReadDeadline = 30 * time.Second

// matrixEnvelope wraps a Body's content in a SOAP 1.1 envelope.
func matrixEnvelope(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">` +
		`<SOAP-ENV:Body>` + body + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
}

// writeAnswer answers with status, content type and body.
func writeAnswer(w http.ResponseWriter, status int, contentType, body string, header ...string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		w.Header().Set(header[i], header[i+1])
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func answerWith(status int, contentType, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeAnswer(w, status, contentType, body, header...) }
}

// inTurn answers the i-th request with handlers[i]; the last one repeats.
func inTurn(handlers ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		i := min(int(n.Add(1))-1, len(handlers)-1)
		handlers[i](w, r)
	}
}

// resetMidBody writes the headers of a 200 answer that promise the whole
// success body, half of the body, and closes the connection.
func resetMidBody(w http.ResponseWriter, _ *http.Request) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	body := successScheduleXML
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body[:len(body)/2])
	_ = buf.Flush()
}

// stallPastDeadline reads the request and answers nothing until the client
// hangs up. Reading the whole body lets the server notice the hang-up.
func stallPastDeadline(_ http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

// streamGiB starts a valid-looking success answer and pads it with
// comments, 64 KiB at a time, up to 1 GiB or until the client hangs up.
func streamGiB(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body><ns1:successScheduleCampaign><result>`)
	chunk := strings.Repeat("<!-- padding padding padding -->\n", (64<<10)/33)
	for written := 0; written < 1<<30; written += len(chunk) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := bw.WriteString(chunk); err != nil {
			return
		}
	}
	_, _ = bw.WriteString(`<success>true</success></result></ns1:successScheduleCampaign></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
	_ = bw.Flush()
}

const (
	soap12Envelope = `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>` +
		`<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text xml:lang="en">busy</env:Text></env:Reason></env:Fault>` +
		`</env:Body></env:Envelope>`
	entityBomb = `<?xml version="1.0"?><!DOCTYPE SOAP-ENV:Envelope [` +
		`<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">` +
		`<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">` +
		`<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>` +
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body>` +
		`<ns1:successScheduleCampaign><result><success>true</success><x>&i;</x></result></ns1:successScheduleCampaign></SOAP-ENV:Body></SOAP-ENV:Envelope>`
	externalDoctype = `<?xml version="1.0"?><!DOCTYPE SOAP-ENV:Envelope SYSTEM "http://127.0.0.1:1/mktows.dtd">`
)

func faultMatrixRows() []faultRow {
	refusal := faultXML(20113, "Campaign not found")
	success := answerWith(200, "text/xml; charset=utf-8", successScheduleXML)
	return []faultRow{
		// Raw servers: every answer shape, written by hand.
		{name: "raw/HTTP 500 fault refusing the call", raw: answerWith(500, "text/xml;charset=UTF-8", refusal),
			fault: marketo.CodeCampaignNotFound, faultStatus: 500, sent: true, attempts: 1},
		{name: "raw/fault with HTTP 200", raw: answerWith(200, "text/xml;charset=UTF-8", refusal),
			fault: marketo.CodeCampaignNotFound, faultStatus: 200, sent: true, attempts: 1},
		{name: "raw/internal error fault", raw: answerWith(500, "text/xml", faultXML(20011, "Internal error")),
			fault: marketo.CodeAPIInternalError, faultStatus: 500, unknown: true, sent: true, attempts: 1},
		{name: "raw/rate limit fault is retried", raw: answerWith(500, "text/xml", faultXML(20023, "Rate limit exceeded")),
			fault: marketo.CodeRateLimitExceeded, sent: true, attempts: 3},
		{name: "raw/concurrency limit fault is retried", raw: answerWith(500, "text/xml", faultXML(20024, "Concurrency limit exceeded")),
			fault: marketo.CodeConcurrencyLimitExceeded, sent: true, attempts: 3},
		{name: "raw/request expired fault is retried", raw: answerWith(500, "text/xml", faultXML(20016, "Request expired")),
			fault: marketo.CodeRequestExpired, sent: true, attempts: 3},
		{name: "raw/request expired once, then success", raw: inTurn(answerWith(500, "text/xml", faultXML(20016, "Request expired")), success),
			ok: true, attempts: 2},
		{name: "raw/502 HTML", raw: answerWith(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
			respStatus: 502, reason: "content type is not XML", unknown: true, sent: true, attempts: 1},
		{name: "raw/503 with Retry-After 0 is retried", raw: answerWith(503, "text/html", "<html>busy</html>", "Retry-After", "0"),
			respStatus: 503, reason: "content type is not XML", sent: true, attempts: 3},
		{name: "raw/503 with Retry-After 1, then success", raw: inTurn(answerWith(503, "text/html", "busy", "Retry-After", "1"), success),
			ok: true, attempts: 2, minInterval: matrixRetries.MaxDelay},
		{name: "raw/truncated body", raw: answerWith(200, "text/xml", successScheduleXML[:len(successScheduleXML)-40]),
			respStatus: 200, reason: "truncated", unknown: true, sent: true, attempts: 1},
		{name: "raw/connection reset mid-body", raw: resetMidBody,
			respStatus: 200, reason: "reading the body failed", unknown: true, sent: true, attempts: 1},
		{name: "raw/server stalls past the deadline", raw: stallPastDeadline,
			deadline: true, unknown: true, sent: true, attempts: 1, waits: true},
		{name: "raw/empty 200", raw: answerWith(200, "text/xml", ""),
			respStatus: 200, reason: "empty body", unknown: true, sent: true, attempts: 1},
		{name: "raw/malformed XML", raw: answerWith(200, "text/xml", matrixEnvelope(`<ns1:successScheduleCampaign><result><success>true</succes></result>`)),
			respStatus: 200, reason: "malformed", unknown: true, sent: true, attempts: 1},
		{name: "raw/foreign envelope (SOAP 1.2)", raw: answerWith(500, "application/soap+xml; charset=utf-8", soap12Envelope),
			respStatus: 500, reason: "not a SOAP 1.1 envelope", unknown: true, sent: true, attempts: 1},
		{name: "raw/1 GiB streamed body", raw: streamGiB, slowRead: true,
			respStatus: 200, reason: "reading the body failed", tooLarge: true, unknown: true, sent: true, attempts: 1},
		{name: "raw/entity expansion bomb", raw: answerWith(200, "text/xml", entityBomb),
			respStatus: 200, reason: "not a SOAP envelope", unknown: true, sent: true, attempts: 1},
		{name: "raw/external DOCTYPE", raw: answerWith(200, "text/xml", externalDoctype+successScheduleXML[strings.Index(successScheduleXML, "<SOAP-ENV:Envelope"):]),
			respStatus: 200, reason: "not a SOAP envelope", unknown: true, sent: true, attempts: 1},
		{name: "raw/wrong content type", raw: answerWith(200, "text/html; charset=utf-8", successScheduleXML),
			respStatus: 200, reason: "content type is not XML", unknown: true, sent: true, attempts: 1},
		{name: "raw/connection refused is retried", refused: true,
			sent: false, attempts: 3, skipAttempts: true},

		// The fake: its own refusals and its fault injection.
		{name: "fake/unknown campaign", fake: func(*testing.T, *marketotest.Server) {},
			params: func() marketo.ScheduleCampaignParams {
				p := runNowParams()
				p.CampaignName = "No Such Campaign"
				return p
			},
			fault: marketo.CodeCampaignNotFound, faultStatus: 500, sent: true, attempts: 1},
		{name: "fake/success", fake: func(*testing.T, *marketotest.Server) {}, ok: true, attempts: 1, runs: 1},
		{name: "fake/internal error fault", fake: func(_ *testing.T, s *marketotest.Server) { s.FailNext(1, 20011) },
			fault: marketo.CodeAPIInternalError, faultStatus: 500, unknown: true, sent: true, attempts: 1},
		{name: "fake/rate limit fault is retried", fake: func(_ *testing.T, s *marketotest.Server) { s.FailNext(3, 20023) },
			fault: marketo.CodeRateLimitExceeded, sent: true, attempts: 3},
		{name: "fake/concurrency limit fault is retried", fake: func(_ *testing.T, s *marketotest.Server) { s.FailNext(3, 20024) },
			fault: marketo.CodeConcurrencyLimitExceeded, sent: true, attempts: 3},
		{name: "fake/request expired twice, then success", fake: func(_ *testing.T, s *marketotest.Server) { s.FailNext(2, 20016) },
			ok: true, attempts: 3, runs: 1},
		{name: "fake/502 HTML", fake: func(_ *testing.T, s *marketotest.Server) { s.GarbageNext(1, marketotest.GarbageHTML502) },
			respStatus: 502, reason: "content type is not XML", unknown: true, sent: true, attempts: 1},
		{name: "fake/200 not XML", fake: func(_ *testing.T, s *marketotest.Server) { s.GarbageNext(1, marketotest.GarbageNotXML) },
			respStatus: 200, reason: "not a SOAP envelope", unknown: true, sent: true, attempts: 1},
		{name: "fake/200 XML that is not SOAP", fake: func(_ *testing.T, s *marketotest.Server) { s.GarbageNext(1, marketotest.GarbageWrongXML) },
			respStatus: 200, reason: "not a SOAP 1.1 envelope", unknown: true, sent: true, attempts: 1},
		{name: "fake/connection dropped mid-body", fake: func(_ *testing.T, s *marketotest.Server) { s.DropNext(1) },
			respStatus: 200, reason: "reading the body failed", unknown: true, sent: true, attempts: 1},
		{name: "fake/stalls past the deadline", fake: func(t *testing.T, s *marketotest.Server) { t.Cleanup(s.Stall()) },
			deadline: true, unknown: true, sent: true, attempts: 1, waits: true},
		{name: "fake/runs the call, then drops the connection", fake: func(_ *testing.T, s *marketotest.Server) { s.DropAnswerNext(1) },
			unknown: true, sent: true, attempts: 1, runs: 1},
		{name: "fake/runs the call, then stalls past the deadline", fake: func(_ *testing.T, s *marketotest.Server) { s.StallAnswerNext(1) },
			deadline: true, unknown: true, sent: true, attempts: 1, runs: 1, waits: true},
	}
}

// TestFaultMatrix calls ScheduleCampaign against each way a server can
// answer, with a fast retry policy and a deadline, and checks the typed
// error, whether the outcome is unknown, how many attempts were made (by
// the client's count and the server's), that the call returns in time, and
// that a call that may have run is never repeated.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	for _, row := range faultMatrixRows() {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			runFaultRow(t, row)
		})
	}
}

func runFaultRow(t *testing.T, row faultRow) {
	var requests atomic.Int64
	count := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			h.ServeHTTP(w, r)
		})
	}
	var cfg marketo.Config
	var fake *marketotest.Server
	switch {
	case row.raw != nil:
		srv := httptest.NewServer(count(row.raw))
		t.Cleanup(srv.Close)
		cfg = marketo.Config{Endpoint: srv.URL + "/soap/mktows/2_9", UserID: "u", EncryptionKey: "k"}
	case row.fake != nil:
		fake = marketotest.NewUnstartedServer()
		srv := httptest.NewServer(count(fake.Handler()))
		t.Cleanup(srv.Close)
		t.Cleanup(fake.Close) // runs first: releases stalled calls
		cfg = fake.Config()
		cfg.Endpoint = srv.URL + marketotest.EndpointPath
		row.fake(t, fake)
	case row.refused:
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		cfg = marketo.Config{Endpoint: "http://" + l.Addr().String() + "/soap/mktows/2_9", UserID: "u", EncryptionKey: "k"}
		require.NoError(t, l.Close())
	}
	c, err := marketo.NewClient(cfg, marketo.WithRetryPolicy(matrixRetries))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)

	params := runNowParams()
	if row.params != nil {
		params = row.params()
	}
	deadline := matrixDeadline
	switch {
	case row.waits:
		deadline = matrixWaitDeadline
	case row.slowRead:
		deadline = slowReadDeadline
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	var res *marketo.ScheduleCampaignResult
	require.NotPanics(t, func() { res, err = c.ScheduleCampaign(ctx, params) })
	elapsed := time.Since(start)
	assert.Less(t, elapsed, deadline+matrixMargin, "the call returns within its deadline")
	if row.minInterval > 0 {
		assert.GreaterOrEqual(t, elapsed, row.minInterval, "the retry waited")
	}

	if !row.skipAttempts {
		assert.EqualValues(t, row.attempts, requests.Load(), "requests the server received")
	}
	if fake != nil {
		assert.Len(t, fake.Runs(), row.runs, "campaign runs on the fake")
	}
	if row.ok {
		require.NoError(t, err)
		require.NotNil(t, res)
		return
	}
	require.Error(t, err)
	assert.Nil(t, res)

	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "ScheduleCampaign", oe.Operation)
	assert.Equal(t, row.attempts, oe.Attempts, "OperationError.Attempts: %v", err)
	assert.Equal(t, row.sent, oe.Sent, "OperationError.Sent: %v", err)
	assert.Equal(t, row.unknown, oe.OutcomeUnknown, "OperationError.OutcomeUnknown: %v", err)
	assert.Equal(t, row.unknown, errors.Is(err, marketo.ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
	if row.unknown {
		assert.Equal(t, 1, oe.Attempts, "a call that may have run is not repeated")
	}

	var f *marketo.Fault
	if row.fault != 0 {
		require.ErrorAs(t, err, &f)
		assert.Equal(t, row.fault, f.Code)
		if row.faultStatus != 0 {
			assert.Equal(t, row.faultStatus, f.HTTPStatus)
		}
	} else {
		assert.False(t, errors.As(err, &f), "no fault: %v", err)
	}
	var re *marketo.ResponseError
	if row.respStatus != 0 {
		require.ErrorAs(t, err, &re)
		assert.Equal(t, row.respStatus, re.HTTPStatus)
		assert.Contains(t, re.Reason, row.reason)
		assert.LessOrEqual(t, len(re.Excerpt), 200)
	} else {
		assert.False(t, errors.As(err, &re), "no response error: %v", err)
	}
	assert.Equal(t, row.deadline, errors.Is(err, context.DeadlineExceeded), "DeadlineExceeded: %v", err)
	assert.Equal(t, row.tooLarge, errors.Is(err, marketo.ErrResponseTooLarge), "ErrResponseTooLarge: %v", err)
	assert.NotErrorIs(t, err, context.Canceled)
}

// TestNoDuplicateRunsUnderAmbiguousFailures makes 1,000 ScheduleCampaign
// calls, a tenth of them with a clone, against a fake that loses the answer
// of some calls after running them (the connection is closed, or the answer
// is held past the call's deadline), drops others before running them, and
// refuses others with a retryable fault. With a retry policy like the
// default (fast delays) the SDK must never make a campaign run twice: each
// call carries its own token value (and clone name), and
//
//   - a call that succeeded ran exactly once;
//   - a call whose error matches ErrOutcomeUnknown ran at most once;
//   - any other failed call did not run;
//
// and no token value or clone name appears in more than one run, or in more
// than one request that the fake ran.
func TestNoDuplicateRunsUnderAmbiguousFailures(t *testing.T) {
	t.Parallel()
	const (
		calls      = 1000
		workers    = 16
		cloneEvery = 10
		deadline   = 500 * time.Millisecond
	)
	fake := marketotest.NewServer(marketotest.WithLimits(marketotest.Limits{DailyClones: calls / cloneEvery}))
	t.Cleanup(fake.Close)
	// Neither the window nor the calls in flight are this test's subject:
	// the stalled calls the client gives up on keep their slots for
	// AbandonedCallHold, longer than the test runs.
	lim, err := marketo.NewLimiter(marketo.LimiterConfig{CallsPerWindow: 10 * calls, Window: time.Minute, MaxInFlight: 10 * calls, ClonesPerDay: calls / cloneEvery})
	require.NoError(t, err)
	c, err := marketo.NewClient(fake.Config(),
		marketo.WithLimiter(lim),
		marketo.WithRetryPolicy(marketo.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)

	value := func(i int) string { return fmt.Sprintf("call-%04d", i) }
	cloneName := func(i int) string { return fmt.Sprintf("Clone-%04d", i) }
	errs := make([]error, calls)
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= calls {
					return
				}
				// The injection lands on whichever call reaches the fake
				// next, which may be another worker's.
				switch i % 20 {
				case 3:
					fake.DropAnswerNext(1)
				case 8:
					fake.StallAnswerNext(1)
				case 11:
					fake.FailNext(1, 20024)
				case 14:
					if i%40 == 14 {
						fake.DropNext(1)
					} else {
						fake.FailNext(1, 20016)
					}
				}
				p := runNowParams()
				p.Tokens = []marketo.Token{{Name: "{{my.message}}", Value: value(i)}}
				if i%cloneEvery == 0 {
					p.CloneToProgramName = cloneName(i)
				}
				ctx, cancel := context.WithTimeout(context.Background(), deadline)
				_, errs[i] = c.ScheduleCampaign(ctx, p)
				cancel()
			}
		}()
	}
	wg.Wait()
	fake.ClearInjections()

	runsOf := map[string]int{}
	clonesOf := map[string]int{}
	for _, r := range fake.Runs() {
		runsOf[r.CallTokens["{{my.message}}"]]++
		if r.Cloned {
			clonesOf[r.Program]++
		}
	}
	ranRequests := map[string]int{}
	for _, r := range fake.Requests() {
		if r.Operation == "scheduleCampaign" && r.FaultCode == 0 && r.HTTPStatus == http.StatusOK {
			ranRequests[tokenValueIn(r.Body)]++
		}
		assert.NotEqual(t, marketo.CodeBadParameter, r.FaultCode, "a clone was requested twice: %s", r.FaultMessage)
	}

	var ok, unknown, refused int
	for i, err := range errs {
		v := value(i)
		n := runsOf[v]
		assert.LessOrEqual(t, ranRequests[v], 1, "call %d was run by more than one request", i)
		switch {
		case err == nil:
			ok++
			assert.Equal(t, 1, n, "call %d succeeded: its campaign ran once", i)
		case errors.Is(err, marketo.ErrOutcomeUnknown):
			unknown++
			assert.LessOrEqual(t, n, 1, "call %d: outcome unknown, at most one run", i)
		default:
			refused++
			assert.Zero(t, n, "call %d failed without ErrOutcomeUnknown (%v) but ran", i, err)
		}
		if i%cloneEvery == 0 {
			assert.LessOrEqual(t, clonesOf[cloneName(i)], 1, "clone %s made twice", cloneName(i))
			if err == nil {
				assert.Equal(t, 1, clonesOf[cloneName(i)], "call %d succeeded: its clone was made", i)
			}
		}
	}
	total := 0
	for v, n := range runsOf {
		assert.Equal(t, 1, n, "token value %q ran %d times", v, n)
		total += n
	}
	t.Logf("%d calls: %d succeeded, %d outcome unknown, %d refused; %d runs, %d clones", calls, ok, unknown, refused, total, len(clonesOf))
	assert.Greater(t, unknown, 0, "some answers were lost")
	assert.Greater(t, ok, calls/2, "most calls succeeded")
}

// tokenValueIn returns the first token value of a recorded scheduleCampaign
// request.
func tokenValueIn(body []byte) string {
	_, rest, found := strings.Cut(string(body), "<value>")
	if !found {
		return ""
	}
	v, _, _ := strings.Cut(rest, "</value>")
	return v
}
