package marketo_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
)

// TestREADMESnippetsCompile builds every ```go block of the Markdown docs
// (README.md, SECURITY.md and docs/*.md), so that a snippet a reader pastes
// compiles. The conventions:
//
//   - A block that is a list of declarations (a func, type, var, ...) is
//     compiled as a file of its own.
//   - Any other block is a list of statements, compiled as the body of a
//     function that returns an error (a snippet may end a failure with
//     `return err`) and has the two names every call needs in scope, ctx
//     (context.Context) and client (*marketo.Client). A block may declare
//     them instead, for the reader's code that follows.
//   - Any other name a block uses without declaring it is declared in an HTML
//     comment right before the block, which the rendered README does not
//     show: <!-- go: var params marketo.ScheduleCampaignParams -->. Its
//     text is Go declarations at package level.
//   - Imports are added for the packages the block names (the standard
//     library's that README snippets use, marketo, marketotest, redislimit
//     and go-redis as redis).
//
// The blocks are built with the go command, through an overlay that places
// them in packages that exist only for the build, in the module whose
// packages they use (this one, or redislimit's): nothing is written to the
// source tree. A module the snippets need that is not in the module cache
// (go-redis, on a fresh machine) is downloaded through the caller's GOPROXY,
// as `go test ./...` downloads this module's own; -mod=readonly keeps go.mod
// and go.sum as they are. Errors point at the Markdown file's lines.
func TestREADMESnippetsCompile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the go command; skipped in -short mode")
	}
	var snippets []readmeSnippet
	for _, name := range markdownDocs(t) {
		snippets = append(snippets, readmeSnippets(t, name)...)
	}
	require.NotEmpty(t, snippets, "the Markdown docs have no ```go blocks")

	root, err := filepath.Abs(".")
	require.NoError(t, err)
	tmp := t.TempDir()
	overlay := map[string]string{}
	pkgs := map[string][]string{} // module directory → packages to build
	for i, s := range snippets {
		name := fmt.Sprintf("readme%02d", i+1)
		src, module := s.goFile(name)
		backing := filepath.Join(tmp, name+".go")
		require.NoError(t, os.WriteFile(backing, []byte(src), 0o644))
		modDir := filepath.Join(root, module)
		overlay[filepath.Join(modDir, "internal", "readmesnippets", name, "snippet.go")] = backing
		pkgs[modDir] = append(pkgs[modDir], "./internal/readmesnippets/"+name)
	}
	overlayJSON, err := json.Marshal(map[string]any{"Replace": overlay})
	require.NoError(t, err)
	overlayFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlayJSON, 0o644))

	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	for _, modDir := range slices.Sorted(maps.Keys(pkgs)) {
		cmd := exec.Command(goBin, append([]string{"build", "-mod=readonly", "-overlay", overlayFile, "-o", os.DevNull}, pkgs[modDir]...)...)
		cmd.Dir = modDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("the docs' Go snippets do not compile in module %s:\n%s", modDir, out)
		}
	}
}

// markdownDocs returns the Markdown files whose Go snippets must compile.
func markdownDocs(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join("docs", "*.md"))
	require.NoError(t, err)
	return append([]string{"README.md", "SECURITY.md"}, docs...)
}

// readmeSnippet is one ```go block.
type readmeSnippet struct {
	file    string // the Markdown file, relative to the repository root
	line    int    // README line of the first line of code
	code    string // the block's text
	prelude string // declarations from a <!-- go: ... --> comment before it
}

