package marketo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mktows/marketo/internal/restwire"
)

// The operations on the REST wire: the wire's own rules on the params
// (check), then for each: resolve names to IDs, build the JSON body, call,
// build the result.

// check applies REST's own rules to p: REST has no SALES source, looks
// leads up by a few key types only, takes a bounded number of tokens,
// follows an import by its job's ID, and its bulk import has no
// counterpart for clearList nor for per-lead My Token columns.
func (b *restBackend) check(_ *operation, p any) error {
	var errs []error
	switch p := p.(type) {
	case *RequestCampaignParams:
		errs = checkRESTSource(errs, p.Source)
		errs = checkRESTTrigger(errs, p.Leads, p.Tokens)
	case *GetCampaignsForSourceParams:
		errs = checkRESTSource(errs, p.Source)
	case *ImportToListParams:
		errs = checkRESTImport(errs, p)
	case *GetImportToListStatusParams:
		if p.ImportID == "" {
			errs = append(errs, &ValidationError{Field: "ImportID", Rule: "is required on the REST API: give one of ImportToListResult.ImportIDs (or use WaitForImports)"})
		}
	}
	return errors.Join(errs...)
}

// checkRESTSource appends an error for the SALES source, which REST lacks.
func checkRESTSource(errs []error, s CampaignSource) []error {
	if s != SourceSales {
		return errs
	}
	return append(errs, &ValidationError{Field: "Source", Rule: "SALES (Sales Insight) has no REST counterpart; use SourceMKTOWS or leave Source empty"})
}

// checkRESTImport appends the errors of what REST's bulk import cannot do.
func checkRESTImport(errs []error, p *ImportToListParams) []error {
	if p.ClearList {
		errs = append(errs, &ValidationError{Field: "ClearList", Rule: "is not available on the REST API, whose bulk import cannot empty a list first; " +
			"import into a new or emptied list instead (the Marketo UI, or DELETE /rest/v1/lists/{id}/leads.json, removes members)"})
	}
	for i, name := range p.Header {
		if strings.ContainsAny(name, "{}") {
			errs = append(errs, &ValidationError{Field: fmt.Sprintf("Header[%d]", i), Rule: fmt.Sprintf(
				"My Token column %q is not available on the REST API, whose bulk import has no per-lead token values; "+
					"store the values in a lead field and use {{lead.field}} in the campaign, or pass Tokens to RequestCampaign for the leads that share them", name)})
		}
	}
	if p.CampaignName != "" {
		errs = append(errs, &ValidationError{Field: "CampaignName", Rule: "is not used on the REST API, which has no My Token columns; leave it empty"})
	}
	return errs
}

// maxRunAtAhead is how far ahead REST lets a run be scheduled (1042).
const maxRunAtAhead = 2 // years

func (b *restBackend) scheduleCampaign(ctx context.Context, p *ScheduleCampaignParams) (*ScheduleCampaignResult, error) {
	op := opScheduleCampaign
	var runAt string
	if !p.RunAt.IsZero() {
		if limit := b.e.now().AddDate(maxRunAtAhead, 0, 0); p.RunAt.After(limit) {
			return nil, invalid(op, &ValidationError{Field: "RunAt", Rule: fmt.Sprintf(
				"%s is more than two years ahead; the REST API schedules runs until %s at the latest",
				p.RunAt.Format(time.RFC3339), limit.Format(time.RFC3339))})
		}
		runAt = restwire.FormatRunAt(p.RunAt)
	}
	tokens := normalizedTokens(p.Tokens)
	body, err := encodeChecked(restwire.ScheduleRequest{Input: restwire.ScheduleInput{
		RunAt: runAt, CloneToProgramName: p.CloneToProgramName, Tokens: restTokens(tokens),
	}}, tokens)
	if err != nil {
		return nil, invalid(op, err)
	}
	id, env, err := b.postToCampaign(ctx, op, p.CampaignID, p.ProgramName, p.CampaignName, "schedule.json", body)
	if err != nil {
		return nil, err
	}
	res := &ScheduleCampaignResult{
		ProgramName:        p.ProgramName,
		CampaignName:       p.CampaignName,
		CampaignID:         id,
		CloneToProgramName: p.CloneToProgramName,
		Tokens:             tokens,
		Metadata:           restMetadata(env),
	}
	if !p.RunAt.IsZero() {
		res.RunAt = p.RunAt.Truncate(time.Second) // as sent: REST takes whole seconds
	}
	return res, nil
}

