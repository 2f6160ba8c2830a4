// Package marketo is a client for Marketo's campaign operations over the
// REST API (NewRESTClient) or the SOAP API (NewClient, mktows): the same
// Client, methods, parameters, results and errors on both, so moving from
// SOAP to REST is a change of configuration. It turns every answer into a
// typed result or a typed error.
//
// # Getting started
//
//	client, err := marketo.NewRESTClient(marketo.RESTConfig{
//		Endpoint:     "https://284-RPR-133.mktorest.com/rest",
//		ClientID:     id,
//		ClientSecret: secret,
//	})
//	res, err := client.ScheduleCampaign(ctx, marketo.ScheduleCampaignParams{
//		ProgramName:  "Trav-Demo-Program",
//		CampaignName: "Batch Campaign Example",
//		Tokens:       []marketo.Token{{Name: "{{my.message}}", Value: "Hello"}},
//	})
//
// On SOAP the same calls take a Config instead:
//
//	client, err := marketo.NewClient(marketo.Config{
//		Endpoint:      "https://123-ABC-456.mktoapi.com/soap/mktows/2_9",
//		UserID:        "bigcorp1_461839624B16E06BA2D663",
//		EncryptionKey: key,
//	})
//
// Or let the environment choose: NewClientFromEnv returns a REST client when
// a MARKETO_REST_* variable is set (MARKETO_REST_ENDPOINT,
// MARKETO_REST_CLIENT_ID, MARKETO_REST_CLIENT_SECRET, optional
// MARKETO_REST_IDENTITY_URL), else a SOAP client when a MARKETO_SOAP_*
// variable is set (MARKETO_SOAP_ENDPOINT, MARKETO_SOAP_USER_ID,
// MARKETO_SOAP_ENCRYPTION_KEY); an incomplete set is an error naming what is
// missing. RESTConfigFromEnv and ConfigFromEnv read one set each. A Client
// is immutable and safe for concurrent use. Marketo switched its SOAP API
// off on 2026-07-31; package marketotest provides a fake tenant, serving
// both APIs, that is as strict as Marketo, for tests and demos.
//
// # REST
//
// REST names campaigns and leads by ID where SOAP took names: a REST client
// looks a (ProgramName, CampaignName) pair up with GET
// /rest/v1/campaigns.json and remembers the ID for CampaignCacheLifetime
// (CampaignID skips the lookup), and looks lead keys other than IDNUM up
// with GET /rest/v1/leads.json. ProgramName is optional on REST: a campaign
// or list outside any program, in a folder, is found by its name alone. A
// name that matches no campaign is a *CampaignLookupError; one that several
// carry is an *AmbiguousNameError (ErrAmbiguousName) listing where each
// lives; lead keys that do not resolve are a *LeadLookupError; nothing is
// scheduled or triggered in any case. The
// access token is fetched on the first call, shared by concurrent callers,
// sent only in the Authorization header, and renewed before it expires or
// when Marketo refuses it (601, 602). A refusal of the client credentials is
// an *IdentityError.
//
// ImportToList on REST is Marketo's bulk lead import: the list is
// ImportToListParams.ListID or is looked up by its names
// (*ListLookupError), display-name headers are translated to
// REST field names, and rows over MaxImportJobBytes are split into several
// jobs whose IDs ImportToListResult.ImportIDs lists. Follow one job with
// GetImportToListStatus or WaitForImport (GetImportToListStatusParams.ImportID),
// all of them with WaitForImports, and read the rows Marketo refused with
// ImportFailures and ImportWarnings.
//
// Every result's Metadata (ResultMetadata) holds the REST requestIds and
// warnings of the requests that did its work, for Adobe support; it is
// empty on SOAP.
//
// # Errors
//
// Every method returns an *OperationError that names the method, says
// whether the request was sent (Sent, OutcomeUnknown, Attempts) and unwraps
// to the cause. Match causes with errors.As and errors.Is; they are the same
// on both APIs unless noted:
//
//	var f *marketo.Fault
//	if errors.As(err, &f) {
//		// Marketo answered with an error: f.Code is its code, a SOAP fault's
//		// (e.g. 20113) or a REST error's (e.g. 1013, 606), f.Message its text.
//	}
//	for _, ve := range marketo.ValidationErrors(err) {
//		// A parameter broke a rule (ve.Field, ve.Rule); nothing was sent.
//		// errors.As with a *ValidationError finds the first.
//	}
//	var re *marketo.ResponseError
//	if errors.As(err, &re) {
//		// The answer was not Marketo's (a gateway's HTML page, a truncated
//		// body, a redirect, a body over WithMaxResponseBytes…).
//	}
//	var ie *marketo.IdentityError
//	if errors.As(err, &ie) {
//		// REST: the identity endpoint refused the client credentials.
//	}
//	var cl *marketo.CampaignLookupError
//	if errors.As(err, &cl) {
//		// REST: the campaign name matched no campaign, or several (cl.IDs).
//	}
//	var an *marketo.AmbiguousNameError
//	if errors.As(err, &an) {
//		// REST: a name given without ProgramName that several campaigns
//		// or lists carry (an.Candidates: their IDs, programs, folders).
//	}
//	var inc *marketo.ImportIncompleteError
//	if errors.As(err, &inc) {
//		// REST: jobs inc.ImportIDs were accepted; rows from inc.NextRow on
//		// were not imported.
//	}
//	if errors.Is(err, marketo.ErrCampaignNotFound) { … } // sentinels match SOAP and REST codes
//	if errors.Is(err, context.DeadlineExceeded) { … }   // also an attempt past WithAttemptTimeout
//	if errors.Is(err, marketo.ErrOutcomeUnknown) {
//		// The request was sent and Marketo may have acted on it.
//	}
//
// Also: *LeadLookupError and *ListLookupError (REST lookups of lead keys and
// lists, matching ErrLeadNotFound and ErrListNotFound), *ImportFailedError
// and ErrUnknownImportStatus (WaitForImport), ErrImportNotFound (a REST
// import ID Marketo does not know), ErrRESTOnly (ImportFailures
// and ImportWarnings on SOAP), ErrCloneBudgetExhausted and
// ErrDailyQuotaExceeded (refused by the limiter or by Marketo), and
// *AttemptTimeoutError. A failed lookup reads only: it never leaves a call's
// outcome unknown.
//
// Every code Marketo documents has a Code constant and a class: a fault
// that proves the call did not run (SOAP's refusals, REST's 6xx, 7xx and
// call-level 1xxx codes) never matches ErrOutcomeUnknown. A fault that may
// have run does: SOAP's internal errors (10001, 20011), REST's 500 and 502
// (a gateway timeout, which Adobe does not say stopped the request), and
// any code Marketo does not document, whose meaning the SDK cannot know.
//
// # Retries and limits
//
// A call is retried only when the failed attempt provably did not run
// (see RetryPolicy: connection failures, rate and concurrency limits, SOAP's
// expired signature, REST's transient codes such as 608 and 611, a busy
// import queue or list within MaxAttempts, HTTP 429 and 503), or, for read-only
// calls, when its outcome is unknown. On REST an expired or invalid access
// token (601, 602) is renewed and the request sent once more within the same
// attempt. A Limiter, on by default, keeps each client within Marketo's 100
// calls per 20 seconds and 10 calls in flight, and refuses calls past the
// daily quota and the program clone beyond the day's budget (10 on SOAP, 20
// on REST) locally; WithLimiter takes any RateLimiter, such as the
// Redis-backed one of github.com/mktows/marketo/redislimit for several
// processes sharing one tenant.
//
// # Adding an operation
//
// For those who change the SDK: an operation on both APIs touches six
// files besides its tests and golden files:
//
//   - backend.go: its row in the operation table, its method in the backend
//     interface, and the Observer's wrapper of that method;
//   - a file named for it (e.g. schedule_campaign.go): the public params and
//     result, Validate with the rules both APIs share, and the method, which
//     joins those with the wire's own (Client.refused) before it hands the
//     params to the backend;
//   - soap_operations.go: SOAP's own rules (soapBackend.check), the params
//     element and the result;
//   - rest_operations.go, or a rest_ file beside it for a long one: REST's
//     own rules (restBackend.check), the lookups and request, the result;
//   - internal/soapwire/wire.go: the SOAP wire structs;
//   - internal/restwire/requests.go: the JSON body, for a call that sends
//     one.
//
// The SOAP schema the drift tests read (internal/wsdl/mktows.wsdl, and
// internal/wsdlref, regenerated from it) gains the operation too; a
// REST-only operation has neither, and soapBackend.check refuses it with
// ErrRESTOnly. Both wires send through the one engine (engine.go, with its
// request builder in request.go), so the call loop, retries, limiter, tracing
// and requests are never copied.
package marketo
