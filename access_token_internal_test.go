package marketo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testClientID     = "3f2b6c1e-ab12-4d5e-9f00-1234567890ab"
	testClientSecret = "Zk9+secret/with&query=chars"
)

// fakeIdentity answers identity requests with tokens "tok-1", "tok-2", …
// living expiresIn seconds, after gate (if set) lets each through.
type fakeIdentity struct {
	calls     atomic.Int64
	expiresIn int
	gate      chan struct{}
	lastURL   atomic.Value
}

func (f *fakeIdentity) get(ctx context.Context, rawURL string, _ []string) (int, string, []byte, error) {
	n := f.calls.Add(1)
	f.lastURL.Store(rawURL)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return 0, "", nil, ctx.Err()
		}
	}
	body := fmt.Sprintf(`{"access_token":"tok-%d","token_type":"bearer","expires_in":%d,"scope":"apis@acmeinc.com"}`, n, f.expiresIn)
	return 200, "application/json", []byte(body), nil
}

func newTestTokenSource(get identityGet, clock *manualClock) *tokenSource {
	return newTokenSource("https://284-RPR-133.mktorest.com/identity/", testClientID, testClientSecret, get, clock.Now)
}

func TestTokenRequestCarriesTheClientCredentials(t *testing.T) {
	t.Parallel()
	id := &fakeIdentity{expiresIn: 3599}
	s := newTestTokenSource(id.get, &manualClock{now: time.Unix(1e9, 0)})
	tok, err := s.token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok)
	u, err := url.Parse(id.lastURL.Load().(string))
	require.NoError(t, err)
	assert.Equal(t, "https://284-RPR-133.mktorest.com/identity/oauth/token", u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret}}, u.Query())
}

func TestTokenIsCachedUntilShortlyBeforeItExpires(t *testing.T) {
	t.Parallel()
	id := &fakeIdentity{expiresIn: 3600}
	clock := &manualClock{now: time.Unix(1e9, 0)}
	s := newTestTokenSource(id.get, clock)
	ctx := context.Background()
	for range 3 {
		tok, err := s.token(ctx)
		require.NoError(t, err)
		assert.Equal(t, "tok-1", tok)
	}
	clock.Advance(3600*time.Second - tokenRefreshMargin - time.Second)
	tok, _ := s.token(ctx)
	assert.Equal(t, "tok-1", tok, "still within its life less the margin")
	clock.Advance(time.Second)
	tok, _ = s.token(ctx)
	assert.Equal(t, "tok-2", tok, "renewed a minute before expiry")
	assert.Equal(t, int64(2), id.calls.Load())
}

func TestShortLivedTokenIsRenewedHalfwayThrough(t *testing.T) {
	t.Parallel()
	// Asking early returns the same token with its remaining life, e.g. 40 s.
	id := &fakeIdentity{expiresIn: 40}
	clock := &manualClock{now: time.Unix(1e9, 0)}
	s := newTestTokenSource(id.get, clock)
	tok, _ := s.token(context.Background())
	assert.Equal(t, "tok-1", tok)
	clock.Advance(19 * time.Second)
	tok, _ = s.token(context.Background())
	assert.Equal(t, "tok-1", tok)
	clock.Advance(time.Second)
	tok, _ = s.token(context.Background())
	assert.Equal(t, "tok-2", tok)
}

func TestInvalidatedTokenIsFetchedAgain(t *testing.T) {
	t.Parallel()
	id := &fakeIdentity{expiresIn: 3600}
	s := newTestTokenSource(id.get, &manualClock{now: time.Unix(1e9, 0)})
	tok, _ := s.token(context.Background())
	s.invalidate("some older token") // a late 601 for a token already replaced
	again, _ := s.token(context.Background())
	assert.Equal(t, tok, again)
	s.invalidate(tok)
	again, _ = s.token(context.Background())
	assert.Equal(t, "tok-2", again)
}

// TestFirstCallStormFetchesOneToken makes 64 callers ask for a token while
// none is cached: they all wait for one identity request.
func TestFirstCallStormFetchesOneToken(t *testing.T) {
	t.Parallel()
	id := &fakeIdentity{expiresIn: 3600, gate: make(chan struct{})}
	s := newTestTokenSource(id.get, &manualClock{now: time.Unix(1e9, 0)})
	const callers = 64
	toks := make([]string, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { toks[i], errs[i] = s.token(context.Background()) })
	}
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.flight != nil && s.flight.waiters == callers })
	close(id.gate)
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i])
		assert.Equal(t, "tok-1", toks[i])
	}
	assert.Equal(t, int64(1), id.calls.Load())
}

// TestTokenWaitHonoursEachCallersContext cancels one of two waiters: it
// returns at once with its context's error while the other still gets the
// token from the same fetch.
func TestTokenWaitHonoursEachCallersContext(t *testing.T) {
	t.Parallel()
	id := &fakeIdentity{expiresIn: 3600, gate: make(chan struct{})}
	s := newTestTokenSource(id.get, &manualClock{now: time.Unix(1e9, 0)})
	ctx, cancel := context.WithCancel(context.Background())
	impatient := make(chan error, 1)
	go func() { _, err := s.token(ctx); impatient <- err }()
	patient := make(chan string, 1)
	go func() { tok, _ := s.token(context.Background()); patient <- tok }()
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.flight != nil && s.flight.waiters == 2 })
	cancel()
	require.ErrorIs(t, <-impatient, context.Canceled)
	close(id.gate)
	assert.Equal(t, "tok-1", <-patient)
	assert.Equal(t, int64(1), id.calls.Load())
}

