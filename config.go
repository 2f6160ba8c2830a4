package marketo

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvEndpoint      = "MARKETO_SOAP_ENDPOINT"
	EnvUserID        = "MARKETO_SOAP_USER_ID"
	EnvEncryptionKey = "MARKETO_SOAP_ENCRYPTION_KEY"
)

// Config holds the credentials of one Marketo SOAP API user. All three fields
// are required; they are shown in Marketo under Admin > Integration > SOAP API.
type Config struct {
	// Endpoint is the tenant's SOAP endpoint including the API version, for
	// example "https://123-ABC-456.mktoapi.com/soap/mktows/2_9". It must use
	// https; plain http is accepted only for loopback hosts (local fakes).
	Endpoint string
	// UserID is the SOAP API user ID, for example "bigcorp1_461839624B16E06BA2D663".
	UserID string
	// EncryptionKey is the SOAP API encryption key that signs every request.
	// It is never written to errors, logs or traces.
	EncryptionKey string
}

// String describes the configuration without the encryption key, so that a
// Config printed by mistake does not leak it.
func (c Config) String() string {
	return fmt.Sprintf("marketo.Config{Endpoint: %q, UserID: %q, EncryptionKey: %s}", c.Endpoint, c.UserID, redactedField(c.EncryptionKey))
}

// GoString keeps %#v from printing the encryption key.
func (c Config) GoString() string { return c.String() }

// LogValue keeps log/slog's handlers, JSON and text alike, from printing
// the encryption key.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("Endpoint", c.Endpoint),
		slog.String("UserID", c.UserID),
		slog.String("EncryptionKey", redactedField(c.EncryptionKey)))
}

// MarshalJSON writes the configuration with the encryption key redacted:
// a Config marshalled into a log line or a debug dump does not leak it.
// A Config read back from that JSON has "<redacted>" as its key, which
// NewClient's first call would fail to sign with; keep the key elsewhere.
func (c Config) MarshalJSON() ([]byte, error) {
	type plain Config // without this method
	c.EncryptionKey = redactedField(c.EncryptionKey)
	return json.Marshal(plain(c))
}

// redactedField is how a secret field is shown: "<redacted>", or
// "<empty>" when it is not set.
func redactedField(secret string) string {
	if secret == "" {
		return "<empty>"
	}
	return "<redacted>"
}

// ConfigFromEnv reads the configuration from MARKETO_SOAP_ENDPOINT,
// MARKETO_SOAP_USER_ID and MARKETO_SOAP_ENCRYPTION_KEY. It returns an error
// naming every variable that is missing or empty; the values themselves are
// checked by NewClient.
func ConfigFromEnv() (Config, error) {
	return ConfigFromEnvFunc(os.Getenv)
}

// ConfigFromEnvFunc is ConfigFromEnv with the variables read through getenv,
// for programs and tests that keep their own environment.
func ConfigFromEnvFunc(getenv func(string) string) (Config, error) {
	if getenv == nil {
		return Config{}, fmt.Errorf("marketo: ConfigFromEnvFunc: getenv is nil")
	}
	c := Config{
		Endpoint:      strings.TrimSpace(getenv(EnvEndpoint)),
		UserID:        strings.TrimSpace(getenv(EnvUserID)),
		EncryptionKey: getenv(EnvEncryptionKey),
	}
	var missing []string
	if c.Endpoint == "" {
		missing = append(missing, EnvEndpoint)
	}
	if c.UserID == "" {
		missing = append(missing, EnvUserID)
	}
	if c.EncryptionKey == "" {
		missing = append(missing, EnvEncryptionKey)
	}
	if len(missing) > 0 {
		return Config{}, fmt.Errorf("marketo: environment variable %s not set", strings.Join(missing, ", "))
	}
	return c, nil
}

// validate checks the configuration and returns the parsed endpoint.
func (c Config) validate() (*url.URL, error) {
	u, err := checkEndpoint("Config.Endpoint", c.Endpoint, "https://123-ABC-456.mktoapi.com/soap/mktows/2_9")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.UserID) == "" {
		return nil, &ValidationError{Field: "Config.UserID", Rule: "is required"}
	}
	if c.EncryptionKey == "" {
		return nil, &ValidationError{Field: "Config.EncryptionKey", Rule: "is required"}
	}
	if err := checkXMLText(c.UserID); err != nil {
		return nil, &ValidationError{Field: "Config.UserID", Rule: err.Error()}
	}
	return u, nil
}

// checkEndpoint parses an endpoint URL: absolute, https (http only for
// loopback hosts), without user information. example is shown in the error.
func checkEndpoint(field, raw, example string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, &ValidationError{Field: field, Rule: "is required"}
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, &ValidationError{Field: field, Rule: "must be an absolute URL such as " + example}
	}
	if u.User != nil {
		return nil, &ValidationError{Field: field, Rule: "must not contain user information"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &ValidationError{Field: field, Rule: "must use https (plain http is allowed only for loopback hosts)"}
		}
	default:
		return nil, &ValidationError{Field: field, Rule: fmt.Sprintf("scheme %q is not supported; use https", u.Scheme)}
	}
	return u, nil
}

// isLoopback reports whether host names the local machine: localhost,
// 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
