package portfolio

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/gitattributes"
	"github.com/pmfolio/pmfolio/scaffold/environ"
)

// A work tree's file is what git checked out, converted: with
// core.autocrlf=true (usual on Windows runners), or a .gitattributes that
// says `text` or `eol=crlf`, a blob stored with LF line endings is a file
// with CRLF ones, and git status calls it clean. Comparing it with a blob
// means converting it back first, as `git add` would (git's convert.c,
// crlf_to_git): the conversion is what this file does.

// conversion is git's clean conversion of line endings for one
// repository: core.autocrlf and the attributes that decide which files
// are text.
type conversion struct {
	r *Repo
	// autocrlf is core.autocrlf: "true", "input" or "" (false).
	autocrlf string
	// global and info are the attributes of core.attributesFile (lowest
	// priority) and of .git/info/attributes (highest); the work tree's
	// .gitattributes files come between, read a folder at a time.
	global, info []gitattributes.MatchAttribute
	mu           sync.Mutex
	dirs         map[string][]gitattributes.MatchAttribute
	matchers     map[string]gitattributes.Matcher
	// headCR caches whether HEAD's blob of a path has CRLF line endings.
	head map[string]plumbing.Hash
}

// builtinAttributes are the macros git defines itself.
var builtinAttributes = sync.OnceValue(func() []gitattributes.MatchAttribute {
	m, _ := gitattributes.ParseAttributesLine("[attr]binary -diff -merge -text", nil, true)
	return []gitattributes.MatchAttribute{m}
})

// conversion reads the settings of r's line-ending conversion: git's
// configuration files as env names them, then the repository's own.
func (r *Repo) conversion(env *environ.Env) (*conversion, error) {
	s, err := loadGitSettings(env, r)
	if err != nil {
		return nil, err
	}
	c := &conversion{r: r, autocrlf: s.autocrlf, dirs: map[string][]gitattributes.MatchAttribute{}, matchers: map[string]gitattributes.Matcher{}}
	global := s.attributesFile
	if global == "" {
		// git's default: $XDG_CONFIG_HOME/git/attributes.
		if xdg, err := env.ConfigHome(); err == nil {
			global = filepath.Join(xdg, "git", "attributes")
		}
	} else if strings.HasPrefix(global, "~/") {
		if home, err := env.Home(); err == nil {
			global = filepath.Join(home, global[2:])
		}
	}
	if global != "" {
		if c.global, err = readAttributes(global, nil, true); err != nil {
			return nil, err
		}
	}
	if c.info, err = readAttributes(filepath.Join(r.gitDir, "info", "attributes"), nil, true); err != nil {
		return nil, err
	}
	return c, nil
}

// readAttributes reads one attributes file whose patterns apply below
// domain (repository-relative folder names); a missing file has none.
func readAttributes(file string, domain []string, macros bool) ([]gitattributes.MatchAttribute, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	attrs, err := gitattributes.ReadAttributes(f, domain, macros)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	return attrs, nil
}

// stack is the attributes that apply in dir (repository-relative,
// slash-separated, "" for the top), lowest priority first: the global
// file, then each .gitattributes from the top down to dir.
func (c *conversion) stack(dir string) ([]gitattributes.MatchAttribute, error) {
	if s, ok := c.dirs[dir]; ok {
		return s, nil
	}
	var parent []gitattributes.MatchAttribute
	var domain []string
	if dir == "" {
		parent = append(append([]gitattributes.MatchAttribute(nil), builtinAttributes()...), c.global...)
	} else {
		var err error
		if parent, err = c.stack(parentDir(dir)); err != nil {
			return nil, err
		}
		domain = strings.Split(dir, "/")
	}
	own, err := readAttributes(filepath.Join(c.r.top, filepath.FromSlash(dir), ".gitattributes"), domain, dir == "")
	if err != nil {
		return nil, err
	}
	s := append(append([]gitattributes.MatchAttribute(nil), parent...), own...)
	c.dirs[dir] = s
	return s, nil
}

func parentDir(dir string) string {
	if d := path.Dir(dir); d != "." {
		return d
	}
	return ""
}

