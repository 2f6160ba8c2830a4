package marketotest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// CampaignKind tells batch and trigger smart campaigns apart.
type CampaignKind string

// Campaign kinds. scheduleCampaign only runs Batch campaigns; requestCampaign
// only runs Trigger campaigns that are Requestable.
const (
	Batch   CampaignKind = "batch"
	Trigger CampaignKind = "trigger"
)

// Campaign is a smart campaign of a program, or of a folder outside any
// program: exactly one of Program and Folder is set.
type Campaign struct {
	ID          int // assigned by AddCampaign when 0; unique in the tenant
	Program     string
	Folder      string
	Name        string
	Description string
	Kind        CampaignKind
	// Requestable marks a trigger campaign with a "Campaign is Requested"
	// (Web Service API) trigger.
	Requestable bool
	// Inactive marks a trigger campaign that is not activated: it cannot be
	// requested and is not triggerable. Batch campaigns cannot be Inactive.
	Inactive bool
}

// List is a static list of a program, or of a folder outside any program
// (Program empty, Folder set).
type List struct {
	Program string
	Folder  string
	Name    string
	Members []int // lead IDs, in the order they were added
}

// Lead is a person record. Fields are keyed by field display name
// ("First Name"); Email is the "Email Address" field.
type Lead struct {
	ID     int
	Email  string
	Fields map[string]string
}

// Program is a snapshot of a program with its My Tokens, campaigns and lists.
type Program struct {
	ID         int // assigned in creation order from 1001; REST's programId
	Name       string
	Tokens     map[string]string // "{{my.name}}" → value
	Campaigns  []Campaign
	Lists      []List
	ClonedFrom string // set on programs created by cloneToProgramName
	// UncloneableAssets are asset types the program holds that
	// cloneToProgramName cannot copy ("Push Notification", ...).
	UncloneableAssets []string
}

// StandardLeadFields are the lead field display names every tenant knows.
var StandardLeadFields = []string{
	"Email Address", "First Name", "Last Name", "Job Title", "Company Name", "Phone Number",
	"City", "State", "Country", "Lead Owner Email Address", "Cookie", "SFDC Account ID",
	"SFDC Contact ID", "SFDC Lead ID", "SFDC Lead Owner ID", "SFDC Opportunity ID",
}

// keyTypeFields maps requestCampaign keyTypes (other than IDNUM and EMAIL)
// to the lead field they match.
var keyTypeFields = map[string]string{
	"COOKIE":          "Cookie",
	"LEADOWNEREMAIL":  "Lead Owner Email Address",
	"SFDCACCOUNTID":   "SFDC Account ID",
	"SFDCCONTACTID":   "SFDC Contact ID",
	"SFDCLEADID":      "SFDC Lead ID",
	"SFDCLEADOWNERID": "SFDC Lead Owner ID",
	"SFDCOPPTYID":     "SFDC Opportunity ID",
}

var tokenNameRE = regexp.MustCompile(`^\{\{(?i:my)\.[^{}]+\}\}$`)

// ValidTokenName reports whether name has the full My Token form, "{{my.name}}".
func ValidTokenName(name string) bool { return tokenNameRE.MatchString(name) }

type campaign struct {
	Campaign
	pending map[int]map[string]string // per-lead tokens bound to the next run
	created time.Time                 // REST's createdAt and updatedAt
}

type list struct {
	name    string
	members []int
	created time.Time // REST's createdAt and updatedAt
}

// program is a program, or a folder outside any program (folder true):
// both hold My Tokens, campaigns and lists, but only programs are found by
// programName and can be cloned.
type program struct {
	id         int
	name       string
	folder     bool
	tokens     map[string]string
	campaigns  []*campaign
	lists      []*list
	clonedFrom string
	noClone    []string // asset types cloneToProgramName cannot copy
}

// tenant is the fake's data; guarded by Server.mu. Both APIs read and change
// the same tenant: a campaign has one ID on SOAP and REST, a lead one ID.
type tenant struct {
	now         func() time.Time // the fake's clock, for creation times
	programs    []*program
	folders     []*program // folders outside any program
	leads       []*Lead
	leadCreated map[int]time.Time // REST's createdAt and updatedAt of each lead
	fields      map[string]bool
	nextLead    int
	nextCampID  int
	nextProgID  int
	nextFolder  int
}

