package marketotest

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Seed describes tenant content; it is also the JSON seed file format.
type Seed struct {
	// LeadFields are extra lead field display names beyond StandardLeadFields.
	LeadFields []string      `json:"leadFields,omitempty"`
	Leads      []SeedLead    `json:"leads,omitempty"`
	Programs   []SeedProgram `json:"programs,omitempty"`
	// Folders hold campaigns and lists outside any program, as many real
	// tenants keep them.
	Folders []SeedFolder `json:"folders,omitempty"`
}

// SeedLead is a lead of a Seed. ID 0 assigns the next free ID.
type SeedLead struct {
	ID     int               `json:"id,omitempty"`
	Email  string            `json:"email"`
	Fields map[string]string `json:"fields,omitempty"`
}

// SeedProgram is a program of a Seed.
type SeedProgram struct {
	Name      string            `json:"name"`
	Tokens    map[string]string `json:"tokens,omitempty"`
	Campaigns []SeedCampaign    `json:"campaigns,omitempty"`
	Lists     []SeedList        `json:"lists,omitempty"`
	// UncloneableAssets are asset types the program holds that
	// cloneToProgramName cannot copy (see UncloneableAssetTypes): a clone
	// schedule of its campaigns is refused.
	UncloneableAssets []string `json:"uncloneableAssets,omitempty"`
}

// SeedFolder is a folder outside any program: My Tokens, campaigns and
// lists, like a SeedProgram, but never cloned and never found by a
// programName.
type SeedFolder struct {
	Name      string            `json:"name"`
	Tokens    map[string]string `json:"tokens,omitempty"`
	Campaigns []SeedCampaign    `json:"campaigns,omitempty"`
	Lists     []SeedList        `json:"lists,omitempty"`
}

