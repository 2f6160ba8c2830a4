// Package strictjson decodes JSON as Marketo writes it and nothing looser:
// member names matched exactly, a name given twice in one object refused
// at any depth, a known name in another case refused (and, in an object
// without known names such as a map, a name given twice in two cases),
// nesting bounded, in one pass that never copies the text (Decode). It
// also reads a text's string literals one at a time (Strings), for
// redacting secrets in text that may not parse.
//
// It knows nothing of the client; its errors (*Error) say what is wrong
// and where, never quoting a value, which may be a secret.
package strictjson
