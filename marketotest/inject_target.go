package marketotest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/mktows/marketo"
)

// Target names the call an injection is aimed at: an SDK method, the same
// name on both APIs, or one of the calls the SDK makes on its own on REST
// (lookups). An injection aimed at a target leaves every other call alone,
// so a test can make ScheduleCampaign lose its answer on a client whose
// campaign lookup has not run yet. Token requests are never injected.
type Target string

// The SDK methods, as the fake recognises them on SOAP (by the operation)
// and on REST (by the endpoint).
const (
	TargetScheduleCampaign      Target = "ScheduleCampaign"      // SOAP scheduleCampaign; REST schedule.json
	TargetRequestCampaign       Target = "RequestCampaign"       // SOAP requestCampaign; REST trigger.json
	TargetGetCampaignsForSource Target = "GetCampaignsForSource" // SOAP getCampaignsForSource; REST campaigns.json?isTriggerable=true without a name
	TargetImportToList          Target = "ImportToList"          // SOAP importToList; REST bulk leads.json and lists/{id}/leads.json
	TargetGetImportToListStatus Target = "GetImportToListStatus" // SOAP getImportToListStatus; REST batch/{id}.json
	TargetImportFailures        Target = "ImportFailures"        // REST batch/{id}/failures.json
	TargetImportWarnings        Target = "ImportWarnings"        // REST batch/{id}/warnings.json
)

// The calls the SDK makes on its own over REST before the call it was
// asked for. They are read-only: the SDK retries them on any failure, so
// an untargeted injection that lands on one is usually invisible.
const (
	TargetCampaignLookup Target = "CampaignLookup" // campaigns.json otherwise (ListCampaigns' pages too: the same request), campaigns/{id}.json, the asset API's smartCampaign/{id}.json
	TargetLeadLookup     Target = "LeadLookup"     // leads.json
	TargetListLookup     Target = "ListLookup"     // lists.json, the asset API's staticList/byName.json
	TargetLeadDescribe   Target = "LeadDescribe"   // leads/describe.json, describe2.json
)

// Targets returns every target, the SDK methods first.
func Targets() []Target {
	return []Target{
		TargetScheduleCampaign, TargetRequestCampaign, TargetGetCampaignsForSource, TargetImportToList,
		TargetGetImportToListStatus, TargetImportFailures, TargetImportWarnings,
		TargetCampaignLookup, TargetLeadLookup, TargetListLookup, TargetLeadDescribe,
	}
}

// Injections aims the fault injections of a Server at one target.
type Injections struct {
	s      *Server
	target Target
}

// On returns the fault injections of s aimed at t: for example
// srv.On(marketotest.TargetScheduleCampaign).DropAnswerNext(1) runs the
// next schedule and loses its answer, whatever lookups the client makes
// first. Injections aimed at a target and untargeted ones share one queue,
// in the order they are added; a call takes the first that applies to it.
// On("") aims at any call, as the Server's own injection methods do.
func (s *Server) On(t Target) Injections { return Injections{s: s, target: t} }

// FailNext makes the next n calls of the target answer a fault with code
// without running them (on REST, the code's REST counterpart).
func (in Injections) FailNext(n int, code marketo.Code) {
	in.s.push(&injection{kind: "fail", n: n, code: code, target: in.target})
}

// DropNext makes the next n calls of the target start an answer and close
// the connection before it ends, without running them.
func (in Injections) DropNext(n int) {
	in.s.push(&injection{kind: "drop", n: n, target: in.target})
}

// GarbageNext makes the next n calls of the target answer g.
func (in Injections) GarbageNext(n int, g Garbage) {
	in.s.push(&injection{kind: "garbage", n: n, garbage: g, target: in.target})
}

// DropAnswerNext makes the next n calls of the target run and then lose
// their answer: the connection closes before it is written.
func (in Injections) DropAnswerNext(n int) {
	in.s.push(&injection{kind: "drop-answer", n: n, target: in.target})
}

// StallAnswerNext makes the next n calls of the target run and then hold
// their answer until the client gives up or the server closes.
func (in Injections) StallAnswerNext(n int) {
	in.s.push(&injection{kind: "stall-answer", n: n, target: in.target})
}

// soapTargets maps SOAP operations to their targets.
var soapTargets = map[string]Target{
	"scheduleCampaign":      TargetScheduleCampaign,
	"requestCampaign":       TargetRequestCampaign,
	"getCampaignsForSource": TargetGetCampaignsForSource,
	"importToList":          TargetImportToList,
	"getImportToListStatus": TargetGetImportToListStatus,
}

// soapParamsRE finds the operation of a SOAP body by its params element,
// e.g. <ns1:paramsScheduleCampaign>, for a client that sends no SOAPAction.
var soapParamsRE = regexp.MustCompile(`<(?:[A-Za-z_][\w.-]*:)?params([A-Z]\w*)[\s/>]`)

// soapTarget returns the target of a SOAP call before it is parsed: from
// its SOAPAction, else from its params element; "" when neither names an
// operation the fake knows.
func soapTarget(r *http.Request, body []byte) Target {
	action := strings.Trim(r.Header.Get("SOAPAction"), `"`)
	if i := strings.LastIndexByte(action, '/'); i >= 0 {
		if t, ok := soapTargets[action[i+1:]]; ok {
			return t
		}
	}
	if m := soapParamsRE.FindSubmatch(body); m != nil {
		op := string(m[1])
		return soapTargets[strings.ToLower(op[:1])+op[1:]]
	}
	return ""
}

// restTargets maps the fake's REST operations (Request.Operation) to their
// targets; getCampaigns is told apart by its query.
var restTargets = map[string]Target{
	"scheduleCampaign":    TargetScheduleCampaign,
	"requestCampaign":     TargetRequestCampaign,
	"getCampaign":         TargetCampaignLookup,
	"getSmartCampaign":    TargetCampaignLookup,
	"getLeads":            TargetLeadLookup,
	"describeLeads":       TargetLeadDescribe,
	"describeLeads2":      TargetLeadDescribe,
	"getLists":            TargetListLookup,
	"getStaticListByName": TargetListLookup,
	"addToList":           TargetImportToList,
	"importLeads":         TargetImportToList,
	"getImportStatus":     TargetGetImportToListStatus,
	"getImportFailures":   TargetImportFailures,
	"getImportWarnings":   TargetImportWarnings,
}

// restTarget returns the target of a REST call, "" for a path the fake
// does not serve. campaigns.json is GetCampaignsForSource when it asks for
// triggerable campaigns without a name, the campaign lookup otherwise; its
// query may come in a form body (POST with _method=GET).
func restTarget(r *http.Request, body []byte) Target {
	rt, _, f := route(r, body)
	if f != nil {
		return ""
	}
	if rt.operation != "getCampaigns" {
		return restTargets[rt.operation]
	}
	q := r.URL.Query()
	if isForm(r.Header.Get("Content-Type")) {
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range form {
				q[k] = append(q[k], v...)
			}
		}
	}
	if q.Has("isTriggerable") && !q.Has("name") {
		return TargetGetCampaignsForSource
	}
	return TargetCampaignLookup
}
