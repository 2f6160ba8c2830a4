package marketotest_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
	cmd := exec.Command(interpreter, filepath.Join("testdata", "interop", script))
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s: %s %s", script, out, stderr.String())
	var r scriptResult
	require.NoError(t, json.Unmarshal(out, &r), "php printed %q", out)
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

// TestZeepAgainstTheFake drives the fake with Python's zeep, built from the
// WSDL the fake serves at ?WSDL.
func TestZeepAgainstTheFake(t *testing.T) {
	t.Parallel()
	py := requireZeep(t)
	srv := marketotest.NewServer()
	defer srv.Close()

	r := runScript(t, py, "schedule_campaign_zeep.py", fakeEnv(srv, "ClonedByZeep")...)
	require.True(t, r.OK, "fault: %s", r.FaultString)
	assert.True(t, r.Success)
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, "ClonedByZeep", runs[0].Program)
	assert.Equal(t, "From zeep", runs[0].Tokens["{{my.message}}"])
	assert.Equal(t, "Second <&> token", runs[0].Tokens["{{my.other token}}"])

	bad := append(fakeEnv(srv, "Other"), "MARKETO_SOAP_ENCRYPTION_KEY=wrong")
	r = runScript(t, py, "schedule_campaign_zeep.py", bad...)
	assert.False(t, r.OK)
	assert.Equal(t, "20014", r.Code)
	assert.Len(t, srv.Runs(), 1)
}

// TestPHPSoapClientAgainstTheFake drives the fake with PHP's SoapClient,
// built from the WSDL the fake serves at ?WSDL, as existing PHP
// integrations call Marketo.
func TestPHPSoapClientAgainstTheFake(t *testing.T) {
	t.Parallel()
	php := requirePHPSoap(t)
	srv := marketotest.NewServer()
	defer srv.Close()
	env := fakeEnv(srv, "ClonedByPHP")

	r := runScript(t, php, "schedule_campaign.php", env...)
	require.True(t, r.OK, "fault: %s", r.FaultString)
	assert.True(t, r.Success)
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, "ClonedByPHP", runs[0].Program)
	assert.Equal(t, "From PHP", runs[0].Tokens["{{my.message}}"])
	assert.Equal(t, "Second <&> token", runs[0].Tokens["{{my.other token}}"])

	// A wrong key reaches PHP as a SoapFault carrying Marketo's code.
	bad := append(fakeEnv(srv, "Other"), "MARKETO_SOAP_ENCRYPTION_KEY=wrong")
	r = runScript(t, php, "schedule_campaign.php", bad...)
	assert.False(t, r.OK)
	assert.Equal(t, "20014", r.Code)
	assert.Contains(t, r.FaultString, "20014")
	assert.Len(t, srv.Runs(), 1)
}
