package marketo

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sentinels are the package's exported sentinel errors, by name.
var sentinels = map[string]error{
	"ErrAuthenticationFailed":     ErrAuthenticationFailed,
	"ErrRequestExpired":           ErrRequestExpired,
	"ErrRateLimitExceeded":        ErrRateLimitExceeded,
	"ErrConcurrencyLimitExceeded": ErrConcurrencyLimitExceeded,
	"ErrDailyQuotaExceeded":       ErrDailyQuotaExceeded,
	"ErrAccessDenied":             ErrAccessDenied,
	"ErrCampaignNotFound":         ErrCampaignNotFound,
	"ErrLeadNotFound":             ErrLeadNotFound,
	"ErrListNotFound":             ErrListNotFound,
	"ErrBadParameter":             ErrBadParameter,
	"ErrOutcomeUnknown":           ErrOutcomeUnknown,
	"ErrNotSuccessful":            ErrNotSuccessful,
	"ErrAmbiguousName":            ErrAmbiguousName,
	"ErrImportNotFound":           ErrImportNotFound,
	"ErrUnknownImportStatus":      ErrUnknownImportStatus,
	"ErrRESTOnly":                 ErrRESTOnly,
	"ErrCloneBudgetExhausted":     ErrCloneBudgetExhausted,
	"ErrResponseTooLarge":         ErrResponseTooLarge,
}

// declaredErrors parses the package's non-test files and returns, by
// name, the file of every exported sentinel (a var named Err…) and of
// every exported type with an Error method.
func declaredErrors(t *testing.T) (vars, types map[string]string) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	vars, types = map[string]string{}, map[string]string{}
	typeFile := map[string]string{}
	hasError := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if d.Tok == token.VAR && n.IsExported() && strings.HasPrefix(n.Name, "Err") {
								vars[n.Name] = name
							}
						}
					case *ast.TypeSpec:
						typeFile[s.Name.Name] = name
					}
				}
			case *ast.FuncDecl:
				if d.Name.Name == "Error" && d.Recv != nil {
					recv := d.Recv.List[0].Type
					if star, ok := recv.(*ast.StarExpr); ok {
						recv = star.X
					}
					hasError[recv.(*ast.Ident).Name] = true
				}
			}
		}
	}
	for typ := range hasError {
		if ast.IsExported(typ) {
			types[typ] = typeFile[typ]
		}
	}
	return vars, types
}

// TestEveryErrorIsDeclaredInErrorsGo: the exported sentinels and error
// types live in one file, and the sentinels list below knows them all.
func TestEveryErrorIsDeclaredInErrorsGo(t *testing.T) {
	t.Parallel()
	vars, types := declaredErrors(t)
	for name, file := range vars {
		assert.Equal(t, "errors.go", file, "sentinel %s", name)
		assert.Contains(t, sentinels, name, "the test's list of sentinels misses %s", name)
	}
	for name, file := range types {
		assert.Equal(t, "errors.go", file, "error type %s", name)
	}
	assert.Len(t, vars, len(sentinels))
	assert.GreaterOrEqual(t, len(types), 10, "the parse found the error types")
}

// TestSentinelsSayMarketoOnce: every sentinel's text starts with
// "marketo: " exactly once, and reads with one "marketo: " as the cause of
// an OperationError however the SDK wraps it: bare, with details, joined,
// or wrapped by fmt.Errorf as a limiter outside the package does.
func TestSentinelsSayMarketoOnce(t *testing.T) {
	t.Parallel()
	for name, s := range sentinels {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.True(t, strings.HasPrefix(s.Error(), "marketo: "), "%q", s.Error())
			assert.Equal(t, 1, strings.Count(s.Error(), "marketo:"), "%q", s.Error())
			for _, cause := range []error{
				s,
				withDetail(s, " (%d bytes)", 7),
				fmt.Errorf("%w: 3 of 3 made today", s),
				errors.Join(&ValidationError{Field: "ImportID", Rule: "required"}, s),
				&ImportIncompleteError{ImportIDs: []string{"1"}, NextRow: 2, Err: withDetail(s, "")},
			} {
				text := (&OperationError{Operation: "ScheduleCampaign", Err: cause}).Error()
				assert.Equal(t, 1, strings.Count(text, "marketo:"), "%q", text)
				assert.True(t, strings.HasPrefix(text, "marketo: ScheduleCampaign: "), "%q", text)
				assert.ErrorIs(t, &OperationError{Err: cause}, s)
			}
		})
	}
}

// TestDetailErrorReadsAsItsSentinel: a sentinel with details keeps the
// sentinel's reason first and matches it.
func TestDetailErrorReadsAsItsSentinel(t *testing.T) {
	t.Parallel()
	err := withDetail(ErrResponseTooLarge, " (%d bytes)", 1024)
	assert.Equal(t, "response body exceeds the size limit (1024 bytes)", err.Error())
	assert.ErrorIs(t, err, ErrResponseTooLarge)
	assert.NotErrorIs(t, err, ErrImportNotFound)
}

// TestBusyCodesAreTheTablesBusyClass: the codes the client waits on as a
// busy queue or list are the ones Adobe documents as such (1016 too many
// imports, 1019 import in progress, 1029 too many jobs in queue), read
// from the one code table; each fault of them is busy, and no other is.
func TestBusyCodesAreTheTablesBusyClass(t *testing.T) {
	t.Parallel()
	busy := codesIn(classBusy)
	assert.Equal(t, []Code{CodeTooManyImports, CodeImportInProgress, CodeBulkQueueFull}, busy)
	for code := range codes {
		f := &Fault{Code: code, Message: "Too many jobs in queue"}
		assert.Equal(t, slices.Contains(busy, code), f.busy(), "%v", code)
		if f.busy() {
			assert.Equal(t, outcomeRetryable, f.outcome(), "%v: a busy code did not run", code)
		}
	}
	assert.False(t, (&Fault{Code: CodeBulkQueueFull, Message: "Job already queued"}).busy(), "1029's other meanings are not busy")
	assert.Equal(t, []Code{CodeDailyQuotaReached, CodeBulkQueueFull, CodeRequestLimitExceeded}, codesIn(classDailyQuota),
		"the daily quota codes, 1029 by its message")
}
