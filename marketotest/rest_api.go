package marketotest

import (
	"strings"
	"sync/atomic"
	"time"

	"github.com/mktows/marketo"
)

// The APIs a call or a run came through (Request.API, Run.API).
const (
	APISOAP = "SOAP"
	APIREST = "REST"
)

// REST paths in RESTConfig: the REST endpoint and the identity service, on
// the fake's one host as on Marketo's.
const (
	RESTPath     = "/rest"
	IdentityPath = "/identity"
)

// TokenLifetime is how long an access token lives on the fake's clock.
const TokenLifetime = time.Hour

type restOptions struct {
	clientID, clientSecret string
	limits                 Limits
}

func defaultRESTOptions() restOptions { return restOptions{limits: DefaultRESTLimits()} }

// WithRESTCredentials sets the REST client ID and client secret the
// identity service accepts (by default both are generated randomly).
func WithRESTCredentials(clientID, clientSecret string) Option {
	return func(c *config) { c.rest.clientID, c.rest.clientSecret = clientID, clientSecret }
}

// WithRESTLimits replaces the REST API's limits (default
// DefaultRESTLimits()). The REST API counts its calls apart from SOAP's.
func WithRESTLimits(l Limits) Option {
	return func(c *config) { c.rest.limits = l }
}

// DefaultRESTLimits returns the REST API's documented limits: 100 calls in
// 20 s (606), 10 in flight (615), 50,000 calls a day (607) and 20 schedules
// with cloneToProgramName a day (1020).
func DefaultRESTLimits() Limits {
	return Limits{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 50000, DailyClones: 20}
}

// restAPI is the REST side's state next to the shared tenant: credentials,
// access tokens and its own limit counters.
type restAPI struct {
	clientID, clientSecret string
	lim                    *limiter
	tokens                 tokenStore
	seq                    atomic.Uint64 // requestId counter

	// Guarded by Server.mu, like the tenant they refer to.
	listIDs map[*list]int               // REST IDs of static lists, assigned when first seen
	bulk    []*bulkJob                  // bulk import jobs, in submission order
	batches int                         // batch IDs handed out
	slots   [MaxBulkImporting]time.Time // when each import slot is free
}

func newRESTAPI(o restOptions) *restAPI {
	if o.clientID == "" {
		o.clientID = randomUUID()
	}
	if o.clientSecret == "" {
		o.clientSecret = randomHex(16)
	}
	return &restAPI{clientID: o.clientID, clientSecret: o.clientSecret, lim: &limiter{l: o.limits}, tokens: newTokenStore()}
}

// randomUUID returns a random version 4 UUID, the shape of Marketo's client
// IDs and access tokens.
func randomUUID() string {
	h := []byte(randomHex(16))
	h[12] = '4'
	h[16] = "89ab"[h[16]%4]
	return strings.Join([]string{string(h[:8]), string(h[8:12]), string(h[12:16]), string(h[16:20]), string(h[20:])}, "-")
}

func isRESTPath(p string) bool {
	return p == RESTPath || strings.HasPrefix(p, RESTPath+"/") || strings.HasPrefix(p, BulkPath+"/") ||
		p == IdentityPath || strings.HasPrefix(p, IdentityPath+"/")
}

// RESTConfig returns the SDK's REST configuration for this fake: Endpoint
// URL+"/rest", IdentityURL URL+"/identity", and the client ID and secret
// the identity service accepts.
func (s *Server) RESTConfig() marketo.RESTConfig {
	return marketo.RESTConfig{
		Endpoint: s.URL + RESTPath, IdentityURL: s.URL + IdentityPath,
		ClientID: s.rest.clientID, ClientSecret: s.rest.clientSecret,
	}
}
