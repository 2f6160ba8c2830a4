// Package marketotest is a fake Marketo SOAP API ("mktows") tenant for tests.
//
// Adobe has switched the real SOAP API off, so this fake is the only peer the
// SDK can be tested against. It is deliberately as strict as the real
// service: it has its own XML parser, signature check and response writer
// (it shares no code with the SDK), and it refuses what Marketo refused with
// the fault Marketo answered.
//
// # Use
//
// Like net/http/httptest:
//
//	srv := marketotest.NewServer()          // 127.0.0.1, random port, default tenant
//	defer srv.Close()
//	client, err := marketo.NewClient(srv.Config())
//
// Config returns Endpoint = srv.URL + "/soap/mktows/2_9" and the user ID and
// encryption key the fake accepts (random unless WithCredentials is given).
// NewUnstartedServer returns a fake that is not listening; set Listener and
// call Start, or use Handler in-process. Close (or Shutdown) stops it.
//
// Options: WithCredentials, WithClock (inject time: signature window, limits,
// run times and import progress all follow it; see ManualClock),
// WithSignatureWindow (default 15 minutes each way), WithLimits,
// WithEmptyTenant, WithSeed, WithImportDuration (default 1 minute),
// WithLogger (one line per call; never credentials or signatures),
// WithRequestLog (what Requests keeps).
//
// The command github.com/mktows/marketo/cmd/marketo-fake serves the same
// fake on a fixed address for manual use.
//
// # Protocol rules
//
// HTTP: the endpoint is any path /soap/mktows/<major>_<minor> (other paths:
// 404). GET or HEAD with a "wsdl" query key (any case) answers the WSDL with
// its soap:address set to the requested endpoint. Other methods than POST:
// 405. Bodies over 8 MiB: 413. A body must arrive whole within 1 minute
// (real time) of its headers, else 408; headers within 30 seconds.
// Content-Type must be text/xml (SOAP 1.1), with charset UTF-8 if a charset
// is given: otherwise 20012.
//
// XML: well-formed UTF-8 only; a DOCTYPE (so any entity declaration),
// undefined entities, processing instructions other than the XML
// declaration, undeclared prefixes and mixed content are refused with 20012.
// Comments are ignored. Elements nested more than 32 deep ("Elements nested
// deeper than 32 levels"; the deepest Marketo message nests 7) or more than
// 100,000 elements in a body are refused with 20012 as soon as the parser
// meets them. Parsing takes time linear in the body, however comments or
// white space cut it up.
//
// Envelope: Envelope, Header and Body in
// http://schemas.xmlsoap.org/soap/envelope/ (SOAP 1.2 is refused, 20012);
// Header, when present, first; nothing after Body. The Header holds
// AuthenticationHeader (and optionally MktowsContextHeader, ignored) in
// http://www.marketo.com/mktows/; other header entries are 20012. Body holds
// exactly one element paramsX in http://www.marketo.com/mktows/. Any prefix
// bound to the right namespace is accepted, including a default namespace
// that the children undo with xmlns="".
//
// Every child element, at every depth, must be UNQUALIFIED: a child in any
// namespace (as produced by a default xmlns="http://www.marketo.com/mktows/"
// on the params element) is 20012. Children must follow the schema order;
// scheduleCampaign accepts both programName, campaignName, campaignRunAt,
// cloneToProgramName, programTokenList and the 3_1 order with
// cloneToProgramName right after programName. Any other order, a repeated
// element or an unknown element is 20012.
//
// AuthenticationHeader children: mktowsUserId, requestSignature,
// requestTimestamp (missing: 20017), then optional partnerId, audit, mode
// (an int). requestSignature must be the lowercase hex HMAC-SHA1 of
// requestTimestamp+mktowsUserId keyed with the encryption key (see Sign); a
// wrong signature or an unknown user is 20014 (signature checked first).
// requestTimestamp must be exactly 2006-01-02T15:04:05-07:00: seconds and a
// numeric offset; "Z", fractional seconds, a missing offset or anything
// unparseable is 20016, as is a time more than the window away from the
// clock, in either direction.
//
// SOAPAction: optional; when sent it must be
// http://www.marketo.com/mktows/<operation> (quoted or not) for the
// operation in the Body, else 20012 (an empty "" is refused too).
//
// Operations: scheduleCampaign, requestCampaign, getCampaignsForSource,
// importToList and getImportToListStatus are implemented. Any other
// operation, whether one of the 18 other operations of Marketo's full WSDL
// (getLead, syncLead, ...) or a name Marketo never had (paramsDoMagic), is
// 20019 "not supported", after authentication: 20019 is the fault Marketo
// documents for an operation it does not serve, and the fake cannot tell a
// retired operation from a misspelt one. A Body element whose name does not
// start with "params" is not an operation request at all: 20012.
//
// Values: a required element that is missing, nil (xsi:nil="true") when not
// nillable, or an empty required name is 20109. A value not of its schema
// type (an int, a boolean "true|false|1|0", an enumeration, an xs:dateTime)
// is 20114; campaignRunAt must also carry a time zone (Z or offset). A
// well-formed value that is not acceptable is 20110.
//
// # Fault codes
//
// Faults are HTTP 500, Content-Type text/xml; charset=utf-8, in Marketo's
// shape: faultcode SOAP-ENV:Client (SOAP-ENV:Server for 10001 and 20011),
// faultstring "CODE - Title", detail/ns1:serviceException with name
// mktServiceException, message "text (CODE)" and code. Messages never
// contain the encryption key or a signature.
//
//	20012  malformed XML, wrong namespace/qualification/order, unknown element, SOAPAction mismatch, wrong Content-Type
//	20014  unknown user or bad signature
//	20015  daily quota exhausted; also the 11th clone of the day
//	20016  requestTimestamp unparseable or outside the signature window
//	20017  Body, params element, AuthenticationHeader or one of its required children missing
//	20019  operation not implemented by the fake (any paramsX but the five above)
//	20023  rate limit; 20024 too many calls in flight
//	20101  requestCampaign without lead keys; 20102 malformed lead key (empty, IDNUM not a number)
//	20103  requestCampaign: none of the lead keys matched a lead
//	20105  importToList header names an unknown lead field
//	20109  required parameter missing or empty
//	20110  bad parameter: campaignId mixed with names/tokens, only one of programName/campaignName,
//	       scheduling a non-batch campaign, requesting a campaign that is not a requestable trigger,
//	       token name not {{my.name}} or repeated, cloneToProgramName naming an existing program,
//	       import header without Email Address or with repeated columns, an import already
//	       PROCESSING for that list, getImportToListStatus for a list that had no import
//	20111  list not found in the program
//	20113  program or campaign not found (by name or id)
//	20114  value not of its schema type
//
// Codes are marketo.Code values, so tests use the SDK's names:
// srv.FailNext(1, marketo.CodeRateLimitExceeded), and Request.FaultCode
// compares with marketo.CodeCampaignNotFound. FailNext can answer any code.
//
// # Limits
//
// DefaultLimits: 100 calls in any rolling 20 s (the 101st is 20023), 10
// calls in flight (the 11th is 20024), 10,000 calls a day (then 20015), 10
// scheduleCampaign calls with cloneToProgramName a day (the 11th is 20015).
// Days are calendar days in America/Chicago and reset at its midnight. Each
// limit is set by WithLimits; a value <= 0 disables it. The in-flight limit
// is checked once the request has arrived whole, before anything else: a
// client still sending its body holds no slot (see the 1-minute body timeout
// above). Stalled or delayed calls count as in flight. Daily quota and rate
// are checked right after authentication. Counted: every authenticated call
// that passes these checks, including calls that then fault on their
// parameters. Not counted: calls refused by authentication, by a limit, or
// answered by fault injection. Only clones that succeed use up the clone
// allowance.
//
// # Tenant model
//
// Programs have My Tokens ("{{my.name}}" → value; names may contain
// spaces), smart campaigns and static lists; leads have an ID, an email and
// fields keyed by display name (StandardLeadFields plus AddLeadField).
// Campaigns are Batch or Trigger; a Trigger campaign can be Requestable
// ("Campaign is Requested" trigger). Campaign IDs are unique in the tenant.
//
// scheduleCampaign runs Batch campaigns only and records a Run: RunAt is
// campaignRunAt or the call time. cloneToProgramName copies the program
// (tokens, campaigns with new IDs, lists with their members) under the new
// name and runs the copy's campaign (Run.Cloned, Run.CloneOf).
//
// requestCampaign runs requestable Trigger campaigns, by campaignId alone or
// by programName+campaignName (optionally with programTokenList). Lead keys
// past the 100th are ignored, as Marketo does (Run.LeadKeysIgnored). IDNUM
// matches the lead ID, EMAIL the email (case-insensitive), the other key
// types the fields Cookie, Lead Owner Email Address, SFDC Account ID, SFDC
// Contact ID, SFDC Lead ID, SFDC Lead Owner ID, SFDC Opportunity ID. Keys
// that match no lead are skipped and listed in Run.LeadsNotFound; if none
// matches, the call is 20103. Both sources (MKTOWS, SALES) see the same
// campaigns.
//
// getCampaignsForSource lists requestable Trigger campaigns only, sorted by
// name then id; name filters by case-insensitive substring, or equality with
// exactName true. An empty description is written <description />; no match
// gives returnCount 0 and a nil campaignRecordList.
//
// importToList: the header is CSV of lead field display names (Email Address
// required), optionally followed by {{my.x}} token columns, which require
// campaignName. Rows are parsed with encoding/csv (quotes, commas,
// newlines); a row with the wrong number of fields or no email counts as
// failed. The import stays PROCESSING for the import duration on the clock,
// then completes: UPSERTLEADS creates or updates leads by Email Address and
// adds them to the list; LISTONLY adds existing leads only (others are
// ignored); clearList empties the list first. Token columns are bound to the
// campaign's next run (scheduleCampaign or requestCampaign, or its clone),
// then discarded. getImportToListStatus reports the list's latest import:
// while PROCESSING endedTime and importSummary are nil and estimatedTime is
// the seconds left; once COMPLETE estimatedTime is nil. Times are written in
// US Central time with their offset.
//
// Token precedence for a run: per-lead importToList columns, then the tokens
// passed to the call, then the program's My Tokens (Run.LeadTokens,
// Run.Tokens). Overrides apply to that run only. Token names are not
// case-sensitive ({{my.Message}} sets {{my.message}}; giving both in one
// call is a repeat, 20110). A token the program does
// not define, passed to a call or as an import column, is ignored (as
// Marketo does) and recorded in Run.IgnoredTokens or Import.IgnoredTokens;
// a token name not of the form {{my.name}} is refused (20110).
//
// # Default tenant and seeds
//
// Unless WithEmptyTenant is given the tenant holds DefaultSeed: program
// Trav-Demo-Program with batch campaign "Batch Campaign Example" (1001),
// requestable trigger campaigns "Trigger Campaign Example" (1002) and
// "Welcome Email Trigger" (1003), non-requestable trigger "Form Fill
// Trigger" (1004), My Tokens {{my.message}} = "Default message" and
// {{my.other token}} = "Default other token", static list Trav-Test-List
// (member lead 1), and leads 1 jdoe@janeconsulting.com, 2
// dawesomesauce@marketo.com, 3 sam@example.com.
//
// Seed with AddProgram, SetProgramToken, AddCampaign, AddList, AddLeadField,
// AddLead, AddListMember, AddListMemberByEmail (duplicates are errors), or a
// Seed (ApplySeed, WithSeed). The JSON seed format (LoadSeed; unknown keys
// are refused):
//
//	{
//	  "leadFields": ["Shoe Size"],
//	  "leads": [{"id": 1, "email": "a@example.com", "fields": {"First Name": "Ann"}}],
//	  "programs": [{
//	    "name": "Webinar",
//	    "tokens": {"{{my.title}}": "Go"},
//	    "campaigns": [
//	      {"id": 2001, "name": "Invite", "type": "batch"},
//	      {"name": "Register", "type": "trigger", "requestable": true, "description": "Sign-up"}
//	    ],
//	    "lists": [{"name": "Attendees", "members": ["a@example.com"]}]
//	  }]
//	}
//
// Omitted ids are assigned. Leads are added before programs so lists can
// name them by email.
//
// # Inspection
//
// Runs, Requests (operation, clock time, body with the signature redacted,
// HTTP status, fault code and message, injection), Programs, Program,
// Leads, ListMembers, Imports and Usage (limit counters) return snapshots.
// Everything is safe for concurrent use.
//
// Requests keeps the 10,000 most recent requests, each body cut to its
// first 16 KiB (Request.BodySize gives the whole size): at most about
// 160 MiB, however long the fake runs. WithRequestLog(n, bodyBytes)
// changes both.
//
// # Fault injection
//
// FailNext(n, code) answers the next n calls with that fault; DropNext(n)
// starts a 200 response, writes part of the body and closes the connection;
// GarbageNext(n, g) answers an HTML 502, a non-XML 200 or a non-SOAP XML
// 200. Queued injections apply in the order added, to calls that passed the
// in-flight check; the calls themselves are not run or counted.
// DropAnswerNext(n) and StallAnswerNext(n) queue up the same way but let
// the call run (checked, counted, its run recorded) and then lose the
// answer: the connection is closed without a response, or the answer is
// held until the client gives up. They make failures whose outcome the
// client cannot know although the call ran.
// SetLatency(d) delays every call by real time d; Stall() holds every call
// until release is called (the calls then run normally). A call whose
// client gives up while it is delayed or held is not run, counted or
// recorded. ClearInjections
// empties the queue and removes the latency.
package marketotest
