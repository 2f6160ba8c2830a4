package marketo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// CampaignSource is the source that requests a campaign or whose campaigns
// are listed: the web service API or Sales Insight.
type CampaignSource string

// The campaign sources Marketo accepts.
const (
	// SourceMKTOWS is the web service API, the source of campaigns with a
	// "Campaign is Requested" trigger whose source is Web Service API.
	SourceMKTOWS CampaignSource = "MKTOWS"
	// SourceSales is Marketo Sales Insight.
	SourceSales CampaignSource = "SALES"
)

// wire returns the source to send: SourceMKTOWS for the empty source.
func (s CampaignSource) wire(field string, errs []error) (string, []error) {
	switch s {
	case "":
		return string(SourceMKTOWS), errs
	case SourceMKTOWS, SourceSales:
		return string(s), errs
	}
	return "", append(errs, &ValidationError{Field: field, Rule: fmt.Sprintf("%q is not a campaign source; want MKTOWS or SALES", string(s))})
}

// LeadKeyType is the kind of value that identifies a lead in a LeadKey.
type LeadKeyType string

// The lead key types Marketo accepts.
const (
	LeadKeyIDNum           LeadKeyType = "IDNUM"           // the Marketo lead ID, a positive integer
	LeadKeyCookie          LeadKeyType = "COOKIE"          // the Munchkin tracking cookie
	LeadKeyEmail           LeadKeyType = "EMAIL"           // the lead's email address
	LeadKeyLeadOwnerEmail  LeadKeyType = "LEADOWNEREMAIL"  // the email address of the lead's owner
	LeadKeySFDCAccountID   LeadKeyType = "SFDCACCOUNTID"   // the Salesforce account ID
	LeadKeySFDCContactID   LeadKeyType = "SFDCCONTACTID"   // the Salesforce contact ID
	LeadKeySFDCLeadID      LeadKeyType = "SFDCLEADID"      // the Salesforce lead ID
	LeadKeySFDCLeadOwnerID LeadKeyType = "SFDCLEADOWNERID" // the Salesforce ID of the lead's owner
	LeadKeySFDCOpptyID     LeadKeyType = "SFDCOPPTYID"     // the Salesforce opportunity ID
)

func (t LeadKeyType) known() bool {
	switch t {
	case LeadKeyIDNum, LeadKeyCookie, LeadKeyEmail, LeadKeyLeadOwnerEmail, LeadKeySFDCAccountID,
		LeadKeySFDCContactID, LeadKeySFDCLeadID, LeadKeySFDCLeadOwnerID, LeadKeySFDCOpptyID:
		return true
	}
	return false
}

// LeadKey identifies one lead, e.g. LeadKey{Type: LeadKeyEmail, Value:
// "jdoe@example.com"}.
type LeadKey struct {
	Type  LeadKeyType // Required; one of the LeadKey… constants.
	Value string      // Required; sent byte for byte.
}

// MaxRequestCampaignLeads is the most lead keys one RequestCampaign call
// takes. Marketo ignores the keys after the first 100 without an error, so
// the SDK refuses a longer list instead of sending it.
const MaxRequestCampaignLeads = 100

// RequestCampaignParams are the parameters of RequestCampaign. The campaign
// is named either by CampaignID alone, or by ProgramName and CampaignName
// (with optional Tokens), or on REST by CampaignName alone; any other
// combination is refused before sending.
type RequestCampaignParams struct {
	// Source is the requesting source. The empty value means SourceMKTOWS.
	Source CampaignSource
	// CampaignID is the ID of the trigger campaign to run (see
	// GetCampaignsForSource). Zero means the campaign is named by
	// ProgramName and CampaignName instead.
	CampaignID int
	// ProgramName is the program that contains the campaign. Required on
	// SOAP when CampaignID is zero. On REST it is optional: without it the
	// campaign is found by CampaignName alone, wherever it lives, and a
	// name that several campaigns carry is an *AmbiguousNameError. Must be
	// empty when CampaignID is set.
	ProgramName string
	// CampaignName is the trigger campaign to run. Required when CampaignID
	// is zero; must be empty otherwise.
	CampaignName string
	// Leads are the leads the campaign runs for. Required: between 1 and
	// MaxRequestCampaignLeads keys. Split larger sets over several calls.
	//
	// REST triggers campaigns for lead IDs: IDNUM keys are sent as they
	// are, and EMAIL, SFDCLEADID and SFDCCONTACTID keys are looked up first
	// (GET /rest/v1/leads.json). A key that matches no lead, or several,
	// fails the call with a *LeadLookupError before anything is triggered.
	// REST cannot look leads up by the other key types; a REST client
	// refuses them.
	Leads []LeadKey
	// Tokens override the program's My Tokens for this run only, in this
	// order. On SOAP they are allowed only with ProgramName and
	// CampaignName; on REST also with CampaignID, at most
	// MaxRequestCampaignTokens. See Token for the name rules.
	Tokens []Token
}

