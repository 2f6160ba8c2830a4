package marketotest

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// callTokens reads SOAP's programTokenList (see checkCallTokens).
func callTokens(p *params) (map[string]string, []string, *Fault) {
	call, order, derr := checkCallTokens(p.pairs("programTokenList"), 0)
	if derr != nil {
		return nil, nil, derr.soap()
	}
	return call, order, nil
}

// checkCallTokens checks the My Token overrides of a call, name and value
// pairs (nil when the call has none): at most max when max > 0, names of
// the form {{my.name}} given once, ignoring case. It returns them by name
// and in the order given.
func checkCallTokens(pairs [][2]string, max int) (map[string]string, []string, *domainErr) {
	if pairs == nil {
		return nil, nil, nil
	}
	if max > 0 && len(pairs) > max {
		return nil, nil, &domainErr{kind: errTooManyTokens, n: len(pairs), max: max}
	}
	out := map[string]string{}
	seen := map[string]bool{}
	var order []string
	for _, kv := range pairs {
		if !ValidTokenName(kv[0]) {
			return nil, nil, &domainErr{kind: errTokenName, keyValue: kv[0]}
		}
		lower := strings.ToLower(kv[0])
		if seen[lower] {
			return nil, nil, &domainErr{kind: errTokenRepeated, keyValue: kv[0]}
		}
		seen[lower] = true
		out[kv[0]] = kv[1]
		order = append(order, kv[0])
	}
	return out, order, nil
}

// startRun records a run of campaign c of program prog. Effective tokens:
// per-lead importToList columns > call tokens > the program's My Tokens.
// Tokens the program does not define are ignored and listed in
// Run.IgnoredTokens. The campaign's pending per-lead tokens are consumed.
func (s *Server) startRun(r Run, prog *program, c *campaign, pendingFrom *campaign, call map[string]string, order []string, leads []int) Run {
	r.ID = len(s.runs) + 1
	if r.API == "" {
		r.API = APISOAP
	}
	r.Program, r.Campaign, r.CampaignID = prog.programName(), c.Name, c.ID
	if prog.folder {
		r.Folder = prog.name
	}
	r.CallTokens = maps.Clone(call)
	r.Tokens = maps.Clone(prog.tokens)
	for _, name := range order {
		if key, ok := prog.tokenKey(name); ok {
			r.Tokens[key] = call[name]
		} else {
			r.IgnoredTokens = append(r.IgnoredTokens, name)
		}
	}
	pending := pendingFrom.pending
	pendingFrom.pending = nil
	if leads == nil {
		for id := range pending {
			leads = append(leads, id)
		}
		sort.Ints(leads)
	}
	r.LeadIDs = slices.Clone(leads)
	if len(pending) > 0 {
		r.LeadTokens = map[int]map[string]string{}
		for _, id := range leads {
			eff := maps.Clone(r.Tokens)
			maps.Copy(eff, pending[id])
			r.LeadTokens[id] = eff
		}
	}
	s.runs = append(s.runs, r)
	s.logRun(r)
	return r
}

// logRun writes one line per run started: what a process that only sees
// the fake's log (cmd/marketo-fake) can check a client did.
func (s *Server) logRun(r Run) {
	attrs := []any{"run", r.ID, "api", r.API, "operation", r.Operation, "campaign", r.CampaignID}
	if r.Folder != "" {
		attrs = append(attrs, "folder", r.Folder)
	} else {
		attrs = append(attrs, "program", r.Program)
	}
	attrs = append(attrs, "leads", r.LeadIDs, "tokens", r.CallTokens)
	s.logger.Info("marketo-fake run", attrs...)
}

// Run is one campaign run started by scheduleCampaign or requestCampaign.
type Run struct {
	ID         int
	API        string // APISOAP or APIREST: the API the run was started by
	Operation  string // "scheduleCampaign" or "requestCampaign" (REST: schedule.json or trigger.json)
	Program    string // the program whose campaign ran (the clone when Cloned); "" in a folder
	Folder     string // the folder whose campaign ran, for a campaign outside any program
	Campaign   string
	CampaignID int
	Requested  time.Time // clock time of the call
	RunAt      time.Time // campaignRunAt, or the call time when absent (REST: see the package doc)
	// Tokens are the effective run tokens: the program's My Tokens with the
	// call's tokens applied. Per-lead import tokens are in LeadTokens.
	Tokens        map[string]string
	CallTokens    map[string]string // tokens as passed in the call
	IgnoredTokens []string          // call tokens the program does not define
	Cloned        bool
	CloneOf       string // the program that was cloned
	Source        string // requestCampaign source (MKTOWS or SALES); "" on REST
	LeadIDs       []int  // leads of the run: requested leads, or leads with import tokens
	// LeadTokens are the effective tokens per lead when importToList token
	// columns were bound to this run (nil otherwise).
	LeadTokens      map[int]map[string]string
	LeadKeysIgnored int       // lead keys past the 100th, ignored
	LeadsNotFound   []LeadKey // lead keys that matched no lead
}

// LeadKey is a requestCampaign lead key.
type LeadKey struct {
	KeyType  string
	KeyValue string
}
