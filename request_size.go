package marketo

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// The largest request body each endpoint accepts. A larger one is answered
// 413 without being run, after the client has sent all of it, so the SDK
// refuses it before sending anything. Each wire checks its own limit with
// checkRequestSize:
//
//   - SOAP: 8 MiB (8,388,608 bytes) for the whole envelope, the limit of
//     Marketo's SOAP endpoint and of marketotest.
//   - REST: 1 MB for a JSON body; 10 MB for a bulk import, which the SDK
//     splits into jobs of at most MaxImportJobBytes instead of refusing it.
const soapMaxRequestBytes = 8 << 20

// paramSize is how many bytes of a request one of the caller's parameters
// takes.
type paramSize struct {
	field string // the Go field, e.g. "Rows"
	size  int
}

// checkRequestSize refuses a request of size bytes when it is over limit,
// the most the wire's endpoint accepts, with a *ValidationError for each
// parameter that makes it large: the largest, and any other taking a
// quarter of the request or more. params is called only then.
func checkRequestSize(wire api, size, limit int, params func() []paramSize) error {
	if size <= limit {
		return nil
	}
	sizes := params()
	slices.SortStableFunc(sizes, func(a, b paramSize) int { return cmp.Compare(b.size, a.size) })
	var errs []error
	for i, p := range sizes {
		if i > 0 && p.size < size/4 {
			break
		}
		errs = append(errs, &ValidationError{Field: p.field, Rule: fmt.Sprintf(
			"takes %d bytes of a %d-byte request; the %s endpoint accepts requests of at most %d bytes", p.size, size, wire, limit)})
	}
	if len(errs) == 0 {
		errs = append(errs, &ValidationError{Field: "params", Rule: fmt.Sprintf(
			"make a %d-byte request; the %s endpoint accepts requests of at most %d bytes", size, wire, limit)})
	}
	return errors.Join(errs...)
}
