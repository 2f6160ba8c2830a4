package soapwire

import (
	"encoding/xml"
	"fmt"
)

// MaxAnswerDepth is how deep elements may nest in an answer. Marketo's
// deepest answer (getCampaignsForSource: Envelope, Body, answer, result,
// campaignRecordList, campaignRecord, id) is seven levels; the limit is far
// beyond it, and keeps an answer of a million nested elements, which fits
// the size limit, from making the decoder keep a stack entry for each.
const MaxAnswerDepth = 256

// repeatedInAnswers are the elements an answer may repeat under one parent
// (maxOccurs > 1 in the schema). Any other element given twice makes the
// answer ambiguous: encoding/xml would keep the last copy.
var repeatedInAnswers = map[string]bool{
	"campaignRecord": true,
}

// answerShapeError is an answer refused for its shape before its content is
// read.
type answerShapeError struct{ reason string }

func (e *answerShapeError) Error() string { return e.reason }

// shapeGuard reads the raw tokens of an answer for a Decoder, refusing
// elements nested deeper than MaxAnswerDepth and an element repeated under
// one parent. Elements are compared by local name, as the wire structs'
// tags match them.
type shapeGuard struct {
	d     *xml.Decoder
	depth int
	kids  []shapeChild // children of the open elements, innermost last
	seen  map[shapeChild]bool
}

type shapeChild struct {
	depth int
	local string
}

func newShapeGuard(d *xml.Decoder) *shapeGuard {
	return &shapeGuard{d: d, seen: make(map[shapeChild]bool)}
}

func (g *shapeGuard) Token() (xml.Token, error) {
	tok, err := g.d.RawToken()
	switch t := tok.(type) {
	case xml.StartElement:
		g.depth++
		if g.depth > MaxAnswerDepth {
			return nil, &answerShapeError{reason: fmt.Sprintf("elements nested deeper than %d levels", MaxAnswerDepth)}
		}
		k := shapeChild{depth: g.depth, local: t.Name.Local}
		if g.seen[k] && !repeatedInAnswers[k.local] {
			return nil, &answerShapeError{reason: "repeated element " + k.local + ": the answer is ambiguous"}
		}
		g.seen[k] = true
		g.kids = append(g.kids, k)
	case xml.EndElement:
		// The children of the element that ends are forgotten: the next
		// element at their depth has another parent.
		for len(g.kids) > 0 && g.kids[len(g.kids)-1].depth > g.depth {
			delete(g.seen, g.kids[len(g.kids)-1])
			g.kids = g.kids[:len(g.kids)-1]
		}
		g.depth--
	}
	return tok, err
}
