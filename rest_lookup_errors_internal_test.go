package marketo

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A lookup error whose keys are all ambiguous says so, and neither says
// nor matches that a lead was not found.
func TestLeadLookupErrorWithAmbiguousKeysOnly(t *testing.T) {
	t.Parallel()
	err := &LeadLookupError{Ambiguous: []AmbiguousLead{{Key: LeadKey{Type: LeadKeyEmail, Value: "a@x.com"}, IDs: []int{1, 2}}}}
	assert.Equal(t, `EMAIL "a@x.com" matches 2 leads (IDs 1, 2); give the one meant as an IDNUM key; no campaign was requested`, err.Error())
	assert.False(t, errors.Is(err, ErrLeadNotFound))

	err.NotFound = []LeadKey{{Type: LeadKeyEmail, Value: "b@x.com"}}
	assert.Equal(t, `no lead found for EMAIL "b@x.com"; EMAIL "a@x.com" matches 2 leads (IDs 1, 2); give the one meant as an IDNUM key; no campaign was requested`, err.Error())
	assert.True(t, errors.Is(err, ErrLeadNotFound))
}

// A candidate of an ambiguous name says where it lives by what Marketo gave.
func TestNameMatchSaysWhereItLives(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		m    NameMatch
		want string
	}{
		{NameMatch{ID: 1, ProgramName: "P", Folder: &Folder{ID: 9, Name: "F"}}, `in program "P"`},
		{NameMatch{ID: 1, Folder: &Folder{ID: 9, Name: "F"}}, `in folder "F"`},
		{NameMatch{ID: 1, Folder: &Folder{ID: 9}}, `in folder 9`},
		{NameMatch{ID: 1}, `in a folder`},
		{NameMatch{ID: 1, WorkspaceName: "Default"}, `in a folder (workspace "Default")`},
	} {
		assert.Equal(t, tc.want, tc.m.where(), "%+v", tc.m)
	}
}
