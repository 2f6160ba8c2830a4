package marketo

import (
	"fmt"
	"math"
	"strings"
)

// apiAny stands for "either API" where params are validated without a
// Client: the rules both APIs share.
const apiAny api = 255

// requireText appends an error unless s is non-blank text both APIs can
// carry.
func requireText(errs []error, field, s string) []error {
	if strings.TrimSpace(s) == "" {
		return append(errs, &ValidationError{Field: field, Rule: "is required and must not be blank"})
	}
	if err := checkXMLText(s); err != nil {
		return append(errs, &ValidationError{Field: field, Rule: err.Error()})
	}
	return errs
}

// checkCampaignNaming appends errors unless a campaign is named either by
// its ID alone or by its program and campaign names.
func checkCampaignNaming(errs []error, id int, program, campaign string) []error {
	switch {
	case id < 0 || id > math.MaxInt32:
		return append(errs, &ValidationError{Field: "CampaignID", Rule: fmt.Sprintf("%d is not a campaign ID; want a positive 32-bit integer", id)})
	case id > 0:
		for _, f := range []struct {
			name string
			set  bool
		}{{"ProgramName", program != ""}, {"CampaignName", campaign != ""}} {
			if f.set {
				errs = append(errs, &ValidationError{Field: f.name, Rule: "must be empty when CampaignID is set; name the campaign either by CampaignID alone or by ProgramName and CampaignName"})
			}
		}
		return errs
	}
	errs = requireText(errs, "ProgramName", program)
	return requireText(errs, "CampaignName", campaign)
}
