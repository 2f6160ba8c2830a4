package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/marketotest"
)

// injectionSpec is one -inject flag: TARGET:KIND[=ARG][:COUNT], e.g.
// ScheduleCampaign:drop-answer, RequestCampaign:fail=1003:2 or
// any:garbage=html502.
type injectionSpec struct {
	target marketotest.Target // "" for any call
	kind   string
	code   marketo.Code
	junk   marketotest.Garbage
	n      int
}

// injectionKinds are the KIND values -inject takes, with what ARG they need.
var injectionKinds = map[string]string{
	"fail":         "a Marketo error code, e.g. fail=606",
	"drop":         "",
	"garbage":      "html502, not-json or wrong-shape",
	"drop-answer":  "",
	"stall-answer": "",
}

var garbageNames = map[string]marketotest.Garbage{
	"html502":     marketotest.GarbageHTML502,
	"not-json":    marketotest.GarbageNotXML,
	"wrong-shape": marketotest.GarbageWrongXML,
}

// injectionFlag collects the -inject flags in order.
type injectionFlag []injectionSpec

func (f *injectionFlag) String() string { return "" }

func (f *injectionFlag) Set(v string) error {
	spec, err := parseInjection(v)
	if err != nil {
		return err
	}
	*f = append(*f, spec)
	return nil
}

func parseInjection(v string) (injectionSpec, error) {
	parts := strings.Split(v, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return injectionSpec{}, fmt.Errorf("%q: want TARGET:KIND[=ARG][:COUNT], e.g. ScheduleCampaign:drop-answer", v)
	}
	spec := injectionSpec{n: 1}
	if parts[0] != "any" {
		spec.target = marketotest.Target(parts[0])
		if !slices.Contains(marketotest.Targets(), spec.target) {
			return spec, fmt.Errorf("%q: unknown target %q: want any or one of %v", v, parts[0], marketotest.Targets())
		}
	}
	kind, arg, _ := strings.Cut(parts[1], "=")
	need, ok := injectionKinds[kind]
	switch {
	case !ok:
		return spec, fmt.Errorf("%q: unknown kind %q: want fail, drop, garbage, drop-answer or stall-answer", v, kind)
	case need == "" && arg != "":
		return spec, fmt.Errorf("%q: %s takes no argument", v, kind)
	case need != "" && arg == "":
		return spec, fmt.Errorf("%q: %s needs %s", v, kind, need)
	}
	spec.kind = kind
	if kind == "fail" {
		code, err := strconv.Atoi(arg)
		if err != nil || code <= 0 {
			return spec, fmt.Errorf("%q: fail needs %s", v, need)
		}
		spec.code = marketo.Code(code)
	}
	if kind == "garbage" {
		if spec.junk, ok = garbageNames[arg]; !ok {
			return spec, fmt.Errorf("%q: garbage needs %s", v, need)
		}
	}
	if len(parts) == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 1 {
			return spec, fmt.Errorf("%q: COUNT must be a whole number of at least 1", v)
		}
		spec.n = n
	}
	return spec, nil
}

// apply queues the injection on srv.
func (spec injectionSpec) apply(srv *marketotest.Server) {
	in := srv.On(spec.target)
	switch spec.kind {
	case "fail":
		in.FailNext(spec.n, spec.code)
	case "drop":
		in.DropNext(spec.n)
	case "garbage":
		in.GarbageNext(spec.n, spec.junk)
	case "drop-answer":
		in.DropAnswerNext(spec.n)
	case "stall-answer":
		in.StallAnswerNext(spec.n)
	}
}
