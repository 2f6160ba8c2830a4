package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// scheduleBody is a signed scheduleCampaign request for the default tenant.
func scheduleBody(userID, key, program, campaign string) string {
	ts := time.Now().Format(marketotest.TimestampLayout)
	return `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Header><ns1:AuthenticationHeader>
    <mktowsUserId>` + userID + `</mktowsUserId>
    <requestSignature>` + marketotest.Sign(key, ts, userID) + `</requestSignature>
    <requestTimestamp>` + ts + `</requestTimestamp>
  </ns1:AuthenticationHeader></SOAP-ENV:Header>
  <SOAP-ENV:Body><ns1:paramsScheduleCampaign>
    <programName>` + program + `</programName>
    <campaignName>` + campaign + `</campaignName>
  </ns1:paramsScheduleCampaign></SOAP-ENV:Body>
</SOAP-ENV:Envelope>`
}

func postXML(t *testing.T, endpoint, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(endpoint, "text/xml; charset=utf-8", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// readEnv reads the seven export lines the command prints and returns the
// values, unquoted.
func readEnv(t *testing.T, r *bufio.Reader) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, name := range []string{
		"MARKETO_SOAP_ENDPOINT", "MARKETO_SOAP_USER_ID", "MARKETO_SOAP_ENCRYPTION_KEY",
		"MARKETO_REST_ENDPOINT", "MARKETO_REST_CLIENT_ID", "MARKETO_REST_CLIENT_SECRET", "MARKETO_REST_IDENTITY_URL",
	} {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		assign, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "export ")
		require.True(t, ok, line)
		k, quoted, ok := strings.Cut(assign, "=")
		require.True(t, ok, line)
		require.Equal(t, name, k)
		require.True(t, len(quoted) >= 2 && quoted[0] == '\'' && quoted[len(quoted)-1] == '\'', line)
		v := strings.ReplaceAll(quoted[1:len(quoted)-1], `'\''`, "'")
		require.NotEmpty(t, v)
		env[k] = v
	}
	return env
}

