package check

import "github.com/pmfolio/pmfolio/scaffold/doc"

// checkContactDetails reports e-mail addresses and phone numbers in an
// interview note.
func checkContactDetails(c *Ctx) {
	text := c.prose().text
	for _, m := range doc.ContactDetails(text) {
		c.report(c.Doc.LineOf(m.Start), "the note holds %s (%s); anonymise the participant", what(m.Kind), text[m.Start:m.End])
	}
}

// what names a kind of contact details in a sentence.
func what(kind string) string {
	if kind == doc.Email {
		return "an e-mail address"
	}
	return "what looks like a " + kind
}
