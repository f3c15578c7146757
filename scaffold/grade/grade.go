// Package grade is pmfolio grade: a course grades a cohort's portfolios
// for an assignment. It reads the roster and the assignment (every
// problem at its line, before anything is fetched), brings each student's
// repository into a cache of mirrors (or reads a local one), picks the
// state of the default branch at the deadline (and after it, under the
// late policy), checks that commit's documents in-process with the
// course's pack and rules only, scores the rubric, and writes the grades
// for a gradebook, CI and the instructor, with a similarity review.
//
// A run may grade one shard of the roster (--shard I/N, stable by student
// id); each student's grade is kept in the output's state/ folder, and
// the outputs are always made from those states, so that merging the
// shards' states (Merge) writes the very files one run writes.
package grade

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	// Deadlines name IANA zones; machines without a zoneinfo database
	// (containers, Windows) still know them.
	_ "time/tzdata"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/internal/dirswap"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packcheck"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/session"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Request asks for a grading run.
type Request struct {
	// Dir is the folder the command runs in; the other paths are
	// relative to it.
	Dir        string
	Roster     string
	Assignment string
	// Out is the output folder (default "grades").
	Out string
	// Jobs is how many repositories are fetched and graded at once
	// (default: the number of cores).
	Jobs int
	// Shard and Shards grade shard Shard (1-based) of Shards; 0 grades
	// the whole roster.
	Shard, Shards int
	// Offline grades the cached mirrors only; local repositories are read
	// as always.
	Offline bool
	// Timeout bounds the fetch of one repository (default 2 minutes).
	Timeout time.Duration
	// CacheDir holds the mirrors and the first-seen records (default
	// $XDG_CACHE_HOME/pmfolio/grade).
	CacheDir string
	// TokenEnv names the environment variable holding the token sent over
	// https (default PMFOLIO_GIT_TOKEN).
	TokenEnv string

	// AllowHTTP and CABundle are for tests' local git servers.
	AllowHTTP bool
	CABundle  []byte
}

// Defaults of a Request.
const (
	DefaultOut      = "grades"
	DefaultTimeout  = 2 * time.Minute
	DefaultTokenEnv = "PMFOLIO_GIT_TOKEN"
)

// Summary is what a run wrote.
type Summary struct {
	Out string
	// Students graded by this run (its shard), and how they came out.
	Students                      int
	Graded, Late, Missing, Errors int
	// Pairs is how many pairs of documents the similarity review lists.
	Pairs int
}

// Run grades the roster's students (or one shard of them) for the
// assignment and writes the outputs into req.Out, replacing an earlier
// grade there. Interrupted (ctx), it writes nothing.
func Run(ctx context.Context, sess *session.Session, req Request) (*Summary, error) {
	if req.Shards < 0 || req.Shard < 0 || req.Shard > req.Shards || (req.Shards > 0 && req.Shard == 0) {
		return nil, hint.Wrap(fmt.Errorf("grade: --shard %d/%d is not a shard", req.Shard, req.Shards), "give I/N with 1 <= I <= N, e.g. --shard 2/4")
	}
	in, err := readInputs(req)
	if err != nil {
		return nil, err
	}
	g, err := newGrader(ctx, sess, req, in)
	if err != nil {
		return nil, err
	}
	return writeOut(req.Dir, req.Out, nil, func(tmp string) (*Summary, error) {
		students := g.shard(in.roster.Students)
		if err := writeState(tmp, g.meta(in, len(students))); err != nil {
			return nil, err
		}
		if err := g.gradeAll(ctx, students, tmp); err != nil {
			return nil, err
		}
		return finalize(ctx, tmp, []string{tmp})
	})
}

