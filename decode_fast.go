package marketo

import "bytes"

// decodeSuccessFast reads the usual form of a boolean success answer
// (scheduleCampaign, requestCampaign) without encoding/xml: an optional XML
// declaration, Envelope, Body, the success element, result and success with
// true, false, 1 or 0, whitespace between elements, and only namespace
// declarations as attributes. It reports false, leaving out untouched, for
// anything else (a Header, comments, entities, other attributes or
// elements, any doubt), which decodeResponse then reads with encoding/xml:
// every document it accepts is one that encoding/xml decodes to the same
// result without error.
func decodeSuccessFast(body []byte, successElem string, out *resultSuccess) bool {
	s := fastScanner{b: body}
	for _, decl := range xmlDecls {
		if len(body) >= len(decl) && string(body[:len(decl)]) == decl {
			s.i = len(decl)
			break
		}
	}
	// Envelope > Body > success element > result > success. The first three
	// must be in their namespaces; result and success match by local name
	// in any namespace, as encoding/xml matches the tag "result>success".
	path := [...]struct{ space, local string }{
		{nsSOAPEnv, "Envelope"}, {nsSOAPEnv, "Body"}, {nsMktows, successElem}, {"", "result"}, {"", "success"},
	}
	var qnames [len(path)][]byte
	for depth, want := range path {
		s.skipSpace()
		prefix, local, qname, ok := s.startTag(depth)
		if !ok || string(local) != want.local {
			return false
		}
		space, ok := s.resolve(prefix)
		if !ok || (want.space != "" && string(space) != want.space) {
			return false
		}
		qnames[depth] = qname
	}
	start := s.i
	for s.i < len(s.b) && s.b[s.i] != '<' {
		if c := s.b[s.i]; !isXMLSpace(c) && !('a' <= c && c <= 'z') && !('0' <= c && c <= '9') {
			return false
		}
		s.i++
	}
	var value bool
	switch string(bytes.Trim(s.b[start:s.i], " \t\r\n")) {
	case "true", "1":
		value = true
	case "false", "0":
	default:
		return false
	}
	for depth := len(path) - 1; depth >= 0; depth-- {
		if depth < len(path)-1 {
			s.skipSpace()
		}
		if !s.endTag(qnames[depth], depth) {
			return false
		}
	}
	s.skipSpace()
	if s.i != len(s.b) {
		return false
	}
	*out = resultSuccess{Success: xsBoolean{Value: value, Valid: true}}
	return true
}

// xmlDecls are the XML declarations decodeSuccessFast accepts.
var xmlDecls = [...]string{
	`<?xml version="1.0" encoding="UTF-8"?>`,
	`<?xml version="1.0" encoding="utf-8"?>`,
	`<?xml version='1.0' encoding='UTF-8'?>`,
	`<?xml version='1.0' encoding='utf-8'?>`,
	`<?xml version="1.0"?>`,
}

// fastScanner is the tokenizer of decodeSuccessFast. It accepts a strict
// subset of XML and reports false for anything outside it.
type fastScanner struct {
	b  []byte
	i  int
	ns [8]fastBinding // namespace declarations in scope, innermost last
	n  int
}

type fastBinding struct {
	prefix, uri []byte
	depth       int
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (s *fastScanner) skipSpace() {
	for s.i < len(s.b) && isXMLSpace(s.b[s.i]) {
		s.i++
	}
}

// name reads an ASCII name: a letter or '_' followed by letters, digits,
// '_', '-' and '.'.
func (s *fastScanner) name() ([]byte, bool) {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_' || (s.i > start && (('0' <= c && c <= '9') || c == '-' || c == '.')) {
			s.i++
			continue
		}
		break
	}
	return s.b[start:s.i], s.i > start
}

// qname reads a name with an optional prefix.
func (s *fastScanner) qname() (prefix, local, qname []byte, ok bool) {
	start := s.i
	local, ok = s.name()
	if !ok {
		return nil, nil, nil, false
	}
	if s.i < len(s.b) && s.b[s.i] == ':' {
		s.i++
		prefix = local
		if local, ok = s.name(); !ok {
			return nil, nil, nil, false
		}
	}
	return prefix, local, s.b[start:s.i], true
}

// startTag reads a start tag that is not self-closing and whose attributes
// are all namespace declarations, which it brings into scope at depth.
func (s *fastScanner) startTag(depth int) (prefix, local, qname []byte, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '<' {
		return nil, nil, nil, false
	}
	s.i++
	if prefix, local, qname, ok = s.qname(); !ok {
		return nil, nil, nil, false
	}
	for {
		sp := s.i
		s.skipSpace()
		if s.i >= len(s.b) {
			return nil, nil, nil, false
		}
		if s.b[s.i] == '>' {
			s.i++
			return prefix, local, qname, true
		}
		if s.i == sp {
			return nil, nil, nil, false // an attribute must follow whitespace
		}
		aprefix, alocal, _, ok := s.qname()
		if !ok || s.i+1 >= len(s.b) || s.b[s.i] != '=' {
			return nil, nil, nil, false
		}
		var declared []byte
		switch {
		case aprefix == nil && string(alocal) == "xmlns":
			declared = []byte{}
		case string(aprefix) == "xmlns" && string(alocal) != "xml" && string(alocal) != "xmlns":
			declared = alocal
		default:
			return nil, nil, nil, false
		}
		q := s.b[s.i+1]
		if q != '"' && q != '\'' {
			return nil, nil, nil, false
		}
		s.i += 2
		vstart := s.i
		for s.i < len(s.b) && s.b[s.i] != q {
			if c := s.b[s.i]; c < 0x21 || c > 0x7e || c == '<' || c == '&' {
				return nil, nil, nil, false
			}
			s.i++
		}
		if s.i >= len(s.b) {
			return nil, nil, nil, false
		}
		uri := s.b[vstart:s.i]
		s.i++
		if (len(declared) > 0 && len(uri) == 0) || s.n == len(s.ns) {
			return nil, nil, nil, false
		}
		for _, b := range s.ns[:s.n] {
			if b.depth == depth && string(b.prefix) == string(declared) {
				return nil, nil, nil, false // declared twice
			}
		}
		s.ns[s.n] = fastBinding{prefix: declared, uri: uri, depth: depth}
		s.n++
	}
}

// resolve returns the namespace of an element prefix; an undeclared prefix
// is not accepted.
func (s *fastScanner) resolve(prefix []byte) ([]byte, bool) {
	for i := s.n - 1; i >= 0; i-- {
		if string(s.ns[i].prefix) == string(prefix) {
			return s.ns[i].uri, true
		}
	}
	return nil, len(prefix) == 0
}

// endTag reads </qname> and ends the scope of the element's declarations.
func (s *fastScanner) endTag(qname []byte, depth int) bool {
	rest := s.b[s.i:]
	if len(rest) < len(qname)+3 || rest[0] != '<' || rest[1] != '/' || string(rest[2:2+len(qname)]) != string(qname) || rest[2+len(qname)] != '>' {
		return false
	}
	s.i += len(qname) + 3
	for s.n > 0 && s.ns[s.n-1].depth >= depth {
		s.n--
	}
	return true
}
