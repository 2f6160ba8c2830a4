package marketotest_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo/marketotest"
)

// requirePHPSoap returns the php binary, skipping the test when PHP with
// the soap extension is not installed, unless MARKETO_INTEROP_REQUIRED=1
// (as in CI), where its absence fails the test.
func requirePHPSoap(t *testing.T) string {
	t.Helper()
	php, err := exec.LookPath("php")
	if err == nil {
		out, _ := exec.Command(php, "-m").Output()
		if !strings.Contains(strings.ToLower(string(out)), "soap") {
			err = os.ErrNotExist
		}
	}
	if err != nil {
		if os.Getenv("MARKETO_INTEROP_REQUIRED") == "1" {
			t.Fatalf("PHP with the soap extension is required (MARKETO_INTEROP_REQUIRED=1): %v", err)
		}
		t.Skip("PHP with the soap extension is not installed; apt-get install php-cli php-soap to run this test")
	}
	return php
}

// requireZeep returns a Python interpreter that has zeep, skipping the test
// when there is none, unless MARKETO_INTEROP_REQUIRED=1.
func requireZeep(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import zeep").Run() == nil {
			return path
		}
	}
	if os.Getenv("MARKETO_INTEROP_REQUIRED") == "1" {
		t.Fatal("Python with zeep is required (MARKETO_INTEROP_REQUIRED=1)")
	}
	t.Skip("Python with zeep is not installed; apt-get install python3-zeep to run this test")
	return ""
}

type scriptResult struct {
	OK          bool   `json:"ok"`
	Success     bool   `json:"success"`
	FaultString string `json:"faultstring"`
	Code        string `json:"code"`
}

// runScript runs an interoperability script with the interpreter and the
// extra environment, and decodes the JSON line it prints.
func runScript(t *testing.T, interpreter, script string, env ...string) scriptResult {
	t.Helper()
	return runClient(t, script, exec.Command(interpreter, filepath.Join("testdata", "interop", script)), env...)
}

// runClient runs an interoperability client with the extra environment, and
// decodes the JSON line it prints.
func runClient(t *testing.T, name string, cmd *exec.Cmd, env ...string) scriptResult {
	t.Helper()
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s: %s %s", name, out, stderr.String())
	var r scriptResult
	require.NoError(t, json.Unmarshal(out, &r), "%s printed %q", name, out)
	return r
}

// fakeEnv returns the MARKETO_SOAP_* variables of srv and CLONE_TO.
func fakeEnv(srv *marketotest.Server, cloneTo string) []string {
	cfg := srv.Config()
	return []string{
		"MARKETO_SOAP_ENDPOINT=" + cfg.Endpoint,
		"MARKETO_SOAP_USER_ID=" + cfg.UserID,
		"MARKETO_SOAP_ENCRYPTION_KEY=" + cfg.EncryptionKey,
		"CLONE_TO=" + cloneTo,
	}
}

// checkScenario runs a client twice against srv: with the fake's credentials
// it must schedule "Batch Campaign Example" in the clone cloneTo, an hour
// ahead, with {{my.message}} = message and {{my.other token}} = "Second <&>
// token" byte for byte; with a wrong key it must receive fault 20014 with
// its code and run nothing.
func checkScenario(t *testing.T, srv *marketotest.Server, cloneTo, message string, run func(env []string) scriptResult) {
	t.Helper()
	r := run(fakeEnv(srv, cloneTo))
	require.True(t, r.OK, "fault: %s", r.FaultString)
	assert.True(t, r.Success)
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, cloneTo, runs[0].Program)
	assert.Equal(t, "Batch Campaign Example", runs[0].Campaign)
	assert.Equal(t, message, runs[0].Tokens["{{my.message}}"])
	assert.Equal(t, "Second <&> token", runs[0].Tokens["{{my.other token}}"])
	assertRunsInAnHour(t, runs[0])

	r = run(append(fakeEnv(srv, "Other"), "MARKETO_SOAP_ENCRYPTION_KEY=wrong"))
	assert.False(t, r.OK)
	assert.Equal(t, "20014", r.Code)
	assert.Contains(t, r.FaultString, "20014")
	assert.Len(t, srv.Runs(), 1, "a refused call runs nothing")
}

// TestZeepAgainstTheFake drives the fake with Python's zeep, built from the
// WSDL the fake serves at ?WSDL.
func TestZeepAgainstTheFake(t *testing.T) {
	t.Parallel()
	py := requireZeep(t)
	srv := marketotest.NewServer()
	defer srv.Close()
	checkScenario(t, srv, "ClonedByZeep", "From zeep", func(env []string) scriptResult {
		return runScript(t, py, "schedule_campaign_zeep.py", env...)
	})
}

// TestPHPSoapClientAgainstTheFake drives the fake with PHP's SoapClient,
// built from the WSDL the fake serves at ?WSDL, as existing PHP
// integrations call Marketo.
func TestPHPSoapClientAgainstTheFake(t *testing.T) {
	t.Parallel()
	php := requirePHPSoap(t)
	srv := marketotest.NewServer()
	defer srv.Close()
	checkScenario(t, srv, "ClonedByPHP", "From PHP", func(env []string) scriptResult {
		return runScript(t, php, "schedule_campaign.php", env...)
	})
}

