package marketo

import (
	"errors"
	"strconv"
	"testing"
)

// An import whose rows break rules by the thousand reports the first
// fields only.
func TestRefusalNamesTheFirstTenFields(t *testing.T) {
	t.Parallel()
	var errs []error
	for i := range 12 {
		errs = append(errs, &ValidationError{Field: "Rows[" + strconv.Itoa(i) + "]", Rule: "has 1 field; want 2"})
	}
	class, fields := refusal(invalid(opImportToList, errors.Join(errs...)))
	if class != "invalid" || len(fields) != maxInvalidFields || fields[0] != "Rows[0]" || fields[9] != "Rows[9]" {
		t.Fatalf("refusal: %q %q", class, fields)
	}
	if class, fields := refusal(errors.New("connection refused")); class != "" || fields != nil {
		t.Fatalf("a failure that is no refusal: %q %q", class, fields)
	}
}
