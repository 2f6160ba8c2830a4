package marketo

import (
	"context"
	"strings"
	"time"

	"github.com/mktows/marketo/internal/soapwire"
)

// The five operations on the SOAP wire: build the params element, call,
// check the answer against the schema inside the attempt (soapwire's
// Check), build the result.

func (b *soapBackend) scheduleCampaign(ctx context.Context, p *ScheduleCampaignParams) (*ScheduleCampaignResult, error) {
	w := p.wire()
	var out soapwire.ResultSuccess
	if err := b.call(ctx, opScheduleCampaign, w, &out); err != nil {
		return nil, err
	}
	return &ScheduleCampaignResult{
		ProgramName:        p.ProgramName,
		CampaignName:       p.CampaignName,
		RunAt:              p.RunAt,
		CloneToProgramName: p.CloneToProgramName,
		Tokens:             attribsToTokens(w.ProgramTokenList),
	}, nil
}

func (b *soapBackend) requestCampaign(ctx context.Context, p *RequestCampaignParams) (*RequestCampaignResult, error) {
	w := p.wire()
	var out soapwire.ResultSuccess
	if err := b.call(ctx, opRequestCampaign, w, &out); err != nil {
		return nil, err
	}
	return &RequestCampaignResult{
		Source:       CampaignSource(w.Source),
		CampaignID:   p.CampaignID,
		ProgramName:  p.ProgramName,
		CampaignName: p.CampaignName,
		Leads:        append([]LeadKey(nil), p.Leads...),
		Tokens:       attribsToTokens(w.ProgramTokenList),
	}, nil
}

func (b *soapBackend) getCampaignsForSource(ctx context.Context, p *GetCampaignsForSourceParams) (*GetCampaignsForSourceResult, error) {
	w, err := p.wire()
	if err != nil {
		return nil, invalid(opGetCampaignsForSource, err)
	}
	var out soapwire.ResultGetCampaignsForSource
	if err := b.call(ctx, opGetCampaignsForSource, w, &out); err != nil {
		return nil, err
	}
	res := &GetCampaignsForSourceResult{Campaigns: make([]Campaign, len(out.Records))}
	for i, rec := range out.Records {
		res.Campaigns[i] = Campaign{ID: int(rec.ID.Value), Name: rec.Name.Value, Description: rec.Description.Value}
	}
	return res, nil
}

func (b *soapBackend) importToList(ctx context.Context, p *ImportToListParams) (*ImportToListResult, error) {
	w, err := p.wire()
	if err != nil {
		return nil, invalid(opImportToList, err)
	}
	var out soapwire.ResultImportToList
	if err := b.call(ctx, opImportToList, w, &out); err != nil {
		return nil, err
	}
	return &ImportToListResult{Status: ImportStatus(strings.TrimSpace(out.ImportStatus.Value)), ProgramName: p.ProgramName, ListName: p.ListName}, nil
}

func (b *soapBackend) getImportToListStatus(ctx context.Context, p *GetImportToListStatusParams) (*ImportToListStatus, error) {
	w := p.wire()
	var out soapwire.ResultGetImportToListStatus
	if err := b.call(ctx, opGetImportToListStatus, w, &out); err != nil {
		return nil, err
	}
	return &ImportToListStatus{
		Status:        ImportStatus(strings.TrimSpace(out.Status.Value)),
		StartedTime:   optTime(out.StartedTime),
		EndedTime:     optTime(out.EndedTime),
		EstimatedTime: optInt(out.EstimatedTime),
		EstimatedRows: optInt(out.EstimatedRows),
		RowsImported:  optInt(out.RowsImported),
		RowsFailed:    optInt(out.RowsFailed),
		RowsIgnored:   optInt(out.RowsIgnored),
		ImportSummary: out.ImportSummary.Value,
	}, nil
}

// wire returns p's SOAP form; p has been validated.
func (p ScheduleCampaignParams) wire() *soapwire.ParamsScheduleCampaign {
	tokens := normalizedTokens(p.Tokens)
	var runAt string
	if !p.RunAt.IsZero() {
		runAt = soapwire.FormatDateTime(p.RunAt)
	}
	return &soapwire.ParamsScheduleCampaign{
		ProgramName:        p.ProgramName,
		CampaignName:       p.CampaignName,
		CampaignRunAt:      runAt,
		CloneToProgramName: p.CloneToProgramName,
		ProgramTokenList:   tokensToAttribs(tokens),
	}
}

// wire returns p's SOAP form; p has been validated.
func (p RequestCampaignParams) wire() *soapwire.ParamsRequestCampaign {
	source, _ := p.Source.wire("Source", nil)
	tokens := normalizedTokens(p.Tokens)
	leads, _ := leadKeysToWire("Leads", p.Leads, nil)
	return &soapwire.ParamsRequestCampaign{
		Source:           source,
		CampaignID:       p.CampaignID,
		LeadList:         leads,
		ProgramName:      p.ProgramName,
		CampaignName:     p.CampaignName,
		ProgramTokenList: tokensToAttribs(tokens),
	}
}

// wire returns p's SOAP form; p has been validated.
func (p GetImportToListStatusParams) wire() *soapwire.ParamsGetImportToListStatus {
	return &soapwire.ParamsGetImportToListStatus{ProgramName: p.ProgramName, ListName: p.ListName}
}

// attribsToTokens returns the tokens of a programTokenList as sent.
func attribsToTokens(l *soapwire.ArrayOfAttrib) []Token {
	if l == nil {
		return nil
	}
	tokens := make([]Token, len(l.Attrib))
	for i, a := range l.Attrib {
		tokens[i] = Token(a)
	}
	return tokens
}

// tokensToAttribs converts normalised tokens to the wire list, nil when there
// are none so that programTokenList is left out.
func tokensToAttribs(tokens []Token) *soapwire.ArrayOfAttrib {
	if len(tokens) == 0 {
		return nil
	}
	a := &soapwire.ArrayOfAttrib{Attrib: make([]soapwire.Attrib, len(tokens))}
	for i, t := range tokens {
		a.Attrib[i] = soapwire.Attrib(t)
	}
	return a
}

func optTime(x soapwire.DateTime) *time.Time {
	if !x.Valid {
		return nil
	}
	t := x.Value
	return &t
}

func optInt(x soapwire.Int) *int {
	if !x.Valid {
		return nil
	}
	n := int(x.Value)
	return &n
}
