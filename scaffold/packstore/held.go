package packstore

import (
	"errors"
	"fmt"

	"github.com/Masterminds/semver/v3"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
)

// Held is what a document is held to: the pack at the version it was
// rendered with while that version can be had, and how that version
// stands against the portfolio's pin.
type Held struct {
	// Pack is the pack to hold the document to; nil when Unknown is set.
	Pack *pack.Pack
	// Unknown says the portfolio pins no pack of the document's name, as
	// the end of "pack NAME, which ...".
	Unknown error
	// Pinned is the pinned version, set when the document's is older.
	Pinned *pack.Pack
	// Migrations are the pinned version's migrations since the
	// document's version (set with Pinned).
	Migrations []pack.Migration
	// Unavailable says why the document's version could not be had: Pack
	// is then the pinned version.
	Unavailable error
}

// Behind reports whether the document's version is older than the pin.
func (h *Held) Behind() bool { return h.Pinned != nil }

// Hold finds what a document rendered with rec is held to: the pinned
// pack when rec is its version; the version rec names when it is older or
// newer, from the cache or the pack's history (OpenAt), else the pinned
// one; nothing, with Unknown, for a pack the portfolio does not pin. The
// embedded default pack holds every document that names it.
func (s *Store) Hold(rec Recorded) (*Held, error) {
	if rec.Name == pack.DefaultName {
		def, err := pack.Default()
		return &Held{Pack: def}, err
	}
	pin, ok := s.Pin(rec.Name)
	if !ok {
		why := errors.New("the portfolio does not pin")
		if s.cfg == nil {
			why = fmt.Errorf("is not pinned: the document is in no portfolio (no %s above it)", portfolio.ConfigFile)
		}
		return &Held{Unknown: why}, nil
	}
	cur, err := s.Resolve(rec.Name)
	if err != nil {
		return nil, err
	}
	if rec.Version == "" || rec.Version == pin.Version {
		return &Held{Pack: cur}, nil
	}
	h := &Held{Pack: cur}
	if older(rec.Version, pin.Version) {
		h.Pinned = cur
		h.Migrations, _ = cur.MigrationsBetween(rec.Version, pin.Version)
	}
	old, err := s.OpenAt(rec)
	var ue *UnavailableError
	switch {
	case errors.As(err, &ue):
		h.Unavailable = err
	case err != nil && s.ctx.Err() != nil:
		return nil, err
	case err != nil:
		// That version exists but does not load (today's pmfolio refuses
		// it, or its base changed): the pin is the best there is.
		h.Unavailable = fmt.Errorf("pack %q %s does not load: %w", rec.Name, rec.Version, err)
	default:
		h.Pack = old
	}
	return h, nil
}

// older reports whether version a comes before b; versions that do not
// parse are never older.
func older(a, b string) bool {
	va, err := semver.NewVersion(a)
	if err != nil {
		return false
	}
	vb, err := semver.NewVersion(b)
	return err == nil && va.LessThan(vb)
}
