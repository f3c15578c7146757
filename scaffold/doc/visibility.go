package doc

import "fmt"

// Visibility values: whether `pmfolio publish` shows a document. A kind
// declares its default (a pack's `visibility:`), a document may say its
// own in front matter.
const (
	Public  = "public"
	Private = "private"
)

// ValidateVisibility checks a visibility: empty (the default), public or
// private.
func ValidateVisibility(v string) error {
	switch v {
	case "", Public, Private:
		return nil
	}
	return fmt.Errorf("visibility %q must be public or private", v)
}

// IsPrivate reports whether a document is private: its own visibility
// when it gives one, else its kind's (kindDefault).
func IsPrivate(own, kindDefault string) bool {
	if own != "" {
		return own == Private
	}
	return kindDefault == Private
}
