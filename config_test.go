package marketo_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestNewClientValidatesConfig(t *testing.T) {
	t.Parallel()
	good := marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}
	cases := []struct {
		name   string
		mutate func(*marketo.Config)
		field  string
		rule   string
	}{
		{"endpoint missing", func(c *marketo.Config) { c.Endpoint = "" }, "Config.Endpoint", "required"},
		{"endpoint relative", func(c *marketo.Config) { c.Endpoint = "/soap/mktows/2_9" }, "Config.Endpoint", "absolute URL"},
		{"endpoint not a URL", func(c *marketo.Config) { c.Endpoint = "::not a url" }, "Config.Endpoint", "absolute URL"},
		{"plain http to a remote host", func(c *marketo.Config) { c.Endpoint = "http://123-ABC-456.mktoapi.com/soap/mktows/2_9" }, "Config.Endpoint", "https"},
		{"plain http to a private address", func(c *marketo.Config) { c.Endpoint = "http://10.0.0.1/soap" }, "Config.Endpoint", "https"},
		{"ftp", func(c *marketo.Config) { c.Endpoint = "ftp://example.com/soap" }, "Config.Endpoint", `scheme "ftp"`},
		{"user info in URL", func(c *marketo.Config) { c.Endpoint = "https://u:p@example.com/soap" }, "Config.Endpoint", "user information"},
		{"user ID missing", func(c *marketo.Config) { c.UserID = "" }, "Config.UserID", "required"},
		{"user ID blank", func(c *marketo.Config) { c.UserID = "  " }, "Config.UserID", "required"},
		{"user ID with control char", func(c *marketo.Config) { c.UserID = "a\x00" }, "Config.UserID", "U+0000"},
		{"key missing", func(c *marketo.Config) { c.EncryptionKey = "" }, "Config.EncryptionKey", "required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			tc.mutate(&cfg)
			c, err := marketo.NewClient(cfg)
			assert.Nil(t, c)
			var ve *marketo.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Contains(t, ve.Rule, tc.rule)
		})
	}
}

func TestNewClientAcceptsLoopbackHTTP(t *testing.T) {
	t.Parallel()
	for _, ep := range []string{"http://localhost:8080/soap", "http://127.0.0.1:1/soap", "http://127.9.9.9/soap", "http://[::1]:8080/soap", "https://123-ABC-456.mktoapi.com/soap/mktows/2_9"} {
		_, err := marketo.NewClient(marketo.Config{Endpoint: ep, UserID: "u", EncryptionKey: "k"})
		assert.NoError(t, err, ep)
	}
}

func TestOptionsValidateThemselves(t *testing.T) {
	t.Parallel()
	cfg := marketo.Config{Endpoint: testEndpoint, UserID: "u", EncryptionKey: "k"}
	var nilHTTP *http.Client
	cases := map[string]marketo.Option{
		"nil HTTP client":        marketo.WithHTTPClient(nil),
		"typed nil HTTP client":  marketo.WithHTTPClient(nilHTTP),
		"nil logger":             marketo.WithLogger(nil),
		"empty user agent":       marketo.WithUserAgent(" "),
		"user agent with CRLF":   marketo.WithUserAgent("a\r\nX-Evil: 1"),
		"nil clock":              marketo.WithClock(nil),
		"zero response cap":      marketo.WithMaxResponseBytes(0),
		"nil wire trace":         marketo.WithWireTrace(nil),
		"nil option in the list": nil,
	}
	for name, opt := range cases {
		c, err := marketo.NewClient(cfg, opt)
		assert.Error(t, err, name)
		assert.Nil(t, c, name)
	}
	c, err := marketo.NewClient(cfg,
		marketo.WithHTTPClient(&http.Client{}),
		marketo.WithLogger(slog.Default()),
		marketo.WithUserAgent("my-service/1.0"),
		marketo.WithClock(time.Now),
		marketo.WithMaxResponseBytes(1<<20),
	)
	require.NoError(t, err)
	assert.NotNil(t, c)
}

func TestUserAgentIsSent(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML), marketo.WithUserAgent("my-service/1.0"))
	_, err := c.ScheduleCampaign(t.Context(), seedParams())
	require.NoError(t, err)
	req, _ := rec.last(t)
	assert.Equal(t, "my-service/1.0", req.Header.Get("User-Agent"))
}

// ConfigFromEnv tests change the environment, so they do not run in parallel.
func TestConfigFromEnv(t *testing.T) {
	t.Setenv(marketo.EnvEndpoint, testEndpoint)
	t.Setenv(marketo.EnvUserID, vectorUserID)
	t.Setenv(marketo.EnvEncryptionKey, vectorKey)
	cfg, err := marketo.ConfigFromEnv()
	require.NoError(t, err)
	assert.Equal(t, marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}, cfg)

	t.Setenv(marketo.EnvUserID, "")
	t.Setenv(marketo.EnvEncryptionKey, "")
	_, err = marketo.ConfigFromEnv()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MARKETO_SOAP_USER_ID")
	assert.Contains(t, err.Error(), "MARKETO_SOAP_ENCRYPTION_KEY")
	assert.NotContains(t, err.Error(), "MARKETO_SOAP_ENDPOINT")
}

func TestConfigFromEnvFunc(t *testing.T) {
	t.Parallel()
	env := map[string]string{marketo.EnvEndpoint: " " + testEndpoint + " ", marketo.EnvUserID: vectorUserID, marketo.EnvEncryptionKey: vectorKey}
	cfg, err := marketo.ConfigFromEnvFunc(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}, cfg)
	_, err = marketo.ConfigFromEnvFunc(func(string) string { return "" })
	assert.ErrorContains(t, err, "MARKETO_SOAP_ENDPOINT, MARKETO_SOAP_USER_ID, MARKETO_SOAP_ENCRYPTION_KEY")
	_, err = marketo.ConfigFromEnvFunc(nil)
	assert.Error(t, err)
}

func TestConfigPrintsWithoutKey(t *testing.T) {
	t.Parallel()
	cfg := marketo.Config{Endpoint: testEndpoint, UserID: vectorUserID, EncryptionKey: vectorKey}
	for _, s := range []string{cfg.String(), cfg.GoString()} {
		assert.NotContains(t, s, vectorKey)
		assert.Contains(t, s, vectorUserID)
		assert.Contains(t, s, "<redacted>")
	}
}
