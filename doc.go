// Package marketo is a client for Marketo's campaign operations: schedule a
// batch campaign with My Tokens, trigger a campaign for leads, import leads
// into a static list and follow the import, and list campaigns. It writes
// requests as Marketo expects them, turns every answer into a typed result
// or a typed error, retries only what is safe to repeat, and keeps a client
// within Marketo's limits.
//
// # Two clients, one API
//
// NewRESTClient speaks Marketo's REST API, every tenant's production path
// since Adobe switched the SOAP API off on 2026-07-31; NewClient speaks the
// SOAP API (mktows), for gateways and recordings that still answer it. Both
// return the same *Client, with the same methods, parameters, results and
// errors, so moving from SOAP to REST is a change of configuration;
// NewClientFromEnv picks one from MARKETO_REST_* or MARKETO_SOAP_*
// variables. A Client is immutable and safe for concurrent use.
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
// Every method validates its parameters before sending anything and
// returns a result whose Metadata holds Marketo's requestIds; per-call
// options, such as WithRetryUnknownOutcome, come last. Package marketotest
// is a fake tenant, serving both APIs and as strict as Marketo, for tests
// and demos.
//
// # Errors
//
// Every error is an *OperationError that names the method, says whether
// the request was sent (Sent, OutcomeUnknown, Attempts) and unwraps to the
// cause, which errors.As and errors.Is find the same way on both APIs:
//
//	var f *marketo.Fault
//	if errors.As(err, &f) {
//		// Marketo refused the call: f.Code (20113, 1013, 606…), f.Message.
//	}
//	for _, ve := range marketo.ValidationErrors(err) {
//		// ve.Field broke ve.Rule; nothing was sent.
//	}
//	if errors.Is(err, marketo.ErrOutcomeUnknown) {
//		// Sent, and Marketo may have acted: look before calling again.
//	}
//
// A call that changes the tenant is never repeated on its own once its
// outcome is unknown; a failure that proves the call did not run never
// matches ErrOutcomeUnknown.
//
// # Where to read more
//
// The repository's docs/ folder holds the long forms:
//   - docs/moving-from-soap.md: what each operation does on REST;
//   - docs/configuration.md: configuration fields, environment variables,
//     options;
//   - docs/campaigns.md: scheduling, My Tokens and their precedence, the
//     import workflow, finding a campaign;
//   - docs/errors.md: every error type, sentinel and code, and retries;
//   - docs/limits.md: Marketo's limits, Limiter, the redislimit module;
//   - docs/testing.md: marketotest and cmd/marketo-fake, fault injection;
//   - docs/observability.md: the Observer hook and the otelmarketo module;
//   - docs/cli.md: the mktows command line;
//   - docs/wire-format.md: the requests as they go on the wire;
//   - SECURITY.md: how secrets are kept out of errors, logs and traces.
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
