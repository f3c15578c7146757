package grade

import (
	"encoding/json"
	"os"
	"time"

	"github.com/pmfolio/pmfolio/scaffold/gitfetch"
	"github.com/pmfolio/pmfolio/scaffold/internal/atomicfile"
)

// Commit dates are set by the student's machine: anyone can commit today
// with last week's date. What pmfolio can vouch for is when it first saw
// a commit, so each repository it grades has a small file in the cache
// recording that, per commit, and when it looked at the repository.

// seenFile is the record of one repository.
type seenFile struct {
	// FirstLook is when pmfolio first looked at the repository; Looks
	// the latest times it did (the last maxLooks).
	FirstLook time.Time            `json:"first_look"`
	Looks     []time.Time          `json:"looks"`
	Commits   map[string]time.Time `json:"commits"`
}

const maxLooks = 64

// readSeen reads the record at path; a missing or damaged one is a new
// record (the worst it costs is trusting dates it could have checked).
func readSeen(path string) *seenFile {
	s := &seenFile{Commits: map[string]time.Time{}}
	if data, err := os.ReadFile(path); err == nil {
		var got seenFile
		if json.Unmarshal(data, &got) == nil && got.Commits != nil {
			s = &got
		}
	}
	return s
}

// look records a look at the repository now, and now as the first sight
// of each of commits not seen before.
func (s *seenFile) look(now time.Time, commits []gitfetch.Commit) {
	now = now.UTC().Truncate(time.Second)
	if s.FirstLook.IsZero() {
		s.FirstLook = now
	}
	s.Looks = append(s.Looks, now)
	if len(s.Looks) > maxLooks {
		s.Looks = s.Looks[len(s.Looks)-maxLooks:]
	}
	for _, c := range commits {
		if _, ok := s.Commits[c.Hash]; !ok {
			s.Commits[c.Hash] = now
		}
	}
}

// write saves the record atomically: a half-written record is never read.
func (s *seenFile) write(path string) error {
	data, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data)
}

// trust judges a commit dated before the deadline: verified when pmfolio
// saw it within the threshold after the deadline; suspicious when it
// first saw it later although it had looked at the repository before;
// trusted, as dated, when pmfolio's first look came too late to tell.
// lastWithout is pmfolio's last look before it saw the commit, when that
// says something.
func (s *seenFile) trust(hash string, due time.Time, threshold time.Duration) (first time.Time, level string, lastWithout time.Time) {
	first = s.Commits[hash]
	limit := due.Add(threshold)
	switch {
	case !first.After(limit):
		return first, TrustVerified, time.Time{}
	case first.Equal(s.FirstLook):
		return first, TrustTrusted, time.Time{}
	}
	for _, l := range s.Looks {
		if l.Before(first) {
			lastWithout = l
		}
	}
	return first, TrustSuspicious, lastWithout
}
