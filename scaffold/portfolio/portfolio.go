package portfolio

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Portfolio is an opened portfolio folder.
type Portfolio struct {
	// Dir is the absolute path of the folder holding pmfolio.yaml.
	Dir    string
	Config *Config
	root   *os.Root
	repo   *Repo
	// cachePath and view are the README index's cache (see UseIndexCache).
	cachePath string
	view      *indexView
}

// Open finds the portfolio enclosing dir and reads its configuration.
func Open(dir string) (*Portfolio, error) {
	top, err := FindRoot(dir)
	if err != nil {
		return nil, err
	}
	cfg, err := ReadConfig(filepath.Join(top, ConfigFile))
	if err != nil {
		return nil, err
	}
	return openAt(top, cfg)
}

// New returns a portfolio for an existing folder that does not hold one
// (yet) with configuration cfg: what `init` will write, or the defaults
// loose documents are checked with. It creates nothing.
func New(dir string, cfg *Config) (*Portfolio, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return openAt(abs, cfg)
}

func openAt(dir string, cfg *Config) (*Portfolio, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Portfolio{Dir: dir, Config: cfg, root: root}, nil
}

// Close releases the portfolio's folder handle.
func (p *Portfolio) Close() error {
	return p.root.Close()
}

// Repo opens (once) the git repository the portfolio is in.
func (p *Portfolio) Repo() (*Repo, error) {
	if p.repo == nil {
		r, err := OpenRepo(p.Dir)
		if err != nil {
			return nil, err
		}
		p.repo = r
	}
	return p.repo, nil
}

// SetRepo records a repository created for the portfolio.
func (p *Portfolio) SetRepo(r *Repo) { p.repo = r }

// Exists reports whether rel (slash-separated, relative to Dir) exists.
func (p *Portfolio) Exists(rel string) bool {
	_, err := p.root.Lstat(rel)
	return err == nil
}

// ReadFile reads rel inside the portfolio.
func (p *Portfolio) ReadFile(rel string) ([]byte, error) {
	return p.root.ReadFile(rel)
}

// write writes files atomically inside the portfolio. Files listed in
// replace may overwrite what is there; any other existing file is an
// ExistsError. Files listed in durable are fsynced (see writeAtomic). If
// any write fails, the files this call created are removed again, so a
// failed command leaves the portfolio as it found it. Only a transaction
// (Tx.Apply) writes.
func (p *Portfolio) write(files []File, replace, durable map[string]bool) error {
	return p.writeKnown(files, replace, durable, nil)
}

// writeKnown is write when existed already says which files exist.
func (p *Portfolio) writeKnown(files []File, replace, durable, existed map[string]bool) error {
	if len(files) > batchFiles {
		created, err := writeBatch(p.root, files, replace, durable, existed)
		if err != nil {
			for _, c := range created {
				_ = p.root.Remove(c)
			}
		}
		return err
	}
	var created []string
	for i, f := range files {
		existed := p.Exists(f.Path)
		if err := writeAtomic(p.root, f.Path, f.Data, replace[f.Path], i+1, durable[f.Path]); err != nil {
			for _, c := range created {
				_ = p.root.Remove(c)
			}
			var ee *ExistsError
			if errors.As(err, &ee) {
				return err
			}
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
		if !existed {
			created = append(created, f.Path)
		}
	}
	return nil
}

// AnswersDir holds the answers each document was rendered from, so that a
// document can be rendered again (pmfolio new KIND --answers FILE --force).
const AnswersDir = ".pmfolio/answers"

// AnswersPath is where the answers of the document at docPath are kept.
func AnswersPath(docPath string) string {
	return path.Join(AnswersDir, strings.TrimSuffix(docPath, ".md")+".yaml")
}

// BaseDir holds each document as pmfolio rendered it last, before anyone's
// edits: the base that edit and upgrade merge the owner's edits against.
// Committed like the rest, it survives a fresh clone; while nobody edits a
// document by hand, its base is the same git blob and costs nothing.
const BaseDir = ".pmfolio/base"

// BasePath is where the base of the document at docPath is kept.
func BasePath(docPath string) string {
	return path.Join(BaseDir, docPath)
}

// IsInternal reports whether rel is pmfolio's own bookkeeping or a
// temporary file, not a document.
func IsInternal(rel string) bool {
	return strings.HasPrefix(rel, ".pmfolio/") || strings.HasPrefix(path.Base(rel), tmpPrefix)
}

// walkDocs calls fn for every Markdown file below dir ("." for the whole
// portfolio) except README.md at the root and hidden folders (.git,
// .pmfolio), in lexical order, as fs.WalkDir would.
func (p *Portfolio) walkDocs(dir string, fn func(rel string) error) error {
	// The top is followed when it is a link, as fs.WalkDir follows it.
	fi, err := p.root.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return walkFile(dir, fs.FileInfoToDirEntry(fi), fn)
	}
	return p.walkFolder(dir, dir, fn)
}

// walkFolder calls walkDocs's fn for the documents in the folder rel and
// below it.
func (p *Portfolio) walkFolder(top, rel string, fn func(rel string) error) error {
	if rel != top && strings.HasPrefix(path.Base(rel), ".") {
		return nil
	}
	entries, err := listFolder(p.root, rel)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := path.Join(rel, e.Name())
		if e.IsDir() {
			err = p.walkFolder(top, name, fn)
		} else {
			err = walkFile(name, e, fn)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// walkFile calls walkDocs's fn for rel when it is a document.
func walkFile(rel string, e fs.DirEntry, fn func(rel string) error) error {
	if !e.Type().IsRegular() || !strings.HasSuffix(rel, ".md") || rel == "README.md" || strings.HasPrefix(e.Name(), ".") {
		return nil
	}
	return fn(rel)
}

// Markdown yields the Markdown files below dir ("." for the whole
// portfolio), slash-separated, relative to the portfolio and in lexical
// order, as it finds them: the files `check` reads while it is still
// walking. Hidden folders and the README.md index at the root are left
// out. An error ends the sequence.
func (p *Portfolio) Markdown(dir string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		stop := errors.New("stop")
		err := p.walkDocs(dir, func(rel string) error {
			if !yield(rel, nil) {
				return stop
			}
			return nil
		})
		if err != nil && err != stop {
			yield("", err)
		}
	}
}

// Display is how the path rel of the portfolio at root is printed to a
// person working in base (-C DIR or the current folder): relative to base,
// as git prints paths.
func Display(base, root, rel string) string {
	abs := filepath.Join(root, filepath.FromSlash(rel))
	if r, err := filepath.Rel(base, abs); err == nil {
		return r
	}
	return abs
}
