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

type phpResult struct {
	OK          bool   `json:"ok"`
	Success     bool   `json:"success"`
	FaultString string `json:"faultstring"`
	Code        string `json:"code"`
}

func runPHP(t *testing.T, php string, env ...string) phpResult {
	t.Helper()
	cmd := exec.Command(php, filepath.Join("testdata", "interop", "schedule_campaign.php"))
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	require.NoError(t, err, "php: %s", out)
	var r phpResult
	require.NoError(t, json.Unmarshal(out, &r), "php printed %q", out)
	return r
}

// TestPHPSoapClientAgainstTheFake drives the fake with PHP's SoapClient,
// built from the WSDL the fake serves at ?WSDL, as existing PHP
// integrations call Marketo.
func TestPHPSoapClientAgainstTheFake(t *testing.T) {
	t.Parallel()
	php := requirePHPSoap(t)
	srv := marketotest.NewServer()
	defer srv.Close()
	cfg := srv.Config()
	env := []string{
		"MARKETO_SOAP_ENDPOINT=" + cfg.Endpoint,
		"MARKETO_SOAP_USER_ID=" + cfg.UserID,
		"MARKETO_SOAP_ENCRYPTION_KEY=" + cfg.EncryptionKey,
		"CLONE_TO=ClonedByPHP",
	}

	r := runPHP(t, php, env...)
	require.True(t, r.OK, "fault: %s", r.FaultString)
	assert.True(t, r.Success)
	runs := srv.Runs()
	require.Len(t, runs, 1)
	assert.Equal(t, "ClonedByPHP", runs[0].Program)
	assert.Equal(t, "From PHP", runs[0].Tokens["{{my.message}}"])
	assert.Equal(t, "Second <&> token", runs[0].Tokens["{{my.other token}}"])

	// A wrong key reaches PHP as a SoapFault carrying Marketo's code.
	bad := append(env[:2:2], "MARKETO_SOAP_ENCRYPTION_KEY=wrong", "CLONE_TO=Other")
	r = runPHP(t, php, bad...)
	assert.False(t, r.OK)
	assert.Equal(t, "20014", r.Code)
	assert.Contains(t, r.FaultString, "20014")
	assert.Len(t, srv.Runs(), 1)
}
