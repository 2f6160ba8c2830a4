package marketo

import (
	"context"
	"testing"
)

// BenchmarkCallLoopObserved is BenchmarkCallLoop with an Observer whose
// funcs do nothing, inside an observed SDK call as a backend method makes
// it: the cost of the events themselves.
func BenchmarkCallLoopObserved(b *testing.B) {
	c := benchLoopClient(b, WithObserver(&Observer{
		Call:        func(ctx context.Context, _ CallStart) (context.Context, func(CallEnd)) { return ctx, func(CallEnd) {} },
		LimiterWait: func(context.Context, LimiterWait) {},
		Attempt: func(ctx context.Context, _ AttemptStart) (context.Context, func(AttemptEnd)) {
			return ctx, func(AttemptEnd) {}
		},
	}))
	ok := func(context.Context) attemptResult { return attemptResult{sent: true, status: 200} }
	var res ScheduleCampaignResult
	run := func(ctx context.Context) (*ScheduleCampaignResult, error) {
		return &res, c.call(ctx, opScheduleCampaign, callSettings{}, ok)
	}
	meta := func(r *ScheduleCampaignResult) (ResultMetadata, int) { return r.Metadata, r.CampaignID }
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := observeCall(ctx, &c.engine, opScheduleCampaign, 0, run, meta); err != nil {
			b.Fatal(err)
		}
	}
}