// RequestCampaignResult is what Marketo accepted.
type RequestCampaignResult struct {
	Source       CampaignSource // as sent: SourceMKTOWS when the parameter was empty
	CampaignID   int            // zero when the campaign was named
	ProgramName  string
	CampaignName string
	Leads        []LeadKey // as given, in order
	// LeadIDs are, on REST, the lead IDs the call was sent for: the Leads
	// resolved, each ID once, in the order of Leads. Nil on SOAP, which
	// takes the keys themselves.
	LeadIDs []int
	Tokens  []Token // as sent, names in the {{my.name}} form
	// Metadata is what Marketo said about the call: on REST the requestId
	// and warnings of the trigger.json request (see ResultMetadata).
	Metadata ResultMetadata
}

// Validate checks p as RequestCampaign does before sending anything, with
// the rules both APIs share. It returns nil, or an error joining a
// *ValidationError for every problem.
func (p RequestCampaignParams) Validate() error { return p.validate() }

// validate checks p with the rules both APIs share; each wire adds its
// own (backend.check).
func (p RequestCampaignParams) validate() error {
	var errs []error
	_, errs = p.Source.wire("Source", errs)
	if p.CampaignID == 0 && p.ProgramName == "" && p.CampaignName == "" {
		errs = append(errs, &ValidationError{Field: "CampaignID", Rule: "is required unless CampaignName is given (with ProgramName on the SOAP API)"})
	} else {
		errs = checkCampaignNaming(errs, p.CampaignID, p.ProgramName, p.CampaignName)
	}
	errs = checkTokens("Tokens", p.Tokens, errs)
	errs = checkLeadKeys("Leads", p.Leads, errs)
	return errors.Join(errs...)
}

// checkLeadKeys appends the problems of a lead list.
func checkLeadKeys(field string, keys []LeadKey, errs []error) []error {
	switch {
	case len(keys) == 0:
		return append(errs, &ValidationError{Field: field, Rule: "is required: give at least one lead key"})
	case len(keys) > MaxRequestCampaignLeads:
		return append(errs, &ValidationError{Field: field, Rule: fmt.Sprintf(
			"has %d lead keys; Marketo takes at most %d a call and silently ignores the rest, so split the leads over several calls",
			len(keys), MaxRequestCampaignLeads)})
	}
	for i, k := range keys {
		if !k.Type.known() {
			errs = append(errs, &ValidationError{Field: fmt.Sprintf("%s[%d].Type", field, i), Rule: fmt.Sprintf("%q is not a lead key type; want one of the LeadKey… constants, e.g. EMAIL or IDNUM", string(k.Type))})
		}
		before := len(errs)
		errs = requireText(errs, fmt.Sprintf("%s[%d].Value", field, i), k.Value)
		if len(errs) == before && k.Type == LeadKeyIDNum {
			if n, err := strconv.ParseInt(k.Value, 10, 32); err != nil || n <= 0 || strings.Trim(k.Value, "0123456789") != "" {
				errs = append(errs, &ValidationError{Field: fmt.Sprintf("%s[%d].Value", field, i), Rule: fmt.Sprintf("%q is not a lead ID; an IDNUM key is a positive integer in decimal digits", k.Value)})
			}
		}
	}
	return errs
}

// RequestCampaign runs a trigger campaign with a "Campaign is Requested"
// trigger for the given leads, with optional My Token overrides for that run
// (Marketo's requestCampaign; on REST, the campaign's trigger.json).
//
// Parameters are checked before anything is sent. On failure the error is an
// *OperationError; errors.As finds the *Fault Marketo answered with, or the
// *ValidationError, and errors.Is(err, ErrOutcomeUnknown) tells whether the
// campaign may have run all the same.
func (c *Client) RequestCampaign(ctx context.Context, p RequestCampaignParams, opts ...CallOption) (*RequestCampaignResult, error) {
	s, optErr := callOptions(opts)
	if err := c.refused(ctx, opRequestCampaign, p.validate(), &p, optErr); err != nil {
		return nil, err
	}
	return c.backend.forCall(s).requestCampaign(ctx, &p)
}
