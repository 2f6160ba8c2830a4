package marketotest

import (
	"slices"
	"time"

	"github.com/mktows/marketo"
)

// Request is one call the fake answered, in arrival order.
type Request struct {
	Time time.Time // clock time of arrival
	API  string    // APISOAP or APIREST
	// Operation is e.g. "scheduleCampaign"; "" when not identified. REST
	// calls use the SOAP name of the same operation (see the package doc).
	Operation  string
	SOAPAction string
	// Method, Path and Query are the request line of a REST call, the query
	// with client_secret and access_token replaced by REDACTED.
	Method, Path, Query string
	// Body is the request body, requestSignature (SOAP) or client_secret
	// (REST) replaced by REDACTED, cut to its first bytes (16 KiB unless
	// WithRequestLog says otherwise).
	Body         []byte
	BodySize     int // the whole body's size in bytes, before redaction and cutting
	HTTPStatus   int
	FaultCode    marketo.Code // 0 on success
	FaultMessage string       // detail message without " (CODE)"
	// Injected is "fail", "drop" or "garbage" when fault injection answered
	// instead of the call, "drop-answer" or "stall-answer" when the call ran
	// and injection then lost its answer.
	Injected string
}

// Requests returns the most recent requests, oldest first: the last 10,000
// unless WithRequestLog says otherwise.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests.snapshot()
}

// Runs returns the campaign runs started so far, oldest first.
func (s *Server) Runs() []Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.runs)
}

// Programs returns a snapshot of the programs, in creation order.
func (s *Server) Programs() []Program {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	var out []Program
	for _, p := range s.t.programs {
		out = append(out, p.snapshot())
	}
	return out
}

// Program returns a snapshot of one program.
func (s *Server) Program(name string) (Program, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	p := s.t.program(name)
	if p == nil {
		return Program{}, false
	}
	return p.snapshot(), true
}

// Folders returns a snapshot of the folders outside any program, in
// creation order.
func (s *Server) Folders() []Folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	var out []Folder
	for _, f := range s.t.folders {
		out = append(out, f.folderSnapshot())
	}
	return out
}

// Folder returns a snapshot of one folder outside any program.
func (s *Server) Folder(name string) (Folder, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	f := s.t.folder(name)
	if f == nil {
		return Folder{}, false
	}
	return f.folderSnapshot(), true
}

// Leads returns a snapshot of the leads, in creation order.
func (s *Server) Leads() []Lead {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	out := make([]Lead, 0, len(s.t.leads))
	for _, l := range s.t.leads {
		out = append(out, copyLead(l))
	}
	return out
}

// ListMembers returns the lead IDs of a static list (nil, false if unknown).
func (s *Server) ListMembers(program, list string) ([]int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	p := s.t.program(program)
	if p == nil || p.list(list) == nil {
		return nil, false
	}
	return slices.Clone(p.list(list).members), true
}

// Imports returns the importToList calls accepted so far.
func (s *Server) Imports() []Import {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleImports(s.clock())
	out := make([]Import, 0, len(s.imports))
	for _, j := range s.imports {
		out = append(out, j.snapshot())
	}
	return out
}

// Usage returns the SOAP API's limit counters now.
func (s *Server) Usage() Usage { return s.lim.usage(s.clock()) }

// RESTUsage returns the REST API's limit counters now.
func (s *Server) RESTUsage() Usage { return s.rest.lim.usage(s.clock()) }
