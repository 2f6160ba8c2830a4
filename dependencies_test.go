package marketo_test

import (
	"os"
	"strings"
	"testing"
)

// The core module, the CLI included, takes no OpenTelemetry dependency:
// telemetry lives in the otelmarketo module, which depends on this one.
func TestCoreModuleHasNoOpenTelemetryDependency(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "go.opentelemetry.io") {
			t.Errorf("%s names go.opentelemetry.io: the core module must not depend on OpenTelemetry", f)
		}
	}
}
