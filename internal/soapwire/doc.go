// Package soapwire is the codec of Marketo's SOAP API: it encodes request
// envelopes from the wire structs, signs them, and decodes answers with
// their shape guards. It knows nothing of the SDK's client nor of its
// public types: it takes plain values and returns its own small errors
// (*Fault, *AnswerError, ErrNotSuccessful), which the SDK's SOAP backend
// turns into the errors callers see.
//
// The wire structs' xml tags are the schema: element names in schema order,
// ",omitempty" on optional elements, and a wire:"nillable" tag on required
// elements that are sent as xsi:nil when empty. A `param` tag names the
// caller's parameter a field comes from when the names differ (for errors
// about a request's size). The encoder writes a params struct from these
// tags alone, and a test compares them with the types that gowsdl generates
// from the project's WSDL, so the encoder cannot drift from the schema
// unnoticed. Every child element is unqualified; only the top-level element
// is in the mktows namespace.
package soapwire