// TestAbandonedTokenFetchIsCancelled: when the only waiter leaves, the
// identity request is cancelled, and the next caller starts a new one.
func TestAbandonedTokenFetchIsCancelled(t *testing.T) {
	t.Parallel()
	cancelled := make(chan struct{})
	var calls atomic.Int64
	get := func(ctx context.Context, _ string, _ []string) (int, string, []byte, error) {
		if calls.Add(1) == 1 {
			<-ctx.Done()
			close(cancelled)
			return 0, "", nil, ctx.Err()
		}
		return 200, "application/json", []byte(`{"access_token":"fresh","token_type":"bearer","expires_in":3600}`), nil
	}
	s := newTestTokenSource(get, &manualClock{now: time.Unix(1e9, 0)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := s.token(ctx); done <- err }()
	waitFor(t, func() bool { return calls.Load() == 1 })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	<-cancelled
	tok, err := s.token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fresh", tok)
}

func TestIdentityRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body  string
		status      int
		authFailure bool
		want        string
	}{
		{"bad credentials", `{"error":"unauthorized","error_description":"Bad Client Credentials"}`, 401, true, "HTTP 401 unauthorized): Bad Client Credentials"},
		{"unknown client", `{"error":"invalid_client","error_description":"No client with requested id: x"}`, 401, true, "invalid_client"},
		{"401 without JSON", `Unauthorized`, 401, true, "HTTP 401"},
		{"other OAuth error", `{"error":"unsupported_grant_type","error_description":"nope"}`, 400, false, "unsupported_grant_type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			get := func(context.Context, string, []string) (int, string, []byte, error) {
				return tc.status, "application/json", []byte(tc.body), nil
			}
			_, err := newTestTokenSource(get, &manualClock{}).token(context.Background())
			var ie *IdentityError
			require.ErrorAs(t, err, &ie)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, tc.authFailure, errorsIs(err, ErrAuthenticationFailed))
		})
	}
}

func TestIdentityAnswersThatAreNotTokens(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status int
		body   string
	}{
		"HTML 502":        {502, "<html>Bad Gateway</html>"},
		"not JSON":        {200, "<html>ok</html>"},
		"no token":        {200, `{"token_type":"bearer","expires_in":3600}`},
		"no expires_in":   {200, `{"access_token":"t0ken-that-must-not-leak","token_type":"bearer"}`},
		"not bearer":      {200, `{"access_token":"t0ken-that-must-not-leak","token_type":"mac","expires_in":3600}`},
		"echoed secret":   {500, `{"echo":"` + url.QueryEscape(testClientSecret) + `","raw":"` + testClientSecret + `"}`},
		"truncated token": {200, `{"access_token":"t0ken-that-must-not-leak","token_type":"bea`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			get := func(context.Context, string, []string) (int, string, []byte, error) {
				return tc.status, "application/json", []byte(tc.body), nil
			}
			_, err := newTestTokenSource(get, &manualClock{}).token(context.Background())
			var re *ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, re.Reason, "identity endpoint")
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				assert.NotContains(t, s, testClientSecret)
				assert.NotContains(t, s, url.QueryEscape(testClientSecret))
				assert.NotContains(t, s, "t0ken-that-must-not-leak")
			}
		})
	}
}

// waitFor polls cond until it holds, failing the test after a generous
// time. It waits for a state, not for a duration.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func TestTokenAHeaderCannotCarryIsRefusedAndNotCached(t *testing.T) {
	t.Parallel()
	for name, tok := range map[string]string{
		"newline":   `t0ken-that-must-not-leak\n`,
		"NUL":       `t0ken-that-must-not\u0000-leak`,
		"space":     `t0ken-that-must-not leak`,
		"non-ASCII": `t0ken-that-must-not-l\u00e9ak`,
		"DEL":       "t0ken-that-must-not-leak\x7f",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int64
			get := func(context.Context, string, []string) (int, string, []byte, error) {
				calls.Add(1)
				return 200, "application/json", []byte(`{"access_token":"` + tok + `","token_type":"bearer","expires_in":3600}`), nil
			}
			s := newTestTokenSource(get, &manualClock{now: time.Unix(1e9, 0)})
			for range 2 {
				_, err := s.token(context.Background())
				var re *ResponseError
				require.ErrorAs(t, err, &re)
				assert.Contains(t, re.Reason, "identity endpoint: access_token holds a character an HTTP header cannot carry")
				assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), "t0ken-that-must-not")
			}
			assert.Equal(t, int64(2), calls.Load(), "nothing was cached: each call asks again")
		})
	}
}

// An expires_in too large for a time.Duration once made the token expire
// before it was issued, so that every call fetched a new one.
func TestTokenLifeIsClampedToMarketosHour(t *testing.T) {
	t.Parallel()
	for _, expiresIn := range []int{1e10, 1 << 62, 3601} {
		id := &fakeIdentity{expiresIn: expiresIn}
		clock := &manualClock{now: time.Unix(1e9, 0)}
		s := newTestTokenSource(id.get, clock)
		for range 3 {
			tok, err := s.token(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "tok-1", tok, "expires_in %d: cached", expiresIn)
		}
		clock.Advance(maxTokenLife - tokenRefreshMargin - time.Second)
		tok, _ := s.token(context.Background())
		assert.Equal(t, "tok-1", tok)
		clock.Advance(time.Second)
		tok, _ = s.token(context.Background())
		assert.Equal(t, "tok-2", tok, "expires_in %d: renewed as if it were %v", expiresIn, maxTokenLife)
	}
}
