package marketo

import (
	"context"
	"testing"
)

// BenchmarkCallLoopObserved is BenchmarkCallLoop with an Observer whose
// funcs do nothing: the cost of the events themselves.
func BenchmarkCallLoopObserved(b *testing.B) {
	c := benchLoopClient(b, WithObserver(&Observer{
		Call:        func(ctx context.Context, _ CallStart) (context.Context, func(CallEnd)) { return ctx, func(CallEnd) {} },
		LimiterWait: func(context.Context, LimiterWait) {},
		Attempt: func(ctx context.Context, _ AttemptStart) (context.Context, func(AttemptEnd)) {
			return ctx, func(AttemptEnd) {}
		},
	}))
	ok := func(context.Context) attemptResult { return attemptResult{sent: true, status: 200} }
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.call(ctx, opScheduleCampaign, callSettings{}, ok); err != nil {
			b.Fatal(err)
		}
	}
}