// SeedCampaign is a campaign of a SeedProgram or SeedFolder. Type is
// "batch" or "trigger". Active false makes a trigger campaign inactive;
// absent, a trigger campaign is active.
type SeedCampaign struct {
	ID          int    `json:"id,omitempty"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Requestable bool   `json:"requestable,omitempty"`
	Active      *bool  `json:"active,omitempty"`
	Description string `json:"description,omitempty"`
}

// SeedList is a static list of a SeedProgram or SeedFolder; Members are
// lead emails.
type SeedList struct {
	Name    string   `json:"name"`
	Members []string `json:"members,omitempty"`
}

// LoadSeed decodes a JSON seed, refusing unknown keys.
func LoadSeed(r io.Reader) (*Seed, error) {
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	var s Seed
	if err := d.Decode(&s); err != nil {
		return nil, fmt.Errorf("marketotest: seed: %w", err)
	}
	return &s, nil
}

// DefaultSeed returns the default tenant: program Trav-Demo-Program with the
// batch campaign "Batch Campaign Example", My Tokens {{my.message}} and
// {{my.other token}}, the static list Trav-Test-List, two requestable
// trigger campaigns and one that is not requestable; folder Operational
// Campaigns (no program) with a batch campaign, an inactive requestable
// trigger campaign and the static list Newsletter Subscribers; and three
// leads. The folder adds no campaign a triggerable listing shows, so such
// listings of the default tenant are those of the program alone.
func DefaultSeed() *Seed {
	return &Seed{
		Leads: []SeedLead{
			{ID: 1, Email: "jdoe@janeconsulting.com", Fields: map[string]string{"First Name": "Jane", "Last Name": "Doe", "Company Name": "Jane Consulting"}},
			{ID: 2, Email: "dawesomesauce@marketo.com", Fields: map[string]string{"First Name": "Developer", "Last Name": "Awesomesauce", "Company Name": "Marketo"}},
			{ID: 3, Email: "sam@example.com", Fields: map[string]string{"First Name": "Sam", "Last Name": "Smith", "SFDC Lead ID": "00Q000000000001"}},
		},
		Programs: []SeedProgram{{
			Name:   "Trav-Demo-Program",
			Tokens: map[string]string{"{{my.message}}": "Default message", "{{my.other token}}": "Default other token"},
			Campaigns: []SeedCampaign{
				{ID: 1001, Name: "Batch Campaign Example", Type: "batch"},
				{ID: 1002, Name: "Trigger Campaign Example", Type: "trigger", Requestable: true, Description: "Requested by the SOAP API"},
				{ID: 1003, Name: "Welcome Email Trigger", Type: "trigger", Requestable: true},
				{ID: 1004, Name: "Form Fill Trigger", Type: "trigger"},
			},
			Lists: []SeedList{{Name: "Trav-Test-List", Members: []string{"jdoe@janeconsulting.com"}}},
		}},
		Folders: []SeedFolder{{
			Name:   "Operational Campaigns",
			Tokens: map[string]string{"{{my.message}}": "Folder message"},
			Campaigns: []SeedCampaign{
				{ID: 1005, Name: "Monthly Newsletter Send", Type: "batch"},
				{ID: 1006, Name: "Paused Request Trigger", Type: "trigger", Requestable: true, Active: boolPtr(false), Description: "Deactivated"},
			},
			Lists: []SeedList{{Name: "Newsletter Subscribers", Members: []string{"dawesomesauce@marketo.com"}}},
		}},
	}
}

func boolPtr(b bool) *bool { return &b }

// ApplySeed adds the seed's fields, leads, programs, campaigns, lists and
// list members, stopping at the first error (duplicates are errors).
func (s *Server) ApplySeed(sd *Seed) error {
	for _, f := range sd.LeadFields {
		if err := s.AddLeadField(f); err != nil {
			return err
		}
	}
	for _, l := range sd.Leads {
		if _, err := s.AddLead(Lead(l)); err != nil {
			return err
		}
	}
	for _, p := range sd.Programs {
		if err := s.AddProgram(p.Name, p.Tokens); err != nil {
			return err
		}
		for _, a := range p.UncloneableAssets {
			if err := s.AddUncloneableAsset(p.Name, a); err != nil {
				return err
			}
		}
		if err := s.seedAssets(p.Name, "", p.Campaigns, p.Lists); err != nil {
			return err
		}
	}
	for _, f := range sd.Folders {
		if err := s.AddFolder(f.Name, f.Tokens); err != nil {
			return err
		}
		if err := s.seedAssets("", f.Name, f.Campaigns, f.Lists); err != nil {
			return err
		}
	}
	return nil
}

// seedAssets adds campaigns and lists to a program or a folder.
func (s *Server) seedAssets(program, folder string, cs []SeedCampaign, ls []SeedList) error {
	for _, c := range cs {
		kind := CampaignKind(strings.ToLower(c.Type))
		camp := Campaign{ID: c.ID, Program: program, Folder: folder, Name: c.Name, Description: c.Description,
			Kind: kind, Requestable: c.Requestable, Inactive: c.Active != nil && !*c.Active}
		if c.Active != nil && kind == Batch {
			return fmt.Errorf("marketotest: campaign %q: active applies to trigger campaigns only", c.Name)
		}
		if _, err := s.AddCampaign(camp); err != nil {
			return err
		}
	}
	for _, l := range ls {
		s.mu.Lock()
		err := s.t.addList(program, folder, l.Name)
		s.mu.Unlock()
		if err != nil {
			return err
		}
		for _, email := range l.Members {
			if err := s.addMemberByEmail(program, folder, l.Name, email); err != nil {
				return err
			}
		}
	}
	return nil
}

// AddProgram adds a program with its My Tokens ("{{my.name}}" → value).
func (s *Server) AddProgram(name string, tokens map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addProgram(name, tokens)
}

// SetProgramToken sets (or adds) a My Token of a program.
func (s *Server) SetProgramToken(program, token, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.t.program(program)
	if p == nil {
		return fmt.Errorf("marketotest: program %q does not exist", program)
	}
	if !ValidTokenName(token) {
		return fmt.Errorf("marketotest: token name %q is not of the form {{my.name}}", token)
	}
	p.tokens[token] = value
	return nil
}

// AddFolder adds a folder outside any program, with its My Tokens.
func (s *Server) AddFolder(name string, tokens map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addFolder(name, tokens)
}

// UncloneableAssetTypes are the asset types Adobe's smart campaign page
// names as blocking cloneToProgramName ("Programs with snippets, push
// notifications, in-app messages, static lists, reports, and social
// assets may not be cloned in this way"): a program holding one cannot be
// cloned (709).
var UncloneableAssetTypes = []string{"Snippet", "Push Notification", "In-App Message", "Static List", "Report", "Social App"}

// AddUncloneableAsset records that a program holds an asset of a type
// cloneToProgramName cannot copy (one of UncloneableAssetTypes).
func (s *Server) AddUncloneableAsset(program, assetType string) error {
	if !slices.Contains(UncloneableAssetTypes, assetType) {
		return fmt.Errorf("marketotest: asset type %q is not one of %q", assetType, UncloneableAssetTypes)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.t.program(program)
	if p == nil {
		return fmt.Errorf("marketotest: program %q does not exist", program)
	}
	if !slices.Contains(p.noClone, assetType) {
		p.noClone = append(p.noClone, assetType)
	}
	return nil
}

// AddCampaign adds a campaign to c.Program or c.Folder (exactly one) and
// returns it with its ID.
func (s *Server) AddCampaign(c Campaign) (Campaign, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addCampaign(c)
}

// AddList adds an empty static list to a program.
func (s *Server) AddList(program, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addList(program, "", name)
}

// AddFolderList adds an empty static list to a folder outside any program.
func (s *Server) AddFolderList(folder, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addList("", folder, name)
}

// AddLeadField makes a lead field display name known to the tenant.
func (s *Server) AddLeadField(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.TrimSpace(name) == "" || strings.HasPrefix(name, "{{") {
		return fmt.Errorf("marketotest: bad lead field name %q", name)
	}
	if s.t.fields[name] {
		return fmt.Errorf("marketotest: lead field %q already exists", name)
	}
	s.t.fields[name] = true
	return nil
}

// AddLead adds a lead (Email required and unique; ID 0 assigns one) and
// returns it with its ID. Fields must be known lead fields.
func (s *Server) AddLead(l Lead) (Lead, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addLead(l)
}

// AddListMember adds a lead to a static list of a program.
func (s *Server) AddListMember(program, list string, leadID int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addMember(program, "", list, leadID)
}

// AddFolderListMember adds a lead to a static list of a folder.
func (s *Server) AddFolderListMember(folder, list string, leadID int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t.addMember("", folder, list, leadID)
}

// AddListMemberByEmail adds the lead with that email to a static list of a
// program.
func (s *Server) AddListMemberByEmail(program, list, email string) error {
	return s.addMemberByEmail(program, "", list, email)
}

func (s *Server) addMemberByEmail(program, folder, list, email string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.t.leadByEmail(email)
	if l == nil {
		return fmt.Errorf("marketotest: no lead with email %q", email)
	}
	return s.t.addMember(program, folder, list, l.ID)
}
