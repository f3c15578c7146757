package pack

import (
	"sync"

	"github.com/pmfolio/pmfolio/templates"
)

// DefaultName is the name of the pack embedded in pmfolio.
const DefaultName = "default"

var defaultPack = sync.OnceValues(func() (*Pack, error) {
	return Load(templates.FS, "embedded default pack")
})

// Default returns the embedded default pack.
func Default() (*Pack, error) { return defaultPack() }

// Folder is the portfolio folder a kind's documents go to: the fixed part
// of its output path before the first template action.
func (k *Kind) Folder() string {
	out := k.Output
	if i := indexAction(out); i >= 0 {
		out = out[:i]
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] == '/' {
			return out[:i]
		}
	}
	return ""
}

func indexAction(s string) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '{' && s[i+1] == '{' {
			return i
		}
	}
	return -1
}
