package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestRunOnTheEmbeddedFake(t *testing.T) {
	for _, v := range []string{marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey} {
		t.Setenv(v, "")
	}
	var out bytes.Buffer
	require.NoError(t, run(&out))
	s := out.String()
	assert.Contains(t, s, "using the fake Marketo server")
	assert.Contains(t, s, "<requestSignature>[REDACTED]</requestSignature>")
	assert.Regexp(t, `run 1: campaign "Batch Campaign Example" in program "TestProgramCloneFromSOAP"`, s)
	assert.Regexp(t, `\{\{my\.message\}\}\s+= "Updated message"`, s)
	assert.Regexp(t, `\{\{my\.other token\}\}\s+= "Value for other token"`, s)
}

func TestRunReportsMissingVariables(t *testing.T) {
	t.Setenv(marketo.EnvEndpoint, "https://123-ABC-456.mktoapi.com/soap/mktows/2_9")
	t.Setenv(marketo.EnvUserID, "")
	t.Setenv(marketo.EnvEncryptionKey, "")
	err := run(&bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), marketo.EnvUserID)
}