// restCampaigns gets a token from the identity service and lists the
// campaigns whose name contains name, as the printed variables allow.
func restCampaigns(t *testing.T, env map[string]string, name string) string {
	t.Helper()
	q := url.Values{"grant_type": {"client_credentials"}, "client_id": {env["MARKETO_REST_CLIENT_ID"]}, "client_secret": {env["MARKETO_REST_CLIENT_SECRET"]}}
	resp, err := http.Get(env["MARKETO_REST_IDENTITY_URL"] + "/oauth/token?" + q.Encode())
	require.NoError(t, err)
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NotEmpty(t, tok.AccessToken)
	req, err := http.NewRequest(http.MethodGet, env["MARKETO_REST_ENDPOINT"]+"/v1/campaigns.json?name="+url.QueryEscape(name), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// startRun runs the command in-process until the test ends and returns
// the values it printed and its standard error.
func startRun(t *testing.T, args ...string) (map[string]string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, pw, stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return readEnv(t, bufio.NewReader(pr)), stderr
}

func TestCommandServesAndStopsOnSIGINT(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("SIGINT cannot be sent to a process on Windows")
	}
	cmd := exec.Command(builtCommand(t), "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	env := readEnv(t, bufio.NewReader(stdout))
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9][0-9]*/soap/mktows/2_9$`, env["MARKETO_SOAP_ENDPOINT"])
	status, body := postXML(t, env["MARKETO_SOAP_ENDPOINT"], scheduleBody(env["MARKETO_SOAP_USER_ID"], env["MARKETO_SOAP_ENCRYPTION_KEY"], "Trav-Demo-Program", "Batch Campaign Example"))
	assert.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "<success>true</success>")
	assert.Equal(t, strings.Replace(env["MARKETO_SOAP_ENDPOINT"], "/soap/mktows/2_9", "/rest", 1), env["MARKETO_REST_ENDPOINT"], "one port for both APIs")
	assert.Contains(t, restCampaigns(t, env, "Batch Campaign Example"), `"id":1001`)

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	require.NoError(t, cmd.Wait(), stderr.String())
	assert.Equal(t, 0, cmd.ProcessState.ExitCode())
	assert.Contains(t, stderr.String(), "scheduleCampaign")
	assert.NotContains(t, stderr.String(), env["MARKETO_SOAP_ENCRYPTION_KEY"])
	assert.Contains(t, stderr.String(), "getCampaigns")
	assert.NotContains(t, stderr.String(), env["MARKETO_REST_CLIENT_SECRET"])
}

// The command is built once for the tests that run it as a process: a
// build is the heaviest step of this package's tests.
var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
)

// builtCommand returns the path of marketo-fake built from this tree.
func builtCommand(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "marketo-fake-test")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "marketo-fake")
		buildOut, buildErr = exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
	})
	require.NoError(t, buildErr, string(buildOut))
	return builtBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// syncBuffer is a goroutine-safe writer for run's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunWithSeedAndCredentials(t *testing.T) {
	t.Parallel()
	seed := filepath.Join(t.TempDir(), "tenant.json")
	require.NoError(t, os.WriteFile(seed, []byte(`{"programs":[{"name":"P","campaigns":[{"name":"C","type":"batch"}]}]}`), 0o600))
	env, stderr := startRun(t, "-addr", "127.0.0.1:0", "-user-id", "me", "-encryption-key", "k3y", "-client-id", "rest-me", "-client-secret", "s3cr3t", "-seed", seed)
	assert.Equal(t, "me", env["MARKETO_SOAP_USER_ID"])
	assert.Equal(t, "k3y", env["MARKETO_SOAP_ENCRYPTION_KEY"])
	status, body := postXML(t, env["MARKETO_SOAP_ENDPOINT"], scheduleBody("me", "k3y", "P", "C"))
	assert.Equal(t, http.StatusOK, status, body)
	status, body = postXML(t, env["MARKETO_SOAP_ENDPOINT"], scheduleBody("me", "k3y", "Trav-Demo-Program", "Batch Campaign Example"))
	assert.Equal(t, http.StatusInternalServerError, status, "a seed file replaces the default tenant")
	assert.Contains(t, body, "<code>20113</code>")
	assert.Equal(t, "rest-me", env["MARKETO_REST_CLIENT_ID"])
	assert.Equal(t, "s3cr3t", env["MARKETO_REST_CLIENT_SECRET"])
	assert.Contains(t, restCampaigns(t, env, "C"), `"programName":"P"`)
	assert.Contains(t, restCampaigns(t, env, "Batch Campaign Example"), `"result":[]`, "the seed replaces the default tenant on REST too")
	assert.NotContains(t, stderr.String(), "k3y")
	assert.NotContains(t, stderr.String(), "s3cr3t")
}

func TestRunWithAFolderSeed(t *testing.T) {
	t.Parallel()
	seed := filepath.Join(t.TempDir(), "tenant.json")
	require.NoError(t, os.WriteFile(seed, []byte(`{"folders":[{"name":"Ops","campaigns":[
		{"id":7001,"name":"Folder Send","type":"batch"},
		{"id":7002,"name":"Folder Request","type":"trigger","requestable":true,"active":false}]}]}`), 0o600))
	env, _ := startRun(t, "-addr", "127.0.0.1:0", "-seed", seed)
	send := restCampaigns(t, env, "Folder Send")
	assert.Contains(t, send, `"id":7001`)
	assert.NotContains(t, send, "programName", "a folder campaign has no program")
	assert.Contains(t, restCampaigns(t, env, "Folder Request"), `"active":false`)
}

// TestPrintedLinesExportThroughAShell evals the printed lines in sh and
// checks that a command the shell then runs sees the exact values, quotes
// and dollar signs included.
func TestPrintedLinesExportThroughAShell(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	key := `k'ey $HOME "x" \n`
	secret := `s'e $(cr) et`
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-user-id", "me", "-encryption-key", key, "-client-id", "rest me", "-client-secret", secret}, pw, io.Discard)
		pw.Close()
	}()
	var lines strings.Builder
	r := bufio.NewReader(pr)
	for range 7 {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		lines.WriteString(line)
	}
	cancel()
	require.NoError(t, <-done)

	cmd := exec.Command("sh", "-c", `eval "$LINES" && exec env`)
	cmd.Env = []string{"LINES=" + lines.String()}
	out, err := cmd.Output()
	require.NoError(t, err)
	child := map[string]string{}
	for _, kv := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			child[k] = v
		}
	}
	assert.Equal(t, "me", child["MARKETO_SOAP_USER_ID"])
	assert.Equal(t, key, child["MARKETO_SOAP_ENCRYPTION_KEY"])
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9][0-9]*/soap/mktows/2_9$`, child["MARKETO_SOAP_ENDPOINT"])
	assert.Equal(t, "rest me", child["MARKETO_REST_CLIENT_ID"])
	assert.Equal(t, secret, child["MARKETO_REST_CLIENT_SECRET"])
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9][0-9]*/rest$`, child["MARKETO_REST_ENDPOINT"])
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9][0-9]*/identity$`, child["MARKETO_REST_IDENTITY_URL"])
}

// TestAllInterfacesPrintsALoopbackEndpoint listens on every interface and
// checks that the printed endpoint is one the SDK accepts, and answers.
func TestAllInterfacesPrintsALoopbackEndpoint(t *testing.T) {
	t.Parallel()
	env, _ := startRun(t, "-addr", "0.0.0.0:0", "-user-id", "me", "-encryption-key", "k3y")
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9][0-9]*/soap/mktows/2_9$`, env["MARKETO_SOAP_ENDPOINT"])
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9][0-9]*/rest$`, env["MARKETO_REST_ENDPOINT"])
	assert.Contains(t, restCampaigns(t, env, "Batch Campaign Example"), `"id":1001`)
	_, err := marketo.NewClient(marketo.Config{Endpoint: env["MARKETO_SOAP_ENDPOINT"], UserID: "me", EncryptionKey: "k3y"})
	require.NoError(t, err)
	status, body := postXML(t, env["MARKETO_SOAP_ENDPOINT"], scheduleBody("me", "k3y", "Trav-Demo-Program", "Batch Campaign Example"))
	assert.Equal(t, http.StatusOK, status, body)
}

// TestExitStatusAndErrorsPrintedOnce checks each way the command can end
// before serving: its status, and that the error is on stderr once.
func TestExitStatusAndErrorsPrintedOnce(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "missing.json")
	for _, tc := range []struct {
		args   []string
		status int
		once   string // printed exactly once
	}{
		{[]string{"-help"}, 0, "Usage of marketo-fake"},
		{[]string{"-h"}, 0, "Usage of marketo-fake"},
		{[]string{"-nope"}, 2, "flag provided but not defined: -nope"},
		{[]string{"extra"}, 2, "marketo-fake: unexpected arguments: [extra]"},
		{[]string{"-user-id", "only"}, 2, "marketo-fake: -user-id and -encryption-key must be given together"},
		{[]string{"-client-secret", "only"}, 2, "marketo-fake: -client-id and -client-secret must be given together"},
		{[]string{"-seed", missing}, 1, "marketo-fake: open " + missing},
		{[]string{"-addr", "256.0.0.1:0"}, 1, "marketo-fake: listen tcp"},
	} {
		var stdout, stderr bytes.Buffer
		status := cli(context.Background(), tc.args, &stdout, &stderr)
		assert.Equal(t, tc.status, status, tc.args)
		assert.Equal(t, 1, strings.Count(stderr.String(), tc.once), "%v: stderr:\n%s", tc.args, stderr.String())
		assert.Empty(t, stdout.String(), tc.args)
		if tc.status != 0 {
			assert.Equal(t, 1, strings.Count(stderr.String(), strings.TrimPrefix(tc.once, "marketo-fake: ")), "the error once: %s", stderr.String())
		}
	}
}

func TestRunRefusesBadArguments(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-user-id", "only"},
		{"-client-id", "only"},
		{"-seed", filepath.Join(t.TempDir(), "missing.json")},
		{"-addr", "256.0.0.1:0"},
		{"extra"},
		{"-nope"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		assert.Error(t, err, args)
	}
}

// TestServedFakeRefusesATokenlessBodyUnread checks that the command's fake
// answers a bulk import without an access token at once, without waiting
// for (and holding) the 9.99 MB body it announces.
func TestServedFakeRefusesATokenlessBodyUnread(t *testing.T) {
	t.Parallel()
	env, _ := startRun(t, "-addr", "127.0.0.1:0")
	u, err := url.Parse(env[marketo.EnvRESTEndpoint])
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /bulk/v1/leads.json HTTP/1.1\r\nHost: fake\r\n" +
		"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 9990000\r\n\r\n"))
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second))) // the body would take a minute to time out
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "the fake waited for the body")
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"code":"600"`)
}
