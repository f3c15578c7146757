package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/pmfolio/pmfolio/scaffold/internal/shellquote"
	"github.com/pmfolio/pmfolio/scaffold/pack"
)

// printNextSteps tells a new portfolio's owner what to run next, on
// stderr: stdout stays the folder alone, for scripts
// (cd "$(pmfolio init x)").
func printNextSteps(w io.Writer, dir string, pk *pack.Pack) {
	fmt.Fprintln(w, "Next steps:")
	tw := tabwriter.NewWriter(w, 0, 4, 3, ' ', 0)
	if cd := cdPath(dir); cd != "" {
		fmt.Fprintf(tw, "   cd %s\n", cd)
	}
	if kinds := pk.OrderedKinds(); len(kinds) > 0 {
		fmt.Fprintf(tw, "   pmfolio new %s\t# write the first document: %s\n", kinds[0].ID, kinds[0].Name)
	}
	fmt.Fprintf(tw, "   pmfolio check\t# see what the portfolio still lacks\n")
	tw.Flush()
}

// cdPath is dir as the user's shell reaches it from where pmfolio was
// started (-C DIR does not move the shell): relative, unless the absolute
// path is shorter; quoted when it needs to be; "" when the shell is there
// already.
func cdPath(dir string) string {
	p := dir
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, dir); err == nil && len(rel) <= len(dir) {
			p = rel
		}
	}
	if p == "." {
		return ""
	}
	if strings.HasPrefix(p, "-") {
		p = "./" + p // not an option of cd
	}
	return shellquote.Quote(p)
}
