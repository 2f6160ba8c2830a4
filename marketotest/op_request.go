package marketotest

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MaxLeadKeys is how many lead keys requestCampaign uses; later ones are
// silently ignored, as Marketo does.
const MaxLeadKeys = 100

// Requesting a campaign for leads: the tenant's rule (requestable), then
// its two fronts, SOAP's requestCampaign (leads by key, the campaign by ID
// or by names) and REST's trigger.json (leads and the campaign by ID).

// requestable checks that a campaign can be asked to run for leads: a
// trigger campaign with a Campaign is Requested trigger, active.
func requestable(c *campaign) *domainErr {
	var kind errKind
	switch {
	case c.Kind == Batch:
		kind = errBatchRequested
	case !c.Requestable:
		kind = errNotRequestable
	case c.Inactive:
		kind = errInactive
	default:
		return nil
	}
	return (&domainErr{kind: kind}).inCampaign(c)
}

// requestCampaign is SOAP's front.
func (s *Server) requestCampaign(p *params, now time.Time) ([]byte, *Fault) {
	source, _ := p.trimmed("source")
	hasID, hasProg, hasCamp, hasTokens := p.has("campaignId"), p.has("programName"), p.has("campaignName"), p.has("programTokenList")
	var prog *program
	var c *campaign
	switch {
	case hasID && (hasProg || hasCamp || hasTokens):
		return nil, faultf(codeBadParameter, "Give either campaignId alone or programName and campaignName, not both")
	case hasID:
		v, _ := p.trimmed("campaignId")
		id, _ := strconv.Atoi(v)
		var derr *domainErr
		if prog, c, derr = s.t.findCampaignID(id); derr != nil {
			return nil, derr.soap()
		}
	case hasProg != hasCamp:
		return nil, faultf(codeBadParameter, "programName and campaignName must be given together")
	case !hasProg && hasTokens:
		return nil, faultf(codeBadParameter, "programTokenList needs programName and campaignName")
	case !hasProg:
		return nil, faultf(codeParameterRequired, "campaignId or programName and campaignName is required")
	}
	call, order, f := callTokens(p)
	if f != nil {
		return nil, f
	}
	if c == nil {
		progName, _ := p.str("programName")
		campName, _ := p.str("campaignName")
		var derr *domainErr
		if prog, c, derr = s.t.findCampaign(progName, campName); derr != nil {
			return nil, derr.soap()
		}
	}
	if derr := requestable(c); derr != nil {
		return nil, derr.soap()
	}
	keys := p.pairs("leadList")
	if len(keys) == 0 {
		return nil, faultf(codeLeadKeyRequired, "leadList must hold at least one leadKey")
	}
	run := Run{Operation: "requestCampaign", Requested: now, RunAt: now, Source: source}
	if len(keys) > MaxLeadKeys {
		run.LeadKeysIgnored = len(keys) - MaxLeadKeys
		keys = keys[:MaxLeadKeys]
	}
	var leads []int
	for _, kv := range keys {
		k := LeadKey{KeyType: strings.TrimSpace(kv[0]), KeyValue: kv[1]}
		l, f := s.findLead(k)
		if f != nil {
			return nil, f
		}
		if l == nil {
			run.LeadsNotFound = append(run.LeadsNotFound, k)
		} else if !slices.Contains(leads, l.ID) {
			leads = append(leads, l.ID)
		}
	}
	if len(leads) == 0 {
		k := run.LeadsNotFound[0]
		return nil, (&domainErr{kind: errLeadNotFound, keyType: k.KeyType, keyValue: k.KeyValue}).soap()
	}
	s.startRun(run, prog, c, c, call, order, leads)
	return successXML("requestCampaign", leaf("success", "true")), nil
}

// restTrigger is REST's front, POST /rest/v1/campaigns/{id}/trigger.json. Every lead
// must exist: otherwise one 1004 per missing lead, and nothing runs.
func (s *Server) restTrigger(c *restCall) restAnswer {
	var b triggerBody
	if f := decodeStrict(c.body, &b); f != nil {
		return failed(f)
	}
	if b.Input == nil || len(b.Input.Leads) == 0 {
		return failed(faultf(restBlank, "input.leads cannot be blank"))
	}
	if n := len(b.Input.Leads); n > MaxTriggerLeads {
		return failed((&domainErr{kind: errTooManyLeads, n: n, max: MaxTriggerLeads}).rest())
	}
	call, order, f := callTokensREST(b.Input.Tokens, MaxTriggerTokens)
	if f != nil {
		return failed(f)
	}
	prog, camp, derr := s.t.findCampaignID(c.id)
	if derr == nil {
		derr = requestable(camp)
	}
	if derr != nil {
		return failed(derr.rest())
	}
	var leads []int
	var missing []*Fault
	for _, l := range b.Input.Leads {
		switch {
		case l.ID == nil:
			return failed(faultf(restBlank, "input.leads[].id cannot be blank"))
		case s.t.leadByID(*l.ID) == nil:
			missing = append(missing, (&domainErr{kind: errLeadNotFound, leadID: *l.ID}).rest())
		case !slices.Contains(leads, *l.ID):
			leads = append(leads, *l.ID)
		}
	}
	if missing != nil {
		return failed(missing...)
	}
	s.startRun(Run{API: APIREST, Operation: "requestCampaign", Requested: c.now, RunAt: c.now}, prog, camp, camp, call, order, leads)
	return restAnswer{result: []restID{{ID: c.id}}}
}

// findLead looks a lead up by key; a malformed IDNUM is 20102.
func (s *Server) findLead(k LeadKey) (*Lead, *Fault) {
	v := strings.TrimSpace(k.KeyValue)
	if v == "" {
		return nil, faultf(codeLeadKeyBad, "Empty keyValue for %s", k.KeyType)
	}
	switch k.KeyType {
	case "IDNUM":
		id, err := strconv.Atoi(v)
		if err != nil {
			return nil, faultf(codeLeadKeyBad, "IDNUM key %q is not a number", v)
		}
		return s.t.leadByID(id), nil
	case "EMAIL":
		return s.t.leadByEmail(v), nil
	}
	field := keyTypeFields[k.KeyType]
	for _, l := range s.t.leads {
		if l.Fields[field] != "" && l.Fields[field] == v {
			return l, nil
		}
	}
	return nil, nil
}

func (s *Server) getCampaignsForSource(p *params, _ time.Time) ([]byte, *Fault) {
	name, hasName := p.str("name")
	exact, _ := p.boolean("exactName")
	var found []*campaign
	for _, prog := range s.t.containers() {
		for _, c := range prog.campaigns {
			if !triggerable(c) {
				continue
			}
			if hasName && name != "" {
				if exact && c.Name != name {
					continue
				}
				if !exact && !strings.Contains(strings.ToLower(c.Name), strings.ToLower(name)) {
					continue
				}
			}
			found = append(found, c)
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].Name != found[j].Name {
			return found[i].Name < found[j].Name
		}
		return found[i].ID < found[j].ID
	})
	var recs []out
	for _, c := range found {
		recs = append(recs, node("campaignRecord",
			leaf("id", strconv.Itoa(c.ID)), leaf("name", c.Name), leaf("description", c.Description)))
	}
	result := []out{leaf("returnCount", strconv.Itoa(len(recs)))}
	if len(recs) > 0 {
		result = append(result, node("campaignRecordList", recs...))
	} else {
		result = append(result, nilLeaf("campaignRecordList"))
	}
	return successXML("getCampaignsForSource", result...), nil
}
