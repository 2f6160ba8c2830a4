package main

import (
	"cmp"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// restClient returns a REST client of the fake the command started.
func restClient(t *testing.T, env map[string]string) *marketo.Client {
	t.Helper()
	c, err := marketo.NewRESTClient(marketo.RESTConfig{
		Endpoint: env["MARKETO_REST_ENDPOINT"], ClientID: env["MARKETO_REST_CLIENT_ID"],
		ClientSecret: env["MARKETO_REST_CLIENT_SECRET"], IdentityURL: env["MARKETO_REST_IDENTITY_URL"],
	}, marketo.WithoutRetries())
	require.NoError(t, err)
	return c
}

var defaultBatch = marketo.ScheduleCampaignParams{ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example"}

// -inject aims at one operation: the REST client's campaign lookup passes,
// the first schedule runs and loses its answer, the second is refused with
// 1003 twice over, and the fourth goes through.
func TestInjectFlagAimsAtOneOperation(t *testing.T) {
	t.Parallel()
	env, _ := startRun(t, "-addr", "127.0.0.1:0",
		"-inject", "ScheduleCampaign:drop-answer", "-inject", "ScheduleCampaign:fail=1003:2")
	client := restClient(t, env)
	ctx := context.Background()

	_, err := client.ScheduleCampaign(ctx, defaultBatch)
	require.ErrorIs(t, err, marketo.ErrOutcomeUnknown)
	for range 2 {
		_, err = client.ScheduleCampaign(ctx, defaultBatch)
		var f *marketo.Fault
		require.ErrorAs(t, err, &f)
		assert.Equal(t, marketo.CodeInvalidData, f.Code)
	}
	_, err = client.ScheduleCampaign(ctx, defaultBatch)
	require.NoError(t, err)
}

// -latency holds every call, so a caller's deadline ends it; -import-duration
// sets when an import completes.
func TestLatencyAndImportDurationFlags(t *testing.T) {
	t.Parallel()
	env, _ := startRun(t, "-addr", "127.0.0.1:0", "-latency", "10s")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := restClient(t, env).GetCampaignsForSource(ctx, marketo.GetCampaignsForSourceParams{Source: marketo.SourceMKTOWS})
	require.ErrorIs(t, err, context.DeadlineExceeded)

	env, _ = startRun(t, "-addr", "127.0.0.1:0", "-import-duration", "0s")
	client := restClient(t, env)
	res, err := client.ImportToList(context.Background(), marketo.ImportToListParams{
		ProgramName: "Trav-Demo-Program", ListName: "Trav-Test-List", Mode: marketo.ImportModeUpsertLeads,
		Header: []string{"email"}, Rows: [][]string{{"new@example.com"}},
	})
	require.NoError(t, err)
	status, err := client.GetImportToListStatus(context.Background(), marketo.GetImportToListStatusParams{ImportID: res.ImportIDs[0]})
	require.NoError(t, err)
	assert.Equal(t, marketo.ImportComplete, status.Status, "a zero import duration completes at once")
}

func TestInjectFlagRefusesBadSpecs(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{
		"ScheduleCampaign", "Nope:drop", "any:explode", "any:drop=1", "any:fail", "any:fail=x",
		"any:garbage=soup", "any:drop:0", "any:drop:x", "a:b:c:d",
	} {
		_, err := parseInjection(spec)
		assert.Error(t, err, spec)
	}
	for _, args := range [][]string{{"-latency", "-1s"}, {"-import-duration", "-1s"}, {"-inject", "any:drop:0"}} {
		assert.Error(t, run(context.Background(), args, io.Discard, io.Discard), args)
	}
	spec, err := parseInjection("RequestCampaign:garbage=not-json:3")
	require.NoError(t, err)
	assert.Equal(t, injectionSpec{target: marketotest.TargetRequestCampaign, kind: "garbage", junk: marketotest.GarbageNotXML, n: 3}, spec)
}

// The error text for an unknown kind and the flag's usage list every kind
// of the one list, and each kind listed is one parseInjection accepts: a
// kind added to the list cannot be missing from either text.
func TestInjectionKindTextsComeFromTheOneList(t *testing.T) {
	t.Parallel()
	_, err := parseInjection("any:nope")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want fail, drop, garbage, drop-answer or stall-answer")
	args := map[string]string{"fail": "=606", "garbage": "=not-json"}
	for _, k := range injectionKinds {
		assert.Contains(t, err.Error(), k.name)
		assert.Contains(t, kindUsage(), cmp.Or(k.usage, k.name))
		spec, perr := parseInjection("any:" + k.name + args[k.name])
		require.NoError(t, perr, k.name)
		assert.Equal(t, k.name, spec.kind)
	}
	for _, g := range garbageNames {
		assert.Contains(t, kindUsage(), g.name)
		_, gerr := parseInjection("any:garbage=" + g.name)
		require.NoError(t, gerr, g.name)
	}
	_, err = parseInjection("any:garbage=nope")
	require.ErrorContains(t, err, "garbage needs html502, not-json or wrong-shape")
	assert.Equal(t, "fail=CODE, drop, garbage=html502|not-json|wrong-shape, drop-answer, stall-answer", kindUsage())
}