// jaxwsRuntime is the JAX-WS runtime jar of Debian's libjaxws-java; its
// manifest Class-Path names the rest of the runtime (JAXB, SAAJ, the APIs),
// so it is the whole classpath for javac and java.
const jaxwsRuntime = "/usr/share/java/jaxws-rt.jar"

// jaxwsTools are the programs the JAX-WS test runs.
type jaxwsTools struct {
	wsimport, javac, java string
}

// requireJAXWS returns wsimport, javac and java, skipping the test when one
// of them or the JAX-WS runtime is missing, unless MARKETO_INTEROP_REQUIRED=1.
func requireJAXWS(t *testing.T) jaxwsTools {
	t.Helper()
	var tools jaxwsTools
	var missing []string
	for _, p := range []struct {
		name string
		path *string
	}{{"wsimport", &tools.wsimport}, {"javac", &tools.javac}, {"java", &tools.java}} {
		path, err := exec.LookPath(p.name)
		if err != nil {
			missing = append(missing, p.name)
		}
		*p.path = path
	}
	if _, err := os.Stat(jaxwsRuntime); err != nil {
		missing = append(missing, jaxwsRuntime)
	}
	if len(missing) > 0 {
		if os.Getenv("MARKETO_INTEROP_REQUIRED") == "1" {
			t.Fatalf("JAX-WS is required (MARKETO_INTEROP_REQUIRED=1): missing %s", strings.Join(missing, ", "))
		}
		t.Skipf("JAX-WS is not installed (missing %s); apt-get install jaxws default-jdk-headless to run this test",
			strings.Join(missing, ", "))
	}
	return tools
}

// requireSoap4r returns a Ruby interpreter that has soap4r's WSDL driver,
// skipping the test when there is none, unless MARKETO_INTEROP_REQUIRED=1.
func requireSoap4r(t *testing.T) string {
	t.Helper()
	if ruby, err := exec.LookPath("ruby"); err == nil {
		if exec.Command(ruby, "-e", `require "soap/wsdlDriver"`).Run() == nil {
			return ruby
		}
	}
	if os.Getenv("MARKETO_INTEROP_REQUIRED") == "1" {
		t.Fatal("Ruby with soap4r is required (MARKETO_INTEROP_REQUIRED=1)")
	}
	t.Skip("Ruby with soap4r is not installed; apt-get install ruby-soap4r to run this test")
	return ""
}

// runTool runs a build step and fails the test with its output if it fails.
func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
}

// javaSources lists the .java files under dir.
func javaSources(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".java") {
			files = append(files, path)
		}
		return err
	}))
	require.NotEmpty(t, files, "wsimport generated no sources")
	return files
}

// assertRunsInAnHour checks that the run is scheduled about an hour from now,
// as the clients ask.
func assertRunsInAnHour(t *testing.T, run marketotest.Run) {
	t.Helper()
	inAnHour := time.Now().Add(time.Hour)
	assert.WithinDuration(t, inAnHour, run.RunAt, 10*time.Minute, "RunAt %s", run.RunAt)
}

// TestJAXWSAgainstTheFake drives the fake with JAX-WS: wsimport generates
// the client classes from the WSDL the fake serves at ?WSDL (with
// -XadditionalHeaders, so AuthenticationHeader is a parameter of the port's
// methods), javac compiles them with ScheduleCampaign.java, and java runs
// it, as existing Java integrations call Marketo.
func TestJAXWSAgainstTheFake(t *testing.T) {
	t.Parallel()
	tools := requireJAXWS(t)
	srv := marketotest.NewServer()
	defer srv.Close()

	dir := t.TempDir()
	src, classes := filepath.Join(dir, "src"), filepath.Join(dir, "classes")
	require.NoError(t, os.Mkdir(src, 0o755))
	require.NoError(t, os.Mkdir(classes, 0o755))
	runTool(t, tools.wsimport, "-quiet", "-keep", "-Xnocompile", "-XadditionalHeaders",
		"-s", src, "-d", classes, srv.Config().Endpoint+"?WSDL")
	sources := append(javaSources(t, src), filepath.Join("testdata", "interop", "ScheduleCampaign.java"))
	runTool(t, tools.javac, append([]string{"-encoding", "UTF-8", "-Xlint:-path",
		"-cp", jaxwsRuntime, "-d", classes}, sources...)...)
	classpath := classes + string(os.PathListSeparator) + jaxwsRuntime
	java := func(env []string) scriptResult {
		return runClient(t, "ScheduleCampaign.java", exec.Command(tools.java, "-cp", classpath, "ScheduleCampaign"), env...)
	}

	checkScenario(t, srv, "ClonedByJava", "From Java", java)
}

// TestSoap4rAgainstTheFake drives the fake with Ruby's soap4r, whose WSDL
// driver is built from the WSDL the fake serves at ?WSDL.
func TestSoap4rAgainstTheFake(t *testing.T) {
	t.Parallel()
	ruby := requireSoap4r(t)
	srv := marketotest.NewServer()
	defer srv.Close()
	checkScenario(t, srv, "ClonedByRuby", "From Ruby", func(env []string) scriptResult {
		return runScript(t, ruby, "schedule_campaign.rb", env...)
	})
}
