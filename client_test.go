package marketo_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

func TestScheduleCampaignSeedRequestMatchesGolden(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml; charset=utf-8", successScheduleXML))

	res, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)

	req, body := rec.last(t)
	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "text/xml; charset=utf-8", req.Header.Get("Content-Type"))
	assert.Equal(t, "http://www.marketo.com/mktows/scheduleCampaign", req.Header.Get("SOAPAction"))
	assert.Equal(t, canonicalXML(t, readGolden(t, "schedule_campaign_request.xml")), canonicalXML(t, body))

	// Prefixes as Marketo writes them: only the top-level elements carry
	// ns1, and no default namespace pulls the children into mktows.
	s := string(body)
	assert.NotContains(t, s, `xmlns="`)
	assert.Contains(t, s, `<ns1:AuthenticationHeader><mktowsUserId>`)
	assert.Contains(t, s, `<ns1:paramsScheduleCampaign><programName>`)
	assert.Regexp(t, `^<\?xml version="1.0" encoding="UTF-8"\?>`, s)

	assert.Equal(t, &marketo.ScheduleCampaignResult{
		ProgramName:        "Trav-Demo-Program",
		CampaignName:       "Batch Campaign Example",
		RunAt:              seedParams().RunAt,
		CloneToProgramName: "TestProgramCloneFromSOAP",
		Tokens:             seedParams().Tokens,
	}, res)
}

func TestScheduleCampaignOptionalElementsAbsentWhenUnset(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))

	res, err := c.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Batch Campaign Example",
	})
	require.NoError(t, err)
	assert.True(t, res.RunAt.IsZero())
	assert.Nil(t, res.Tokens)

	_, body := rec.last(t)
	assert.Equal(t, canonicalXML(t, readGolden(t, "schedule_campaign_minimal_request.xml")), canonicalXML(t, body))
	for _, el := range []string{"campaignRunAt", "cloneToProgramName", "programTokenList"} {
		assert.NotContains(t, string(body), el)
	}
}

func TestSigningUsesPublishedVectorThroughClock(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
	_, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
	_, body := rec.last(t)
	assert.Contains(t, string(body), "<requestSignature>"+vectorSig+"</requestSignature>")
	assert.Contains(t, string(body), "<requestTimestamp>"+vectorTS+"</requestTimestamp>")
}

func TestEveryAttemptIsSignedAtSendTime(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	calls := 0
	clock := func() time.Time { calls++; return now.Add(time.Duration(calls) * time.Second) }
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML), marketo.WithClock(clock))

	p := seedParams()
	for i := 0; i < 2; i++ {
		_, err := c.ScheduleCampaign(context.Background(), p)
		require.NoError(t, err)
	}
	tsRe := regexp.MustCompile(`<requestTimestamp>([^<]*)</requestTimestamp>`)
	sigRe := regexp.MustCompile(`<requestSignature>([0-9a-f]{40})</requestSignature>`)
	var stamps, sigs []string
	for _, b := range rec.bodies {
		stamps = append(stamps, tsRe.FindStringSubmatch(string(b))[1])
		sigs = append(sigs, sigRe.FindStringSubmatch(string(b))[1])
	}
	// UTC is written with a numeric offset, never Z.
	assert.Equal(t, []string{"2026-11-28T12:00:01+00:00", "2026-11-28T12:00:02+00:00"}, stamps)
	assert.NotEqual(t, sigs[0], sigs[1], "a new timestamp needs a new signature")
}

func TestRunAtIsWrittenAsTheCallersInstant(t *testing.T) {
	t.Parallel()
	lmt := time.FixedZone("LMT", -(5*3600 + 17*60 + 32)) // an offset with seconds
	cases := []struct {
		name  string
		runAt time.Time
		want  string
	}{
		{"utc", time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC), "2026-12-01T09:30:00+00:00"},
		{"negative offset", time.Date(2013, 8, 3, 21, 39, 34, 0, time.FixedZone("", -7*3600)), "2013-08-03T21:39:34-07:00"},
		{"half-hour offset", time.Date(2026, 12, 1, 9, 30, 0, 0, time.FixedZone("IST", 5*3600+1800)), "2026-12-01T09:30:00+05:30"},
		{"fractional seconds kept", time.Date(2026, 12, 1, 9, 30, 0, 250_000_000, time.UTC), "2026-12-01T09:30:00.25+00:00"},
		{"offset with seconds becomes UTC", time.Date(1900, 1, 1, 0, 0, 0, 0, lmt), "1900-01-01T05:17:32+00:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
			p := seedParams()
			p.RunAt = tc.runAt
			_, err := c.ScheduleCampaign(context.Background(), p)
			require.NoError(t, err)
			_, body := rec.last(t)
			m := regexp.MustCompile(`<campaignRunAt>([^<]*)</campaignRunAt>`).FindStringSubmatch(string(body))
			require.NotNil(t, m)
			assert.Equal(t, tc.want, m[1])
			got, err := time.Parse(time.RFC3339Nano, m[1])
			require.NoError(t, err)
			assert.True(t, got.Equal(tc.runAt), "sent %s, caller gave %s", got, tc.runAt)
		})
	}
}

func TestScheduleCampaignOverRealSocket(t *testing.T) {
	t.Parallel()
	srv := newSOAPServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("SOAPAction") != "http://www.marketo.com/mktows/scheduleCampaign" {
			http.Error(w, "bad action", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write([]byte(successScheduleXML))
	})
	c, err := marketo.NewClient(marketo.Config{Endpoint: srv.URL + "/soap/mktows/2_9", UserID: "u", EncryptionKey: "k"}, marketo.WithoutRetries())
	require.NoError(t, err)
	res, err := c.ScheduleCampaign(context.Background(), seedParams())
	require.NoError(t, err)
	assert.Equal(t, "Batch Campaign Example", res.CampaignName)
}

func TestClientIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newMockClient(t, respond(rec, 200, "text/xml", successScheduleXML))
	const n = 32
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := c.ScheduleCampaign(context.Background(), runNowParams())
			errs <- err
		}()
	}
	for i := 0; i < n; i++ {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, n, rec.count())
	for _, b := range rec.bodies {
		assert.True(t, strings.HasSuffix(string(b), "</SOAP-ENV:Envelope>"))
	}
}
