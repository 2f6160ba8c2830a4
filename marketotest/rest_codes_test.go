package marketotest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mktows/marketo"
)

// TestRESTCodesAgreeWithTheSDK compares the fake's REST codes with the
// SDK's names for those the SDK knows (701, 709, 1001 and 1006 it does not name).
func TestRESTCodesAgreeWithTheSDK(t *testing.T) {
	t.Parallel()
	pairs := []struct{ fake, sdk marketo.Code }{
		{restTokenInvalid, marketo.CodeAccessTokenInvalid},
		{restTokenExpired, marketo.CodeAccessTokenExpired},
		{restAccessDenied, marketo.CodeRESTAccessDenied},
		{restTimedOut, marketo.CodeRequestTimedOut},
		{restMethodNotAllowed, marketo.CodeMethodNotSupported},
		{restRateLimit, marketo.CodeMaxRateExceeded},
		{restDailyQuota, marketo.CodeDailyQuotaReached},
		{restUnavailable, marketo.CodeAPIUnavailable},
		{restInvalidJSON, marketo.CodeInvalidJSON},
		{restNotFound, marketo.CodeResourceNotFound},
		{restSystemError, marketo.CodeSystemError},
		{restContentType, marketo.CodeInvalidContentType},
		{restUnreachable, marketo.CodeSubscriptionUnreachable},
		{restConcurrency, marketo.CodeConcurrentAccessLimit},
		{restInvalidData, marketo.CodeInvalidData},
		{restLeadNotFound, marketo.CodeRecordLeadNotFound},
		{restObjectNotFound, marketo.CodeObjectNotFound},
		{restCloneLimit, marketo.CodeCloneLimitReached},
		{restInvalidRunAt, marketo.CodeInvalidRunAt},
		{restInvalidMultipart, marketo.CodeInvalidMultipart},
		{restTooManyImports, marketo.CodeTooManyImports},
		{restImportInProgress, marketo.CodeImportInProgress},
	}
	for _, p := range pairs {
		assert.Equal(t, p.sdk, p.fake)
		assert.NotEmpty(t, p.sdk.Meaning(), "the SDK knows %d", p.sdk)
	}
}
