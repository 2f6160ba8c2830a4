package marketotest

import "time"

var schemas = map[string]schema{
	"scheduleCampaign": {
		fields: []field{
			{name: "programName", required: true},
			{name: "campaignName", required: true},
			{name: "campaignRunAt", kind: kDateTime, nillable: true},
			{name: "cloneToProgramName", nillable: true},
			{name: "programTokenList", kind: kAttribList, nillable: true},
		},
		orders: [][]string{
			{"programName", "campaignName", "campaignRunAt", "cloneToProgramName", "programTokenList"},
			{"programName", "cloneToProgramName", "campaignName", "campaignRunAt", "programTokenList"},
		},
	},
	"requestCampaign": {
		fields: []field{
			{name: "source", kind: kEnum, enum: sourceEnum, required: true},
			{name: "campaignId", kind: kInt, nillable: true},
			{name: "leadList", kind: kLeadKeyList, nillable: true},
			{name: "programName", nillable: true},
			{name: "campaignName", nillable: true},
			{name: "programTokenList", kind: kAttribList, nillable: true},
		},
		orders: [][]string{{"source", "campaignId", "leadList", "programName", "campaignName", "programTokenList"}},
	},
	"getCampaignsForSource": {
		fields: []field{
			{name: "source", kind: kEnum, enum: sourceEnum, required: true},
			{name: "name", nillable: true},
			{name: "exactName", kind: kBool, nillable: true},
		},
		orders: [][]string{{"source", "name", "exactName"}},
	},
	"importToList": {
		fields: []field{
			{name: "programName", required: true},
			{name: "importFileHeader", required: true},
			{name: "importFileRows", kind: kStringList, required: true},
			{name: "importListMode", kind: kEnum, enum: modeEnum, required: true},
			{name: "listName", required: true},
			{name: "clearList", kind: kBool, required: true},
			{name: "campaignName", required: true, nillable: true},
		},
		orders: [][]string{{"programName", "importFileHeader", "importFileRows", "importListMode", "listName", "clearList", "campaignName"}},
	},
	"getImportToListStatus": {
		fields: []field{
			{name: "programName", required: true},
			{name: "listName", required: true},
		},
		orders: [][]string{{"programName", "listName"}},
	},
}

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
		return nil, faultf(CodeCampaignNotFound, "Program %s not found", progName)
	}
	c := prog.campaign(campName)
	if c == nil {
		return nil, faultf(CodeCampaignNotFound, "Campaign %s not found in program %s", campName, progName)
	}
	if c.Kind != Batch {
		return nil, faultf(CodeBadParameter, "Campaign %s is not a batch campaign; scheduleCampaign runs batch campaigns only", campName)
	}
	run := Run{Operation: "scheduleCampaign", Requested: now, RunAt: now}
	if t, ok := p.dateTime("campaignRunAt"); ok {
		run.RunAt = t
	}
	runProg, runCamp := prog, c
	if cloneName, ok := p.str("cloneToProgramName"); ok {
		if cloneName == "" {
			return nil, faultf(CodeBadParameter, "cloneToProgramName is empty")
		}
		if s.t.program(cloneName) != nil {
			return nil, faultf(CodeBadParameter, "Program %s already exists; cloneToProgramName must name a new program", cloneName)
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
