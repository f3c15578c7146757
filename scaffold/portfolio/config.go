// Package portfolio is the portfolio repository on disk: its configuration,
// its layout, its README index, its git history, and the transaction (Tx)
// that is the only way to write into it or commit: locked, journaled,
// atomic, confined to the portfolio. With gitfetch, which reads packs, it
// is the only package that imports go-git.
package portfolio

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the portfolio's configuration, at its root.
const ConfigFile = "pmfolio.yaml"

// ConfigVersion is the format version of pmfolio.yaml this build writes.
const ConfigVersion = 1

// Config is pmfolio.yaml.
type Config struct {
	Version int    `yaml:"version"`
	Name    string `yaml:"name"`
	Role    string `yaml:"role"`
	Track   string `yaml:"track"`
	Start   string `yaml:"start"`
	// Author, when set, signs commits instead of git's user.name/user.email.
	Author *Author `yaml:"author,omitempty"`
	// Pack is the pack `new` uses when --pack is not given.
	Pack string `yaml:"pack,omitempty"`
	// Packs pins the packs the portfolio uses besides the default one, by
	// name: where each comes from and the exact bytes it must be.
	Packs map[string]*PackPin `yaml:"packs,omitempty"`
	// Check configures `pmfolio check`.
	Check *CheckConfig `yaml:"check,omitempty"`
	// Profile presents the person on the portfolio's front page (the
	// README) and its published site, beside Name and Role.
	Profile *Profile `yaml:"profile,omitempty"`
	// Publish configures `pmfolio publish`.
	Publish *PublishConfig `yaml:"publish,omitempty"`

	// file is the path the config was read from, for messages.
	file string
}

// Author is a commit identity.
type Author struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// PackPin pins a pack: its source, the ref it was asked for, the commit
// that ref resolved to, and the digest of its files, so that every machine
// (a student's laptop, CI) uses the same bytes.
type PackPin struct {
	// Source is an https or ssh URL, or a local path (relative to the
	// portfolio when it is inside it).
	Source string `yaml:"source"`
	// Subdir is the pack's folder inside the repository, "" for its root.
	Subdir string `yaml:"subdir,omitempty"`
	// Ref is the tag or branch asked for; Commit what it resolved to.
	// Both are empty for a plain folder.
	Ref     string `yaml:"ref,omitempty"`
	Commit  string `yaml:"commit,omitempty"`
	Version string `yaml:"version"`
	// Digest is the SHA-256 of the pack's files (see pack.Digest).
	Digest string `yaml:"digest"`
	Line   int    `yaml:"-"`
}

