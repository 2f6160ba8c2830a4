// Package marketo is a client for Marketo's SOAP API (mktows): it signs
// every request, writes the SOAP envelope exactly as Marketo does, and turns
// every answer into a typed result or a typed error.
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
// ConfigFromEnv reads the configuration from MARKETO_SOAP_ENDPOINT,
// MARKETO_SOAP_USER_ID and MARKETO_SOAP_ENCRYPTION_KEY. A Client is immutable
// and safe for concurrent use. Marketo switched its SOAP API off on
// 2026-07-31; package marketotest provides a fake tenant that is as strict as
// Marketo was, for tests and demos.
//
// # Errors
//
// Every method returns an *OperationError that names the method and unwraps
// to the cause. Use errors.As and errors.Is:
//
//	var f *marketo.Fault
//	if errors.As(err, &f) {
//		// Marketo answered with a fault; f.Code is its code, e.g. 20113.
//	}
//	var ve *marketo.ValidationError
//	if errors.As(err, &ve) {
//		// A parameter broke a rule (ve.Field, ve.Rule); nothing was sent.
//	}
//	var re *marketo.ResponseError
//	if errors.As(err, &re) {
//		// The answer was not SOAP (a gateway's HTML page, a truncated body…).
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
// 20 seconds and 10 calls in flight, and refuses the 11th program clone of a
// day locally.
package marketo
