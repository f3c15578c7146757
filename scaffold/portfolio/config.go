// Package portfolio is the portfolio repository on disk: its configuration,
// its layout, safe writes confined to it, its README index, and its git
// history. It is the only package that imports go-git.
package portfolio

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/interview"
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
	// Check configures `pmfolio check`.
	Check *CheckConfig `yaml:"check,omitempty"`

	// file is the path the config was read from, for messages.
	file string
}

// Author is a commit identity.
type Author struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// CheckConfig is the check: section of pmfolio.yaml.
type CheckConfig struct {
	// Rules change rules' severities, in order: later entries win.
	Rules []CheckRule `yaml:"rules,omitempty"`
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

// File is the path the configuration was read from.
func (c *Config) File() string { return c.file }

// ReadConfig reads and validates pmfolio.yaml at path.
func ReadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
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
	switch c.Track {
	case interview.TrackCore, interview.TrackTechnical:
	case "":
		c.Track = interview.TrackCore
	default:
		return bad("track %q must be core or technical", c.Track)
	}
	if c.Start != "" {
		if _, err := time.Parse("2006-01-02", c.Start); err != nil {
			return bad("start %q is not a date like 2026-01-31", c.Start)
		}
	}
	if c.Author != nil && (c.Author.Name == "" || c.Author.Email == "") {
		return bad("author needs both name and email")
	}
	if c.Check != nil {
		for _, r := range c.Check.Rules {
			// Whether a rule exists depends on the pack; check itself
			// reports an id that matches none.
			if strings.TrimSpace(r.Rule) == "" {
				return yamlfile.Errorf(c.file, r.Line, "check: rules: an entry has no rule (an id such as prd/guardrail, or a glob such as story/*)")
			}
			switch r.Severity {
			case "error", "warning", "info", "off":
			default:
				return yamlfile.Errorf(c.file, r.Line, "check: rule %q: severity %q must be error, warning, info or off", r.Rule, r.Severity)
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
