package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// clearEnv unsets every variable the example reads, so that it runs on the
// embedded fake.
func clearEnv(t *testing.T) {
	for _, v := range []string{marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey,
		marketo.EnvRESTEndpoint, marketo.EnvRESTClientID, marketo.EnvRESTClientSecret, marketo.EnvRESTIdentityURL} {
		t.Setenv(v, "")
	}
}

func TestRunOnTheEmbeddedFakeOverREST(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	require.NoError(t, run(&out, nil))
	s := out.String()
	assert.Contains(t, s, "using the fake Marketo server's REST API")
	assert.Contains(t, s, "Authorization: [REDACTED]")
	assert.Contains(t, s, "client_secret=[REDACTED]")
	assert.Contains(t, s, "/rest/v1/campaigns/1001/schedule.json")
	assert.Regexp(t, `run 1: campaign "Batch Campaign Example" in program "TestProgramCloneFromREST"`, s)
	assert.Regexp(t, `\{\{my\.message\}\}\s+= "Updated message"`, s)
	assert.Regexp(t, `\{\{my\.other token\}\}\s+= "Value for other token"`, s)
}

func TestRunOnTheEmbeddedFakeOverSOAP(t *testing.T) {
	clearEnv(t)
	var out bytes.Buffer
	require.NoError(t, run(&out, []string{"-api", "soap"}))
	s := out.String()
	assert.Contains(t, s, "using the fake Marketo server's SOAP API")
	assert.Contains(t, s, "<requestSignature>[REDACTED]</requestSignature>")
	assert.Regexp(t, `run 1: campaign "Batch Campaign Example" in program "TestProgramCloneFromSOAP"`, s)
	assert.Regexp(t, `\{\{my\.message\}\}\s+= "Updated message"`, s)
}

func TestRunReportsMissingVariables(t *testing.T) {
	clearEnv(t)
	t.Setenv(marketo.EnvRESTEndpoint, "https://284-RPR-133.mktorest.com/rest")
	err := run(&bytes.Buffer{}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), marketo.EnvRESTClientID)

	t.Setenv(marketo.EnvEndpoint, "https://123-ABC-456.mktoapi.com/soap/mktows/2_9")
	err = run(&bytes.Buffer{}, []string{"-api", "soap"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), marketo.EnvUserID)
}

func TestRunRefusesAnUnknownAPI(t *testing.T) {
	clearEnv(t)
	err := run(&bytes.Buffer{}, []string{"-api", "graphql"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want rest or soap")
}
