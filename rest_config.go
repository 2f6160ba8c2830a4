package marketo

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
)

// Environment variables read by RESTConfigFromEnv.
const (
	EnvRESTEndpoint     = "MARKETO_REST_ENDPOINT"
	EnvRESTClientID     = "MARKETO_REST_CLIENT_ID"
	EnvRESTClientSecret = "MARKETO_REST_CLIENT_SECRET"
	EnvRESTIdentityURL  = "MARKETO_REST_IDENTITY_URL"
)

// RESTConfig holds the credentials of one Marketo REST API service: a
// LaunchPoint custom service's client ID and secret, and the tenant's
// endpoints as Admin > Integration > Web Services shows them.
type RESTConfig struct {
	// Endpoint is the tenant's REST endpoint, for example
	// "https://284-RPR-133.mktorest.com/rest". Required. It must use https;
	// plain http is accepted only for loopback hosts (local fakes).
	Endpoint string
	// ClientID is the custom service's client ID. Required.
	ClientID string
	// ClientSecret is the custom service's client secret. Required. It is
	// never written to errors, logs or traces.
	ClientSecret string
	// IdentityURL is the tenant's identity endpoint, for example
	// "https://284-RPR-133.mktorest.com/identity". Empty means the
	// Endpoint's host with the path /identity. Same rules as Endpoint.
	IdentityURL string
}

// String describes the configuration without the client secret, so that a
// RESTConfig printed by mistake does not leak it.
func (c RESTConfig) String() string {
	return fmt.Sprintf("marketo.RESTConfig{Endpoint: %q, ClientID: %q, ClientSecret: %s, IdentityURL: %q}",
		c.Endpoint, c.ClientID, redactedField(c.ClientSecret), c.IdentityURL)
}

// GoString keeps %#v from printing the client secret.
func (c RESTConfig) GoString() string { return c.String() }

// LogValue keeps log/slog's handlers, JSON and text alike, from printing
// the client secret.
func (c RESTConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("Endpoint", c.Endpoint),
		slog.String("ClientID", c.ClientID),
		slog.String("ClientSecret", redactedField(c.ClientSecret)),
		slog.String("IdentityURL", c.IdentityURL))
}

// MarshalJSON writes the configuration with the client secret redacted, as
// Config.MarshalJSON does the encryption key.
func (c RESTConfig) MarshalJSON() ([]byte, error) {
	type plain RESTConfig // without this method
	c.ClientSecret = redactedField(c.ClientSecret)
	return json.Marshal(plain(c))
}

// RESTConfigFromEnv reads the configuration from MARKETO_REST_ENDPOINT,
// MARKETO_REST_CLIENT_ID, MARKETO_REST_CLIENT_SECRET and the optional
// MARKETO_REST_IDENTITY_URL. It returns an error naming every required
// variable that is missing or empty; the values themselves are checked by
// NewRESTClient.
func RESTConfigFromEnv() (RESTConfig, error) {
	return RESTConfigFromEnvFunc(os.Getenv)
}

// RESTConfigFromEnvFunc is RESTConfigFromEnv with the variables read through
// getenv, for programs and tests that keep their own environment.
func RESTConfigFromEnvFunc(getenv func(string) string) (RESTConfig, error) {
	if getenv == nil {
		return RESTConfig{}, fmt.Errorf("marketo: RESTConfigFromEnvFunc: getenv is nil")
	}
	c := RESTConfig{
		Endpoint:     strings.TrimSpace(getenv(EnvRESTEndpoint)),
		ClientID:     strings.TrimSpace(getenv(EnvRESTClientID)),
		ClientSecret: getenv(EnvRESTClientSecret),
		IdentityURL:  strings.TrimSpace(getenv(EnvRESTIdentityURL)),
	}
	var missing []string
	for _, v := range []struct{ name, value string }{
		{EnvRESTEndpoint, c.Endpoint}, {EnvRESTClientID, c.ClientID}, {EnvRESTClientSecret, c.ClientSecret},
	} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	if len(missing) > 0 {
		return RESTConfig{}, fmt.Errorf("marketo: environment variable %s not set", strings.Join(missing, ", "))
	}
	return c, nil
}

// validate checks the configuration and returns the REST endpoint and the
// identity endpoint, the latter defaulted from the former.
func (c RESTConfig) validate() (endpoint, identity *url.URL, err error) {
	endpoint, err = checkEndpoint("RESTConfig.Endpoint", c.Endpoint, "https://284-RPR-133.mktorest.com/rest")
	if err != nil {
		return nil, nil, err
	}
	if c.IdentityURL == "" {
		identity = &url.URL{Scheme: endpoint.Scheme, Host: endpoint.Host, Path: "/identity"}
	} else if identity, err = checkEndpoint("RESTConfig.IdentityURL", c.IdentityURL, "https://284-RPR-133.mktorest.com/identity"); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(c.ClientID) == "" {
		return nil, nil, &ValidationError{Field: "RESTConfig.ClientID", Rule: "is required"}
	}
	if c.ClientSecret == "" {
		return nil, nil, &ValidationError{Field: "RESTConfig.ClientSecret", Rule: "is required"}
	}
	return endpoint, identity, nil
}
