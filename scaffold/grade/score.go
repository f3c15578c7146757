package grade

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/check"
	"github.com/pmfolio/pmfolio/scaffold/doc"
	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/portfolio"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// scored is one commit of a student's repository, graded.
type scored struct {
	commit   *CommitInfo
	criteria []Score
	docs     []DocResult
	missing  []Shortfall
	notes    []string
	texts    []textNote
	total    float64
	penalty  float64
}

// maxDocSize bounds a document read from a commit, as check bounds one
// read from disk.
const maxDocSize = 4 << 20

// errNotPortfolio says a commit holds no pmfolio.yaml.
var errNotPortfolio = errors.New("not a pmfolio portfolio: no pmfolio.yaml in the repository (at the graded commit)")

// score checks the documents of one commit, read from the repository's
// objects (no work tree), with the course's pack and rules only: no
// directive in a document and no check: setting of the student's
// pmfolio.yaml turns a rule off. Then it scores the rubric.
func (g *grader) score(repo *gitfetch.Repo, hash string) (*scored, error) {
	tree, err := repo.Tree(hash)
	if err != nil {
		return nil, err
	}
	root, err := portfolioRoot(tree)
	if err != nil {
		return nil, err
	}
	sc := &scored{}
	track := doc.TrackCore
	if data, err := tree.Read(path.Join(root, portfolio.ConfigFile), yamlfile.MaxSize); err == nil {
		if cfg, err := portfolio.ParseConfig(portfolio.ConfigFile, data); err == nil {
			track = cfg.Track
		} else {
			sc.notes = append(sc.notes, fmt.Sprintf("its %s does not load (%v); graded on the core track", portfolio.ConfigFile, err))
		}
	}
	rel := func(p string) string { return path.Join(root, p) }
	var mu sync.Mutex
	read := map[string][]byte{}
	c := g.checker.Fork(func(p string) ([]byte, error) {
		data, err := tree.Read(rel(p), maxDocSize)
		if err != nil {
			return nil, fs.ErrNotExist
		}
		mu.Lock()
		read[p] = data
		mu.Unlock()
		return data, nil
	}, func(p string) bool { return tree.Exists(rel(p)) }, track)
	files, err := tree.Files(root)
	if err != nil {
		return nil, err
	}
	var inputs []check.Input
	for _, f := range files {
		if p := strings.TrimPrefix(f, root+"/"); root == "" || p != f {
			if root == "" {
				p = f
			}
			if strings.HasSuffix(strings.ToLower(p), ".md") {
				inputs = append(inputs, check.Input{Path: p})
			}
		}
	}
	rep, err := c.Run(check.Inputs(inputs), false)
	if err != nil {
		return nil, err
	}
	g.rubric(sc, rep, root, tree, read)
	return sc, nil
}

// portfolioRoot is the folder of the tree holding pmfolio.yaml: the top,
// else the shallowest folder that has one (a portfolio inside a course's
// repository).
func portfolioRoot(t *gitfetch.Tree) (string, error) {
	files, err := t.Files("")
	if err != nil {
		return "", err
	}
	best, depth := "", -1
	for _, f := range files {
		if path.Base(f) != portfolio.ConfigFile {
			continue
		}
		d := strings.Count(f, "/")
		if d <= 3 && (depth < 0 || d < depth) {
			best, depth = path.Dir(f), d
		}
	}
	if depth < 0 {
		return "", errNotPortfolio
	}
	if best == "." {
		best = ""
	}
	return best, nil
}

