package marketo

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Version is the SDK version, sent in the default User-Agent.
const Version = "0.1.0"

const defaultUserAgent = "mktows-marketo-go/" + Version

// DefaultMaxResponseBytes caps how much of an answer the client reads. The
// largest campaign answers are a few hundred kilobytes.
const DefaultMaxResponseBytes = 8 << 20

// HTTPClient is the part of *http.Client the SDK uses. Any *http.Client
// satisfies it.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Client calls one Marketo tenant, over the SOAP API (NewClient) or the
// REST API (NewRESTClient): the methods, parameters, results and errors are
// the same on both. A Client is immutable and safe for concurrent use; share
// one per tenant.
type Client struct {
	// engine is the call loop the backend sends through; the options
	// configure it.
	engine
	backend         backend // the operations on the engine's wire
	noLimiter       bool
	splitImportPoll time.Duration // REST: how often a split import reads its previous job's status
}

// api names the wire a Client speaks.
type api uint8

const (
	apiSOAP api = iota
	apiREST
)

func (a api) String() string {
	if a == apiREST {
		return "REST"
	}
	return "SOAP"
}

// Option configures a Client. Options check their arguments: NewClient
// returns an error for a bad one instead of falling back to a default.
type Option func(*Client) error

// WithHTTPClient makes the client send requests with hc instead of the SDK's
// own *http.Client. A nil hc is an error.
//
// Whatever hc does, a request leaves at most once per attempt (it has no
// GetBody to be sent again with), and an answer that is a redirect, or that
// comes from another URL because hc followed one, fails the attempt: a
// Marketo endpoint does not redirect. The SDK's own client never follows
// redirects.
func WithHTTPClient(hc HTTPClient) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("marketo: WithHTTPClient: client is nil")
		}
		if p, ok := hc.(*http.Client); ok && p == nil {
			return errors.New("marketo: WithHTTPClient: client is nil")
		}
		c.hc = hc
		return nil
	}
}

// WithLogger makes the client log each call at debug level (operation,
// attempt, HTTP status, duration, fault code). Logs never contain the
// encryption key, signatures, the REST client secret or access tokens. The
// default discards logs.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("marketo: WithLogger: logger is nil")
		}
		c.logger = l
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("marketo: WithUserAgent: user agent is empty")
		}
		if strings.ContainsAny(ua, "\r\n\x00") {
			return errors.New("marketo: WithUserAgent: user agent contains a line break or NUL")
		}
		c.userAgent = ua
		return nil
	}
}

// WithClock makes the client read the time from now instead of time.Now,
// for deterministic tests: SOAP request timestamps; on REST, the access
// token's expiry, the campaign name cache and the RunAt limit.
func WithClock(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("marketo: WithClock: clock is nil")
		}
		c.now = now
		return nil
	}
}

// DefaultAttemptTimeout bounds one HTTP attempt, from sending the request to
// the last byte of the answer, when WithAttemptTimeout is not given.
const DefaultAttemptTimeout = 5 * time.Minute

// WithAttemptTimeout bounds each HTTP attempt, answer body included, by d,
// whatever the caller's context allows: a server that stalls or trickles
// its answer cannot hold a call forever. The caller's context still bounds
// the whole call, retries included.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("marketo: WithAttemptTimeout: %v is not positive", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithMaxResponseBytes caps how many bytes of an answer are read; a larger
// answer is an error. The default is DefaultMaxResponseBytes.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("marketo: WithMaxResponseBytes: %d is not positive", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithWireTrace writes every raw request and answer to w, like the trace of
// PHP's SoapClient, for debugging. The request signature is replaced by
// "[REDACTED]" wherever it appears, in an answer's status line, headers or
// body as in the request; the encryption key is never sent and so never
// traced. On REST the Authorization header, the client secret in the
// identity URL and the access token in the identity answer are replaced
// the same way. Writes to w are serialised.
//
// An ImportToList request whose rows take more than 1 MiB is traced with
// its first rows only; in place of the others, an XML comment (SOAP) or a
// line of the CSV part (REST, per job) says how many more were sent and how
// many bytes they took; the rest of the request is traced as sent.
func WithWireTrace(w io.Writer) Option {
	return func(c *Client) error {
		if w == nil {
			return errors.New("marketo: WithWireTrace: writer is nil")
		}
		c.trace = &wireTracer{w: w}
		return nil
	}
}

// NewClient checks cfg and the options and returns a Client for the SOAP
// API. It sends nothing.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	u, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("marketo: NewClient: %w", err)
	}
	c, err := newClient(apiSOAP, opts)
	if err != nil {
		return nil, err
	}
	c.backend = c.observed(newSOAPBackend(&c.engine, u.String(), cfg))
	return c, nil
}

// newClient applies the options shared by both wires and fills in the
// defaults of those not given.
func newClient(a api, opts []Option) (*Client, error) {
	c := &Client{engine: engine{
		api:              a,
		logger:           slog.New(slog.DiscardHandler),
		userAgent:        defaultUserAgent,
		now:              time.Now,
		maxResponseBytes: DefaultMaxResponseBytes,
		retry:            DefaultRetryPolicy,
		attemptTimeout:   DefaultAttemptTimeout,
		afterFunc:        func(d time.Duration, f func()) { time.AfterFunc(d, f) },
	}}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("marketo: nil Option")
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.hc == nil {
		c.hc = newDefaultHTTPClient()
	}
	if c.limiter == nil && !c.noLimiter {
		c.limiter = defaultLimiter(a)
	}
	return c, nil
}

// invalid is the error of a call refused before anything was sent.
func invalid(op *operation, err error) error {
	return &OperationError{Operation: op.method, Err: err}
}