var (
	pinNameRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`) })
	pinCommitRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{40}$`) })
	pinDigestRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^sha256:[0-9a-f]{64}$`) })
)

// CheckConfig is the check: section of pmfolio.yaml.
type CheckConfig struct {
	// Rules change rules' severities, in order: later entries win.
	Rules []CheckRule `yaml:"rules,omitempty"`
	// StrictPlan makes the 90-day plan's gaps fail, as --strict-plan does:
	// for courses with deadlines.
	StrictPlan bool `yaml:"strict_plan,omitempty"`
	// OnWrite is what new and edit do with the documents they write:
	// "warn" (or empty) checks them and prints the findings, "fail"
	// refuses to commit a document with failing findings, "off" does not
	// check them.
	OnWrite string `yaml:"on_write,omitempty"`
	Line    int    `yaml:"-"`
}

// What new and edit do with the documents they write (CheckConfig.OnWrite).
const (
	OnWriteWarn = "warn"
	OnWriteFail = "fail"
	OnWriteOff  = "off"
)

// OnWrite is the configuration's check.on_write, "warn" when unset.
func (c *Config) OnWrite() string {
	if c == nil || c.Check == nil || c.Check.OnWrite == "" {
		return OnWriteWarn
	}
	return c.Check.OnWrite
}

// CheckRule changes the severity of the rules matching Rule (an id such as
// prd/guardrail, a glob such as story/*, or *) to Severity (error,
// warning, info or off), in the documents matching Paths (globs such as
// story/drafts/**; none means every document).
type CheckRule struct {
	Rule     string   `yaml:"rule"`
	Severity string   `yaml:"severity"`
	Paths    []string `yaml:"paths,omitempty"`
	Line     int      `yaml:"-"`
}

// Profile is the profile: section of pmfolio.yaml: what a hiring manager
// reads about the person before their documents.
type Profile struct {
	// About is a short paragraph: who they are and what they bring.
	About string `yaml:"about,omitempty"`
	// Links are where to find them (a professional network profile, a
	// blog, an email address as mailto:).
	Links []ProfileLink `yaml:"links,omitempty"`
	Line  int           `yaml:"-"`
}

// ProfileLink is one link of the profile.
type ProfileLink struct {
	Label string `yaml:"label"`
	URL   string `yaml:"url"`
	Line  int    `yaml:"-"`
}

// PublishConfig is the publish: section of pmfolio.yaml.
type PublishConfig struct {
	// Out is the folder the site is built in, relative to the portfolio;
	// empty is DefaultSiteDir.
	Out string `yaml:"out,omitempty"`
	// Order lists documents (paths relative to the portfolio, or globs
	// such as story/*) best first: the front page and the site show them
	// first, in this order, then the others by kind in the plan's order.
	Order []string `yaml:"order,omitempty"`
	Line  int      `yaml:"-"`
}

// DefaultSiteDir is where `pmfolio publish` builds the site; init adds it
// to .gitignore, since pmfolio never commits it.
const DefaultSiteDir = "site"

// SiteDir is the folder the site is built in, relative to the portfolio.
func (c *Config) SiteDir() string {
	if c.Publish != nil && c.Publish.Out != "" {
		return c.Publish.Out
	}
	return DefaultSiteDir
}

// Order is the publish order of pmfolio.yaml, nil when none is given.
func (c *Config) Order() []string {
	if c.Publish == nil {
		return nil
	}
	return c.Publish.Order
}

// File is the path the configuration was read from.
func (c *Config) File() string { return c.file }

// ReadConfig reads and validates pmfolio.yaml at path.
func ReadConfig(path string) (*Config, error) {
	data, err := yamlfile.ReadFile(path, path, yamlfile.MaxSize)
	if err != nil {
		return nil, err
	}
	return ParseConfig(path, data)
}

// ParseConfig decodes pmfolio.yaml; file names it in errors.
func ParseConfig(file string, data []byte) (*Config, error) {
	c := &Config{}
	if err := yamlfile.Decode(file, data, c); err != nil {
		return nil, err
	}
	c.file = file
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks values that YAML types cannot.
func (c *Config) Validate() error {
	bad := func(format string, args ...any) error {
		return yamlfile.Errorf(c.file, 0, format, args...)
	}
	if c.Version > ConfigVersion {
		return bad("version %d is newer than this pmfolio understands (%d); upgrade pmfolio", c.Version, ConfigVersion)
	}
	if c.Track == "" {
		c.Track = doc.TrackCore
	}
	if err := doc.ValidateTrack(c.Track, false); err != nil {
		return bad("%v", err)
	}
	if c.Start != "" {
		if _, err := time.Parse("2006-01-02", c.Start); err != nil {
			return bad("start %q is not a date like 2026-01-31", c.Start)
		}
	}
	if c.Author != nil && (c.Author.Name == "" || c.Author.Email == "") {
		return bad("author needs both name and email")
	}
	for _, name := range slices.Sorted(maps.Keys(c.Packs)) {
		pin := c.Packs[name]
		badPin := func(format string, args ...any) error {
			line := 0
			if pin != nil {
				line = pin.Line
			}
			return yamlfile.Errorf(c.file, line, "packs: %s: "+format, append([]any{name}, args...)...)
		}
		switch {
		case pin == nil:
			return badPin("is empty")
		case !pinNameRE().MatchString(name) || name == "default":
			return badPin("is not a pack name a pin can have")
		case pin.Source == "":
			return badPin("source is empty")
		case pin.Commit != "" && !pinCommitRE().MatchString(pin.Commit):
			return badPin("commit %q is not a full commit hash", pin.Commit)
		case !pinDigestRE().MatchString(pin.Digest):
			return badPin("digest %q is not sha256: and 64 hex digits", pin.Digest)
		}
	}
	if err := c.validateProfile(); err != nil {
		return err
	}
	if c.Check != nil {
		switch c.Check.OnWrite {
		case "", OnWriteWarn, OnWriteFail, OnWriteOff:
		default:
			return yamlfile.Errorf(c.file, c.Check.Line, "check: on_write %q must be warn, fail or off", c.Check.OnWrite)
		}
		for _, r := range c.Check.Rules {
			// Whether a rule exists depends on the pack; check itself
			// reports an id that matches none.
			if strings.TrimSpace(r.Rule) == "" {
				return yamlfile.Errorf(c.file, r.Line, "check: rules: an entry has no rule (an id such as prd/guardrail, or a glob such as story/*)")
			}
			if _, err := doc.ParseSeverity(r.Severity); err != nil {
				return yamlfile.Errorf(c.file, r.Line, "check: rule %q: %v", r.Rule, err)
			}
		}
	}
	return nil
}

// Marshal renders the configuration with a comment saying what it is.
func (c *Config) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("# pmfolio portfolio configuration: https://github.com/pmfolio/pmfolio\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	_ = enc.Encode(c)
	_ = enc.Close()
	return b.Bytes()
}

// Dir is the folder of the pmfolio.yaml the configuration was read from,
// "" for one not read from a file.
func (c *Config) Dir() string {
	if c.file == "" {
		return ""
	}
	return filepath.Dir(c.file)
}

// Update returns old, the bytes of pmfolio.yaml, with the top-level keys
// of c written into it: values change in place and keep their comments,
// new keys are appended, keys c no longer has are removed. A person's
// comments in pmfolio.yaml survive pmfolio editing it.
func (c *Config) Update(old []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(old, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return c.Marshal(), nil
	}
	var fresh yaml.Node
	if err := fresh.Encode(c); err != nil {
		return nil, err
	}
	m := doc.Content[0]
	want := map[string]*yaml.Node{}
	for i := 0; i+1 < len(fresh.Content); i += 2 {
		want[fresh.Content[i].Value] = fresh.Content[i+1]
	}
	var kept []*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		nv, ok := want[k.Value]
		if !ok {
			continue
		}
		seen[k.Value] = true
		nv.HeadComment, nv.LineComment, nv.FootComment = v.HeadComment, v.LineComment, v.FootComment
		kept = append(kept, k, nv)
	}
	for i := 0; i+1 < len(fresh.Content); i += 2 {
		if !seen[fresh.Content[i].Value] {
			kept = append(kept, fresh.Content[i], fresh.Content[i+1])
		}
	}
	m.Content = kept
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// NotFoundError says no portfolio encloses a folder.
type NotFoundError struct{ Dir string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no portfolio here: no %s in %s or any folder above it", ConfigFile, e.Dir)
}

// FindRoot walks up from dir to the folder holding pmfolio.yaml, as git
// finds .git.
func FindRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		if fi, err := os.Stat(filepath.Join(d, ConfigFile)); err == nil && fi.Mode().IsRegular() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", &NotFoundError{Dir: abs}
		}
		d = parent
	}
}

// validateProfile checks the profile's links and the publish settings.
func (c *Config) validateProfile() error {
	if c.Profile != nil {
		for _, l := range c.Profile.Links {
			if strings.TrimSpace(l.Label) == "" || strings.TrimSpace(l.URL) == "" {
				return yamlfile.Errorf(c.file, l.Line, "profile: links: each link needs a label and a url")
			}
			if !webLink(l.URL) {
				return yamlfile.Errorf(c.file, l.Line, "profile: links: %q is not an https://, http:// or mailto: address", l.URL)
			}
		}
	}
	if c.Publish != nil {
		if out := c.Publish.Out; out != "" && (filepath.IsAbs(out) || !filepath.IsLocal(out) || out == ".") {
			return yamlfile.Errorf(c.file, c.Publish.Line, "publish: out %q must be a folder inside the portfolio, such as site", out)
		}
		for _, o := range c.Publish.Order {
			if strings.TrimSpace(o) == "" {
				return yamlfile.Errorf(c.file, c.Publish.Line, "publish: order: an entry is empty")
			}
		}
	}
	return nil
}

// webLink reports whether u is a link a page may hold: web or mail.
func webLink(u string) bool {
	l := strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:")
}
