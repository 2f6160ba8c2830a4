package marketo

import (
	"errors"
	"os"
)

// NewClientFromEnv returns a Client configured from the environment: a REST
// client (NewRESTClient) when any MARKETO_REST_* variable is set, else a
// SOAP client (NewClient) when any MARKETO_SOAP_* variable is set. A set
// that is incomplete is an error naming the missing variables rather than a
// fall back to the other API; with neither set, the error names both sets.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	return NewClientFromEnvFunc(os.Getenv, opts...)
}

// NewClientFromEnvFunc is NewClientFromEnv with the variables read through
// getenv, for programs and tests that keep their own environment.
func NewClientFromEnvFunc(getenv func(string) string, opts ...Option) (*Client, error) {
	if getenv == nil {
		return nil, errors.New("marketo: NewClientFromEnvFunc: getenv is nil")
	}
	if anySet(getenv, EnvRESTEndpoint, EnvRESTClientID, EnvRESTClientSecret, EnvRESTIdentityURL) {
		cfg, err := RESTConfigFromEnvFunc(getenv)
		if err != nil {
			return nil, err
		}
		return NewRESTClient(cfg, opts...)
	}
	if anySet(getenv, EnvEndpoint, EnvUserID, EnvEncryptionKey) {
		cfg, err := ConfigFromEnvFunc(getenv)
		if err != nil {
			return nil, err
		}
		return NewClient(cfg, opts...)
	}
	return nil, errors.New("marketo: no Marketo credentials in the environment: set " +
		EnvRESTEndpoint + ", " + EnvRESTClientID + " and " + EnvRESTClientSecret + " for the REST API, or " +
		EnvEndpoint + ", " + EnvUserID + " and " + EnvEncryptionKey + " for the SOAP API")
}

func anySet(getenv func(string) string, names ...string) bool {
	for _, n := range names {
		if getenv(n) != "" {
			return true
		}
	}
	return false
}