func (b *restBackend) requestCampaign(ctx context.Context, p *RequestCampaignParams) (*RequestCampaignResult, error) {
	op := opRequestCampaign
	tokens := normalizedTokens(p.Tokens)
	if needsLeadLookup(p.Leads) {
		// The body is checked before the lookups are sent, with every
		// lead at the longest ID it can have, so that nothing is sent
		// for a body Marketo would refuse.
		longest := make([]int, len(p.Leads))
		for i := range longest {
			longest[i] = math.MaxInt64
		}
		if _, err := triggerBody(longest, tokens); err != nil {
			return nil, invalid(op, err)
		}
	}
	get, calls := b.getter(op)
	ids, err := resolveLeads(ctx, get, p.Leads)
	if err != nil {
		return nil, lookupFailed(op, *calls, err)
	}
	body, err := triggerBody(ids, tokens)
	if err != nil {
		return nil, invalid(op, err)
	}
	id, env, err := b.postToCampaign(ctx, op, p.CampaignID, p.ProgramName, p.CampaignName, "trigger.json", body)
	if err != nil {
		return nil, err
	}
	return &RequestCampaignResult{
		Source:       SourceMKTOWS,
		CampaignID:   id,
		ProgramName:  p.ProgramName,
		CampaignName: p.CampaignName,
		Leads:        append([]LeadKey(nil), p.Leads...),
		LeadIDs:      ids,
		Tokens:       tokens,
		Metadata:     restMetadata(env),
	}, nil
}

// triggerBody is the body of a trigger of the leads ids with tokens,
// checked against the REST API's size limit.
func triggerBody(ids []int, tokens []Token) ([]byte, error) {
	return encodeChecked(restwire.TriggerRequest{Input: restwire.TriggerInput{Leads: restwire.IDs(ids), Tokens: restTokens(tokens)}}, tokens)
}

// restTokens returns tokens as the wire writes them.
func restTokens(tokens []Token) []restwire.Token {
	if len(tokens) == 0 {
		return nil
	}
	out := make([]restwire.Token, len(tokens))
	for i, t := range tokens {
		out[i] = restwire.Token{Name: t.Name, Value: t.Value}
	}
	return out
}

// encodeChecked encodes a JSON body and checks it against the REST API's
// size limit, naming tokens as what makes it large.
func encodeChecked(v any, tokens []Token) ([]byte, error) {
	body, err := restwire.Encode(v)
	if err != nil {
		return nil, err
	}
	return body, checkJSONSize(body, tokens)
}

// postToCampaign POSTs body to one of a campaign's endpoints
// (schedule.json, trigger.json), the campaign given by id or by its names
// (see runByID), and returns its ID and the answer.
func (b *restBackend) postToCampaign(ctx context.Context, op *operation, id int, program, campaign, endpoint string, body []byte) (int, *restwire.Envelope, error) {
	var env *restwire.Envelope
	id, err := b.runByID(ctx, op, id, program, campaign, func(id int) error {
		var err error
		env, err = b.call(ctx, op, campaignPost(id, endpoint, body), nil)
		return err
	})
	return id, env, err
}

// campaignPost is the POST of body to one of a campaign's endpoints.
func campaignPost(id int, endpoint string, body []byte) restRequest {
	return restRequest{
		method:   http.MethodPost,
		path:     campaignPath(id, endpoint),
		body:     body,
		notFound: ErrCampaignNotFound,
	}
}

// campaignPath is the path of one of campaign id's endpoints, built in
// one allocation: it is made on every call of the operations that run a
// campaign.
func campaignPath(id int, endpoint string) string {
	const prefix = "/rest/v1/campaigns/"
	var buf [64]byte
	p := append(buf[:0], prefix...)
	p = strconv.AppendInt(p, int64(id), 10)
	p = append(p, '/')
	return string(append(p, endpoint...))
}

