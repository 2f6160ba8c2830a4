package marketo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultPollInterval is how often WaitForImport asks for an import's status
// on SOAP: Marketo asks callers to poll getImportToListStatus no more than
// once a minute.
const DefaultPollInterval = time.Minute

// DefaultRESTPollInterval is how often WaitForImport asks for a bulk import
// job's status on REST: Adobe asks for a poll every 5 to 30 seconds.
const DefaultRESTPollInterval = 10 * time.Second

// defaultPollInterval is the poll interval of a client of api a.
func defaultPollInterval(a api) time.Duration {
	if a == apiREST {
		return DefaultRESTPollInterval
	}
	return DefaultPollInterval
}

// DefaultPollRetries is how many polls in a row WaitForImport lets fail with
// a transient error before it gives up.
const DefaultPollRetries = 3

// WaitOption configures WaitForImport and WaitForImports: the With…Poll…
// options below, and any CallOption, which the waits' status reads follow.
// Options check their arguments: a wait returns an error for a bad one
// before polling.
type WaitOption interface {
	applyWait(*waitConfig) error
}

// waitOption is a WaitOption that sets the wait's own settings.
type waitOption func(*waitConfig) error

func (o waitOption) applyWait(c *waitConfig) error { return o(c) }

type waitConfig struct {
	interval time.Duration
	progress func(ImportToListStatus)
	retries  int
	call     []CallOption // the options of the status reads
}

// WithPollInterval sets the time between two polls (DefaultPollInterval on
// SOAP, DefaultRESTPollInterval on REST, by default). Any positive interval
// is accepted, so that tests can run fast; against Marketo keep it at a
// minute or more on SOAP and between 5 and 30 seconds on REST, as Marketo
// asks.
func WithPollInterval(d time.Duration) WaitOption {
	return waitOption(func(c *waitConfig) error {
		if d <= 0 {
			return &ValidationError{Field: "WithPollInterval", Rule: fmt.Sprintf("%v is not positive", d)}
		}
		c.interval = d
		return nil
	})
}

// WithPollProgress makes WaitForImport call fn with every status it
// receives, the final one included, in order and from the calling
// goroutine.
func WithPollProgress(fn func(ImportToListStatus)) WaitOption {
	return waitOption(func(c *waitConfig) error {
		if fn == nil {
			return &ValidationError{Field: "WithPollProgress", Rule: "callback is nil"}
		}
		c.progress = fn
		return nil
	})
}

// WithPollRetries sets how many polls in a row may fail with a transient
// error before WaitForImport returns that error (DefaultPollRetries by
// default; 0 returns the first one).
func WithPollRetries(n int) WaitOption {
	return waitOption(func(c *waitConfig) error {
		if n < 0 {
			return &ValidationError{Field: "WithPollRetries", Rule: fmt.Sprintf("%d is negative", n)}
		}
		c.retries = n
		return nil
	})
}

const waitForImport = "WaitForImport"

// WaitForImport polls GetImportToListStatus until the import to a list (on
// REST, the bulk import job p.ImportID) ends: at once, then every poll
// interval (WithPollInterval), until ctx is done. To wait for every job of
// one ImportToList, use WaitForImports.
//
// It returns the final status, with an *ImportFailedError when the import
// is FAILED or CANCELED and an error matching ErrUnknownImportStatus for a
// status it does not know. A poll that fails transiently (a limit, 20016, a
// REST code the RetryPolicy retries, a request not sent) is repeated at the
// next tick, up to WithPollRetries in a row; any other error returns at
// once with the last status received (nil before the first).
func (c *Client) WaitForImport(ctx context.Context, p GetImportToListStatusParams, opts ...WaitOption) (*ImportToListStatus, error) {
	cfg, errs := c.waitConfig(opts)
	if err := c.checked(opGetImportToListStatus, p.validate(), &p); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, &OperationError{Operation: waitForImport, Err: errors.Join(errs...)}
	}
	return c.waitForImport(ctx, p, cfg)
}

// waitConfig applies opts over the client's defaults, and returns the
// problems of the bad ones.
func (c *Client) waitConfig(opts []WaitOption) (waitConfig, []error) {
	cfg := waitConfig{interval: defaultPollInterval(c.api), retries: DefaultPollRetries}
	var errs []error
	for _, opt := range opts {
		if opt == nil {
			errs = append(errs, &ValidationError{Field: "WaitOption", Rule: "is nil"})
		} else if err := opt.applyWait(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	return cfg, errs
}

// waitForImport is WaitForImport once p and cfg are checked.
func (c *Client) waitForImport(ctx context.Context, p GetImportToListStatusParams, cfg waitConfig) (*ImportToListStatus, error) {

	var last *ImportToListStatus
	failures := 0
	var timer *time.Timer
	for {
		st, err := c.GetImportToListStatus(ctx, p, cfg.call...) // applyWait refused nil options
		switch {
		case err != nil:
			if ctx.Err() != nil || !transientPollError(err) || failures >= cfg.retries {
				return last, err
			}
			failures++
		default:
			failures = 0
			last = st
			if cfg.progress != nil {
				cfg.progress(*st)
			}
			switch st.Status {
			case ImportComplete:
				return st, nil
			case ImportFailed, ImportCanceled:
				return st, &ImportFailedError{ProgramName: p.ProgramName, ListName: p.ListName, ImportID: p.ImportID, Status: *st}
			case ImportProcessing:
			default:
				return st, &OperationError{Operation: waitForImport, Sent: true, Err: withDetail(ErrUnknownImportStatus, " %q", string(st.Status))}
			}
		}
		if timer == nil {
			timer = time.NewTimer(cfg.interval)
			defer timer.Stop()
		} else {
			timer.Reset(cfg.interval)
		}
		select {
		case <-ctx.Done():
			return last, &OperationError{Operation: waitForImport, Err: ctx.Err()}
		case <-timer.C:
		}
	}
}

// transientPollError reports a failed poll that may succeed at the next
// tick: one whose cause proves it did not run and may succeed later (the
// rate and concurrency limits, an expired signature, HTTP 429 or 503, REST's
// 6xx outages), or one that was never sent.
func transientPollError(err error) bool {
	var oc outcomeClassifier
	if errors.As(err, &oc) && oc.outcome() == outcomeRetryable {
		return true
	}
	var oe *OperationError
	return errors.As(err, &oe) && !oe.Sent
}
