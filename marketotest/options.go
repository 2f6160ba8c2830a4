package marketotest

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	userID, key    string
	clock          func() time.Time
	window         time.Duration
	limits         Limits
	empty          bool
	seeds          []*Seed
	importDuration time.Duration
	logger         *slog.Logger
	requestLog     requestLog
	rest           restOptions
	server         serverLimits // the fake's own defences (server_guard.go)
}

// WithCredentials sets the SOAP user ID and encryption key the fake accepts
// (by default both are generated randomly).
func WithCredentials(userID, encryptionKey string) Option {
	return func(c *config) { c.userID, c.key = userID, encryptionKey }
}

// WithClock replaces time.Now for everything the fake measures: signature
// window, limits, run times, import progress.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithSignatureWindow sets how far requestTimestamp may be from the clock in
// either direction (default 15 minutes).
func WithSignatureWindow(d time.Duration) Option {
	return func(c *config) { c.window = d }
}

// WithLimits replaces the tenant limits (default DefaultLimits()).
func WithLimits(l Limits) Option {
	return func(c *config) { c.limits = l }
}

// WithEmptyTenant starts the fake with no programs, campaigns, lists or
// leads instead of the default tenant.
func WithEmptyTenant() Option {
	return func(c *config) { c.empty = true }
}

// WithSeed adds the seed's objects to the tenant (after the default tenant,
// unless WithEmptyTenant is also given). NewServer panics if the seed does
// not apply cleanly; use LoadSeed and Server.ApplySeed to handle errors.
func WithSeed(s *Seed) Option {
	return func(c *config) { c.seeds = append(c.seeds, s) }
}

// WithImportDuration sets how long, on the fake's clock, an importToList
// stays PROCESSING before it is COMPLETE (default 1 minute; 0 completes
// at the next observation).
func WithImportDuration(d time.Duration) Option {
	return func(c *config) { c.importDuration = d }
}

// WithLogger makes the fake log one line per call (operation, outcome, fault
// code) and one per campaign run started (run ID, campaign, program or
// folder, leads and the call's tokens). Credentials and signatures are
// never logged. Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// What Requests keeps by default: the 10,000 most recent requests (a day's
// quota), each body cut to its first 16 KiB, so at most about 160 MiB
// however long the fake runs and whatever it is sent.
const (
	DefaultRequestLogSize = 10000
	DefaultRequestLogBody = 16 << 10
)

// WithRequestLog sets what Requests keeps: the most recent requests (older
// ones are forgotten), each body cut to its first bodyBytes bytes
// (Request.BodySize still tells the whole size). 0 keeps no requests, or
// no bodies; a negative value panics. Default: DefaultRequestLogSize and
// DefaultRequestLogBody.
func WithRequestLog(requests, bodyBytes int) Option {
	if requests < 0 || bodyBytes < 0 {
		panic(fmt.Sprintf("marketotest: WithRequestLog(%d, %d): the request count and the body size must not be negative", requests, bodyBytes))
	}
	return func(c *config) { c.requestLog = requestLog{max: requests, maxBody: bodyBytes} }
}

// Limits are the tenant limits the fake enforces. A value <= 0 disables
// that limit.
type Limits struct {
	CallsPerWindow int           // calls in any rolling Window (default 100) → 20023
	Window         time.Duration // rolling window length (default 20s)
	MaxInFlight    int           // calls being processed at once (default 10) → 20024
	DailyQuota     int           // calls a US Central day (default 10,000) → 20015
	DailyClones    int           // scheduleCampaign calls with cloneToProgramName a US Central day (default 10) → 20015
}

// DefaultLimits returns Marketo's documented limits.
func DefaultLimits() Limits {
	return Limits{CallsPerWindow: 100, Window: 20 * time.Second, MaxInFlight: 10, DailyQuota: 10000, DailyClones: 10}
}

// ManualClock is a settable clock for WithClock, safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
