package grade

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/pmfolio/pmfolio/scaffold/hint"
)

// cohort is what the outputs are made of: the grading's settings, every
// student's result in roster order, and the similarity review.
type cohort struct {
	meta    *runMeta
	assign  *Assignment
	results []*Result
	sim     *SimilarityReport
}

// finalize makes the outputs in out from the states in dirs (out's own,
// for a run; the shards', for a merge): the same states make the same
// files. Only the similarity review reads the documents' texts again,
// and only for the pairs it lists.
func finalize(ctx context.Context, out string, dirs []string) (*Summary, error) {
	set, err := readShards(dirs, len(dirs) == 1 && dirs[0] == out)
	if err != nil {
		return nil, err
	}
	m := set.meta
	a, err := ParseAssignment(m.File, []byte(m.Data))
	if err != nil {
		return nil, hint.Wrap(fmt.Errorf("grade: the assignment kept in the state does not load: %w", err), "grade again")
	}
	c := &cohort{meta: m, assign: a}
	sim := &similarity{opts: a.Similarity, template: m.Template}
	indexes := slices.Sorted(maps.Keys(set.files))
	for _, i := range indexes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := readState(set.files[i])
		if err != nil {
			return nil, err
		}
		c.results = append(c.results, st.Result)
		sim.add(i, st.Result.Student, st.Result.Documents, st.Texts)
	}
	if err := c.review(sim, set); err != nil {
		return nil, err
	}
	if len(dirs) > 1 || dirs[0] != out {
		if err := mergeState(out, set); err != nil {
			return nil, err
		}
	}
	if err := c.write(out); err != nil {
		return nil, err
	}
	sum := &Summary{Students: len(c.results), Pairs: len(c.sim.Pairs)}
	for _, r := range c.results {
		switch r.Status {
		case StatusGraded:
			sum.Graded++
		case StatusLate:
			sum.Late++
		case StatusMissing:
			sum.Missing++
		default:
			sum.Errors++
		}
	}
	return sum, nil
}

// review lists the similar pairs, with their passages read from the two
// students' states.
func (c *cohort) review(sim *similarity, set *shardSet) error {
	a := c.assign
	c.sim = &SimilarityReport{Method: "winnowing (Schleimer, Wilkerson and Aiken, 2003) over each document's words, lower-cased, Markdown marks and punctuation ignored",
		K: winnowK, Window: winnowW, Threshold: a.Similarity.Threshold, MinShared: a.Similarity.MinShared, IgnoreCommon: a.Similarity.IgnoreCommon,
		Note: similarityNote, Pairs: sim.pairs()}
	if c.sim.Pairs == nil {
		c.sim.Pairs = []Pair{}
	}
	byStudent := map[string]int{}
	for i, r := range c.results {
		byStudent[r.Student] = i
	}
	text := func(student, path string) (textNote, error) {
		st, err := readState(set.files[c.results[byStudent[student]].index])
		if err != nil {
			return textNote{}, err
		}
		for _, t := range st.Texts {
			if t.Path == path {
				return t, nil
			}
		}
		return textNote{}, fmt.Errorf("grade: %s's %s is not in the state", student, path)
	}
	for i := range c.sim.Pairs {
		p := &c.sim.Pairs[i]
		ta, err := text(p.A.Student, p.A.Path)
		if err != nil {
			return err
		}
		tb, err := text(p.B.Student, p.B.Path)
		if err != nil {
			return err
		}
		p.Passages = sim.passages(ta, tb)
	}
	return nil
}

// mergeState makes out's state folder the one a single run would have
// written: the students' states copied, the settings of a whole run.
func mergeState(out string, set *shardSet) error {
	m := *set.meta
	m.Shard, m.Shards, m.Students = 0, 0, len(set.files)
	if err := writeState(out, &m); err != nil {
		return err
	}
	for _, p := range set.files {
		if err := copyFile(p, filepath.Join(out, stateDir, studentsDir, filepath.Base(p))); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	o, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}