// runByID calls run with the campaign's ID: id when given, else the ID its
// names resolve to. A 1013 (not found) for an ID taken from the cache drops
// it, and run is called once more with the ID looked up afresh: the 1013
// proves the first call did not run, and the campaign may have been
// recreated under its name. It returns the ID run was last called with.
func (b *restBackend) runByID(ctx context.Context, op *operation, id int, program, campaign string, run func(id int) error) (int, error) {
	if id != 0 {
		return id, run(id)
	}
	id, cached, err := b.campaignID(ctx, op, program, campaign)
	if err != nil {
		return 0, err
	}
	if err = run(id); err == nil || !isNotFound(err) {
		return id, err
	}
	b.campaigns.drop(id)
	if !cached || errors.Is(err, ErrOutcomeUnknown) {
		return id, err // a lookup just made, or an earlier attempt that may have run
	}
	if id, _, err = b.campaignID(ctx, op, program, campaign); err != nil {
		return 0, err
	}
	return id, run(id)
}

// isNotFound reports a 1013 (object not found) answer.
func isNotFound(err error) bool {
	var f *Fault
	return errors.As(err, &f) && f.Code == CodeObjectNotFound
}

// campaignID resolves a campaign's names for op, and says whether the ID
// came from the cache.
func (b *restBackend) campaignID(ctx context.Context, op *operation, program, campaign string) (int, bool, error) {
	if id, ok := b.campaigns.get(campaignKey{program, campaign}); ok {
		return id, true, nil
	}
	get, calls := b.getter(op)
	id, err := b.campaigns.resolve(ctx, get, program, campaign)
	if err != nil {
		return 0, false, lookupFailed(op, *calls, err)
	}
	return id, false, nil
}

// getter returns the GET of op's lookups, and the count of GETs it made.
// They read only, so they go through the call loop as a read-only operation
// under op's name: a lookup that fails never leaves op's outcome unknown.
func (b *restBackend) getter(op *operation) (restGetter, *int) {
	lookup := &operation{method: op.method}
	calls := new(int)
	return func(ctx context.Context, path string, q url.Values, result any) (*restwire.Envelope, error) {
		*calls++
		ctx, end := b.e.lookupStart(ctx, op, path)
		env, err := b.call(ctx, lookup, restRequest{method: http.MethodGet, path: path, query: q.Encode()}, result)
		if end != nil {
			end(lookupEnd(env, err))
		}
		return env, err
	}, calls
}

// lookupFailed is the error of op when the lookups before it, calls GETs,
// failed or found nothing usable: nothing that changes the tenant was sent.
func lookupFailed(op *operation, calls int, err error) error {
	var oe *OperationError
	if errors.As(err, &oe) {
		return err
	}
	return &OperationError{Operation: op.method, Sent: calls > 0, Attempts: calls, Err: err}
}

func (b *restBackend) getCampaignsForSource(ctx context.Context, p *GetCampaignsForSourceParams) (*GetCampaignsForSourceResult, error) {
	op := opGetCampaignsForSource
	res := &GetCampaignsForSourceResult{}
	get, calls := b.getter(op)
	pages := func(ctx context.Context, path string, q url.Values, result any) (*restwire.Envelope, error) {
		env, err := get(ctx, path, q, result)
		res.Metadata.add(env)
		return env, err
	}
	err := getAllPages(ctx, pages, "/rest/v1/campaigns.json", url.Values{"isTriggerable": {"true"}}, func(page []restCampaign) error {
		for i, r := range page {
			if r.ID <= 0 || r.Name == "" {
				return &ResponseError{HTTPStatus: 200, ContentType: "application/json", Reason: fmt.Sprintf("campaign record %d has no id or name", i)}
			}
			if p.matches(r.Name) {
				res.Campaigns = append(res.Campaigns, r.campaign())
			}
		}
		return nil
	})
	if err != nil {
		return nil, lookupFailed(op, *calls, err)
	}
	return res, nil
}

// matches applies Name and ExactName on the client, as SOAP applied them:
// a name that contains Name ignoring case, or equals it exactly.
func (p *GetCampaignsForSourceParams) matches(name string) bool {
	switch {
	case p.Name == "":
		return true
	case p.ExactName:
		return name == p.Name
	}
	return strings.Contains(strings.ToLower(name), strings.ToLower(p.Name))
}
