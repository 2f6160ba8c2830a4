// Package restwire holds the codecs of Marketo's REST API: the strict JSON
// decoder its answers are read with (Decode: names matched exactly, a name
// repeated or given in another case refused at any depth), the answer
// envelope (DecodeAnswer), the JSON request bodies, and the multipart body
// of a bulk lead import with its split into jobs of at most 10 MB.
//
// It knows nothing of the client: it takes plain values and returns its
// own errors (*AnswerError, *Refusal, *ParamError), which the SDK's REST
// backend turns into the public ones in one place.
package restwire
