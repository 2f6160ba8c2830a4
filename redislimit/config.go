package redislimit

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config sets the limits a Limiter keeps for one tenant. Zero limits take
// Marketo's SOAP limits (the stricter): 100 calls in 20 s, 10 in flight,
// 10,000 calls and 10 clones a day; for the REST API set DailyQuota 50,000
// and ClonesPerDay 20.
type Config struct {
	// Tenant names the budget in Redis. Every process sharing a budget uses
	// the same Tenant; many tenants may share one Redis. Required, without
	// '{' or '}': it is the hash tag of the tenant's keys.
	Tenant string
	// CallsPerWindow calls may start in any Window (default 100 in 20 s).
	CallsPerWindow int
	Window         time.Duration
	// MaxInFlight calls may run at once (default 10).
	MaxInFlight int
	// DailyQuota calls may start per US Central day (default 10,000).
	DailyQuota int
	// ClonesPerDay program clones may be made per US Central day (default 10).
	ClonesPerDay int
	// LeaseTTL is how long a call's in-flight slot stays taken after its
	// process stops renewing it (default 10 s; see the package doc). A live
	// process renews it until the call's done. After a Redis restart, every
	// slot is assumed taken for one LeaseTTL.
	LeaseTTL time.Duration
	// RedisTimeout bounds one round trip to Redis (default 500 ms). After a
	// failure Redis is asked again only once RedisTimeout has passed.
	RedisTimeout time.Duration
	// FallbackShare, when N > 0, makes the Limiter keep 1/N of the limits
	// in-process while Redis is unreachable, for N processes sharing the
	// tenant. 0 (the default) fails closed with an *UnavailableError.
	FallbackShare int
	// Logger receives a debug line per wait and a warning per Redis failure,
	// lost lease, or loss of the tenant's counts in Redis. Default: no
	// logging.
	Logger *slog.Logger
}

// withDefaults returns cfg with its zero fields set, or an error naming
// every field that breaks a rule.
func (cfg Config) withDefaults() (Config, error) {
	setDefault(&cfg.CallsPerWindow, 100)
	setDefault(&cfg.Window, 20*time.Second)
	setDefault(&cfg.MaxInFlight, 10)
	setDefault(&cfg.DailyQuota, 10000)
	setDefault(&cfg.ClonesPerDay, 10)
	setDefault(&cfg.LeaseTTL, 10*time.Second)
	setDefault(&cfg.RedisTimeout, 500*time.Millisecond)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	var errs []string
	if strings.TrimSpace(cfg.Tenant) == "" {
		errs = append(errs, "Tenant is required")
	}
	if strings.ContainsAny(cfg.Tenant, "{}") {
		// The tenant is the keys' hash tag: a brace in it would end the tag
		// early or make another, spreading the keys over Cluster slots, and
		// every script would fail with CROSSSLOT.
		errs = append(errs, fmt.Sprintf("Tenant must not contain '{' or '}' (it is the hash tag of the tenant's Redis keys), got %q", cfg.Tenant))
	}
	for _, f := range []struct {
		name  string
		value int
	}{{"CallsPerWindow", cfg.CallsPerWindow}, {"MaxInFlight", cfg.MaxInFlight}, {"DailyQuota", cfg.DailyQuota}, {"ClonesPerDay", cfg.ClonesPerDay}, {"FallbackShare", cfg.FallbackShare}} {
		if f.value < 0 {
			errs = append(errs, fmt.Sprintf("%s must not be negative", f.name))
		}
	}
	for _, f := range []struct {
		name  string
		value time.Duration
	}{{"Window", cfg.Window}, {"LeaseTTL", cfg.LeaseTTL}, {"RedisTimeout", cfg.RedisTimeout}} {
		switch {
		case f.value < 0:
			errs = append(errs, fmt.Sprintf("%s must not be negative", f.name))
		case f.value%time.Millisecond != 0:
			errs = append(errs, fmt.Sprintf("%s must be whole milliseconds (Redis keeps milliseconds), got %v", f.name, f.value))
		}
	}
	if cfg.LeaseTTL < 3*cfg.RedisTimeout {
		errs = append(errs, fmt.Sprintf("LeaseTTL (%v) must be at least 3 x RedisTimeout (%v), so a renewal lands before the lease expires", cfg.LeaseTTL, cfg.RedisTimeout))
	}
	if len(errs) > 0 {
		return cfg, errors.New("redislimit: Config: " + strings.Join(errs, "; "))
	}
	return cfg, nil
}

func setDefault[T int | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}
