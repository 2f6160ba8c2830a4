package marketo

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRESTRequestURLAsParsed checks that a request URL built from the base
// parsed once is, field by field, the URL net/http parses from the whole
// string, and that paths it cannot build so are parsed whole.
func TestRESTRequestURLAsParsed(t *testing.T) {
	t.Parallel()
	e := &engine{userAgent: "ua"}
	identity, _ := url.Parse("https://123-ABC-456.mktorest.com/identity/oauth/token")
	for _, endpoint := range []string{
		"https://123-ABC-456.mktorest.com/rest",
		"https://123-ABC-456.mktorest.com/rest/",
		"https://123-ABC-456.mktorest.com:443/rest",
		"http://127.0.0.1:8080/tenant/rest",
		"http://[::1]:8080/rest",
	} {
		ep, err := url.Parse(endpoint)
		require.NoError(t, err)
		b := newRESTBackend(e, ep, identity, RESTConfig{})
		require.NotNil(t, b.baseURL, endpoint)
		for _, rq := range []restRequest{
			{method: http.MethodPost, path: "/rest/v1/campaigns/1001/schedule.json"},
			{method: http.MethodGet, path: "/rest/v1/campaigns.json", query: url.Values{"name": {"a b&c#d/é"}, "isTriggerable": {"true"}}.Encode()},
			{method: http.MethodGet, path: "/bulk/v1/leads/batch/a%2Fb?x.json"},
			{method: http.MethodGet, path: "/bulk/v1/leads/batch/a b.json"},
			{method: http.MethodGet, path: "/rest/v1/x.json", query: "a=1#frag"},
			{method: http.MethodGet, path: "/rest/v1/x.json", query: "#frag"}, // a '#' at the very start too
		} {
			var o outRequest
			b.setURL(&o, &rq)
			if plainPath(rq.path) && !strings.Contains(rq.query, "#") {
				assert.NotNil(t, o.base, "%s%s: built from the parsed base", endpoint, rq.path)
			} else {
				assert.Nil(t, o.base, "%s%s: parsed whole", endpoint, rq.path)
			}
			got, err := e.newRequest(context.Background(), o)
			require.NoError(t, err)
			whole := b.base + rq.path
			if rq.query != "" {
				whole += "?" + rq.query
			}
			want, err := http.NewRequest(rq.method, whole, nil)
			require.NoError(t, err)
			assert.Equal(t, *want.URL, *got.URL, whole)
			assert.Equal(t, want.Host, got.Host, whole)
			if o.base != nil {
				assert.Equal(t, whole, got.URL.String())
			}
		}
	}
}

// TestCampaignPath checks the path of a campaign's endpoints, IDs of
// every size included.
func TestCampaignPath(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "/rest/v1/campaigns/7/schedule.json", campaignPath(7, "schedule.json"))
	assert.Equal(t, "/rest/v1/campaigns/1001/trigger.json", campaignPath(1001, "trigger.json"))
	assert.Equal(t, "/rest/v1/campaigns/9223372036854775807/schedule.json", campaignPath(math.MaxInt64, "schedule.json"))
	assert.Equal(t, "/rest/v1/campaigns/-1/"+strings.Repeat("x", 100), campaignPath(-1, strings.Repeat("x", 100)))
}

// TestPlainPath pins which paths go into the parsed base as they are: "/"
// then letters, digits and "/._-" only, each range checked at its ends and
// just outside them.
func TestPlainPath(t *testing.T) {
	t.Parallel()
	for _, c := range "azAZ09/._-" {
		assert.True(t, plainPath("/x"+string(c)+"y"), "%q is plain", c)
	}
	for _, c := range []byte{'a' - 1, 'z' + 1, 'A' - 1, 'Z' + 1, '9' + 1, // '0'-1 is '/', which is plain
		' ', '%', '?', '#', '+', '~', 0xc3} {
		assert.False(t, plainPath("/x"+string([]byte{c})+"y"), "%q is not plain", c)
	}
	assert.True(t, plainPath("/"))
	assert.False(t, plainPath(""), "empty")
	assert.False(t, plainPath("x/y"), "no leading slash")
	assert.False(t, plainPath("/x y"), "a space at the end")
}

// TestIdentityRequestThatCannotBeBuiltHidesTheSecret: an identity URL that
// net/http cannot parse fails before anything is sent, and the parse error,
// which quotes the URL, does not quote the client secret. (A checked
// RESTConfig always gives a URL that parses: this is the last guard.)
func TestIdentityRequestThatCannotBeBuiltHidesTheSecret(t *testing.T) {
	t.Parallel()
	var ended []TokenRequestEnd
	e := &engine{userAgent: "ua", attemptTimeout: time.Second, obs: &Observer{
		TokenRequest: func(ctx context.Context) (context.Context, func(TokenRequestEnd)) {
			return ctx, func(te TokenRequestEnd) { ended = append(ended, te) }
		},
	}}
	ep, _ := url.Parse("https://123-ABC-456.mktorest.com/rest")
	b := newRESTBackend(e, ep, ep, RESTConfig{})
	secret := url.QueryEscape(testClientSecret)
	status, _, body, err := b.identityGet(context.Background(), "https://[::1/identity?client_secret="+secret, []string{testClientSecret, secret})
	require.Error(t, err)
	assert.Zero(t, status)
	assert.Nil(t, body)
	assert.Contains(t, err.Error(), "client_secret=[REDACTED]")
	assert.NotContains(t, err.Error(), secret)
	assert.Equal(t, []TokenRequestEnd{{}}, ended, "the Observer hears the request end, sent nowhere")
}
