package pack

import (
	"fmt"
	"io/fs"
	"path"
	"sync"

	"github.com/pmfolio/pmfolio/examples"
	"github.com/pmfolio/pmfolio/templates"
)

// DefaultName is the name of the pack embedded in pmfolio.
const DefaultName = "default"

// The default pack is loaded once, on first use. (A sync.OnceValues
// variable would make an initialisation cycle: Load can reach Default
// through extends.)
var (
	defaultOnce sync.Once
	defaultPack *Pack
	defaultErr  error
)

func loadDefault() (*Pack, error) {
	p, err := Load(templates.FS, "embedded default pack")
	if err != nil {
		return nil, err
	}
	// The default pack's sample answers are the examples users read, so
	// they live in examples/ rather than in the pack's folder.
	for _, k := range p.Kinds {
		name := path.Join("answers", k.ID+".yaml")
		if data, err := fs.ReadFile(examples.Answers, name); err == nil {
			k.samples = []SampleFile{{File: path.Join("examples", name), Data: data}}
		}
	}
	return p, nil
}

// Preload starts loading the default pack in the background, for a
// command that will need it: parsing its manifest is the biggest piece of
// work a short command does, and it can overlap with the command's own
// reading of the portfolio and git on another core. Default waits for it.
func Preload() { go Default() }

// Default returns the embedded default pack.
func Default() (*Pack, error) {
	defaultOnce.Do(func() {
		// Preload loads it on a goroutine of its own, where a panic would
		// end the process with a stack trace: it becomes an error instead.
		defer func() {
			if r := recover(); r != nil {
				defaultPack, defaultErr = nil, fmt.Errorf("load the embedded default pack: %v", r)
			}
		}()
		defaultPack, defaultErr = loadDefault()
	})
	return defaultPack, defaultErr
}

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
