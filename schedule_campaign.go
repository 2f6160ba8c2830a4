package marketo

import (
	"context"
	"errors"
	"time"
)

// ScheduleCampaignParams are the parameters of ScheduleCampaign. The
// campaign is named by ProgramName and CampaignName, or on the REST API by
// CampaignName alone or CampaignID alone.
type ScheduleCampaignParams struct {
	// ProgramName is the program that contains the campaign. Required on
	// SOAP. On REST it is optional: without it the campaign is found by
	// CampaignName alone, wherever it lives (a campaign in a folder has no
	// program), and a name that several campaigns carry is an
	// *AmbiguousNameError. Must be empty when CampaignID is set.
	ProgramName string
	// CampaignName is the batch smart campaign to run. Required unless
	// CampaignID is set; must be empty when it is.
	CampaignName string
	// CampaignID is the batch campaign's ID, REST API only: it skips the
	// lookup of the campaign by name. The SOAP API names campaigns only, so
	// a SOAP client refuses it.
	CampaignID int
	// RunAt is when the campaign runs. The zero value runs it now on SOAP
	// (no run time is sent); on REST, Marketo then runs it about five
	// minutes after the call. It is sent with a numeric offset, in RunAt's
	// own location, to the nanosecond it carries on SOAP and to the second
	// on REST, whose runAt has no fractions. REST refuses a RunAt more than
	// two years ahead; the client does so before sending.
	RunAt time.Time
	// CloneToProgramName, when set, makes Marketo clone the campaign's
	// program under this name and schedule the clone's campaign instead.
	// Marketo allows 10 such calls a day per tenant on SOAP, 20 on REST.
	CloneToProgramName string
	// Tokens override the program's My Tokens for this run only, in this
	// order. See Token for the name rules.
	Tokens []Token
}

// ScheduleCampaignResult is what Marketo accepted.
type ScheduleCampaignResult struct {
	ProgramName        string
	CampaignName       string
	CampaignID         int       // as given, or as the REST client looked it up; zero on SOAP
	RunAt              time.Time // zero: none was sent, so it runs now on SOAP and about five minutes after the call on REST
	CloneToProgramName string
	Tokens             []Token // as sent, names in the {{my.name}} form
	// Metadata is what Marketo said about the call: on REST the requestId
	// and warnings of the schedule.json request (see ResultMetadata).
	Metadata ResultMetadata
}

// Validate checks p as ScheduleCampaign does before sending anything, with
// the rules both APIs share. It returns nil, or an error joining a
// *ValidationError for every problem.
func (p ScheduleCampaignParams) Validate() error { return p.validate() }

// validate checks p with the rules both APIs share; each wire adds its
// own (backend.check).
func (p ScheduleCampaignParams) validate() error {
	var errs []error
	errs = checkCampaignNaming(errs, p.CampaignID, p.ProgramName, p.CampaignName)
	if p.CloneToProgramName != "" {
		errs = requireText(errs, "CloneToProgramName", p.CloneToProgramName)
	}
	if !p.RunAt.IsZero() {
		if y := p.RunAt.Year(); y < 1 || y > 9999 {
			errs = append(errs, &ValidationError{Field: "RunAt", Rule: "year must be between 0001 and 9999"})
		}
	}
	errs = checkTokens("Tokens", p.Tokens, errs)
	return errors.Join(errs...)
}

// ScheduleCampaign runs a batch smart campaign now or at p.RunAt, with
// optional My Token overrides for that run and an optional clone of its
// program (Marketo's scheduleCampaign; on REST, the campaign's
// schedule.json).
//
// Parameters are checked before anything is sent. With a Limiter (the
// default), a call with CloneToProgramName beyond the day's clone budget is
// refused locally with ErrCloneBudgetExhausted, and so is every later one
// that US Central day once Marketo has answered a clone with 1020 (the
// day's clones are spent). On failure the error is an
// *OperationError; errors.As finds the *Fault Marketo answered with, or the
// *ValidationError, and errors.Is(err, ErrOutcomeUnknown) tells whether the
// campaign may have been scheduled all the same.
func (c *Client) ScheduleCampaign(ctx context.Context, p ScheduleCampaignParams, opts ...CallOption) (*ScheduleCampaignResult, error) {
	s, optErr := callOptions(opts)
	if err := c.refused(ctx, opScheduleCampaign, p.validate(), &p, optErr); err != nil {
		return nil, err
	}
	if p.CloneToProgramName == "" || c.limiter == nil {
		return c.backend.forCall(s).scheduleCampaign(ctx, &p)
	}
	refused, err := c.limiter.ReserveClone(ctx)
	if err != nil {
		return nil, c.refuse(ctx, opScheduleCampaign, err)
	}
	res, err := c.backend.forCall(s).scheduleCampaign(ctx, &p)
	var f *Fault
	switch {
	case errors.As(err, &f) && f.Code == CodeCloneLimitReached:
		refused(CloneBudgetSpent) // later clones today fail without being sent
	case err != nil && !errors.Is(err, ErrOutcomeUnknown):
		refused(CloneNotRun) // the call provably did not run, so no program was cloned
	}
	return res, err
}
