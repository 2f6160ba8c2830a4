package marketo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRESTConfigValidate(t *testing.T) {
	t.Parallel()
	ok := RESTConfig{Endpoint: "https://284-RPR-133.mktorest.com/rest", ClientID: "id", ClientSecret: "secret"}
	endpoint, identity, err := ok.validate()
	require.NoError(t, err)
	assert.Equal(t, "https://284-RPR-133.mktorest.com/rest", endpoint.String())
	assert.Equal(t, "https://284-RPR-133.mktorest.com/identity", identity.String(), "the identity URL defaults to the endpoint's host")

	withIdentity := ok
	withIdentity.IdentityURL = "http://127.0.0.1:9/identity"
	_, identity, err = withIdentity.validate()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9/identity", identity.String())

	cases := []struct {
		name  string
		edit  func(*RESTConfig)
		field string
		rule  string
	}{
		{"no endpoint", func(c *RESTConfig) { c.Endpoint = "" }, "RESTConfig.Endpoint", "is required"},
		{"plain http", func(c *RESTConfig) { c.Endpoint = "http://284-RPR-133.mktorest.com/rest" }, "RESTConfig.Endpoint", "must use https"},
		{"relative", func(c *RESTConfig) { c.Endpoint = "/rest" }, "RESTConfig.Endpoint", "absolute URL"},
		{"identity plain http", func(c *RESTConfig) { c.IdentityURL = "http://example.com/identity" }, "RESTConfig.IdentityURL", "must use https"},
		{"no client ID", func(c *RESTConfig) { c.ClientID = " " }, "RESTConfig.ClientID", "is required"},
		{"no secret", func(c *RESTConfig) { c.ClientSecret = "" }, "RESTConfig.ClientSecret", "is required"},
	}
	for _, tc := range cases {
		cfg := ok
		tc.edit(&cfg)
		_, _, err := cfg.validate()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Contains(t, ve.Rule, tc.rule, tc.name)
	}
}
