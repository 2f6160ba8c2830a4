package marketo_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestRESTConfigNeverPrintsTheSecret(t *testing.T) {
	t.Parallel()
	cfg := marketo.RESTConfig{Endpoint: "https://284-RPR-133.mktorest.com/rest", ClientID: "id-1", ClientSecret: "s3cr3t-value"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, cfg)
		assert.NotContains(t, out, "s3cr3t-value", format)
		assert.Contains(t, out, "id-1", format)
	}
	assert.Contains(t, marketo.RESTConfig{}.String(), "ClientSecret: <empty>")
}

func TestRESTConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"MARKETO_REST_ENDPOINT":      " https://284-RPR-133.mktorest.com/rest ",
		"MARKETO_REST_CLIENT_ID":     "id-1",
		"MARKETO_REST_CLIENT_SECRET": "secret",
	}
	cfg, err := marketo.RESTConfigFromEnvFunc(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, marketo.RESTConfig{Endpoint: "https://284-RPR-133.mktorest.com/rest", ClientID: "id-1", ClientSecret: "secret"}, cfg)

	_, err = marketo.RESTConfigFromEnvFunc(func(k string) string { return map[string]string{"MARKETO_REST_CLIENT_ID": "x"}[k] })
	require.EqualError(t, err, "marketo: environment variable MARKETO_REST_ENDPOINT, MARKETO_REST_CLIENT_SECRET not set")
	_, err = marketo.RESTConfigFromEnvFunc(nil)
	require.Error(t, err)
}
