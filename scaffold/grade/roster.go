package grade

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/yamlfile"
)

// Roster is the cohort: a CSV file with a header, one student a row.
type Roster struct {
	// Header is the roster's columns as written, in order: student,
	// name and repo, maybe section and email, and any others, which the
	// outputs keep.
	Header   []string
	Students []Student
}

// Student is one row of the roster.
type Student struct {
	ID, Name, Repo string
	Section, Email string
	// Row is the row's values, in Header's order.
	Row []string
	// Line is the row's line in the roster; Index its place among the
	// students, which orders every output.
	Line, Index int
}

// Columns of the roster pmfolio reads; others are kept as they are.
const (
	colStudent = "student"
	colName    = "name"
	colRepo    = "repo"
	colSection = "section"
	colEmail   = "email"
)

var studentIDRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,99}$`) })

// ParseRoster reads a roster: every problem in one run, each at its line,
// as an *Errors.
func ParseRoster(file string, data []byte) (*Roster, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // spreadsheets' byte order mark
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var errs []*yamlfile.Error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, yamlfile.Errorf(file, line, format, args...))
	}
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Errors{Errs: []*yamlfile.Error{yamlfile.Errorf(file, 0, "the roster is empty: its first line names the columns, e.g. student,name,repo,section,email")}}
	}
	if err != nil {
		return nil, &Errors{Errs: []*yamlfile.Error{csvError(file, err)}}
	}
	col := map[string]int{}
	ro := &Roster{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		ro.Header = append(ro.Header, h)
		key := strings.ToLower(h)
		if _, dup := col[key]; dup {
			bad(1, "column %q is named twice", h)
		}
		col[key] = i
	}
	for _, need := range []string{colStudent, colName, colRepo} {
		if _, ok := col[need]; !ok {
			bad(1, "the header has no %q column (columns: %s); the roster needs student, name and repo", need, strings.Join(ro.Header, ", "))
		}
	}
	if len(errs) > 0 {
		return nil, &Errors{Errs: errs}
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	ids := map[string]int{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, csvError(file, err))
			break
		}
		line, _ := r.FieldPos(0)
		if len(row) != len(header) {
			bad(line, "%d values for %d columns", len(row), len(header))
			continue
		}
		s := Student{ID: get(row, colStudent), Name: get(row, colName), Repo: get(row, colRepo),
			Section: get(row, colSection), Email: get(row, colEmail), Row: row, Line: line, Index: len(ro.Students)}
		switch {
		case s.ID == "":
			bad(line, "no student id")
		case !studentIDRE().MatchString(s.ID):
			bad(line, "student id %q: letters, digits and . _ @ + - only, not starting with a dot (it names the student's results file)", s.ID)
		default:
			if first, dup := ids[strings.ToLower(s.ID)]; dup {
				bad(line, "student %q is already on line %d", s.ID, first)
			}
			ids[strings.ToLower(s.ID)] = line
		}
		if s.Repo == "" {
			bad(line, "student %q: no repo (a git URL, https or ssh, or a local path)", s.ID)
		} else if isRemote(s.Repo) {
			if err := gitfetch.CheckURL(s.Repo, false); err != nil {
				bad(line, "student %q: repo %v", s.ID, err)
			}
		}
		ro.Students = append(ro.Students, s)
	}
	if len(errs) > 0 {
		return nil, &Errors{Errs: errs}
	}
	if len(ro.Students) == 0 {
		return nil, &Errors{Errs: []*yamlfile.Error{yamlfile.Errorf(file, 1, "the roster lists no student under its header")}}
	}
	return ro, nil
}

// csvError places a CSV syntax error at its line.
func csvError(file string, err error) *yamlfile.Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return yamlfile.Errorf(file, pe.Line, "%v", pe.Err)
	}
	return yamlfile.Errorf(file, 0, "%v", err)
}

// isRemote tells a git URL (https://, ssh://, user@host:path, and the
// schemes pmfolio refuses) from a local path.
func isRemote(repo string) bool {
	if strings.Contains(repo, "://") && !strings.HasPrefix(repo, "file://") {
		return true
	}
	if strings.Contains(repo, "::") {
		return true // a remote helper, which CheckURL refuses
	}
	// scp-like: user@host:path, with no slash before the colon.
	if i := strings.IndexByte(repo, ':'); i > 0 && !strings.ContainsAny(repo[:i], `/\`) && strings.Contains(repo[:i], "@") {
		return true
	}
	return false
}

// localPath is a local repo's path, relative ones relative to the
// roster's folder.
func localPath(repo, rosterDir string) string {
	repo = strings.TrimPrefix(repo, "file://")
	if !filepath.IsAbs(repo) {
		repo = filepath.Join(rosterDir, filepath.FromSlash(repo))
	}
	return filepath.Clean(repo)
}

// Display is the student as the report names them.
func (s *Student) Display() string {
	if s.Name == "" {
		return s.ID
	}
	return fmt.Sprintf("%s (%s)", s.Name, s.ID)
}
