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
	assert.Contains(t, s, "import COMPLETE, rows imported: 2")
	assert.Regexp(t, `\{\{my\.message\}\}\s+= "Ann, your seat is booked"\s+\(lead's import column\)`, s)
	assert.Regexp(t, `\{\{my\.other token\}\}\s+= "Set by the scheduleCampaign call"\s+\(scheduleCampaign token\)`, s)
	assert.Regexp(t, `\{\{my\.signature\}\}\s+= "The Demo Team"\s+\(program My Token\)`, s)
}
