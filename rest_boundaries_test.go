package marketo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// The REST limits at their boundary, through the public API: what is sent
// at n−1 and n, and which error names which field at n+1. Each comment
// names the mutant of the limit's condition it fails on.

// manyTokens returns n distinct My Tokens.
func manyTokens(n int) []marketo.Token {
	tokens := make([]marketo.Token, n)
	for i := range tokens {
		tokens[i] = marketo.Token{Name: fmt.Sprintf("{{my.t%d}}", i), Value: "v"}
	}
	return tokens
}

// restSentTokens returns the tokens of a schedule or trigger body.
func restSentTokens(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	var b struct {
		Input struct {
			Tokens []map[string]string `json:"tokens"`
		} `json:"input"`
	}
	require.NoError(t, json.Unmarshal(body, &b), "%s", body)
	return b.Input.Tokens
}

// TestRESTRequestCampaignTokensAt100: RequestCampaign on REST sends up to
// MaxRequestCampaignTokens tokens in its trigger; one more is refused,
// naming Tokens, before anything is sent. Pins rest_lead_lookup.go's
// `len(tokens) > MaxRequestCampaignTokens` against `>=` (100 refused).
func TestRESTRequestCampaignTokensAt100(t *testing.T) {
	t.Parallel()
	for _, n := range []int{marketo.MaxRequestCampaignTokens - 1, marketo.MaxRequestCampaignTokens, marketo.MaxRequestCampaignTokens + 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, tenant(seedCampaigns, nil))
			res, err := stub.client(t).RequestCampaign(context.Background(), marketo.RequestCampaignParams{
				Source: marketo.SourceMKTOWS, CampaignID: 1001, Tokens: manyTokens(n),
				Leads: []marketo.LeadKey{{Type: marketo.LeadKeyIDNum, Value: "7"}},
			})
			if n > marketo.MaxRequestCampaignTokens {
				requireInvalid(t, err, "RequestCampaign", map[string]string{"Tokens": "has 101 tokens; the REST API takes at most 100 a call"}, "Tokens")
				assert.Empty(t, stub.requests())
				assert.Zero(t, stub.identityCalls.Load())
				return
			}
			require.NoError(t, err)
			assert.Len(t, res.Tokens, n)
			posts := stub.posts()
			require.Len(t, posts, 1)
			assert.Equal(t, "/rest/v1/campaigns/1001/trigger.json", posts[0].Path)
			assert.Len(t, restSentTokens(t, posts[0].Body), n)
		})
	}
}

// TestRESTJSONBodyAt1MB: a schedule body of exactly 1,000,000 bytes is
// sent, and one of 1,000,001 is refused before sending, naming Tokens.
// rest.go's early return `len(body) <= restMaxJSONBytes` turned to `<`
// is an equivalent mutant: checkRequestSize tests `size <= limit` again
// and returns nil. This test pins the limit itself (the constant, and the
// negated condition, which lets 1,000,001 bytes through).
func TestRESTJSONBodyAt1MB(t *testing.T) {
	t.Parallel()
	const limit = 1_000_000
	schedule := func(t *testing.T, value string) (*restStub, error) {
		stub := newRESTStub(t, tenant(seedCampaigns, nil))
		_, err := stub.client(t).ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
			CampaignID: 1001, Tokens: []marketo.Token{{Name: "{{my.big}}", Value: value}},
		})
		return stub, err
	}
	stub, err := schedule(t, "")
	require.NoError(t, err)
	overhead := len(stub.posts()[0].Body)
	for _, size := range []int{limit - 1, limit, limit + 1} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			stub, err := schedule(t, strings.Repeat("a", size-overhead))
			if size > limit {
				tokenBytes := len("{{my.big}}") + size - overhead
				requireInvalid(t, err, "ScheduleCampaign", map[string]string{"Tokens": fmt.Sprintf(
					"takes %d bytes of a 1000001-byte request; the REST endpoint accepts requests of at most 1000000 bytes", tokenBytes)}, "Tokens")
				assert.Empty(t, stub.requests())
				return
			}
			require.NoError(t, err)
			posts := stub.posts()
			require.Len(t, posts, 1)
			assert.Len(t, posts[0].Body, size)
		})
	}
}

// TestRESTGetCampaignsForSourceRefusesIDsBelowOne: a campaign record with
// ID 0 or less is a broken answer. Pins rest_operations.go's
// `r.ID <= 0 || r.Name == ""` against `r.ID < 0`.
func TestRESTGetCampaignsForSourceRefusesIDsBelowOne(t *testing.T) {
	t.Parallel()
	for _, id := range []int{-1, 0, 1} {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			t.Parallel()
			stub := newRESTStub(t, func(int, *http.Request, []byte) (int, string) {
				return 200, campaignsJSON(5, "Fine", "P", id, "Broken?", "P")
			})
			res, err := stub.client(t).GetCampaignsForSource(context.Background(), marketo.GetCampaignsForSourceParams{Source: marketo.SourceMKTOWS})
			if id > 0 {
				require.NoError(t, err)
				assert.Equal(t, []int{5, id}, []int{res.Campaigns[0].ID, res.Campaigns[1].ID})
				return
			}
			var re *marketo.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "campaign record 1 has no id or name", re.Reason)
			var oe *marketo.OperationError
			require.ErrorAs(t, err, &oe)
			assert.True(t, oe.Sent)
			assert.Equal(t, 1, oe.Attempts)
			assert.False(t, oe.OutcomeUnknown, "a lookup only reads")
		})
	}
}