// writeOut has fill write the outputs into a temporary folder beside the
// output folder, then swaps it in: an error or an interruption leaves
// the output folder as it was. not are folders the output may not be.
func writeOut(dir, name string, not []string, fill func(tmp string) (*Summary, error)) (*Summary, error) {
	out, err := outDir(dir, name)
	if err != nil {
		return nil, err
	}
	if slices.Contains(not, out) {
		return nil, hint.Wrap(fmt.Errorf("grade merge: --out %s is one of the shards", name), "merge into another folder")
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("grade: %w", err)
	}
	defer os.RemoveAll(tmp)
	sum, err := fill(tmp)
	if err != nil {
		return nil, err
	}
	if err := dirswap.Replace(tmp, out); err != nil {
		return nil, fmt.Errorf("grade: write %s: %w", out, err)
	}
	sum.Out = out
	return sum, nil
}

// inputs are a run's two files, parsed.
type inputs struct {
	roster     *Roster
	rosterDir  string
	assign     *Assignment
	assignData []byte
}

// readInputs reads and checks the roster and the assignment, reporting
// the problems of both in one run.
func readInputs(req Request) (*inputs, error) {
	var errs []*yamlfile.Error
	collect := func(err error) {
		var es *Errors
		var ye *yamlfile.Error
		switch {
		case errors.As(err, &es):
			errs = append(errs, es.Errs...)
		case errors.As(err, &ye):
			errs = append(errs, ye)
		case err != nil:
			errs = append(errs, yamlfile.Errorf("", 0, "%v", err))
		}
	}
	if req.Roster == "" || req.Assignment == "" {
		return nil, hint.Wrap(errors.New("grade: --roster and --assignment are both needed"), "pmfolio grade --roster roster.csv --assignment assignment.yaml")
	}
	in := &inputs{rosterDir: filepath.Dir(abs(req.Dir, req.Roster))}
	data, err := yamlfile.ReadFile(abs(req.Dir, req.Roster), req.Roster, maxRosterSize)
	if err == nil {
		in.roster, err = ParseRoster(req.Roster, data)
	}
	collect(readErr(req.Roster, err))
	in.assignData, err = yamlfile.ReadFile(abs(req.Dir, req.Assignment), req.Assignment, yamlfile.MaxSize)
	if err == nil {
		in.assign, err = ParseAssignment(req.Assignment, in.assignData)
	}
	collect(readErr(req.Assignment, err))
	if len(errs) > 0 {
		return nil, hint.Wrap(&Errors{Errs: errs}, "fix the lines named; nothing was fetched or written (docs/grading.md documents both files)")
	}
	return in, nil
}

// readErr names the file of an error reading it.
func readErr(file string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return yamlfile.Errorf(file, 0, "no such file")
	}
	return err
}

// maxRosterSize bounds a roster: tens of thousands of students.
const maxRosterSize = 8 << 20

func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// grader is what grading each student shares.
type grader struct {
	sess      *session.Session
	req       Request
	assign    *Assignment
	pack      *pack.Pack
	spec      check.Spec
	rosterDir string
	cache     string
	token     string
	// kinds are the covered kinds each criterion applies to, by id.
	kinds     map[string][]string
	rules     map[string]*check.Rule
	template  []uint64
	headerRow []string
	// checker is the pack's rules, compiled once: each commit is
	// checked with a fork of it.
	checker *check.Checker
}

