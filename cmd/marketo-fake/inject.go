package main

import (
	"cmp"
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

// injectionKind is a KIND value -inject takes: its name, the ARG it needs
// ("" for none) and the form the flag's usage shows it in.
type injectionKind struct {
	name, need, usage string
}

// garbageName is an ARG of garbage=.
type garbageName struct {
	name string
	junk marketotest.Garbage
}

// garbageNames are the ARG values of garbage=, in the order texts list them.
var garbageNames = []garbageName{
	{"html502", marketotest.GarbageHTML502},
	{"not-json", marketotest.GarbageNotXML},
	{"wrong-shape", marketotest.GarbageWrongXML},
}

// injectionKinds is the one list of the KIND values -inject takes: the
// parser, its error texts and the flag's usage are derived from it.
var injectionKinds = []injectionKind{
	{name: "fail", need: "a Marketo error code, e.g. fail=606", usage: "fail=CODE"},
	{name: "drop"},
	{name: "garbage", need: orList(garbageNameList()), usage: "garbage=" + strings.Join(garbageNameList(), "|")},
	{name: "drop-answer"},
	{name: "stall-answer"},
}

func garbageNameList() []string {
	names := make([]string, len(garbageNames))
	for i, g := range garbageNames {
		names[i] = g.name
	}
	return names
}

func findKind(name string) (injectionKind, bool) {
	i := slices.IndexFunc(injectionKinds, func(k injectionKind) bool { return k.name == name })
	if i < 0 {
		return injectionKind{}, false
	}
	return injectionKinds[i], true
}

func findGarbage(name string) (marketotest.Garbage, bool) {
	i := slices.IndexFunc(garbageNames, func(g garbageName) bool { return g.name == name })
	if i < 0 {
		return 0, false
	}
	return garbageNames[i].junk, true
}

// kindNames lists the kinds for an error text: "fail, drop, ... or stall-answer".
func kindNames() string {
	names := make([]string, len(injectionKinds))
	for i, k := range injectionKinds {
		names[i] = k.name
	}
	return orList(names)
}

// kindUsage lists the kinds for the flag's usage: "fail=CODE, drop, ...".
func kindUsage() string {
	forms := make([]string, len(injectionKinds))
	for i, k := range injectionKinds {
		forms[i] = cmp.Or(k.usage, k.name)
	}
	return strings.Join(forms, ", ")
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
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
	k, ok := findKind(kind)
	need := k.need
	switch {
	case !ok:
		return spec, fmt.Errorf("%q: unknown kind %q: want %s", v, kind, kindNames())
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
		if spec.junk, ok = findGarbage(arg); !ok {
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
