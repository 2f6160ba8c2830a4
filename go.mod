module github.com/mktows/marketo

go 1.25.0

require (
	github.com/hooklift/gowsdl v0.5.0
	github.com/jarcoal/httpmock v1.4.2
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
	golang.org/x/net v0.58.0
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/text v0.41.0 // indirect
)

tool github.com/hooklift/gowsdl/cmd/gowsdl
