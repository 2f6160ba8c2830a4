package marketotest

import (
	"strings"
	"time"
)

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
	prog := s.t.program(progName)
	if prog == nil {
		return nil, faultf(codeCampaignNotFound, "Program %s not found", progName)
	}
	c := prog.campaign(campName)
	if c == nil {
		return nil, faultf(codeCampaignNotFound, "Campaign %s not found in program %s", campName, progName)
	}
	if c.Kind != Batch {
		return nil, faultf(codeBadParameter, "Campaign %s is not a batch campaign; scheduleCampaign runs batch campaigns only", campName)
	}
	run := Run{Operation: "scheduleCampaign", Requested: now, RunAt: now}
	if t, ok := p.dateTime("campaignRunAt"); ok {
		run.RunAt = t
	}
	runProg, runCamp := prog, c
	if cloneName, ok := p.str("cloneToProgramName"); ok {
		if cloneName == "" {
			return nil, faultf(codeBadParameter, "cloneToProgramName is empty")
		}
		if s.t.program(cloneName) != nil {
			return nil, faultf(codeBadParameter, "Program %s already exists; cloneToProgramName must name a new program", cloneName)
		}
		if len(prog.noClone) > 0 {
			return nil, faultf(codeBadParameter, "Program %s cannot be cloned: it holds assets of type %s", prog.name, strings.Join(prog.noClone, ", "))
		}
		if f := s.lim.takeClone(now); f != nil {
			return nil, f
		}
		runProg = s.t.clone(prog, cloneName)
		runCamp = runProg.campaign(campName)
		run.Cloned, run.CloneOf = true, prog.name
	}
	s.startRun(run, runProg, runCamp, c, call, order, nil)
	return successXML("scheduleCampaign", leaf("success", "true")), nil
}