func newTenant(now func() time.Time) *tenant {
	t := &tenant{now: now, leadCreated: map[int]time.Time{}, fields: map[string]bool{}, nextLead: 1, nextCampID: 1001, nextProgID: 1001, nextFolder: 101}
	for _, f := range StandardLeadFields {
		t.fields[f] = true
	}
	return t
}

func (t *tenant) program(name string) *program {
	for _, p := range t.programs {
		if p.name == name {
			return p
		}
	}
	return nil
}

// tokenKey finds a My Token by name; token names are not case-sensitive.
func (p *program) tokenKey(name string) (string, bool) {
	if _, ok := p.tokens[name]; ok {
		return name, true
	}
	for k := range p.tokens {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}

func (p *program) campaign(name string) *campaign {
	for _, c := range p.campaigns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (p *program) list(name string) *list {
	for _, l := range p.lists {
		if l.name == name {
			return l
		}
	}
	return nil
}

func (t *tenant) campaignByID(id int) (*program, *campaign) {
	for _, p := range t.containers() {
		for _, c := range p.campaigns {
			if c.ID == id {
				return p, c
			}
		}
	}
	return nil, nil
}

func (t *tenant) leadByID(id int) *Lead {
	for _, l := range t.leads {
		if l.ID == id {
			return l
		}
	}
	return nil
}

func (t *tenant) leadByEmail(email string) *Lead {
	for _, l := range t.leads {
		if strings.EqualFold(l.Email, email) {
			return l
		}
	}
	return nil
}

func (t *tenant) addProgram(name string, tokens map[string]string) error {
	if t.program(name) != nil {
		return fmt.Errorf("marketotest: program %q already exists", name)
	}
	p, err := newContainer("program", name, tokens)
	if err != nil {
		return err
	}
	p.id = t.nextProgID
	t.nextProgID++
	t.programs = append(t.programs, p)
	return nil
}

func newContainer(kind, name string, tokens map[string]string) (*program, error) {
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("marketotest: %s name is empty", kind)
	}
	for k := range tokens {
		if !ValidTokenName(k) {
			return nil, fmt.Errorf("marketotest: token name %q is not of the form {{my.name}}", k)
		}
	}
	p := &program{name: name, tokens: maps.Clone(tokens)}
	if p.tokens == nil {
		p.tokens = map[string]string{}
	}
	return p, nil
}

func (t *tenant) addCampaign(c Campaign) (Campaign, error) {
	p, err := t.container(c.Program, c.Folder)
	if err != nil {
		return c, err
	}
	if strings.TrimSpace(c.Name) == "" {
		return c, fmt.Errorf("marketotest: campaign name is empty")
	}
	if p.campaign(c.Name) != nil {
		return c, fmt.Errorf("marketotest: campaign %q already exists in %s", c.Name, p.where())
	}
	if c.Kind != Batch && c.Kind != Trigger {
		return c, fmt.Errorf("marketotest: campaign kind %q is not batch or trigger", c.Kind)
	}
	if c.Kind == Batch && c.Requestable {
		return c, fmt.Errorf("marketotest: a batch campaign cannot be requestable")
	}
	if c.Kind == Batch && c.Inactive {
		return c, fmt.Errorf("marketotest: a batch campaign cannot be inactive (only trigger campaigns are activated)")
	}
	if c.ID == 0 {
		c.ID = t.nextCampID
	} else if _, dup := t.campaignByID(c.ID); dup != nil {
		return c, fmt.Errorf("marketotest: campaign id %d already exists", c.ID)
	}
	if c.ID >= t.nextCampID {
		t.nextCampID = c.ID + 1
	}
	p.campaigns = append(p.campaigns, &campaign{Campaign: c, created: t.now()})
	return c, nil
}

// addList adds a static list to a program or a folder (exactly one named).
func (t *tenant) addList(programName, folderName, name string) error {
	p, err := t.container(programName, folderName)
	if err != nil {
		return err
	}
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("marketotest: list name is empty")
	}
	if p.list(name) != nil {
		return fmt.Errorf("marketotest: list %q already exists in %s", name, p.where())
	}
	p.lists = append(p.lists, &list{name: name, created: t.now()})
	return nil
}

