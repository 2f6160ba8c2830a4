// Package marketotest is a fake Marketo tenant for tests: it speaks the
// SOAP API ("mktows") and the REST API over one tenant (see "REST API"
// below).
//
// Adobe has switched the real SOAP API off, so this fake is the only peer the
// SDK can be tested against. It is deliberately as strict as the real
// service: it has its own XML and JSON parsing, signature check, token
// issuing and response writers (none of them shared with the SDK; it uses
// only the SDK's public types, such as marketo.Code, so tests name codes as
// the SDK does), and it refuses what Marketo refused with the fault Marketo
// answered.
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
// WithLogger (one line per call and one per run started; never
// credentials or signatures),
// WithRequestLog (what Requests keeps), WithRESTCredentials, WithRESTLimits.
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
// (real time) of its headers, else 408; headers within 30 seconds (see
// "Connections" below for every timeout).
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
// SOAP's limits (REST's, counted apart, are under "REST API" below).
// DefaultLimits: 100 calls in any rolling 20 s (the 101st is 20023), 10
// calls in flight (the 11th is 20024), 10,000 calls a day (then 20015), 10
// scheduleCampaign calls with cloneToProgramName a day (the 11th is 20015).
// Days are calendar days in America/Chicago and reset at its midnight. Each
// limit is set by WithLimits; a value <= 0 disables it. The in-flight limit
// is checked once the request has arrived whole, before anything else: a
// client still sending its body holds no slot (see the 1-minute body timeout
// above). Stalled or delayed calls count as in flight; a call leaves
// flight when its answer starts, so a client slow to read a large answer
// holds no slot. Daily quota and rate
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
// ("Campaign is Requested" trigger) and Inactive (deactivated: it cannot be
// requested on either API, 1003 on REST and 20110 on SOAP, the codes each
// API gives a campaign it cannot trigger, and listings of requestable
// campaigns leave it out; whether Marketo words it differently is not
// documented). Campaign IDs are unique in the tenant.
//
// Folders hold campaigns and static lists outside any program, as real
// tenants keep most of theirs (AddFolder, Campaign.Folder, AddFolderList;
// Folders and Folder inspect them). A folder has My Tokens like a program;
// a folder's campaign runs with the folder's tokens (Run.Folder set,
// Run.Program empty). A folder is never a program: no programName filter
// or SOAP programName finds it, and a program and a folder may share a
// name. On REST, folder assets are found by name or ID alone and their
// records have no programName or programId key (real records of folder
// assets lack both). On SOAP, SOAP's rules stay: scheduleCampaign and
// importToList need a programName, so folder assets are out of their
// reach; requestCampaign by campaignId reaches a folder campaign, and
// getCampaignsForSource lists requestable folder campaigns beside the
// programs' (SOAP never said where a campaign lives).
//
// A program can hold assets cloneToProgramName cannot copy
// (AddUncloneableAsset, one of UncloneableAssetTypes, after Adobe's list:
// snippets, push notifications, in-app messages, static lists, reports,
// social assets): a schedule with cloneToProgramName of its campaigns is
// refused, 709 "Business Rule Violation" on REST (the code Adobe gives for
// this case) and 20110 on SOAP, nothing cloned and no clone allowance
// used. A campaign in a folder has no program to clone: cloneToProgramName
// on it is 709 too (undocumented; the fake refuses rather than clone
// nothing). The rule is opt-in: the fake does not infer it from the static
// lists a program holds (Adobe lists static lists among the blockers, yet
// SOAP-era workflows cloned such programs, and the default tenant's
// program, which holds one, stays cloneable so those workflows can be
// tested); seed "Static List" to model a tenant that refuses.
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
// # REST API
//
// The same Server answers Marketo's REST API on the same port, over the same
// tenant: a campaign has one ID on both APIs, a lead one ID, and runs,
// requests, injections and inspection cover both. RESTConfig returns the
// endpoint (URL+"/rest"), the identity URL (URL+"/identity") and the client
// ID and secret the fake accepts (random unless WithRESTCredentials is
// given). Implemented: GET or POST /identity/oauth/token,
// GET /rest/v1/campaigns.json, GET /rest/v1/campaigns/{id}.json,
// POST /rest/v1/campaigns/{id}/schedule.json,
// POST /rest/v1/campaigns/{id}/trigger.json, GET /rest/v1/leads.json,
// GET /rest/v1/leads/describe.json, GET /rest/v1/leads/describe2.json,
// GET /rest/v1/lists.json, POST /rest/v1/lists/{id}/leads.json, the asset
// API's GET /rest/asset/v1/smartCampaign/{id}.json and
// GET /rest/asset/v1/staticList/byName.json, and the bulk lead import
// beside /rest: POST /bulk/v1/leads.json, GET /bulk/v1/leads/batch/{id}.json
// and its failures.json and warnings.json.
//
// Every REST answer, error or not, is HTTP 200 with Content-Type
// application/json;charset=UTF-8 and Marketo's envelope (the asset API's
// has its own shape; see Asset API below):
// {"requestId":"a001#18e2…","result":[…],"success":true} and, when more
// records follow, "nextPageToken"; an error is {"requestId":…,"success":false,
// "errors":[{"code":"601","message":"Access token invalid"}]}, the code a JSON
// string as Marketo sends it. Only the gateway answers otherwise: a request
// URI over 8 KB is HTTP 414, a body over 1 MB (1,000,000 bytes) HTTP 413,
// both with a plain text body.
//
// Checks, in this order: URI length (414); identity calls (below); for a
// call without a live token, path and method (610, 605) and then the token
// (600, 601, 602), answered before a byte of the body is read (so a client
// without a token cannot make the fake read and hold a 10 MB body; the
// refused call is recorded without its body, and a large unread body ends
// the connection after the answer); the body (413 over 1 MB, 408 when it
// takes longer than a minute to arrive, as on SOAP); calls in flight (615);
// Stall and SetLatency (a call whose client
// gives up meanwhile is not run, counted or recorded); fault injection; path
// (610) and method (605; see Method override); the access token (601,
// 602); daily quota (607) and rate (606); Content-Type (612:
// application/json, charset UTF-8 if given, for schedule and trigger; the
// form type for _method=GET with a body); JSON (609); then the operation's
// parameters.
//
// Method override: a POST with _method=GET is the GET of its path,
// Marketo's way around the URI limit, wherever the client puts _method: in
// the query (Adobe's form; the parameters then in the query, an
// application/x-www-form-urlencoded body or both, repeated keys adding
// up), or in a form body (marketo-rest-python's lead lookup sends
// "_method=GET&filterType=…" with no query). The value's case does not
// matter; a value naming another method than the path's is 605. A POST
// with _method=GET and no body needs no Content-Type. A JSON body may
// carry "_method" too (node-marketo-rest sends "_method":"POST" beside
// "input" in trigger.json): it must name the path's own method (605
// otherwise: a JSON body cannot make a GET, which has no body to read) and
// is dropped before the strict decoding below; every other unknown key
// stays 609. The body of a real GET is ignored, as Java servlet containers
// ignore it (node-marketo-rest 0.7.8's campaign listing sends its filters
// there, so they filter nothing, on the fake as on Marketo by that
// reading; undocumented).
//
// Identity: grant_type=client_credentials, client_id and client_secret, in
// the query (GET or POST) or in a form body (POST). The answer is
// {"access_token":"<uuid>:int","token_type":"bearer","expires_in":3599,
// "scope":"apis@marketotest"}. A token lives TokenLifetime (an hour) on the
// fake's clock; asking again before it expires returns the same token, its
// expires_in the whole seconds strictly less than the time left (so 3599 for
// a new one, as Marketo answers). A wrong secret is HTTP 401
// {"error":"unauthorized","error_description":"Bad Client Credentials"}, an
// unknown client ID 401 {"error":"invalid_client","error_description":"No
// client with requested id"}, a missing or other grant type HTTP 400
// (invalid_request, unsupported_grant_type), another method 405, another
// /identity path 404. Identity calls are not limited or counted, and queued
// injections skip them (Stall and SetLatency do hold them), so FailNext
// reaches the API call a test aims at.
//
// Tokens: exactly one "Authorization: Bearer <token>" header (the scheme in
// any case). No header, or "Bearer" with no token after it, is 600 "Access
// token empty" (Adobe's code for an empty token; the SDK never sends one);
// two headers, another scheme or an unknown token is 601; an access_token
// query parameter is 601 even beside a good header
// (Marketo stopped accepting it there). The first use of an expired token is
// 602; the fake then forgets it, so later uses are 601. ExpireAccessTokens
// expires every token issued so far, for tests on the real clock.
//
// Limits: REST counts apart from SOAP, with WithRESTLimits
// (DefaultRESTLimits: 100 calls in any rolling 20 s → 606, 10 in flight →
// 615, 50,000 calls a US Central day → 607, 20 schedules with
// cloneToProgramName a day → 1020). Counted: every call that passes the
// token check and the limits, including calls that then fail on their
// parameters; not counted: calls refused before (414, 413, 408, 610, 605,
// 600, 601, 602), by a limit, or answered by injection, and identity calls.
// As on SOAP, a call is in flight from the arrival of its whole body to the
// start of its answer. RESTUsage shows the counters.
//
// campaigns.json: filters id, name, programName, workspaceName (each a
// comma-separated list; a record matches any value) and isTriggerable
// (true: active requestable trigger campaigns); every filter given must
// match. name matches as a case-insensitive substring: whether Marketo matches
// exactly is not documented, and the looser reading makes a client that
// needs an exact name compare names itself. Records: id, name, description,
// type ("batch" or "trigger"), programName and programId (Program.ID;
// both absent for a campaign in a folder), workspaceName ("Default", the
// only workspace), createdAt and updatedAt (both the creation time on the
// fake's clock, UTC, stable per campaign: edits are not tracked), active
// (true for trigger campaigns that are not Inactive; batch campaigns read
// false, as in recorded answers of unscheduled batch campaigns), sorted by
// id.
//
// campaigns/{id}.json: the campaign's campaigns.json record, alone; an
// unknown ID is 1013 (undocumented: the fake answers as schedule.json and
// trigger.json do for an unknown campaign, rather than an empty success).
// Extra query parameters (marketo-rest-python repeats ?id=) are ignored.
//
// Paging (campaigns.json, leads.json): batchSize 1–300, default 300 (other
// numbers 1003, not a number 1001). nextPageToken is opaque (base32 with
// "=" padding, like Marketo's) and present only when another page follows,
// even after a full page; a token that is malformed or from another listing
// is 1003. No moreResult field.
//
// schedule.json: the body is optional (Adobe's OpenAPI file: required
// false): no body, an empty or white-space body (with any Content-Type, or
// none), {} and {"input":{}} all schedule a run five minutes later, and an
// unknown campaign is then 1013 as with a body. A body holds
// {"input":{"runAt","cloneToProgramName","tokens":[{"name","value"}]}},
// every key optional. Keys the API does not define are 609, as are values
// of the wrong JSON type: whether Marketo ignores unknown keys is not
// documented, and refusing them keeps a misspelt key ("cloneToProgram", as
// Adobe's prose has it) from being dropped silently. runAt: ISO 8601 with an offset
// ("2026-12-01T18:05:00+0000" or RFC 3339), else 1001; more than two years
// after the call 1042. The run waits at least MinScheduleDelay (five
// minutes): without runAt, or with a runAt sooner than that (even in the
// past), Run.RunAt is the call time plus five minutes; whether Marketo
// refuses such a runAt is not documented. Unknown campaign 1013; a trigger
// campaign 1003. cloneToProgramName: empty or naming an existing program
// 1003; a program holding uncloneable assets, or a campaign in a folder,
// 709 (see Tenant model); the 21st clone of a US Central day 1020 (nothing
// cloned); the clone is made as on SOAP and its campaign runs. Tokens as on SOAP (names
// {{my.name}}, not repeated ignoring case, else 1003; names the program
// does not define are ignored and listed in Run.IgnoredTokens). The result
// is [{"id":<the id in the path>}], also when a clone ran.
//
// trigger.json: {"input":{"leads":[{"id":1}],"tokens":[…]}} (a body is
// required: none is 609), leads required
// (none, or one without id: 701), at most MaxTriggerLeads leads and
// MaxTriggerTokens tokens (more: 1003, where SOAP ignored leads past the
// 100th). Unknown campaign 1013; a batch campaign, a trigger campaign
// without a "Campaign is Requested" trigger, or an inactive one, 1003
// (REST.md: "the campaign must be active and requestable"; Adobe gives 1003
// for a trigger it cannot run, so the fake gives no other code). Leads are REST lead IDs;
// if any does not exist the call fails with one 1004 error per missing lead
// ("Lead 77 not found") and nothing runs (Marketo's answer is not
// documented; this way a client never believes a missing lead was
// triggered). Repeated IDs run once. Run.RunAt is the call time; Run.Source
// is empty.
//
// leads.json: filterType (required, 701) is id or the REST name of a lead
// field the tenant knows (RESTFieldName: "Email Address" is email, "SFDC
// Lead ID" sfdcLeadId, "Cookie" cookies, a field added with AddLeadField
// "Shoe Size" shoeSize), case-sensitive, else 1003. filterValues: required
// (701), comma-separated, at most MaxFilterValues (300; more 1003), ids
// must be integers (1001); emails match ignoring case, other fields
// exactly. More than MaxLeadMatches (1,000) matching leads is 1003. fields:
// REST names (an unknown one 1006); default id, firstName, lastName, email,
// updatedAt, createdAt. Records always hold id; an empty field is null;
// updatedAt is the creation time (updates are not tracked). Sorted by id.
//
// describe.json: the lead ID field (REST name id, read-only), then every
// field of the tenant in display-name order, each with its REST name
// (RESTFieldName), its SOAP name (the display name without spaces), data
// type string (email for Email Address) and length MaxFieldLength.
//
// describe2.json: one record {"name":"API Lead","searchableFields":[…],
// "fields":[…]}: the fields of describe.json under their REST names
// (name, displayName, dataType, length, updateable: false for id only,
// crmManaged false), each searchable alone. Marketo's searchableFields
// lists only its indexed fields; the fake's leads.json filters on any
// field, so it lists every one.
//
// Asset API: answers in the asset envelope, {"success":…,"errors":[],
// "requestId":…,"warnings":[],"result":[…]}, errors and warnings always
// present and warnings plain strings. A lookup that finds nothing is a
// success without result and the warning "No assets found for the given
// search criteria." (as Marketo's asset API answers). A call refused before
// the operation (token, limits, injection) keeps the lead database
// envelope: which envelope Marketo's gateway uses on asset paths is not
// documented, and clients read success and errors alike. Times are written
// "2026-03-10T16:00:00Z+0000", the asset API's form. An asset's folder is
// {"id":<program ID>,"type":"Program"} or {"id":<folder ID>,"type":"Folder"}
// (folder IDs from 101, a numbering apart from programs').
// smartCampaign/{id}.json: id, name, description, createdAt, updatedAt,
// folder, status (trigger: "Active" or "Inactive"; batch: "Never Run"
// until a run was started, then "Single Run"; the fake has no recurring
// schedules), type, isSystem false, isActive (an active trigger campaign),
// isRequestable, isCommunicationLimitEnabled false, recurrence
// {"weekdayOnly":false}, qualificationRuleType "once", workspace
// "Default", smartListId and flowId (the campaign's ID; the fake has no
// smart lists or flows of its own) and computedUrl (the fake's URL +
// "/#SC<id>A1"). staticList/byName.json: name required (701), matched
// exactly and case-sensitively (Adobe: "an exact match"); the record holds
// id (the lists.json ID), name, createdAt, updatedAt, folder and
// computedUrl ("/#ST<id>A1"). Marketo keeps list names unique; when lists
// of several programs or folders share a name in the fake, the lowest ID
// is answered.
//
// lists.json: static lists, each with a REST ID assigned from 1001 the
// first time the REST API sees it, programs' lists first then folders', in
// creation order, and kept. Filters id, name (a case-insensitive
// substring, as on campaigns.json), programName (never matching a folder's
// list) and workspaceName; paged as above; sorted by id. Records: id,
// name, description (empty), programName (absent in a folder),
// workspaceName, createdAt and updatedAt (the list's creation time, stable;
// membership changes do not move updatedAt). lists/{id}/leads.json: {"input":[{"id":1}]}, 1 to
// MaxListLeads (300) leads (none: 701, more: 1003); an unknown list 1013;
// each lead is "added" (a member already: added all the same) or
// "skipped" with reason 1004 when no lead has the ID.
//
// Bulk import: POST /bulk/v1/leads.json takes multipart/form-data (another
// type 612, a body that is not multipart 613) of at most MaxBulkBody, 10 MB
// counted as 10,000,000 bytes (the stricter reading, as for the 1 MB limit;
// over it HTTP 413), with format csv, tsv or ssv (else 1003), the file
// (none: 701), an optional listId (unknown: 1013) and lookupField email
// (the default; the fake takes no other, 1003), each parameter as a query
// parameter (Adobe's OpenAPI file; marketo-rest-python) or a multipart
// form field (Adobe's curl example), the two adding up. The file's header holds
// REST field names the tenant knows (1006 otherwise), email among them
// (1003), none twice. Jobs queue first in, first out: MaxBulkImporting (2)
// run at once, each for the import duration on the clock
// (WithImportDuration), the others wait Queued; with MaxBulkQueued (10)
// queued or running the next is 1016, and while a job for the same list is
// queued or running another is 1019 (whether Marketo also refuses a second
// job for a list that is only queued is not documented; the stricter
// reading makes a client that splits an import wait for its own jobs). The
// answer is [{"batchId":3404,"importId":"3404","status":"Queued"}]
// ("Importing" when a slot was free). Rows are applied when the job ends,
// to the same tenant SOAP's importToList changes: leads upserted by email
// and added to the list. A row without an email fails ("Value for lookup
// field 'email' not found"), as does one with another number of fields; a
// value longer than MaxFieldLength is truncated with a warning; a file
// without rows fails the job. batch/{id}.json answers batchId, importId,
// status (Queued, Importing, Complete, Failed), numOfLeadsProcessed,
// numOfRowsFailed, numOfRowsWithWarning (0 until the job ends) and a
// message in Marketo's words; failures.json and warnings.json answer CSV
// (text/csv) with the file's header and an "Import Failure Reason" or
// "Import Warning Reason" column (Marketo has been seen to leave out an
// empty lookup column; the fake keeps every column). A batch ID older than
// BatchLifetime (7 days) is 1013, as is an unknown one. BulkImports shows
// the jobs.
//
// A bulk body is parsed as it arrives, not read whole first: the file is
// copied once, into a buffer sized from Content-Length, checked as CSV
// without building its rows, and kept as sent until the job is applied
// (the request log keeps only its head). A 9.5 MB import allocates about
// its size (BenchmarkRESTBulkImportMemory; TestRESTBulkImportMemoryIsBounded
// holds it under twice), and a queued job holds its file once. Its checks
// and their order are those of a body read whole: 413 and 408 first, then
// the token, the limits, 612 and 613.
//
// Other codes: an unknown path under /rest, or a campaign ID in the path
// that is not a number, 610; a known path with another method 605.
//
// Messages: a code answered without a more specific text (a limit, an
// injected fault) carries Marketo's standard message from one table
// (codeTexts in fault_table.go), in the words of Adobe's error-code table and of recorded
// answers: 606 is "Max rate limit '100' exceeded with in '20' secs" (the
// numbers are the configured window's), 601 "Access token invalid", 1013
// "Object not found". Errors about a given object carry a specific text
// ("Campaign 77 not found"): Marketo's exact wording of those is not
// documented, and clients read the code.
//
// Requests and runs: Request.API and Run.API say which API a call came
// through. REST requests record Method, Path, Query (client_secret and
// access_token replaced by REDACTED) and Body (a form body redacted the same
// way); Operation is "identity", "getCampaigns", "getCampaign",
// "scheduleCampaign" (schedule.json), "requestCampaign" (trigger.json),
// "getLeads", "describeLeads", "describeLeads2", "getLists", "addToList",
// "getSmartCampaign", "getStaticListByName", "importLeads",
// "getImportStatus", "getImportFailures" or "getImportWarnings", so that
// scheduleCampaign and requestCampaign read the same on both APIs; FaultCode
// and FaultMessage hold the first error (an identity refusal: HTTPStatus,
// and FaultMessage "error: description"). Runs of schedule.json and
// trigger.json are recorded exactly as their SOAP counterparts
// (Operation "scheduleCampaign", "requestCampaign"), tokens applied, clone
// made, leads triggered.
//
// Real clients: the request forms of marketo-rest-python (recorded from a
// run against the fake, replayed from testdata/clients by
// TestMarketoRestPythonGoldenRequests) and of node-marketo-rest 0.7.8
// (installed with npm and run against cmd/marketo-fake by that command's
// TestNodeMarketoRestDrivesTheCommand) are accepted, and what Marketo
// refuses (a trigger on a batch campaign, a missing campaign) is refused
// with Marketo's code.
//
// Fault injection covers REST calls in REST's shape: FailNext(n, code)
// answers the REST error envelope (HTTP 200). A SOAP code with a REST
// counterpart is mapped (20023 → 606, 20024 → 615, 20015 → 607, 20014 →
// 601, 20013 → 603, 10001 and 20011 → 611, 20113 and 20111 → 1013, 20103 →
// 1004), so one test reads the same on both APIs; any other code (REST
// codes included) is sent as given, with Marketo's standard message.
// DropNext cuts a JSON answer short; GarbageNext answers an HTML 502, a 200
// JSON answer that is not JSON (GarbageNotXML) or JSON that is not the
// envelope (GarbageWrongXML); DropAnswerNext and StallAnswerNext run the
// call and lose its answer. The queue is shared: an injection applies to
// the next call on either API.
//
// # Default tenant and seeds
//
// Unless WithEmptyTenant is given the tenant holds DefaultSeed: program
// Trav-Demo-Program with batch campaign "Batch Campaign Example" (1001),
// requestable trigger campaigns "Trigger Campaign Example" (1002) and
// "Welcome Email Trigger" (1003), non-requestable trigger "Form Fill
// Trigger" (1004), My Tokens {{my.message}} = "Default message" and
// {{my.other token}} = "Default other token", static list Trav-Test-List
// (member lead 1); folder Operational Campaigns (no program; ID 101; My
// Token {{my.message}} = "Folder message") with batch campaign "Monthly
// Newsletter Send" (1005), inactive requestable trigger campaign "Paused
// Request Trigger" (1006) and static list Newsletter Subscribers (member
// lead 2); and leads 1 jdoe@janeconsulting.com, 2
// dawesomesauce@marketo.com, 3 sam@example.com. The folder holds no
// triggerable campaign, so listings of requestable campaigns show the
// program's alone.
//
// Seed with AddProgram, AddFolder, SetProgramToken, AddUncloneableAsset,
// AddCampaign, AddList, AddFolderList, AddLeadField, AddLead,
// AddListMember, AddFolderListMember, AddListMemberByEmail (duplicates are
// errors), or a Seed (ApplySeed, WithSeed). The JSON seed format (LoadSeed;
// unknown keys are refused; "active" is for trigger campaigns only, absent
// meaning active):
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
//	    "lists": [{"name": "Attendees", "members": ["a@example.com"]}],
//	    "uncloneableAssets": ["Push Notification"]
//	  }],
//	  "folders": [{
//	    "name": "Operational",
//	    "tokens": {"{{my.title}}": "Ops"},
//	    "campaigns": [{"name": "Scoring", "type": "trigger", "requestable": true, "active": false}],
//	    "lists": [{"name": "Subscribers", "members": ["a@example.com"]}]
//	  }]
//	}
//
// Omitted ids are assigned. Leads are added before programs and folders so
// lists can name them by email.
//
// # Inspection
//
// Runs, Requests (operation, clock time, body with the signature redacted,
// HTTP status, fault code and message, injection), Programs, Program,
// Folders, Folder, Leads, ListMembers, Imports, BulkImports, Usage and
// RESTUsage (limit counters) return snapshots.
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
//
// # Adding an operation
//
// The tenant's rules live apart from the two APIs' wire: an operation's
// rule takes found objects and plain values and refuses with a domainErr
// (what broke, and the facts), and each API's front reads its parameters,
// calls the rule and words a refusal from the one fault table
// (fault_table.go: codeTexts for every code's standard text, domainFaults
// for each refusal's SOAP code and text beside its REST code and text).
// An operation on both APIs touches three files besides its tests:
//
//   - op_<name>.go: the rule and both fronts, as op_schedule.go
//     (schedule, scheduleCampaign, restSchedule) and op_request.go do;
//     lookups shared by operations (findProgram, findCampaign,
//     findCampaignID, findList) are the tenant's, in tenant.go;
//   - operations.go: the SOAP row, its params schema and handler;
//   - rest_server.go: the REST route row, path, method, body and handler.
//
// A new kind of refusal adds a row to domainFaults (fault_table.go), with
// words for both APIs; an operation that is a new SDK method adds its
// Target (inject_target.go). The WSDL the fake serves is the SDK's
// (internal/wsdl), not the fake's.
//
// # Connections
//
// The fake defends itself as a server on the open network would, so that
// no client, careless or hostile, can stall it for the others. These
// choices are the fake's own (Marketo documents none of them):
//
//   - Headers must arrive within 30 seconds (ReadHeaderTimeout), on a new
//     connection as on a kept-alive one once the request's first byte has
//     come: a connection that sends nothing, or its headers a byte at a
//     time, is closed.
//   - A body must arrive within 1 minute of its headers, else 408 (see
//     "Protocol rules"); an identity form body too (else 400
//     invalid_request). The bound holds as well for what is left of a body
//     the fake does not read (a REST call refused for its token, a 408):
//     net/http drains up to 256 KB of it, and a slow client is cut off
//     rather than waited for. There is no ReadTimeout beside it: that would
//     count the time a call is held (Stall, SetLatency) and cut it off.
//   - A kept-alive connection idle for 2 minutes between requests is
//     closed (IdleTimeout). That is longer than the 90 seconds after which
//     the SDK (and net/http's default transport) closes an idle connection
//     itself, so the fake never closes one a client is about to send a call
//     on, which would leave that call's outcome unknown.
//   - An answer must be written within 1 minute of its first byte, else the
//     connection is closed: a client that never reads a large answer (a
//     failures file can be many times the size of its import) holds its
//     handler for a minute at most, and its in-flight slot not at all (a
//     call leaves flight when its answer starts). A failures or warnings
//     file is written from the job's rows, never copied whole, so answers
//     waiting for their clients hold no copy of it. There is no
//     WriteTimeout: it would run from the request's headers, so cut the
//     answer of a call held on purpose by Stall, SetLatency or
//     StallAnswerNext.
//   - At most 512 connections are held at once, far more than a client
//     needs with 10 calls in flight, and well under the 1,024 descriptors a
//     process is often limited to. At the cap a new connection takes the
//     place of the one that has waited longest without a request (idle, or
//     new and silent), which is closed; if every connection is busy with a
//     request, the new one waits to be accepted until one is not. A flood
//     of idle connections thus cannot lock a real call out.
package marketotest
