package marketo_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestREADMESnippetsCompile builds every ```go block of README.md, so that a
// snippet a reader pastes compiles. The conventions:
//
//   - A block that is a list of declarations (a func, type, var, ...) is
//     compiled as a file of its own.
//   - Any other block is a list of statements, compiled as the body of a
//     function with the two names every call needs in scope, ctx
//     (context.Context) and client (*marketo.Client), that returns an error:
//     a snippet may end a failure with `return err`.
//   - Any other name a block uses without declaring it is declared in an HTML
//     comment right before the block, which the rendered README does not
//     show: <!-- go: var params marketo.ScheduleCampaignParams -->. Its
//     text is Go declarations at package level.
//   - Imports are added for the packages the block names (the standard
//     library's that README snippets use, marketo and marketotest).
//
// The blocks are built with the go command, through an overlay that places
// them in packages of this module that exist only for the build: nothing is
// written to the source tree and nothing is downloaded. Errors point at
// README.md's lines.
func TestREADMESnippetsCompile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the go command; skipped in -short mode")
	}
	snippets := readmeSnippets(t, "README.md")
	require.NotEmpty(t, snippets, "README.md has no ```go blocks")

	root, err := filepath.Abs(".")
	require.NoError(t, err)
	tmp := t.TempDir()
	overlay := map[string]string{}
	var pkgs []string
	for i, s := range snippets {
		src := s.goFile(fmt.Sprintf("readme%02d", i+1))
		backing := filepath.Join(tmp, fmt.Sprintf("readme%02d.go", i+1))
		require.NoError(t, os.WriteFile(backing, []byte(src), 0o644))
		dir := filepath.Join(root, "internal", "readmesnippets", fmt.Sprintf("readme%02d", i+1))
		overlay[filepath.Join(dir, "snippet.go")] = backing
		pkgs = append(pkgs, "./internal/readmesnippets/"+fmt.Sprintf("readme%02d", i+1))
	}
	overlayJSON, err := json.Marshal(map[string]any{"Replace": overlay})
	require.NoError(t, err)
	overlayFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlayJSON, 0o644))

	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	cmd := exec.Command(goBin, append([]string{"build", "-mod=readonly", "-overlay", overlayFile, "-o", os.DevNull}, pkgs...)...)
	cmd.Env = append(os.Environ(), "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README.md's Go snippets do not compile:\n%s", out)
	}
}

// readmeSnippet is one ```go block.
type readmeSnippet struct {
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
			s := readmeSnippet{line: lineNo + 1}
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
	require.Nil(t, cur, "README.md ends inside a ```go block")
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
	"slog":        "log/slog",
	"strings":     "strings",
	"testing":     "testing",
	"time":        "time",
}

// goFile returns the snippet as a Go file of package pkg.
func (s readmeSnippet) goFile(pkg string) string {
	fset := token.NewFileSet()
	var body strings.Builder
	if _, err := parser.ParseFile(fset, "", "package p\n"+s.code, 0); err == nil {
		fmt.Fprintf(&body, "//line README.md:%d\n%s", s.line, s.code)
	} else {
		body.WriteString("func _(ctx context.Context, client *marketo.Client) error {\n")
		fmt.Fprintf(&body, "//line README.md:%d\n%s", s.line, s.code)
		body.WriteString("\treturn nil\n}\n")
	}
	src := s.prelude + "\n" + body.String()
	// Parse what will be compiled to find the packages it names; a syntax
	// error is left for the compiler to report at README's line.
	used := map[string]bool{"context": true, "marketo": true}
	if f, err := parser.ParseFile(fset, "", "package p\n"+src, parser.SkipObjectResolution); err == nil {
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
			if strings.Contains(src, name+".") {
				used[name] = true
			}
		}
	}
	names := make([]string, 0, len(used))
	for name := range used {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n", pkg)
	for _, name := range names {
		fmt.Fprintf(&b, "\t%q\n", snippetImports[name])
	}
	b.WriteString(")\n\n")
	// The wrapper always names context and marketo; a file snippet may not.
	b.WriteString("var _ context.Context\nvar _ *marketo.Client\n\n")
	b.WriteString(src)
	return b.String()
}
