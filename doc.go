// Package marketo is a client for Marketo's campaign operations over the
// REST API (NewRESTClient) or the SOAP API (NewClient, mktows): the same
// Client, methods, parameters, results and errors on both, so moving from
// SOAP to REST is a change of configuration. It turns every answer into a
// typed result or a typed error.
//
// # Getting started
//
//	client, err := marketo.NewClient(marketo.Config{
//		Endpoint:      "https://123-ABC-456.mktoapi.com/soap/mktows/2_9",
//		UserID:        "bigcorp1_461839624B16E06BA2D663",
//		EncryptionKey: key,
//	})
//	res, err := client.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{
//		ProgramName:  "Trav-Demo-Program",
//		CampaignName: "Batch Campaign Example",
//		Tokens:       []marketo.Token{{Name: "{{my.message}}", Value: "Hello"}},
//	})
//
// On REST the same calls take a RESTConfig instead:
//
//	client, err := marketo.NewRESTClient(marketo.RESTConfig{
//		Endpoint:     "https://284-RPR-133.mktorest.com/rest",
//		ClientID:     id,
//		ClientSecret: secret,
//	})
//
// ConfigFromEnv reads the SOAP configuration from MARKETO_SOAP_ENDPOINT,
// MARKETO_SOAP_USER_ID and MARKETO_SOAP_ENCRYPTION_KEY, RESTConfigFromEnv
// the REST one from MARKETO_REST_ENDPOINT, MARKETO_REST_CLIENT_ID and
// MARKETO_REST_CLIENT_SECRET, and NewClientFromEnv picks REST when its
// variables are set. A Client is immutable and safe for concurrent use.
// Marketo switched its SOAP API off on 2026-07-31; package marketotest
// provides a fake tenant that is as strict as Marketo, for tests and demos.
//
// # REST
//
// REST names campaigns and leads by ID where SOAP took names: a REST client
// looks a (ProgramName, CampaignName) pair up with GET
// /rest/v1/campaigns.json and remembers the ID for CampaignCacheLifetime
// (CampaignID skips the lookup), and looks EMAIL lead keys up with GET
// /rest/v1/leads.json. A name that matches no campaign, or several, is a
// *CampaignLookupError; lead keys that do not resolve are a
// *LeadLookupError; nothing is scheduled or triggered in either case. The
// access token is fetched on the first call, shared by concurrent callers,
// sent only in the Authorization header, and renewed before it expires or
// when Marketo refuses it (601, 602). A refusal of the client credentials is
// an *IdentityError.
//
// ImportToList on REST is Marketo's bulk lead import: the list is looked up
// by its names (*ListLookupError), display-name headers are translated to
// REST field names, and rows over MaxImportJobBytes are split into several
// jobs whose IDs ImportToListResult.ImportIDs lists. Follow one job with
// GetImportToListStatus or WaitForImport (GetImportToListStatusParams.ImportID),
// all of them with WaitForImports, and read the rows Marketo refused with
// ImportFailures and ImportWarnings.
//
// # Errors
//
// Every method returns an *OperationError that names the method and unwraps
// to the cause. Use errors.As and errors.Is:
//
//	var f *marketo.Fault
//	if errors.As(err, &f) {
//		// Marketo answered with an error; f.Code is its code, e.g. 20113
//		// (SOAP) or 1013 (REST).
//	}
//	var ve *marketo.ValidationError
//	if errors.As(err, &ve) {
//		// A parameter broke a rule (ve.Field, ve.Rule); nothing was sent.
//	}
//	var re *marketo.ResponseError
//	if errors.As(err, &re) {
//		// The answer was not Marketo's (a gateway's HTML page, a truncated body…).
//	}
//	if errors.Is(err, marketo.ErrCampaignNotFound) { … } // sentinels for common codes
//	if errors.Is(err, context.DeadlineExceeded) { … }
//	if errors.Is(err, marketo.ErrOutcomeUnknown) {
//		// The request was sent and Marketo may have acted on it.
//	}
//
// # Retries and limits
//
// A call is retried only when the failed attempt provably did not run
// (see RetryPolicy), or, for read-only calls, when its outcome is unknown.
// A Limiter, on by default, keeps each client within Marketo's 100 calls per
// 20 seconds and 10 calls in flight, and refuses the program clone beyond
// the day's budget (10 on SOAP, 20 on REST) locally.
package marketo
