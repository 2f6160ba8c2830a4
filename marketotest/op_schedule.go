package marketotest

import (
	"time"
)

// Scheduling a batch campaign: the tenant's rule (schedule), then its two
// fronts, SOAP's scheduleCampaign and REST's schedule.json, which read
// their API's parameters, find the campaign and word a refusal from
// domainFaults.

// scheduleOrder is a schedule as either API asks for it, its campaign
// found.
type scheduleOrder struct {
	api        string
	prog       *program
	camp       *campaign
	runAt      func() (time.Time, *domainErr) // the API's reading of the run time, read once the campaign is known to be batch
	cloneTo    *string                        // the program to clone the campaign's into, when asked
	tokens     map[string]string
	tokenOrder []string
	clones     *limiter // the API's daily clone budget
	now        time.Time
}

// schedule runs a batch campaign at its run time, in a new copy of its
// program when cloneTo is given. The copy's name must be new; a campaign
// in a folder, or a program holding assets that cannot be cloned, cannot
// be cloned; each clone takes one of the day's.
func (s *Server) schedule(o scheduleOrder) *domainErr {
	if o.camp.Kind != Batch {
		return (&domainErr{kind: errNotBatch}).inCampaign(o.camp)
	}
	runAt, derr := o.runAt()
	if derr != nil {
		return derr
	}
	run := Run{API: o.api, Operation: "scheduleCampaign", Requested: o.now, RunAt: runAt}
	runProg, runCamp := o.prog, o.camp
	if o.cloneTo != nil {
		name := *o.cloneTo
		switch {
		case name == "":
			return &domainErr{kind: errCloneNameEmpty}
		case s.t.program(name) != nil:
			return &domainErr{kind: errCloneExists, program: name}
		case o.prog.folder:
			return (&domainErr{kind: errCloneFolder}).inCampaign(o.camp)
		case len(o.prog.noClone) > 0:
			return &domainErr{kind: errCloneAssets, program: o.prog.name, assets: o.prog.noClone}
		}
		if derr := o.clones.takeClone(o.now); derr != nil {
			return derr
		}
		runProg = s.t.clone(o.prog, name)
		runCamp = runProg.campaign(o.camp.Name)
		run.Cloned, run.CloneOf = true, o.prog.name
	}
	s.startRun(run, runProg, runCamp, o.camp, o.tokens, o.tokenOrder, nil)
	return nil
}

// scheduleCampaign is SOAP's front: the campaign by program and campaign
// name, the run time as sent (now when absent).
func (s *Server) scheduleCampaign(p *params, now time.Time) ([]byte, *Fault) {
	progName, f := p.requiredName("programName")
	if f != nil {
		return nil, f
	}
	campName, f := p.requiredName("campaignName")
	if f != nil {
		return nil, f
	}
	call, order, f := callTokens(p)
	if f != nil {
		return nil, f
	}
	prog, camp, derr := s.t.findCampaign(progName, campName)
	if derr != nil {
		return nil, derr.soap()
	}
	o := scheduleOrder{api: APISOAP, prog: prog, camp: camp, tokens: call, tokenOrder: order, clones: s.lim, now: now,
		runAt: func() (time.Time, *domainErr) {
			if t, ok := p.dateTime("campaignRunAt"); ok {
				return t, nil
			}
			return now, nil
		}}
	if name, ok := p.str("cloneToProgramName"); ok {
		o.cloneTo = &name
	}
	if derr := s.schedule(o); derr != nil {
		return nil, derr.soap()
	}
	return successXML("scheduleCampaign", leaf("success", "true")), nil
}

// restSchedule is REST's front, POST /rest/v1/campaigns/{id}/schedule.json:
// the campaign by ID, runAt at least MinScheduleDelay away and at most two
// years.
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
	prog, camp, derr := s.t.findCampaignID(c.id)
	if derr != nil {
		return failed(derr.rest())
	}
	o := scheduleOrder{api: APIREST, prog: prog, camp: camp, cloneTo: in.CloneToProgramName, tokens: call, tokenOrder: order,
		clones: s.rest.lim, now: c.now, runAt: func() (time.Time, *domainErr) { return restRunAt(in.RunAt, c.now) }}
	if derr := s.schedule(o); derr != nil {
		return failed(derr.rest())
	}
	return restAnswer{result: []restID{{ID: c.id}}}
}

// restRunAt reads schedule.json's runAt: a run waits MinScheduleDelay at
// least, and may not be more than two years ahead.
func restRunAt(v *string, now time.Time) (time.Time, *domainErr) {
	earliest := now.Add(MinScheduleDelay)
	if v == nil {
		return earliest, nil
	}
	t, ok := parseRunAt(*v)
	if !ok {
		return time.Time{}, &domainErr{kind: errRunAtInvalid, keyValue: *v}
	}
	if t.After(now.AddDate(2, 0, 0)) {
		return time.Time{}, &domainErr{kind: errRunAtTooFar, keyValue: *v}
	}
	if t.After(earliest) {
		return t, nil
	}
	return earliest, nil
}
