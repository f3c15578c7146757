package portfolio

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func testState(t *testing.T) *State {
	t.Helper()
	d := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return &State{Dir: d}
}

// encoded is j as writeJournal writes it.
func encoded(t *testing.T, j *journal) []byte {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := writeJournalTo(f, j); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var sampleJournal = &journal{
	What: "new story",
	Dir:  "/portfolio",
	Files: []journalFile{
		{Path: "story/a.md", Data: []byte("# A\n")},
		{Path: "README.md", Data: []byte("# new\n"), Staged: []byte("# staged\n"), Existed: true, Was: "0123456789012345678901234567890123456789"},
	},
	Replace: map[string]bool{"README.md": true},
}

// TestJournalCutShortMeansNothingBegan writes the journal the way a killed
// process can leave it, at every length: a journal cut short is no
// operation (none of its files was touched yet), a complete one is read
// whole, even over the longer remains of an earlier one.
func TestJournalCutShortMeansNothingBegan(t *testing.T) {
	s := testState(t)
	full := encoded(t, sampleJournal)
	for n := 0; n < len(full); n++ {
		if err := os.WriteFile(s.journalPath(), full[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		j, _, err := s.readJournal()
		if err != nil || j != nil {
			t.Fatalf("journal cut at %d of %d bytes: got %+v, %v; want no operation", n, len(full), j, err)
		}
		if in, err := s.Interrupted(); err != nil || in != nil {
			t.Fatalf("journal cut at %d: Interrupted says %+v, %v", n, in, err)
		}
	}
	for _, data := range [][]byte{full, append(append([]byte{}, full...), `{"what":"an older, longer operation"}`...)} {
		if err := os.WriteFile(s.journalPath(), data, 0o644); err != nil {
			t.Fatal(err)
		}
		j, _, err := s.readJournal()
		if err != nil || !reflect.DeepEqual(j, sampleJournal) {
			t.Fatalf("complete journal: got %+v, %v", j, err)
		}
	}
}

// TestJournalWrittenInPlace checks that the journal is one file, written
// over and emptied, never removed: journaling creates no file after the
// first operation.
func TestJournalWrittenInPlace(t *testing.T) {
	s := testState(t)
	if err := s.writeJournal(&journal{What: "long", Dir: "/p", Files: []journalFile{{Path: "a.md", Data: make([]byte, 5000)}}}); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(s.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	s.removeJournal()
	if j, _, err := s.readJournal(); j != nil || err != nil {
		t.Fatalf("emptied journal reads as %+v, %v", j, err)
	}
	if err := s.writeJournal(sampleJournal); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(s.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("the journal file was replaced, not written in place")
	}
	if j, _, err := s.readJournal(); err != nil || !reflect.DeepEqual(j, sampleJournal) {
		t.Fatalf("got %+v, %v", j, err)
	}
}

// TestJournalOfEarlierVersion reads a journal an earlier pmfolio wrote:
// its JSON alone.
func TestJournalOfEarlierVersion(t *testing.T) {
	s := testState(t)
	data, err := json.Marshal(sampleJournal)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.journalPath(), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if j, _, err := s.readJournal(); err != nil || !reflect.DeepEqual(j, sampleJournal) {
		t.Fatalf("got %+v, %v", j, err)
	}
	if err := os.WriteFile(s.journalPath(), data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	var je *JournalError
	if _, _, err := s.readJournal(); !errors.As(err, &je) {
		t.Fatalf("a broken journal of an earlier pmfolio: got %v, want a JournalError", err)
	}
}
