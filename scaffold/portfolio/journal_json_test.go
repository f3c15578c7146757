package portfolio

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// TestJournalMarshal: the journal's own encoder writes what encoding/json
// writes, byte for byte, so that readJournal reads it back.
func TestJournalMarshal(t *testing.T) {
	t.Parallel()
	for _, j := range []*journal{
		{What: "new story", Dir: "/tmp/port", Files: []journalFile{{Path: "story/a \"b\".md", Data: []byte("hello\n")}}},
		{What: "edit", Dir: "/p", Replace: map[string]bool{"a.md": true}, Draft: "/d/x.yaml",
			Commit: &CommitInfo{Message: "prd: revise \"X\"\n", Author: Identity{"Ada", "ada@example.com"}, When: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
			Files:  []journalFile{{Path: "a.md", Data: []byte{}, Staged: []byte("s"), Existed: true, Before: []byte("old\x00\xff")}, {Path: "b.md", Data: nil}},
			Remove: []journalFile{{Path: "c.md", Existed: true, Before: []byte("gone")}}},
		{What: "empty", Dir: "/p"},
	} {
		want, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		got, err := j.marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("marshal:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}