// TestRESTLookupWaitGivenUpSendsNothing: a call that waits for another
// call's lookup of the same campaign, and gives up before it ends, sent
// nothing: Sent=false, no attempts. Pins rest_operations.go's lookupFailed
// `Sent: calls > 0` against `calls >= 0`.
func TestRESTLookupWaitGivenUpSendsNothing(t *testing.T) {
	t.Parallel()
	looking := make(chan struct{}, 2)
	release := make(chan struct{})
	answer := tenant(seedCampaigns, nil)
	stub := newRESTStub(t, func(i int, r *http.Request, body []byte) (int, string) {
		if r.URL.Path == "/rest/v1/campaigns.json" {
			looking <- struct{}{}
			<-release
		}
		return answer(i, r, body)
	})
	c := stub.client(t)
	first := make(chan error, 1)
	go func() {
		_, err := c.ScheduleCampaign(context.Background(), runNowParams())
		first <- err
	}()
	<-looking
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.ScheduleCampaign(ctx, runNowParams())
	close(release)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var oe *marketo.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "ScheduleCampaign", oe.Operation)
	assert.False(t, oe.Sent, "the lookup it waited for was another call's")
	assert.Zero(t, oe.Attempts)
	assert.NotErrorIs(t, err, marketo.ErrOutcomeUnknown)

	require.NoError(t, <-first)
	assert.Len(t, looking, 0, "one lookup, the first call's")
	assert.Len(t, stub.posts(), 1, "only the first call scheduled")
}

// fileDoer is an HTTPClient for ImportFailures: it issues the access token
// "file-token:int" and answers the failures file with body.
type fileDoer struct {
	body func(ctx context.Context) io.ReadCloser
}

const fileToken = "file-token:int"

func (d *fileDoer) Do(req *http.Request) (*http.Response, error) {
	resp := &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Request: req}
	if strings.HasPrefix(req.URL.Path, "/identity/") {
		resp.Header.Set("Content-Type", "application/json")
		resp.Body = io.NopCloser(strings.NewReader(`{"access_token":"` + fileToken + `","token_type":"bearer","expires_in":3599}`))
		return resp, nil
	}
	resp.Header.Set("Content-Type", "text/csv;charset=UTF-8")
	resp.Body = d.body(req.Context())
	return resp, nil
}

// scriptedFile is a failures file: its CSV in one read, then end, the
// error it returns.
type scriptedFile struct {
	ctx  context.Context
	csv  string
	read bool
	end  func(ctx context.Context) error
}

func (f *scriptedFile) Read(p []byte) (int, error) {
	if !f.read {
		f.read = true
		return copy(p, f.csv), nil
	}
	return 0, f.end(f.ctx)
}

func (f *scriptedFile) Close() error { return nil }

const failuresCSV = "email,Import Failure Reason\njane@example.com,Value for lookup field 'email' not found\n"

// openFailures opens a failures file that ends with end, with ctx and
// the client's options, and reads its one row.
func openFailures(t *testing.T, ctx context.Context, end func(ctx context.Context) error, opts ...marketo.Option) *marketo.ImportRows {
	t.Helper()
	doer := &fileDoer{body: func(ctx context.Context) io.ReadCloser { return &scriptedFile{ctx: ctx, csv: failuresCSV, end: end} }}
	c, err := marketo.NewRESTClient(marketo.RESTConfig{Endpoint: "https://123-ABC-456.mktorest.com/rest", ClientID: stubClientID, ClientSecret: stubSecret},
		append([]marketo.Option{marketo.WithHTTPClient(doer), marketo.WithoutRetries()}, opts...)...)
	require.NoError(t, err)
	rows, err := c.ImportFailures(ctx, "3404")
	require.NoError(t, err)
	t.Cleanup(func() { _ = rows.Close() })
	row, err := rows.Next()
	require.NoError(t, err)
	assert.Equal(t, "Value for lookup field 'email' not found", row.Reason)
	return rows
}

// TestImportFailuresEndOfFile: how a failures file's reads end. An end of
// file is the end, even once the call's context is done (the whole file
// arrived); any other error is the context's when it ended, the attempt
// timeout's when that ran out, and never spells the access token. Pins
// import_failures.go's attemptBody.Read condition
// `err != nil && err != io.EOF` against `err == io.EOF`.
func TestImportFailuresEndOfFile(t *testing.T) {
	t.Parallel()
	t.Run("end of file after the context ended", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		rows := openFailures(t, ctx, func(context.Context) error { return io.EOF })
		cancel()
		_, err := rows.Next()
		assert.Equal(t, io.EOF, err)
	})
	t.Run("a broken read once the context ended", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		rows := openFailures(t, ctx, func(context.Context) error { return errors.New("connection reset by peer") })
		cancel()
		_, err := rows.Next()
		require.ErrorIs(t, err, context.Canceled)
		_, again := rows.Next()
		assert.Equal(t, err, again, "the error ends the reading")
	})
	t.Run("a read the attempt timeout ended", func(t *testing.T) {
		t.Parallel()
		rows := openFailures(t, context.Background(), func(ctx context.Context) error {
			<-ctx.Done()
			return errors.New("connection reset by peer")
		}, marketo.WithAttemptTimeout(300*time.Millisecond))
		_, err := rows.Next()
		var te *marketo.AttemptTimeoutError
		require.ErrorAs(t, err, &te, "%v", err)
		assert.Equal(t, 300*time.Millisecond, te.Timeout)
	})
	t.Run("a broken read that spells the token", func(t *testing.T) {
		t.Parallel()
		rows := openFailures(t, context.Background(), func(context.Context) error {
			return errors.New("read: connection reset while sending Bearer " + fileToken)
		})
		_, err := rows.Next()
		require.Error(t, err)
		assert.NotEqual(t, io.EOF, err)
		assert.Contains(t, err.Error(), "connection reset")
		assert.NotContains(t, err.Error(), fileToken)
		assert.NotContains(t, fmt.Sprintf("%+v", err), fileToken)
	})
}
