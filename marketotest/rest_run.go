package marketotest

import (
	"slices"
	"strings"
	"time"
)

// The REST rules for starting runs.
const (
	// MinScheduleDelay is how long a scheduled run waits at least: without
	// runAt, or with a runAt sooner than this, it runs this long after the
	// call.
	MinScheduleDelay = 5 * time.Minute
	// MaxTriggerLeads and MaxTriggerTokens bound a trigger.json body (1003).
	MaxTriggerLeads  = 100
	MaxTriggerTokens = 100
)

type scheduleBody struct {
	Input *scheduleInput `json:"input"`
}

type scheduleInput struct {
	RunAt              *string     `json:"runAt"`
	CloneToProgramName *string     `json:"cloneToProgramName"`
	Tokens             []restToken `json:"tokens"`
}

type triggerBody struct {
	Input *struct {
		Leads []struct {
			ID *int `json:"id"`
		} `json:"leads"`
		Tokens []restToken `json:"tokens"`
	} `json:"input"`
}

// runAtLayouts are the forms accepted for runAt: Adobe's sample
// ("2026-12-01T18:05:00+0000") and RFC 3339; an offset is required.
var runAtLayouts = []string{"2006-01-02T15:04:05-0700", "2006-01-02T15:04:05.000-0700", time.RFC3339Nano}

func parseRunAt(v string) (time.Time, bool) {
	for _, l := range runAtLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// restSchedule answers POST /rest/v1/campaigns/{id}/schedule.json.
func (s *Server) restSchedule(c *restCall) restAnswer {
	var b scheduleBody
	if f := decodeStrict(c.body, &b); f != nil {
		return failed(f)
	}
	in := b.Input
	if in == nil {
		in = &scheduleInput{}
	}
	call, order, f := callTokensREST(in.Tokens, 0)
	if f != nil {
		return failed(f)
	}
	prog, camp := s.t.campaignByID(c.id)
	if camp == nil {
		return failed(faultf(restObjectNotFound, "Campaign %d not found", c.id))
	}
	if camp.Kind != Batch {
		return failed(faultf(restInvalidData, "Campaign %d is a trigger campaign: schedule.json runs batch campaigns only", c.id))
	}
	run := Run{API: APIREST, Operation: "scheduleCampaign", Requested: c.now, RunAt: c.now.Add(MinScheduleDelay)}
	if in.RunAt != nil {
		t, ok := parseRunAt(*in.RunAt)
		if !ok {
			return failed(faultf(restInvalidValue, "Invalid value '%s'. Required of type 'datetime' with an offset", *in.RunAt))
		}
		if t.After(c.now.AddDate(2, 0, 0)) {
			return failed(faultf(restInvalidRunAt, "Invalid runAt date: %s is more than two years ahead", *in.RunAt))
		}
		if t.After(run.RunAt) {
			run.RunAt = t
		}
	}
	runProg, runCamp := prog, camp
	if in.CloneToProgramName != nil {
		name := *in.CloneToProgramName
		switch {
		case name == "":
			return failed(faultf(restInvalidData, "cloneToProgramName is empty"))
		case s.t.program(name) != nil:
			return failed(faultf(restInvalidData, "Program %s already exists; cloneToProgramName must name a new program", name))
		case prog.folder:
			return failed(faultf(restBusinessRule, "Campaign %d is not in a program: cloneToProgramName clones the campaign's program", c.id))
		case len(prog.noClone) > 0:
			return failed(faultf(restBusinessRule, "Program %s cannot be cloned: it holds assets of type %s", prog.name, strings.Join(prog.noClone, ", ")))
		}
		if f := s.rest.lim.takeClone(c.now); f != nil {
			return failed(faultf(restCloneLimit, "Clone to program daily limit reached: %d a day", s.rest.lim.l.DailyClones))
		}
		runProg = s.t.clone(prog, name)
		runCamp = runProg.campaign(camp.Name)
		run.Cloned, run.CloneOf = true, prog.name
	}
	s.startRun(run, runProg, runCamp, camp, call, order, nil)
	return restAnswer{result: []restID{{ID: c.id}}}
}

// restTrigger answers POST /rest/v1/campaigns/{id}/trigger.json. Every lead
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
		return failed(faultf(restInvalidData, "Too many leads: %d (at most %d)", n, MaxTriggerLeads))
	}
	call, order, f := callTokensREST(b.Input.Tokens, MaxTriggerTokens)
	if f != nil {
		return failed(f)
	}
	prog, camp := s.t.campaignByID(c.id)
	switch {
	case camp == nil:
		return failed(faultf(restObjectNotFound, "Campaign %d not found", c.id))
	case camp.Kind == Batch:
		return failed(faultf(restInvalidData, "Campaign %d is a batch campaign: trigger.json runs trigger campaigns only", c.id))
	case !camp.Requestable:
		return failed(faultf(restInvalidData, "Campaign %d cannot be triggered: it has no 'Campaign is Requested' trigger", c.id))
	case camp.Inactive:
		return failed(faultf(restInvalidData, "Campaign %d cannot be triggered: it is not active", c.id))
	}
	var leads []int
	var missing []*Fault
	for _, l := range b.Input.Leads {
		switch {
		case l.ID == nil:
			return failed(faultf(restBlank, "input.leads[].id cannot be blank"))
		case s.t.leadByID(*l.ID) == nil:
			missing = append(missing, faultf(restLeadNotFound, "Lead %d not found", *l.ID))
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
