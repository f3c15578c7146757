// Package crash is a test hook: it lets a test kill pmfolio with SIGKILL at
// a named step of a writing operation, to prove that a crash at any moment
// leaves the portfolio and its repository consistent and recoverable.
//
// Set PMFOLIO_CRASH_AT to a step name to die the first time the step is
// reached, or to NAME:N to die at its Nth occurrence within one operation
// (steps that repeat, such as one per file written, pass their count). The
// variable is read at each step, so the package keeps no state; unset, a
// step costs one environment lookup.
//
// It is the one place pmfolio reads the environment itself rather than
// through the factory (app.Factory.Env): the steps sit deep inside the
// transaction and the git writes, the hook only ever kills the process it
// runs in, and threading a test hook through every write would make the
// write path harder to read for no one's benefit. The architecture test
// allows exactly this read.
package crash

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Env names the environment variable read at each step.
const Env = "PMFOLIO_CRASH_AT"

// Steps lists every step, in the order an operation reaches them. The
// crash test kills pmfolio at each one.
var Steps = []string{
	"lock-acquired",   // the portfolio lock is held; nothing else done
	"git-init",        // init: a repository exists in a temporary folder
	"git-installed",   // init: the repository has been renamed into place
	"journal-written", // the journal of the operation is complete; no file written
	"tmp-written",     // the Nth file's temporary copy is written, not renamed
	"file-exchanged",  // the Nth file has its name; its old content has the temporary name (where names can be exchanged)
	"file-written",    // the Nth file is in place
	"file-removed",    // the Nth file the operation removes is gone
	"files-written",   // every file is in place; nothing committed
	"objects-written", // blobs, trees and the commit object are in the object store
	"index-locked",    // index.lock holds the new index, not yet renamed
	"index-exchanged", // the index is the new one; index.lock holds the old one (where names can be exchanged)
	"index-written",   // the index has the new entries; the branch has not moved
	"ref-locked",      // the branch's .lock file holds the new commit
	"ref-written",     // the branch points at the new commit
	"done",            // the draft is removed; only the journal is left
	// doctor --fix packing loose objects (Tx.PackLoose):
	"pack-written",   // the new pack is fsynced under a temporary name; no index
	"pack-installed", // the pack and its index are in place and durable
	"loose-removed",  // the Nth loose object, now packed, is removed
}

// At kills the process if PMFOLIO_CRASH_AT names step.
func At(step string) { AtN(step, 1) }

// AtN kills the process if PMFOLIO_CRASH_AT names the nth occurrence of step.
func AtN(step string, n int) {
	v := os.Getenv(Env)
	if v == "" {
		return
	}
	if !slices.Contains(Steps, step) {
		panic(fmt.Sprintf("crash: unknown step %q", step))
	}
	name, count, _ := strings.Cut(v, ":")
	want := 1
	if count != "" {
		want, _ = strconv.Atoi(count)
	}
	if name == step && want == n {
		kill()
	}
}

func kill() {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		// On Unix, Kill is SIGKILL: no deferred function, no cleanup runs.
		_ = p.Kill()
	}
	// The signal is asynchronous: never go on to the next step.
	time.Sleep(time.Hour)
}
