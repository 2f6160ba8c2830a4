package marketo

import (
	"context"
	"errors"
	"strings"
	"time"
)

// ScheduleCampaignParams are the parameters of ScheduleCampaign.
type ScheduleCampaignParams struct {
	// ProgramName is the program that contains the campaign. Required.
	ProgramName string
	// CampaignName is the batch smart campaign to run. Required.
	CampaignName string
	// RunAt is when the campaign runs. The zero value runs it now (no run
	// time is sent). It is sent as an xs:dateTime with a numeric offset,
	// in RunAt's own location, to the nanosecond it carries.
	RunAt time.Time
	// CloneToProgramName, when set, makes Marketo clone the campaign's
	// program under this name and schedule the clone's campaign instead.
	// Marketo allows 10 such calls a day per tenant.
	CloneToProgramName string
	// Tokens override the program's My Tokens for this run only, in this
	// order. See Token for the name rules.
	Tokens []Token
}

// ScheduleCampaignResult is what Marketo accepted.
type ScheduleCampaignResult struct {
	ProgramName        string
	CampaignName       string
	RunAt              time.Time // zero: the campaign runs now
	CloneToProgramName string
	Tokens             []Token // as sent, names in the {{my.name}} form
}

// Validate checks p as ScheduleCampaign does before sending anything. It
// returns nil, or an error joining a *ValidationError for every problem.
func (p ScheduleCampaignParams) Validate() error {
	_, err := p.wire()
	return err
}

// wire validates p and returns its wire form.
func (p ScheduleCampaignParams) wire() (*paramsScheduleCampaign, error) {
	var errs []error
	errs = requireText(errs, "ProgramName", p.ProgramName)
	errs = requireText(errs, "CampaignName", p.CampaignName)
	if p.CloneToProgramName != "" {
		errs = requireText(errs, "CloneToProgramName", p.CloneToProgramName)
	}
	var runAt string
	if !p.RunAt.IsZero() {
		if y := p.RunAt.Year(); y < 1 || y > 9999 {
			errs = append(errs, &ValidationError{Field: "RunAt", Rule: "year must be between 0001 and 9999"})
		} else {
			runAt = formatDateTime(p.RunAt)
		}
	}
	tokens, errs := normalizeTokens("Tokens", p.Tokens, errs)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &paramsScheduleCampaign{
		ProgramName:        p.ProgramName,
		CampaignName:       p.CampaignName,
		CampaignRunAt:      runAt,
		CloneToProgramName: p.CloneToProgramName,
		ProgramTokenList:   tokensToAttribs(tokens),
	}, nil
}

var opScheduleCampaign = newOperation("scheduleCampaign", true)

// ScheduleCampaign runs a batch smart campaign now or at p.RunAt, with
// optional My Token overrides for that run and an optional clone of its
// program (Marketo's scheduleCampaign).
//
// Parameters are checked before anything is sent. With a Limiter (the
// default), a call with CloneToProgramName beyond the day's clone budget is
// refused locally with ErrCloneBudgetExhausted. On failure the error is an
// *OperationError; errors.As finds the *Fault Marketo answered with, or the
// *ValidationError, and errors.Is(err, ErrOutcomeUnknown) tells whether the
// campaign may have been scheduled all the same.
func (c *Client) ScheduleCampaign(ctx context.Context, p ScheduleCampaignParams) (*ScheduleCampaignResult, error) {
	w, err := p.wire()
	if err != nil {
		return nil, &OperationError{Operation: opScheduleCampaign.method, Err: err}
	}
	if w.CloneToProgramName != "" && c.limiter != nil {
		if err := c.limiter.reserveClone(); err != nil {
			return nil, &OperationError{Operation: opScheduleCampaign.method, Err: err}
		}
	}
	var out resultSuccess
	if err := c.call(ctx, opScheduleCampaign, w, &out); err != nil {
		var oe *OperationError
		if w.CloneToProgramName != "" && c.limiter != nil && errors.As(err, &oe) && !oe.Sent {
			c.limiter.releaseClone()
		}
		return nil, err
	}
	if err := checkSuccess(out.Success); err != nil {
		return nil, c.opError(opScheduleCampaign, true, err)
	}
	res := &ScheduleCampaignResult{
		ProgramName:        p.ProgramName,
		CampaignName:       p.CampaignName,
		RunAt:              p.RunAt,
		CloneToProgramName: p.CloneToProgramName,
	}
	if w.ProgramTokenList != nil {
		res.Tokens = make([]Token, len(w.ProgramTokenList.Attrib))
		for i, a := range w.ProgramTokenList.Attrib {
			res.Tokens[i] = Token(a)
		}
	}
	return res, nil
}

// checkSuccess turns a result/success that is false or missing into an error.
func checkSuccess(s xsBoolean) error {
	if !s.Valid {
		return &ResponseError{HTTPStatus: 200, ContentType: "text/xml", Reason: "result/success is missing"}
	}
	if !s.Value {
		return ErrNotSuccessful
	}
	return nil
}

// requireText appends an error unless s is non-blank text XML can carry.
func requireText(errs []error, field, s string) []error {
	if strings.TrimSpace(s) == "" {
		return append(errs, &ValidationError{Field: field, Rule: "is required and must not be blank"})
	}
	if err := checkXMLText(s); err != nil {
		return append(errs, &ValidationError{Field: field, Rule: err.Error()})
	}
	return errs
}

// formatDateTime writes t as an xs:dateTime with a numeric offset in t's own
// location, with fractional seconds only when t has them, so the instant is
// exact. An offset with seconds cannot be written and is converted to UTC.
func formatDateTime(t time.Time) string {
	if _, off := t.Zone(); off%60 != 0 {
		t = t.UTC()
	}
	return t.Format("2006-01-02T15:04:05.999999999-07:00")
}
