package pack

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
)

// ChangeEntry is one release's notes in pack.yaml's changes: list.
type ChangeEntry struct {
	Version string `yaml:"version"`
	Notes   string `yaml:"notes"`
	Line    int    `yaml:"-"`
}

// ReleaseNote is what a release of the pack says of itself.
type ReleaseNote struct {
	Version string
	Text    string
}

// ChangelogFile is the release notes file a pack may carry instead of
// changes: in pack.yaml.
const ChangelogFile = "CHANGELOG.md"

// changelogHeading matches a release's heading in a CHANGELOG.md, as Keep
// a Changelog writes them: "## [1.1.0] - 2026-03-02", "## v1.1.0", "## 1.1.0".
var changelogHeading = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^##\s+\[?v?(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)\]?.*$`)
})

// ReleaseNotes returns the notes of the releases v with from < v <= to,
// newest first: the pack's changes: in pack.yaml, else the sections of its
// CHANGELOG.md. None when it has neither.
func (p *Pack) ReleaseNotes(from, to string) []ReleaseNote {
	lo, err1 := semver.NewVersion(from)
	hi, err2 := semver.NewVersion(to)
	if err1 != nil || err2 != nil {
		return nil
	}
	in := func(v string) bool {
		sv, err := semver.NewVersion(v)
		return err == nil && sv.GreaterThan(lo) && !sv.GreaterThan(hi)
	}
	var out []ReleaseNote
	for _, c := range p.Changes {
		if in(c.Version) {
			out = append(out, ReleaseNote{Version: c.Version, Text: strings.TrimSpace(c.Notes)})
		}
	}
	if len(p.Changes) == 0 && p.FS != nil {
		if data, err := fs.ReadFile(p.FS, ChangelogFile); err == nil {
			out = changelogNotes(string(data), in)
		}
	}
	slices.SortStableFunc(out, func(a, b ReleaseNote) int {
		va, _ := semver.NewVersion(a.Version)
		vb, _ := semver.NewVersion(b.Version)
		return vb.Compare(va)
	})
	return out
}

// changelogNotes cuts a CHANGELOG.md into the sections of the releases
// keep accepts.
func changelogNotes(text string, keep func(string) bool) []ReleaseNote {
	var out []ReleaseNote
	heads := changelogHeading().FindAllStringSubmatchIndex(text, -1)
	for i, h := range heads {
		end := len(text)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		// A "## " heading that is not a release ends the section too.
		body := text[h[1]:end]
		if j := strings.Index(body, "\n## "); j >= 0 {
			body = body[:j]
		}
		v := text[h[2]:h[3]]
		if keep(v) {
			out = append(out, ReleaseNote{Version: v, Text: strings.TrimSpace(body)})
		}
	}
	return out
}
