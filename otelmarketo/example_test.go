package otelmarketo_test

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
	"github.com/mktows/marketo/otelmarketo"
)

// A service that runs OpenTelemetry gives the client its providers; the
// spans go to stdout here, and to an OTLP exporter in production.
func Example() {
	exporter, err := stdouttrace.New(stdouttrace.WithPrettyPrint(), stdouttrace.WithWriter(os.Stdout))
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()

	srv := marketotest.NewServer() // a fake tenant; use your RESTConfig in production
	defer srv.Close()
	limiter, err := marketo.NewLimiter(marketo.RESTLimits())
	if err != nil {
		panic(err)
	}
	client, err := marketo.NewRESTClient(srv.RESTConfig(),
		marketo.WithLimiter(limiter),
		otelmarketo.WithTelemetry(
			otelmarketo.WithTracerProvider(tp),
			otelmarketo.WithMeterProvider(mp),
			otelmarketo.WithLimiter(limiter), // the daily quota and clone gauges
		))
	if err != nil {
		panic(err)
	}

	// One span marketo.ScheduleCampaign, with the lookup of the campaign's
	// name, the token request and the two attempts beneath it.
	res, err := client.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName:  "Trav-Demo-Program",
		CampaignName: "Batch Campaign Example",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("scheduled campaign", res.CampaignID)
}
