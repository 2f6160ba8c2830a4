package marketo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// TestWireTraceSeparatesMessagesWithOneBlankLine: a message without a body
// (the token request, a lookup) ends at the blank line after its headers,
// as one with a body ends at the blank line after it.
func TestWireTraceSeparatesMessagesWithOneBlankLine(t *testing.T) {
	t.Parallel()
	stub := newRESTStub(t, tenant(seedCampaigns, nil))
	var trace bytes.Buffer
	_, err := stub.client(t, marketo.WithWireTrace(&trace)).ScheduleCampaign(context.Background(), runNowParams())
	require.NoError(t, err)
	text := trace.String()
	assert.NotContains(t, text, "\n\n\n", "no run of blank lines:\n%s", text)
	messages := strings.Split(strings.TrimSuffix(text, "\n\n"), "\n\n")
	var firsts []string
	for _, m := range messages {
		if strings.HasPrefix(m, "> ") || strings.HasPrefix(m, "< ") {
			firsts = append(firsts, strings.SplitN(m, " ", 3)[1])
		}
	}
	assert.Equal(t, []string{"GET", "200", "GET", "200", "POST", "200"}, firsts, "token, lookup, schedule:\n%s", text)
}