// readmeSnippets returns the ```go blocks of the Markdown file name.
func readmeSnippets(t *testing.T, name string) []readmeSnippet {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	var (
		out      []readmeSnippet
		cur      *readmeSnippet
		prelude  string
		inFence  bool
		comment  *strings.Builder
		lineNo   int
		sc       = bufio.NewScanner(f)
		preludeN int // lines since the comment ended
	)
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		switch {
		case cur != nil:
			if strings.TrimSpace(line) == "```" {
				out = append(out, *cur)
				cur = nil
				continue
			}
			cur.code += line + "\n"
		case inFence:
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				inFence = false
			}
		case comment != nil:
			if before, ok := strings.CutSuffix(strings.TrimSpace(line), "-->"); ok {
				comment.WriteString(before + "\n")
				prelude, preludeN = comment.String(), 0
				comment = nil
				continue
			}
			comment.WriteString(line + "\n")
		case strings.HasPrefix(line, "<!-- go:"):
			rest := strings.TrimPrefix(line, "<!-- go:")
			if before, ok := strings.CutSuffix(strings.TrimSpace(rest), "-->"); ok {
				prelude, preludeN = before+"\n", 0
				continue
			}
			comment = &strings.Builder{}
			comment.WriteString(rest + "\n")
		case strings.TrimSpace(line) == "```go":
			s := readmeSnippet{file: name, line: lineNo + 1}
			if prelude != "" && preludeN == 0 {
				s.prelude = prelude
			}
			prelude = ""
			cur = &s
		case strings.HasPrefix(strings.TrimSpace(line), "```"):
			inFence = true
		case strings.TrimSpace(line) == "":
			// Blank lines may separate a comment from its block.
		default:
			preludeN++
		}
	}
	require.NoError(t, sc.Err())
	require.Nil(t, cur, "%s ends inside a ```go block", name)
	return out
}

// snippetImports are the packages a snippet may name, by name.
var snippetImports = map[string]string{
	"context":     "context",
	"errors":      "errors",
	"fmt":         "fmt",
	"http":        "net/http",
	"io":          "io",
	"log":         "log",
	"marketo":     "github.com/mktows/marketo",
	"marketotest": "github.com/mktows/marketo/marketotest",
	"os":          "os",
	"otel":        "go.opentelemetry.io/otel",
	"otelmarketo": "github.com/mktows/marketo/otelmarketo",
	"redis":       "github.com/redis/go-redis/v9",
	"redislimit":  "github.com/mktows/marketo/redislimit",
	"sdkmetric":   "go.opentelemetry.io/otel/sdk/metric",
	"sdktrace":    "go.opentelemetry.io/otel/sdk/trace",
	"slog":        "log/slog",
	"stdouttrace": "go.opentelemetry.io/otel/exporters/stdout/stdouttrace",
	"strings":     "strings",
	"testing":     "testing",
	"time":        "time",
}

// otherModules are the packages a snippet may name that live in another
// module of this repository, by name, with that module's directory.
var otherModules = map[string]string{"redis": "redislimit", "redislimit": "redislimit",
	"otel": "otelmarketo", "otelmarketo": "otelmarketo", "sdkmetric": "otelmarketo", "sdktrace": "otelmarketo", "stdouttrace": "otelmarketo"}

