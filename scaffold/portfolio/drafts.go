package portfolio

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// DraftFile is one saved interview draft. Its ID, KIND-YYYYMMDD-HHMMSS-XXXX,
// sorts by kind then age, and is the file's name without .yaml.
type DraftFile struct {
	ID      string
	Kind    string
	Path    string
	Updated time.Time
}

var draftIDRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([a-z][a-z0-9-]{0,31})-(\d{8}-\d{6})-[0-9a-f]{4}$`) })

// DraftIDError says a draft id is not one pmfolio made; it is never used
// as a path, so "../x" cannot reach outside the drafts folder.
type DraftIDError struct{ ID string }

func (e *DraftIDError) Error() string {
	return fmt.Sprintf("%q is not a draft id (they look like story-20260316-140233-1a2b)", e.ID)
}

// NewDraftPath names the file of a new draft of kind; nothing is written.
func (s *State) NewDraftPath(kind string, now time.Time) string {
	var rnd [2]byte
	_, _ = rand.Read(rnd[:])
	id := fmt.Sprintf("%s-%s-%s", kind, now.UTC().Format("20060102-150405"), hex.EncodeToString(rnd[:]))
	return filepath.Join(s.drafts, id+".yaml")
}

// SaveDraft writes a draft atomically: after a crash it holds the answers
// before or after the last one, never half of one.
func (s *State) SaveDraft(path string, data []byte) error {
	if filepath.Dir(path) != s.drafts {
		return fmt.Errorf("%s is not in the drafts folder %s", path, s.drafts)
	}
	if err := os.MkdirAll(s.drafts, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(s.drafts)
	if err != nil {
		return err
	}
	defer root.Close()
	// A draft is the only copy of what the person typed.
	return writeAtomic(root, filepath.Base(path), data, true, 0, true)
}

// Drafts lists the portfolio's drafts, of kind only unless kind is "",
// newest first.
func (s *State) Drafts(kind string) ([]DraftFile, error) {
	entries, err := os.ReadDir(s.drafts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []DraftFile
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".yaml")
		m := draftIDRE().FindStringSubmatch(id)
		if !ok || m == nil || !e.Type().IsRegular() || (kind != "" && m[1] != kind) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, DraftFile{ID: id, Kind: m[1], Path: filepath.Join(s.drafts, e.Name()), Updated: fi.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Updated.After(out[j].Updated) })
	return out, nil
}

// Draft finds the draft with id.
func (s *State) Draft(id string) (DraftFile, error) {
	m := draftIDRE().FindStringSubmatch(id)
	if m == nil {
		return DraftFile{}, &DraftIDError{ID: id}
	}
	p := filepath.Join(s.drafts, id+".yaml")
	fi, err := os.Stat(p)
	if err != nil {
		return DraftFile{}, fmt.Errorf("no draft %s: %w", id, fs.ErrNotExist)
	}
	return DraftFile{ID: id, Kind: m[1], Path: p, Updated: fi.ModTime()}, nil
}

// DiscardDraft removes a draft.
func (s *State) DiscardDraft(d DraftFile) error {
	if filepath.Dir(d.Path) != s.drafts {
		return &DraftIDError{ID: d.ID}
	}
	return os.Remove(d.Path)
}
