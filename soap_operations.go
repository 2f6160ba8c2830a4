package marketo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mktows/marketo/internal/csvrec"
	"github.com/mktows/marketo/internal/soapwire"
)

// The operations on the SOAP wire: the wire's own rules on the params
// (check), then for each: build the params element, call, check the answer
// against the schema inside the attempt (soapwire's Check), build the
// result.

// check applies SOAP's own rules to p, the params of op: SOAP names
// campaigns and lists by their program, has no IDs for them nor for an
// import, takes Tokens with a named campaign only, and has no
// REST-only operation.
func (b *soapBackend) check(op *operation, p any) error {
	var errs []error
	switch p := p.(type) {
	case *ScheduleCampaignParams:
		errs = soapNaming(errs, p.CampaignID == 0 && p.ProgramName == "")
		if p.CampaignID != 0 {
			errs = append(errs, &ValidationError{Field: "CampaignID", Rule: "is not available on the SOAP API, which names campaigns: give ProgramName and CampaignName instead"})
		}
	case *RequestCampaignParams:
		errs = soapNaming(errs, p.CampaignID == 0 && p.ProgramName == "" && p.CampaignName != "")
		if p.CampaignID > 0 && len(p.Tokens) > 0 {
			errs = append(errs, &ValidationError{Field: "Tokens", Rule: "must be empty when CampaignID is set on the SOAP API; name the campaign by ProgramName and CampaignName to send tokens"})
		}
	case *ImportToListParams:
		errs = soapNaming(errs, p.ListID == 0 && p.ProgramName == "")
		if p.ListID != 0 {
			errs = append(errs, &ValidationError{Field: "ListID", Rule: "is not available on the SOAP API, which names lists: give ProgramName and ListName instead"})
		}
	case *GetImportToListStatusParams:
		if p.ImportID != "" {
			errs = append(errs, &ValidationError{Field: "ImportID", Rule: "is not available on the SOAP API, which follows the latest import to the list: leave it empty"})
			for _, f := range []struct{ name, value string }{{"ProgramName", p.ProgramName}, {"ListName", p.ListName}} {
				if f.value == "" {
					errs = requireText(errs, f.name, f.value)
				}
			}
		}
	}
	switch op {
	case opListCampaigns:
		errs = append(errs, fmt.Errorf("%w: Marketo's SOAP API has no call that lists batch campaigns "+
			"(GetCampaignsForSource lists the requestable trigger campaigns)", ErrRESTOnly))
	case opImportFailures, opImportWarnings:
		errs = append(errs, ErrRESTOnly)
	}
	return errors.Join(errs...)
}

// soapNaming appends the error of a campaign or list named without its
// program, which SOAP requires, when missing is true.
func soapNaming(errs []error, missing bool) []error {
	if !missing {
		return errs
	}
	return requireText(errs, "ProgramName", "")
}

// listCampaigns is refused by check: SOAP's only listing,
// getCampaignsForSource, answers requestable trigger campaigns, so a list
// from it would pass for every campaign while it leaves out the batch ones.
func (b *soapBackend) listCampaigns(context.Context, *ListCampaignsParams) (*ListCampaignsResult, error) {
	return nil, invalid(opListCampaigns, b.check(opListCampaigns, nil))
}

// importRows is refused by check: SOAP's import reports only counts and a
// summary.
func (b *soapBackend) importRows(_ context.Context, op *operation, _ string) (*ImportRows, error) {
	return nil, invalid(op, b.check(op, nil))
}

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
	source, _ := p.Source.wire("Source", nil)
	w := &soapwire.ParamsGetCampaignsForSource{Source: source, Name: p.Name, ExactName: p.ExactName}
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
	w := p.wire()
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
	leads := &soapwire.ArrayOfLeadKey{LeadKey: make([]soapwire.LeadKey, len(p.Leads))}
	for i, k := range p.Leads {
		leads.LeadKey[i] = soapwire.LeadKey{KeyType: string(k.Type), KeyValue: k.Value}
	}
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
func (p ImportToListParams) wire() *soapwire.ParamsImportToList {
	textSize := 0
	for _, row := range p.Rows {
		textSize += csvrec.XMLSize(row)
	}
	return &soapwire.ParamsImportToList{
		ProgramName:      p.ProgramName,
		ImportFileHeader: csvrec.Record(p.Header),
		ImportFileRows:   soapwire.ArrayOfString{StringItem: soapwire.Records{Rows: p.Rows, TextSize: textSize, Text: csvrec.AppendXML}},
		ImportListMode:   string(p.Mode),
		ListName:         p.ListName,
		ClearList:        p.ClearList,
		CampaignName:     p.CampaignName,
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
