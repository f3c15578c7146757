// Package version reports pmfolio's own version.
package version

import (
	"runtime/debug"
	"strings"
)

// base is the version of this source tree. A build from a tagged module
// (go install github.com/pmfolio/pmfolio/cmd/pmfolio@v1.2.3) reports the tag.
const base = "0.1.0"

// Number is the semantic version compared with a pack's min_pmfolio.
func Number() string {
	if v := module(); v != "" && !pseudo(v) {
		return strings.TrimPrefix(v, "v")
	}
	return base
}

// String is what --version prints: the version and, for a build from a
// work tree, the commit Go stamped into the binary.
func String() string {
	n := Number()
	if v := module(); v != "" && pseudo(v) {
		return n + " (" + v + ")"
	}
	return n
}

func module() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "(devel)" {
		return ""
	}
	return bi.Main.Version
}

// pseudo reports a version Go derived from a commit rather than a tag,
// such as v0.0.0-20261125101500-abcdef123456+dirty.
func pseudo(v string) bool {
	return strings.HasPrefix(v, "v0.0.0-") || strings.Contains(v, "+dirty") || strings.Count(v, "-") >= 2
}
