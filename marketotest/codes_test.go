package marketotest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mktows/marketo"
)

// TestCodesAgreeWithTheSDK compares the fake's own record of Marketo's
// fault codes with the SDK's names for them: both are written from
// Marketo's documentation, and a disagreement is a bug on one side.
func TestCodesAgreeWithTheSDK(t *testing.T) {
	t.Parallel()
	pairs := []struct{ fake, sdk marketo.Code }{
		{codeInternalError, marketo.CodeInternalError},
		{codeAPIInternalError, marketo.CodeAPIInternalError},
		{codeRequestNotUnderstood, marketo.CodeRequestNotUnderstood},
		{codeAccessDenied, marketo.CodeAccessDenied},
		{codeAuthenticationFailed, marketo.CodeAuthenticationFailed},
		{codeRequestLimitExceeded, marketo.CodeRequestLimitExceeded},
		{codeRequestExpired, marketo.CodeRequestExpired},
		{codeInvalidRequest, marketo.CodeInvalidRequest},
		{codeUnsupportedOperation, marketo.CodeUnsupportedOperation},
		{codeRateLimitExceeded, marketo.CodeRateLimitExceeded},
		{codeConcurrencyLimitExceeded, marketo.CodeConcurrencyLimitExceeded},
		{codeLeadKeyRequired, marketo.CodeLeadKeyRequired},
		{codeLeadKeyBad, marketo.CodeLeadKeyBad},
		{codeLeadNotFound, marketo.CodeLeadNotFound},
		{codeLeadAttributeBad, marketo.CodeLeadAttributeBad},
		{codeParameterRequired, marketo.CodeParameterRequired},
		{codeBadParameter, marketo.CodeBadParameter},
		{codeListNotFound, marketo.CodeListNotFound},
		{codeCampaignNotFound, marketo.CodeCampaignNotFound},
		{codeBadParameterValue, marketo.CodeBadParameterValue},
	}
	soapCodes := 0
	for _, ct := range codeTexts {
		if ct.api == APISOAP {
			soapCodes++
		}
	}
	assert.Len(t, pairs, soapCodes, "every code the fake answers is compared")
	for _, p := range pairs {
		assert.Equal(t, p.sdk, p.fake)
		assert.Equal(t, APISOAP, codeTexts[p.fake].api, "code %d", p.fake)
	}
}

// TestFailNextTakesTheSDKsCodes checks that a test written with the SDK's
// names injects the fault the SDK then reports under the same name.
func TestFailNextTakesTheSDKsCodes(t *testing.T) {
	t.Parallel()
	srv, _ := newTestServer(t)
	srv.FailNext(1, marketo.CodeAuthenticationFailed)
	f := requireFault(t, call(t, srv, listSources), marketo.CodeAuthenticationFailed)
	assert.Equal(t, "20014 - Authentication failed", f.FaultString)
	assert.Equal(t, marketo.CodeAuthenticationFailed, srv.Requests()[0].FaultCode)
}