// attributes are git's text, eol and (legacy) crlf attributes of the
// file at p (repository-relative).
func (c *conversion) attributes(p string) (map[string]gitattributes.Attribute, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dir := parentDir(p)
	m, ok := c.matchers[dir]
	if !ok {
		s, err := c.stack(dir)
		if err != nil {
			return nil, err
		}
		m = gitattributes.NewMatcher(append(append([]gitattributes.MatchAttribute(nil), s...), c.info...))
		c.matchers[dir] = m
	}
	attrs, _ := m.Match(strings.Split(p, "/"), []string{"text", "eol", "crlf"})
	return attrs, nil
}

// How git converts a file's line endings when it stores it (convert.c's
// crlf_action, reduced to what storing needs).
type crlfAction int

const (
	crlfBinary crlfAction = iota // stored as it is
	crlfText                     // CRLF becomes LF
	crlfAuto                     // CRLF becomes LF when the file looks like text
)

// action is how git stores the file at p (repository-relative).
func (c *conversion) action(p string) crlfAction {
	attrs, err := c.attributes(p)
	if err != nil {
		// An unreadable .gitattributes: compare by core.autocrlf alone.
		attrs = nil
	}
	act, set := crlfBinary, false
	if a, ok := attrs["text"]; ok {
		switch {
		case a.IsSet():
			act, set = crlfText, true
		case a.IsUnset():
			return crlfBinary
		case a.IsValueSet() && a.Value() == "auto":
			act, set = crlfAuto, true
		}
	} else if a, ok := attrs["crlf"]; ok {
		switch {
		case a.IsSet(), a.IsValueSet() && a.Value() == "input":
			act, set = crlfText, true
		case a.IsUnset():
			return crlfBinary
		}
	}
	if a, ok := attrs["eol"]; ok && a.IsValueSet() && (a.Value() == "lf" || a.Value() == "crlf") {
		// eol implies text, unless text said auto.
		if act != crlfAuto {
			act, set = crlfText, true
		}
	}
	if set {
		return act
	}
	if c.autocrlf == "true" || c.autocrlf == "input" {
		return crlfAuto
	}
	return crlfBinary
}

// hash is the blob hash git would store for data, the content of the
// file at p (repository-relative) in the work tree. A nil conversion
// converts nothing.
func (c *conversion) hash(p string, data []byte) plumbing.Hash {
	if c != nil {
		data = c.clean(p, data)
	}
	return plumbing.ComputeHash(plumbing.BlobObject, data)
}

// clean is data as git stores it.
func (c *conversion) clean(p string, data []byte) []byte {
	if !bytes.Contains(data, []byte("\r\n")) {
		return data
	}
	switch c.action(p) {
	case crlfText:
		return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	case crlfAuto:
		// Git leaves alone what looks binary, and a file whose version in
		// the index already has CRLF line endings (its "safer autocrlf"):
		// HEAD's version stands in for the index's here.
		if looksBinary(data) || c.headHasCRLF(p) {
			return data
		}
		return bytes.ReplaceAll(data, []byte("\r"), nil)
	}
	return data
}

// looksBinary is git's convert_is_binary: a lone CR, a NUL, or more than
// one control character in 128 printable ones.
func looksBinary(data []byte) bool {
	printable, nonprintable := 0, 0
	for i := 0; i < len(data); i++ {
		switch b := data[i]; {
		case b == '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
				continue
			}
			return true
		case b == '\n':
		case b == 0:
			return true
		case b == 127:
			nonprintable++
		case b < 32:
			switch b {
			case '\b', '\t', '\033', '\014':
				printable++
			default:
				nonprintable++
			}
		default:
			printable++
		}
	}
	if len(data) > 0 && data[len(data)-1] == '\032' {
		nonprintable--
	}
	return printable>>7 < nonprintable
}

// headHasCRLF reports whether HEAD stores the file at p (repository-
// relative) with CRLF line endings, as text.
func (c *conversion) headHasCRLF(p string) bool {
	c.mu.Lock()
	if c.head == nil {
		c.head = map[string]plumbing.Hash{}
		if _, h, err := c.r.head(); err == nil && !h.IsZero() {
			// Relative to the portfolio, as blobsAt maps them.
			if m, err := c.r.blobsAt(h); err == nil {
				for rel, bh := range m {
					c.head[c.r.repoPath(rel)] = bh
				}
			}
		}
	}
	h, ok := c.head[p]
	c.mu.Unlock()
	if !ok {
		return false
	}
	data, err := c.r.readBlob(h, math.MaxInt64)
	return err == nil && bytes.Contains(data, []byte("\r\n")) && !looksBinary(data)
}
