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
		prog, c = s.t.campaignByID(id)
		if c == nil {
			return nil, faultf(codeCampaignNotFound, "Campaign %d not found", id)
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
		if prog = s.t.program(progName); prog == nil {
			return nil, faultf(codeCampaignNotFound, "Program %s not found", progName)
		}
		if c = prog.campaign(campName); c == nil {
			return nil, faultf(codeCampaignNotFound, "Campaign %s not found in program %s", campName, progName)
		}
	}
	if c.Kind != Trigger || !c.Requestable {
		return nil, faultf(codeBadParameter, "Campaign %s cannot be requested: it needs a Campaign is Requested trigger", c.Name)
	}
	if c.Inactive {
		return nil, faultf(codeBadParameter, "Campaign %s cannot be requested: it is not active", c.Name)
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
		return nil, faultf(codeLeadNotFound, "No lead found with %s = %s", k.KeyType, k.KeyValue)
	}
	s.startRun(run, prog, c, c, call, order, leads)
	return successXML("requestCampaign", leaf("success", "true")), nil
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
