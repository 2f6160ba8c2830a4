package marketo

import "github.com/mktows/marketo/internal/restwire"

// ResultMetadata is what Marketo said about a successful call besides its
// result: on REST the answers' requestId, the number Adobe support asks
// for, and their warnings. It is empty on SOAP, whose answers carry
// neither.
//
// It holds the requests that did the operation's work, in the order sent:
// the schedule or trigger request, every import job or page, the status
// requests. The read-only lookups of names, leads and fields before the
// work are left out; a failed call carries its requestId in its *Fault.
type ResultMetadata struct {
	// RequestID is the first of RequestIDs, the one to quote for an
	// operation made of one request; empty on SOAP.
	RequestID string
	// RequestIDs are the requestIds of the requests that did the work, in
	// order; nil on SOAP.
	RequestIDs []string
	// Warnings are those answers' warnings, in order; nil when there were
	// none.
	Warnings []Warning
}

// Warning is one warning of a REST answer: a request that succeeded with
// something Marketo thought worth saying, e.g. a deprecated parameter.
type Warning struct {
	Code    Code   // zero when Marketo sent a bare message (the asset API does)
	Message string // as Marketo wrote it
}

// add appends what the REST answer env said to m.
func (m *ResultMetadata) add(env *restwire.Envelope) {
	if env == nil {
		return
	}
	if env.RequestID != "" {
		if m.RequestID == "" {
			m.RequestID = env.RequestID
		}
		m.RequestIDs = append(m.RequestIDs, env.RequestID)
	}
	for _, w := range env.Warnings {
		m.Warnings = append(m.Warnings, Warning{Code: Code(w.Code), Message: w.Message})
	}
}

// merge appends o to m.
func (m *ResultMetadata) merge(o ResultMetadata) {
	if m.RequestID == "" {
		m.RequestID = o.RequestID
	}
	m.RequestIDs = append(m.RequestIDs, o.RequestIDs...)
	m.Warnings = append(m.Warnings, o.Warnings...)
}

// restMetadata is the metadata of one REST answer.
func restMetadata(env *restwire.Envelope) ResultMetadata {
	var m ResultMetadata
	m.add(env)
	return m
}