// rubric takes, per covered kind, the best documents up to the count the
// assignment asks (by score, then path), and scores each criterion: its
// share of credit on each kind it applies to (a missing document earns
// nothing), weighted by the kinds' weights.
func (g *grader) rubric(sc *scored, rep *check.Report, root string, tree *gitfetch.Tree, read map[string][]byte) {
	a := g.assign
	byKind := map[string][]*check.Document{}
	for i := range rep.Documents {
		d := &rep.Documents[i]
		if a.required(d.Kind) != nil {
			byKind[d.Kind] = append(byKind[d.Kind], d)
		}
	}
	taken := map[string][]*check.Document{}
	for _, req := range a.Documents {
		ds := byKind[req.Kind]
		sort.SliceStable(ds, func(i, j int) bool {
			if ds[i].Score != ds[j].Score {
				return ds[i].Score > ds[j].Score
			}
			return ds[i].Path < ds[j].Path
		})
		if len(ds) > req.Count {
			ds = ds[:req.Count]
		}
		if len(ds) < req.Count {
			sc.missing = append(sc.missing, Shortfall{Kind: req.Kind, Have: len(ds), Want: req.Count})
		}
		taken[req.Kind] = ds
		for _, d := range ds {
			full := path.Join(root, d.Path)
			dr := DocResult{Path: full, Kind: d.Kind, Title: d.Title, Score: d.Score, Findings: []FindingNote{}}
			for _, f := range d.Findings {
				dr.Findings = append(dr.Findings, FindingNote{Rule: f.Rule, Severity: f.Severity.String(), Line: f.Line, Message: f.Message})
			}
			for _, c := range a.Rubric {
				if c.Manual || !slices.Contains(g.kinds[c.ID], d.Kind) {
					continue
				}
				if dr.Credit == nil {
					dr.Credit = map[string]Points{}
				}
				dr.Credit[c.ID] = Points(round2(g.docCredit(&c, d)))
				for _, id := range c.allRules() {
					if slices.Contains(d.Starved, id) && !slices.Contains(dr.Unjudged, id) {
						dr.Unjudged = append(dr.Unjudged, id)
					}
				}
			}
			sc.docs = append(sc.docs, dr)
			if data, ok := read[d.Path]; ok {
				body, line := bodyOf(data)
				sc.texts = append(sc.texts, textNote{Path: full, Line: line, Text: body})
			}
		}
	}
	for _, c := range a.Rubric {
		s := Score{ID: c.ID, Max: Points(c.Points), Manual: c.Manual}
		if !c.Manual {
			earned := c.Points * g.credit(&c, taken)
			s.Points = pts(earned)
			sc.total += round2(earned)
		}
		sc.criteria = append(sc.criteria, s)
	}
}

// credit is the share of a criterion's points earned: per kind it
// applies to, the mean credit of the documents the assignment asks for
// (missing ones earn 0), weighted by the kinds' weights.
func (g *grader) credit(c *Criterion, taken map[string][]*check.Document) float64 {
	sum, weights := 0.0, 0.0
	for _, k := range g.kinds[c.ID] {
		req := g.assign.required(k)
		got := 0.0
		for _, d := range taken[k] {
			got += g.docCredit(c, d)
		}
		sum += req.Weight * got / float64(req.Count)
		weights += req.Weight
	}
	if weights == 0 {
		return 0
	}
	return sum / weights
}

// docCredit is what one document earns of a criterion, from 0 to 1: for
// rules, the share of them that judged the document and found nothing (a
// rule whose section is missing or empty judged nothing, and earns
// nothing).
func (g *grader) docCredit(c *Criterion, d *check.Document) float64 {
	switch {
	case len(c.allRules()) > 0:
		n, pass := 0, 0
		for _, id := range c.allRules() {
			r := g.rules[id]
			if r == nil || (r.Kind != "" && r.Kind != d.Kind) || !slices.Contains(d.Rules, id) {
				continue // the rule does not run on this document
			}
			n++
			if slices.Contains(d.Starved, id) {
				continue // it found nothing to judge: the section is missing or empty
			}
			if !slices.ContainsFunc(d.Findings, func(f check.Finding) bool {
				return f.Rule == id && (f.Severity == check.Error || f.Severity == check.Warning)
			}) {
				pass++
			}
		}
		if n == 0 {
			return 1
		}
		return float64(pass) / float64(n)
	case c.Section != "":
		if slices.ContainsFunc(d.Filled, func(h string) bool { return sameHeading(h, c.Section) }) {
			return 1
		}
		return 0
	case c.MinScore != nil:
		if d.Score >= *c.MinScore {
			return 1
		}
		if c.PartialFrom != nil && d.Score > *c.PartialFrom {
			return float64(d.Score-*c.PartialFrom) / float64(*c.MinScore-*c.PartialFrom)
		}
	}
	return 0
}

// bodyOf is a document's Markdown after its front matter, and the line it
// starts on, split as check split it; a document doc cannot split stays
// whole, from line 1.
func bodyOf(data []byte) (string, int) {
	_, body, line, err := doc.SplitFrontMatter(data)
	if err != nil && !errors.Is(err, doc.ErrNoFrontMatter) {
		return string(data), 1
	}
	return string(body), line
}