// goFile returns the snippet as a Go file of package pkg, and the directory
// (relative to the repository root) of the module to build it in.
func (s readmeSnippet) goFile(pkg string) (src, module string) {
	fset := token.NewFileSet()
	var body strings.Builder
	if _, err := parser.ParseFile(fset, "", "package p\n"+s.code, 0); err == nil {
		fmt.Fprintf(&body, "//line %s:%d\n%s", s.file, s.line, s.code)
	} else {
		// ctx and client are parameters, or, when the block declares them
		// for the reader's code that follows, used after it.
		var params, uses []string
		declared := declaredNames(s.code)
		for _, p := range []struct{ name, typ string }{{"ctx", "context.Context"}, {"client", "*marketo.Client"}} {
			if declared[p.name] {
				uses = append(uses, "\t_ = "+p.name+"\n")
			} else {
				params = append(params, p.name+" "+p.typ)
			}
		}
		fmt.Fprintf(&body, "func _(%s) error {\n", strings.Join(params, ", "))
		fmt.Fprintf(&body, "//line %s:%d\n%s", s.file, s.line, s.code)
		body.WriteString(strings.Join(uses, "") + "\treturn nil\n}\n")
	}
	text := s.prelude + "\n" + body.String()
	// Parse what will be compiled to find the packages it names; a syntax
	// error is left for the compiler to report at README's line.
	used := map[string]bool{"context": true, "marketo": true}
	if f, err := parser.ParseFile(fset, "", "package p\n"+text, parser.SkipObjectResolution); err == nil {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && snippetImports[id.Name] != "" {
					used[id.Name] = true
				}
			}
			return true
		})
	} else {
		for name := range snippetImports {
			if strings.Contains(text, name+".") {
				used[name] = true
			}
		}
	}
	module = "."
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n", pkg)
	for _, name := range slices.Sorted(maps.Keys(used)) {
		if m, ok := otherModules[name]; ok {
			module = m
		}
		fmt.Fprintf(&b, "\t%s %q\n", name, snippetImports[name])
	}
	b.WriteString(")\n\n")
	// The wrapper always names context and marketo; a file snippet may not.
	b.WriteString("var _ context.Context\nvar _ *marketo.Client\n\n")
	b.WriteString(text)
	return b.String(), module
}

// declaredNames returns the names a list of statements declares at its top
// level (with := or var), or none when it does not parse.
func declaredNames(code string) map[string]bool {
	names := map[string]bool{}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+code+"\n}", parser.SkipObjectResolution)
	if err != nil {
		return names
	}
	for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, e := range st.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok {
				for _, spec := range gd.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						for _, id := range vs.Names {
							names[id.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}

// TestREADMEIsShort keeps README.md the short page a newcomer reads whole:
// the long forms belong in docs/.
func TestREADMEIsShort(t *testing.T) {
	t.Parallel()
	const max = 12 << 10
	fi, err := os.Stat("README.md")
	require.NoError(t, err)
	assert.LessOrEqual(t, fi.Size(), int64(max), "README.md is over 12 KB: move the long forms to docs/")
}

// TestDocsLinksResolve checks that every relative link of the Markdown docs
// names a file of the repository, so that moving a page cannot leave a
// reader at a dead link.
func TestDocsLinksResolve(t *testing.T) {
	t.Parallel()
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	docs := append(markdownDocs(t), filepath.Join("redislimit", "README.md"), filepath.Join("bench", "README.md"))
	for _, name := range docs {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") {
				continue
			}
			_, err := os.Stat(filepath.Join(filepath.Dir(name), target))
			assert.NoError(t, err, "%s links to %s", name, m[1])
		}
	}
}

// TestDocsStateTheDefaults checks the values the docs give for the SDK's
// timing constants against the constants themselves (a line break in the
// docs reads as a space).
func TestDocsStateTheDefaults(t *testing.T) {
	t.Parallel()
	cases := []struct{ file, text string }{
		{"docs/moving-from-soap.md", fmt.Sprintf("`CampaignCacheLifetime` = %d min", marketo.CampaignCacheLifetime/time.Minute)},
		{"docs/limits.md", fmt.Sprintf("`marketo.AbandonedCallHold` (%d s,", marketo.AbandonedCallHold/time.Second)},
		{"docs/campaigns.md", fmt.Sprintf("every %d s on REST (`DefaultRESTPollInterval`)", marketo.DefaultRESTPollInterval/time.Second)},
		{"docs/campaigns.md", "once a minute on SOAP (`DefaultPollInterval`)"},
	}
	for _, tc := range cases {
		b, err := os.ReadFile(tc.file)
		require.NoError(t, err)
		assert.Contains(t, strings.Join(strings.Fields(string(b)), " "), tc.text, tc.file)
	}
	assert.Equal(t, time.Minute, marketo.DefaultPollInterval, "docs/campaigns.md says once a minute")
}