func (t *tenant) addLead(l Lead) (Lead, error) {
	if strings.TrimSpace(l.Email) == "" {
		return l, fmt.Errorf("marketotest: lead email is empty")
	}
	if t.leadByEmail(l.Email) != nil {
		return l, fmt.Errorf("marketotest: lead with email %q already exists", l.Email)
	}
	for f := range l.Fields {
		if !t.fields[f] {
			return l, fmt.Errorf("marketotest: unknown lead field %q", f)
		}
	}
	if l.ID == 0 {
		l.ID = t.nextLead
	} else if t.leadByID(l.ID) != nil {
		return l, fmt.Errorf("marketotest: lead id %d already exists", l.ID)
	}
	if l.ID >= t.nextLead {
		t.nextLead = l.ID + 1
	}
	l.Fields = maps.Clone(l.Fields)
	if l.Fields == nil {
		l.Fields = map[string]string{}
	}
	l.Fields["Email Address"] = l.Email
	stored := l
	t.leads = append(t.leads, &stored)
	t.leadCreated[l.ID] = t.now()
	return copyLead(&stored), nil
}

func (t *tenant) addMember(programName, folderName, listName string, leadID int) error {
	p, err := t.container(programName, folderName)
	if err != nil {
		return err
	}
	l := p.list(listName)
	if l == nil {
		return fmt.Errorf("marketotest: list %q does not exist in %s", listName, p.where())
	}
	if t.leadByID(leadID) == nil {
		return fmt.Errorf("marketotest: lead %d does not exist", leadID)
	}
	if !slices.Contains(l.members, leadID) {
		l.members = append(l.members, leadID)
	}
	return nil
}

// clone copies a program with its tokens, campaigns (new IDs), lists and
// list members under a new name.
func (t *tenant) clone(src *program, name string) *program {
	np := &program{id: t.nextProgID, name: name, tokens: maps.Clone(src.tokens), clonedFrom: src.name, noClone: slices.Clone(src.noClone)}
	t.nextProgID++
	for _, c := range src.campaigns {
		nc := &campaign{Campaign: c.Campaign, created: t.now()}
		nc.ID, nc.Program = t.nextCampID, name
		t.nextCampID++
		np.campaigns = append(np.campaigns, nc)
	}
	for _, l := range src.lists {
		np.lists = append(np.lists, &list{name: l.name, members: slices.Clone(l.members), created: t.now()})
	}
	t.programs = append(t.programs, np)
	return np
}

func copyLead(l *Lead) Lead {
	c := *l
	c.Fields = maps.Clone(l.Fields)
	return c
}

func (p *program) snapshot() Program {
	out := Program{ID: p.id, Name: p.name, Tokens: maps.Clone(p.tokens), ClonedFrom: p.clonedFrom, UncloneableAssets: slices.Clone(p.noClone)}
	out.Campaigns, out.Lists = p.assets()
	return out
}

func (p *program) assets() ([]Campaign, []List) {
	var cs []Campaign
	var ls []List
	for _, c := range p.campaigns {
		cs = append(cs, c.Campaign)
	}
	for _, l := range p.lists {
		out := List{Name: l.name, Members: slices.Clone(l.members)}
		if p.folder {
			out.Folder = p.name
		} else {
			out.Program = p.name
		}
		ls = append(ls, out)
	}
	return cs, ls
}

// findProgram is program, or errProgramNotFound.
func (t *tenant) findProgram(name string) (*program, *domainErr) {
	if p := t.program(name); p != nil {
		return p, nil
	}
	return nil, &domainErr{kind: errProgramNotFound, program: name}
}

// findCampaign finds a campaign by its program's name and its own.
func (t *tenant) findCampaign(progName, campName string) (*program, *campaign, *domainErr) {
	p, derr := t.findProgram(progName)
	if derr != nil {
		return nil, nil, derr
	}
	if c := p.campaign(campName); c != nil {
		return p, c, nil
	}
	return nil, nil, &domainErr{kind: errCampaignNotFound, campaign: campName, program: progName}
}

// findCampaignID finds a campaign, in a program or a folder, by its ID.
func (t *tenant) findCampaignID(id int) (*program, *campaign, *domainErr) {
	if p, c := t.campaignByID(id); c != nil {
		return p, c, nil
	}
	return nil, nil, &domainErr{kind: errCampaignIDNotFound, campaignID: id}
}

// findList finds a program's static list by their names.
func (t *tenant) findList(progName, listName string) (*program, *list, *domainErr) {
	p, derr := t.findProgram(progName)
	if derr != nil {
		return nil, nil, derr
	}
	if l := p.list(listName); l != nil {
		return p, l, nil
	}
	return nil, nil, &domainErr{kind: errListNotFound, list: listName, program: progName}
}
