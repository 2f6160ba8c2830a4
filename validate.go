package marketo

import (
	"fmt"
	"math"
	"strings"
)

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
// its ID alone or by its name, with its program's name when given (SOAP
// requires it: see soapBackend.check).
func checkCampaignNaming(errs []error, id int, program, campaign string) []error {
	return checkAssetNaming(errs, assetNaming{"CampaignID", "CampaignName", "campaign"}, id, program, campaign)
}

// checkListNaming is checkCampaignNaming for a static list.
func checkListNaming(errs []error, id int, program, list string) []error {
	return checkAssetNaming(errs, assetNaming{"ListID", "ListName", "list"}, id, program, list)
}

// assetNaming names the fields that name one kind of asset.
type assetNaming struct{ idField, nameField, what string }

// checkAssetNaming appends errors unless an asset is named either by its ID
// alone, or by its name and (required on SOAP only) its program's name.
func checkAssetNaming(errs []error, f assetNaming, id int, program, name string) []error {
	switch {
	case id < 0 || id > math.MaxInt32:
		return append(errs, &ValidationError{Field: f.idField, Rule: fmt.Sprintf("%d is not a %s ID; want a positive 32-bit integer", id, f.what)})
	case id > 0:
		for _, g := range []struct {
			name string
			set  bool
		}{{"ProgramName", program != ""}, {f.nameField, name != ""}} {
			if g.set {
				errs = append(errs, &ValidationError{Field: g.name, Rule: fmt.Sprintf(
					"must be empty when %s is set; name the %s either by %s alone or by %s (and ProgramName)", f.idField, f.what, f.idField, f.nameField)})
			}
		}
		return errs
	}
	if program != "" {
		// REST takes a program when given, to tell apart assets of the
		// same name; SOAP requires one (soapBackend.check).
		errs = requireText(errs, "ProgramName", program)
	}
	return requireText(errs, f.nameField, name)
}
