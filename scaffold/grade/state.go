package grade

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pmfolio/pmfolio/scaffold/hint"
)

// The output folder's state/ holds what the outputs are made from: the
// run's settings (run.json) and each student's grade (students/ID.json).
// A single run and the merge of shards both make the outputs from it, so
// that they are the same files, byte for byte.
const (
	stateDir    = "state"
	runFile     = "run.json"
	studentsDir = "students"
	stateFormat = 1
)

// runMeta is a run's settings, the same in every shard of one grading
// but for the shard's number.
type runMeta struct {
	Format int `json:"pmfolio_grade_state"`
	// File and Data are the assignment as read, Digest its hash.
	File   string `json:"assignment_file"`
	Data   string `json:"assignment"`
	Digest string `json:"assignment_digest"`
	// PackVersion is the version of the pack graded with.
	PackVersion string   `json:"pack_version"`
	Header      []string `json:"roster_header"`
	// Roster is how many students the roster lists; Students how many
	// this run graded (its shard).
	Roster   int `json:"roster_students"`
	Students int `json:"students"`
	Shard    int `json:"shard"`
	Shards   int `json:"shards"`
	// Kinds are the kinds each criterion applies to; Rules the messages
	// of the pack's rules, for the report.
	Kinds    map[string][]string `json:"criterion_kinds"`
	Rules    map[string]string   `json:"rule_messages"`
	Template []uint64            `json:"template_fingerprints"`
}

// meta is the run's settings.
func (g *grader) meta(in *inputs, students int) *runMeta {
	m := &runMeta{Format: stateFormat, File: filepath.Base(g.assign.File), Data: string(in.assignData), Digest: g.assign.digest(in.assignData),
		PackVersion: g.pack.Version, Header: in.roster.Header, Roster: len(in.roster.Students), Students: students,
		Shard: g.req.Shard, Shards: g.req.Shards, Kinds: g.kinds, Rules: map[string]string{}, Template: g.template}
	for id, r := range g.rules {
		m.Rules[id] = r.Message
	}
	return m
}

func (g *grader) header() []string { return g.headerRow }

// writeState starts a state folder with the run's settings.
func writeState(dir string, m *runMeta) error {
	if err := os.MkdirAll(filepath.Join(dir, stateDir, studentsDir), 0o755); err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, stateDir, runFile), m)
}

// writeStudent keeps one student's grade, in a file named by the
// student's place in the roster and id.
func writeStudent(dir string, st *studentState) error {
	name := fmt.Sprintf("%06d-%s.json", st.Index, st.Result.Student)
	return writeJSON(filepath.Join(dir, stateDir, studentsDir, name), st)
}

// studentIndex is the roster index a state file's name says.
func studentIndex(name string) (int, bool) {
	i, _, ok := strings.Cut(name, "-")
	n, err := strconv.Atoi(i)
	return n, ok && err == nil && strings.HasSuffix(name, ".json")
}

func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// shardSet is the states of one grading, from one run's folder or from
// every shard's.
type shardSet struct {
	meta *runMeta
	// files are the students' state files, by roster index.
	files map[int]string
}

// readShards reads and checks the state folders of dirs: one grading
// (the same assignment and roster), every shard once (unless own: a
// shard's run makes its outputs from its own state).
func readShards(dirs []string, own bool) (*shardSet, error) {
	set := &shardSet{files: map[int]string{}}
	seen := map[int]string{}
	for _, dir := range dirs {
		var m runMeta
		data, err := os.ReadFile(filepath.Join(dir, stateDir, runFile))
		if err == nil {
			err = json.Unmarshal(data, &m)
		}
		if err != nil || m.Format != stateFormat {
			return nil, hint.Wrap(fmt.Errorf("grade merge: %s holds no pmfolio grade output (%s)", dir, orText(err, "another version's")), "give the --out folders of the shards' runs")
		}
		if set.meta == nil {
			set.meta = &m
		} else if m.Digest != set.meta.Digest || m.Roster != set.meta.Roster || m.Shards != set.meta.Shards || !slices.Equal(m.Header, set.meta.Header) {
			return nil, hint.Wrap(fmt.Errorf("grade merge: %s is a shard of another grading (assignment, roster or number of shards differ)", dir), "merge the shards of one run of the matrix")
		}
		if other, dup := seen[m.Shard]; dup {
			return nil, hint.Wrap(fmt.Errorf("grade merge: %s and %s are both shard %d/%d", other, dir, m.Shard, m.Shards), "give each shard's folder once")
		}
		seen[m.Shard] = dir
		entries, err := os.ReadDir(filepath.Join(dir, stateDir, studentsDir))
		if err != nil {
			return nil, fmt.Errorf("grade merge: %w", err)
		}
		for _, e := range entries {
			if i, ok := studentIndex(e.Name()); ok {
				set.files[i] = filepath.Join(dir, stateDir, studentsDir, e.Name())
			}
		}
	}
	m := set.meta
	if own {
		return set, nil
	}
	if m.Shards == 0 && len(dirs) > 1 {
		return nil, hint.Wrap(errors.New("grade merge: these are whole runs, not shards"), "grade with --shard I/N, then merge the N folders")
	}
	for i := 1; i <= m.Shards; i++ {
		if _, ok := seen[i]; !ok {
			return nil, hint.Wrap(fmt.Errorf("grade merge: shard %d/%d is missing", i, m.Shards), "give the folders of all %d shards", m.Shards)
		}
	}
	if len(set.files) != m.Roster && m.Shards > 0 {
		return nil, fmt.Errorf("grade merge: the shards hold %d students of the roster's %d", len(set.files), m.Roster)
	}
	return set, nil
}

func orText(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// readState reads one student's state.
func readState(path string) (*studentState, error) {
	var st studentState
	if err := readJSON(path, &st); err != nil {
		return nil, err
	}
	if st.Result == nil {
		return nil, fmt.Errorf("%s: not a student's grade", path)
	}
	st.Result.index, st.Result.row = st.Index, st.Row
	return &st, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
