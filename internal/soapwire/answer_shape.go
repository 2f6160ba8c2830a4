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
	// kids are the children seen so far of each open element, outermost
	// first: those of the innermost element are the ones at its depth + 1
	// at the end, since the children of an element that ends are dropped.
	kids []shapeChild
	// kidsBuf holds kids for the usual answer, which then takes no
	// allocation of its own.
	kidsBuf [16]shapeChild
	// seen is kids as a set once they outgrow kidsBuf, so that an answer
	// of many differently named siblings is not checked in quadratic time.
	seen map[shapeChild]bool
}

type shapeChild struct {
	depth int
	local string
}

// init makes g read d's raw tokens.
func (g *shapeGuard) init(d *xml.Decoder) {
	g.d, g.kids = d, g.kidsBuf[:0]
}

func (g *shapeGuard) Token() (xml.Token, error) {
	tok, err := g.d.RawToken()
	switch t := tok.(type) {
	case xml.StartElement:
		g.depth++
		if g.depth > MaxAnswerDepth {
			return nil, &answerShapeError{reason: fmt.Sprintf("elements nested deeper than %d levels", MaxAnswerDepth)}
		}
		if err := g.open(t.Name.Local); err != nil {
			return nil, err
		}
	case xml.EndElement:
		// The children of the element that ends are forgotten: the next
		// element at their depth has another parent.
		for len(g.kids) > 0 && g.kids[len(g.kids)-1].depth > g.depth {
			if g.seen != nil {
				delete(g.seen, g.kids[len(g.kids)-1])
			}
			g.kids = g.kids[:len(g.kids)-1]
		}
		g.depth--
	}
	return tok, err
}

// open records the element named local that opens at g.depth, refusing it
// when a sibling before it has its name and the schema does not let it
// repeat (such elements are not recorded at all).
func (g *shapeGuard) open(local string) error {
	if repeatedInAnswers[local] {
		return nil
	}
	k := shapeChild{depth: g.depth, local: local}
	if g.seen == nil && len(g.kids) == len(g.kidsBuf) {
		g.seen = make(map[shapeChild]bool, 2*len(g.kids))
		for _, kid := range g.kids {
			g.seen[kid] = true
		}
	}
	if g.repeated(k) {
		return &answerShapeError{reason: "repeated element " + local + ": the answer is ambiguous"}
	}
	if g.seen != nil {
		g.seen[k] = true
	}
	g.kids = append(g.kids, k)
	return nil
}

// repeated reports whether k is already among the children of the
// innermost open element.
func (g *shapeGuard) repeated(k shapeChild) bool {
	if g.seen != nil {
		return g.seen[k]
	}
	for i := len(g.kids) - 1; i >= 0 && g.kids[i].depth == k.depth; i-- {
		if g.kids[i].local == k.local {
			return true
		}
	}
	return false
}