// newGrader loads the assignment's pack and checks the rubric against it:
// rules and sections that exist, in kinds the assignment covers.
func newGrader(ctx context.Context, sess *session.Session, req Request, in *inputs) (*grader, error) {
	a := in.assign
	pk, err := packstore.Release(ctx, sess.Env, a.Pack.Name, a.Pack.Source, a.Pack.Subdir, a.Pack.Version, filepath.Dir(abs(req.Dir, req.Assignment)), req.Offline)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, hint.Wrap(a.errAt("pack", "pack %s %s: %v", a.Pack.Name, a.Pack.Version, err),
			"give a release of the course's pack (source: and version:), or {name: default} for pmfolio's own")
	}
	g := &grader{sess: sess, req: req, assign: a, pack: pk, spec: packcheck.Spec(pk), rosterDir: in.rosterDir,
		kinds: map[string][]string{}, rules: map[string]*check.Rule{}, headerRow: in.roster.Header}
	if err := g.validate(); err != nil {
		return nil, hint.Wrap(err, "fix the lines named; nothing was fetched or written ('pmfolio check --list-rules' lists the rules, 'pmfolio pack show' the sections)")
	}
	g.template = templatePrints(pk)
	if g.cache = req.CacheDir; g.cache == "" {
		base, err := sess.Env.CacheHome()
		if err != nil {
			return nil, hint.Wrap(fmt.Errorf("grade: find the cache folder: %w", err), "give one with --cache DIR")
		}
		g.cache = filepath.Join(base, "pmfolio", "grade")
	} else {
		g.cache = abs(req.Dir, g.cache)
	}
	tokenEnv := req.TokenEnv
	if tokenEnv == "" {
		tokenEnv = DefaultTokenEnv
	}
	g.token = sess.Env.Get(tokenEnv)
	return g, nil
}

// shard is the students of the request's shard, in roster order: those
// whose id hashes to it, so that a student stays in the same shard
// whatever else the roster gains or loses.
func (g *grader) shard(all []Student) []Student {
	if g.req.Shards == 0 {
		return all
	}
	var out []Student
	for _, s := range all {
		if ShardOf(s.ID, g.req.Shards) == g.req.Shard {
			out = append(out, s)
		}
	}
	return out
}

// ShardOf is the shard (1 to n) of a student id.
func ShardOf(id string, n int) int {
	h := fnv.New32a()
	io.WriteString(h, id)
	return int(h.Sum32()%uint32(n)) + 1
}

// gradeAll grades the students with req.Jobs at once, each into its
// state file; ctx's end stops them all.
func (g *grader) gradeAll(ctx context.Context, students []Student, dir string) error {
	jobs := g.req.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *Student)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range min(jobs, max(len(students), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				st := g.student(ctx, s)
				err := ctx.Err()
				if err == nil {
					err = writeStudent(dir, st)
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
	for i := range students {
		select {
		case work <- &students[i]:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// outDir is the output folder, which must be pmfolio grade's own when it
// exists: a folder of something else is never replaced.
func outDir(dir, out string) (string, error) {
	if out == "" {
		out = DefaultOut
	}
	p := abs(dir, out)
	entries, err := os.ReadDir(p)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return p, os.MkdirAll(filepath.Dir(p), 0o755)
	case err != nil:
		return "", fmt.Errorf("grade: --out %s: %w", out, err)
	case len(entries) > 0 && !isGradeOutput(p):
		return "", hint.Wrap(fmt.Errorf("grade: --out %s holds files that pmfolio grade did not write; nothing was written", out), "give a new or empty folder, or one an earlier pmfolio grade wrote")
	}
	return p, nil
}

func isGradeOutput(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, stateDir, runFile))
	return err == nil
}

// MergeRequest asks to merge shards' outputs.
type MergeRequest struct {
	Dir    string
	Out    string
	Shards []string
}

// Merge combines the outputs of the shards of one grading into the files
// one run over the whole roster writes, byte for byte. Every shard of the
// same assignment and roster must be there, each once.
func Merge(ctx context.Context, req MergeRequest) (*Summary, error) {
	if len(req.Shards) == 0 {
		return nil, hint.Wrap(errors.New("grade merge: which shards?"), "pmfolio grade merge --out grades shard-1 shard-2 ...")
	}
	var dirs []string
	for _, s := range req.Shards {
		dirs = append(dirs, abs(req.Dir, s))
	}
	return writeOut(req.Dir, req.Out, dirs, func(tmp string) (*Summary, error) { return finalize(ctx, tmp, dirs) })
}

// since formats how long after t u is, for notes.
func since(t, u time.Time) string {
	d := u.Sub(t).Round(time.Minute)
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	return strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
}
