// Package csvrec holds the CSV records of lead imports: writing a row as a
// CSV record exactly as encoding/csv would (as a line of a REST bulk import
// file, or as XML character data inside a SOAP importToList request),
// counting a record's bytes without writing it, and reading a failures or
// warnings file one capped record at a time.
//
// It knows nothing of the client: it takes rows and readers, and returns
// its own errors (*FileError, *TooLargeError), which the SDK's REST backend
// turns into the public ones.
package csvrec
