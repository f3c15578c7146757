package portfolio

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// State is where pmfolio keeps what must never be committed: the lock,
// the journal of the operation in progress, and interview drafts. Inside a
// git repository it is the git dir's pmfolio folder (git ignores unknown
// files there, and it goes wherever the repository goes); without one it is
// a folder of the user's state directory ($XDG_STATE_HOME, by default
// ~/.local/state) named after the portfolio's path.
//
// The lock and the journal are per repository, because the git index they
// protect is; drafts are per portfolio, because a repository may hold more
// than one portfolio folder.
type State struct {
	// Dir holds the lock and the journal.
	Dir string
	// drafts holds this portfolio's drafts.
	drafts string
	// index is this portfolio's README index cache.
	index string
	// InRepo is true when Dir is inside a git dir.
	InRepo bool
}

// stateFolder is the name of pmfolio's folder inside a git dir.
const stateFolder = "pmfolio"

// StateFor finds the state of the portfolio (or the portfolio-to-be) at
// dir; env gives the state folder used without git. It reads no git
// object: finding the .git folder is a walk up the folders, as git does, so
// that taking the lock costs next to nothing. It creates nothing.
func StateFor(dir string, env *environ.Env) (*State, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	top, gitDir, err := findGitDir(abs)
	if err != nil {
		return nil, err
	}
	if gitDir != "" {
		rel, err := filepath.Rel(top, abs)
		if err != nil {
			return nil, err
		}
		s := &State{Dir: filepath.Join(gitDir, stateFolder), InRepo: true}
		s.drafts = filepath.Join(s.Dir, "drafts")
		s.index = filepath.Join(s.Dir, "readme-index.json")
		if rel != "." {
			// One folder per portfolio of the repository.
			s.drafts = filepath.Join(s.drafts, url.PathEscape(filepath.ToSlash(rel)))
			s.index = filepath.Join(s.Dir, "readme-index-"+url.PathEscape(filepath.ToSlash(rel))+".json")
		}
		return s, nil
	}
	base, err := env.StateHome()
	if err != nil {
		return nil, fmt.Errorf("no git repository and no state folder to keep pmfolio's state in: %w", err)
	}
	sum := sha256.Sum256([]byte(abs))
	d := filepath.Join(base, "pmfolio", "portfolios", hex.EncodeToString(sum[:8]))
	return &State{Dir: d, drafts: filepath.Join(d, "drafts"), index: filepath.Join(d, "readme-index.json")}, nil
}

// findGitDir walks up from dir to the work tree holding .git and returns
// the work tree's root and its git dir; both are "" outside a repository.
// A .git file (a linked worktree or a submodule) names the real git dir.
func findGitDir(dir string) (top, gitDir string, err error) {
	for d := dir; ; {
		p := filepath.Join(d, ".git")
		fi, err := os.Stat(p)
		switch {
		case err == nil && fi.IsDir():
			return d, p, nil
		case err == nil && fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return "", "", err
			}
			line, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
			if !ok {
				return "", "", fmt.Errorf("%s is not a git link file", p)
			}
			g := strings.TrimSpace(line)
			if !filepath.IsAbs(g) {
				g = filepath.Join(d, g)
			}
			return d, g, nil
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return "", "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", nil
		}
		d = parent
	}
}

// IndexCache is the file the README index keeps its view of the
// portfolio's folders in (see Portfolio.UseIndexCache): beside the lock,
// one per portfolio, never committed. Only commands that hold the lock
// write it.
func (s *State) IndexCache() string { return s.index }

func (s *State) journalPath() string { return filepath.Join(s.Dir, "journal") }
func (s *State) lockPath() string    { return filepath.Join(s.Dir, "lock") }
