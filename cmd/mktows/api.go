package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/mktows/marketo"
)

// api is the Marketo API a run talks to.
type api string

const (
	apiREST api = "rest"
	apiSOAP api = "soap"
)

// Each API's credential flags, and the environment variables behind them.
var (
	restFlags = []string{"client-id", "client-secret-file", "client-secret", "identity-url"}
	soapFlags = []string{"user-id", "encryption-key-file", "encryption-key"}
	restEnv   = []string{marketo.EnvRESTEndpoint, marketo.EnvRESTClientID, marketo.EnvRESTClientSecret, marketo.EnvRESTIdentityURL}
	soapEnv   = []string{marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey}
)

// chooseAPI picks the API as marketo.NewClientFromEnv does, REST when any
// MARKETO_REST_* variable is set and SOAP otherwise, except that --api
// decides, and so do credential flags of one API. --demo uses REST unless
// --api says otherwise.
func (a *app) chooseAPI() (api, error) {
	switch strings.ToLower(strings.TrimSpace(a.g.api)) {
	case "rest":
		return apiREST, a.refuseFlags(apiSOAP, soapFlags)
	case "soap":
		return apiSOAP, a.refuseFlags(apiREST, restFlags)
	case "":
	default:
		return "", usagef("--api", "--api %q: want rest or soap", clip(a.g.api))
	}
	rest, soap := a.anySet(restFlags), a.anySet(soapFlags)
	switch {
	case a.g.demo, rest && !soap:
		return apiREST, nil
	case soap && !rest:
		return apiSOAP, nil
	case rest && soap:
		return "", &cliError{Exit: exitUsage, Field: "--" + a.firstSet(restFlags),
			Message: fmt.Sprintf("--%s is a REST flag and --%s a SOAP flag: give one API's credentials", a.firstSet(restFlags), a.firstSet(soapFlags))}
	case anyEnv(a.getenv, restEnv):
		return apiREST, nil
	case anyEnv(a.getenv, soapEnv):
		return apiSOAP, nil
	}
	return "", &cliError{Exit: exitUsage, Field: "configuration",
		Message: fmt.Sprintf("no tenant configured: set %s, %s and %s for the REST API (or --endpoint, --client-id, --client-secret-file), or %s, %s and %s for the SOAP API (or --endpoint, --user-id, --encryption-key-file)",
			marketo.EnvRESTEndpoint, marketo.EnvRESTClientID, marketo.EnvRESTClientSecret, marketo.EnvEndpoint, marketo.EnvUserID, marketo.EnvEncryptionKey),
		Hint: "or try the command with --demo, against a fake tenant"}
}

// refuseFlags refuses the credential flags of the other API.
func (a *app) refuseFlags(other api, flags []string) error {
	if f := a.firstSet(flags); f != "" {
		return &cliError{Exit: exitUsage, Field: "--" + f, Message: fmt.Sprintf("--%s is for --api %s, not --api %s", f, other, a.g.api)}
	}
	return nil
}

func (a *app) anySet(flags []string) bool { return a.firstSet(flags) != "" }

// firstSet returns the first of flags given on the command line, or "".
func (a *app) firstSet(flags []string) string {
	for _, f := range flags {
		if a.set[f] {
			return f
		}
	}
	return ""
}

func anyEnv(getenv func(string) string, names []string) bool {
	for _, n := range names {
		if getenv(n) != "" {
			return true
		}
	}
	return false
}

// restConfig reads the REST tenant from the flags, falling back to the
// environment.
func (a *app) restConfig() (marketo.RESTConfig, error) {
	cfg := marketo.RESTConfig{
		Endpoint:    strings.TrimSpace(firstSet(a.g.endpoint, a.getenv(marketo.EnvRESTEndpoint))),
		ClientID:    strings.TrimSpace(firstSet(a.g.clientID, a.getenv(marketo.EnvRESTClientID))),
		IdentityURL: strings.TrimSpace(firstSet(a.g.identityURL, a.getenv(marketo.EnvRESTIdentityURL))),
	}
	secret, err := a.secret("client-secret", a.g.secretFile, a.g.secret, marketo.EnvRESTClientSecret)
	if err != nil {
		return cfg, err
	}
	cfg.ClientSecret = secret
	return cfg, missing(apiREST, []setting{
		{cfg.Endpoint, marketo.EnvRESTEndpoint, "--endpoint"},
		{cfg.ClientID, marketo.EnvRESTClientID, "--client-id"},
		{cfg.ClientSecret, marketo.EnvRESTClientSecret, "--client-secret-file"},
	})
}

// soapConfig reads the SOAP tenant from the flags, falling back to the
// environment.
func (a *app) soapConfig() (marketo.Config, error) {
	cfg := marketo.Config{
		Endpoint: strings.TrimSpace(firstSet(a.g.endpoint, a.getenv(marketo.EnvEndpoint))),
		UserID:   strings.TrimSpace(firstSet(a.g.userID, a.getenv(marketo.EnvUserID))),
	}
	key, err := a.secret("encryption-key", a.g.keyFile, a.g.key, marketo.EnvEncryptionKey)
	if err != nil {
		return cfg, err
	}
	cfg.EncryptionKey = key
	return cfg, missing(apiSOAP, []setting{
		{cfg.Endpoint, marketo.EnvEndpoint, "--endpoint"},
		{cfg.UserID, marketo.EnvUserID, "--user-id"},
		{cfg.EncryptionKey, marketo.EnvEncryptionKey, "--encryption-key-file"},
	})
}

// secret reads a secret from --NAME-file, --NAME or the environment
// variable env, in that order.
func (a *app) secret(name, file, value, env string) (string, error) {
	fileFlag := "--" + name + "-file"
	switch {
	case a.set[name+"-file"] && a.set[name]:
		return "", usagef(fileFlag, "give %s or --%s, not both", fileFlag, name)
	case a.set[name+"-file"]:
		data, err := os.ReadFile(file)
		if err != nil {
			return "", usagef(fileFlag, "%s: %v", fileFlag, err)
		}
		s := strings.TrimRight(string(data), "\r\n")
		if s == "" {
			return "", usagef(fileFlag, "%s %s is empty", fileFlag, file)
		}
		return s, nil
	}
	return firstSet(value, a.getenv(env)), nil
}

// setting is one required value of a configuration, and where it comes from.
type setting struct{ value, env, flag string }

// missing names the required settings that have no value.
func missing(api api, settings []setting) error {
	var names []string
	for _, s := range settings {
		if s.value == "" {
			names = append(names, s.env+" (or "+s.flag+")")
		}
	}
	if len(names) == 0 {
		return nil
	}
	return &cliError{Exit: exitUsage, Field: "configuration",
		Message: fmt.Sprintf("no %s tenant configured: set %s", strings.ToUpper(string(api)), strings.Join(names, ", ")),
		Hint:    "or try the command with --demo, against a fake tenant"}
}

func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
