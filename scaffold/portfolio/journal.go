package portfolio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/gofrs/flock"
	"github.com/pmfolio/pmfolio/scaffold/crash"
)

// Change is one writing operation: files written into the portfolio and,
// unless Commit is nil, committed.
type Change struct {
	// What names the operation in messages, e.g. "new story".
	What  string
	Files []File
	// Replace lists the files that may overwrite an existing file.
	Replace map[string]bool
	// Remove lists files the change removes (a document moved to another
	// path leaves its old one), from the work tree and, with Commit, from
	// the branch.
	Remove []string
	// Read holds what the caller read, under the transaction's lock, of
	// files the change writes: their content now, by path. Apply reads the
	// others itself; a command that changes thousands of files has read
	// most of them already.
	Read map[string][]byte
	// Commit, when set, commits Files.
	Commit *CommitInfo
	// Draft is the interview draft the operation finishes: it is removed
	// once the operation is complete, never before.
	Draft string
}

// CommitInfo is what Apply needs to commit a change.
type CommitInfo struct {
	Repo    *Repo    `json:"-"`
	Message string   `json:"message"`
	Author  Identity `json:"author"`
	// Committer, when complete, records the commit; else Author does.
	Committer Identity  `json:"committer"`
	When      time.Time `json:"when"`
}

// CommitError says the files were written but could not be committed.
type CommitError struct{ Err error }

func (e *CommitError) Error() string { return e.Err.Error() }
func (e *CommitError) Unwrap() error { return e.Err }

// journal is the redo log of one operation, written before the first file
// and emptied after the last step. It holds everything needed to finish
// the operation after a crash: each file's new content and, for a file it
// replaces, the old content.
type journal struct {
	What    string          `json:"what"`
	Dir     string          `json:"dir"`
	Files   []journalFile   `json:"files"`
	Replace map[string]bool `json:"replace,omitempty"`
	Commit  *CommitInfo     `json:"commit,omitempty"`
	Draft   string          `json:"draft,omitempty"`
	// Remove are the files the operation removes (Was: what they held).
	Remove []journalFile `json:"remove,omitempty"`
}

type journalFile struct {
	Path string `json:"path"`
	// Data and Staged follow the journal's JSON as bytes (their sizes in
	// it); journals of earlier versions hold them in the JSON.
	Data       []byte `json:"data,omitempty"`
	Staged     []byte `json:"staged,omitempty"`
	Size       int    `json:"size,omitempty"`
	StagedSize int    `json:"staged_size,omitempty"`
	Existed    bool   `json:"existed,omitempty"`
	// Was is the git blob id of the content the file replaces: enough to
	// tell, after a crash, whether the file is still as it was. Journals of
	// earlier versions hold the content itself, Before.
	Was    string `json:"was,omitempty"`
	Before []byte `json:"before,omitempty"`
}

// unchanged reports whether cur is the content jf's file had before.
func (jf journalFile) unchanged(cur []byte) bool {
	if jf.Before != nil || jf.Was == "" {
		return string(cur) == string(jf.Before)
	}
	return sameBlob(plumbing.NewHash(jf.Was), cur)
}

func (jf journalFile) file() File { return File{Path: jf.Path, Data: jf.Data, Staged: jf.Staged} }

func (j *journal) files() []File {
	out := make([]File, len(j.Files))
	for i, jf := range j.Files {
		out[i] = jf.file()
	}
	return out
}

func (j *journal) removed() []string {
	out := make([]string, len(j.Remove))
	for i, jf := range j.Remove {
		out[i] = jf.Path
	}
	return out
}

// Tx is the one way to change a portfolio: every file pmfolio writes into
// it (documents, answers files, pmfolio.yaml, the README index) and every
// commit goes through Apply, under the lock, after the journal. Begin
// takes the lock and finishes whatever a crash interrupted; Close gives the
// lock back. A command that writes keeps one Tx for as long as it reads
// what it is about to write.
type Tx struct {
	st  *State
	fl  *flock.Flock
	rec *Recovery
}

// Begin takes the write lock of the portfolio (or portfolio-to-be) st
// belongs to, waiting up to wait for another pmfolio (ctx ends the wait
// early), then finishes the operation a crash interrupted, if any (see
// Recovered). It fails with a *BusyError when another pmfolio keeps the
// lock, and with a *RecoverError, the lock released, when the interrupted
// operation cannot be finished.
func (s *State) Begin(ctx context.Context, wait time.Duration) (*Tx, error) {
	fl, err := s.lock(ctx, wait)
	if err != nil {
		return nil, err
	}
	tx := &Tx{st: s, fl: fl}
	rec, err := tx.recover()
	if err != nil {
		tx.Close()
		return nil, &RecoverError{Err: err}
	}
	tx.rec = rec
	return tx, nil
}

// RecoverError says Begin could not finish an interrupted operation.
type RecoverError struct{ Err error }

func (e *RecoverError) Error() string {
	return fmt.Sprintf("could not finish an interrupted operation: %v", e.Err)
}
func (e *RecoverError) Unwrap() error { return e.Err }

// Recovered is what Begin did to finish an interrupted operation; nil when
// there was none.
func (tx *Tx) Recovered() *Recovery { return tx.rec }

// Close releases the lock. The pid stays in the lock file; it means
// nothing once no process holds the flock. A nil Tx closes fine.
func (tx *Tx) Close() {
	if tx != nil && tx.fl != nil {
		_ = tx.fl.Unlock()
		_ = tx.fl.Close()
		tx.fl = nil
	}
}

// Apply carries out ch in p under the lock: journal, files, commit, draft.
// A failed write is undone; a crash at any point is finished by the next
// Begin. Interrupt signals are held back meanwhile, so that Ctrl-C at the
// wrong millisecond cannot stop it halfway either.
func (tx *Tx) Apply(p *Portfolio, ch Change) error {
	if tx.fl == nil {
		return errors.New("the transaction is closed")
	}
	j := &journal{What: ch.What, Dir: p.Dir, Replace: ch.Replace, Commit: ch.Commit, Draft: ch.Draft}
	durable := map[string]bool{}
	// What the change replaces, to put back if a write fails; the journal
	// holds only its id.
	befores := map[string][]byte{}
	read := p.root.ReadFile
	if len(ch.Files) > batchFiles {
		// Thousands of files: each folder opened once (see Reader).
		rd := p.NewReader()
		defer rd.Close()
		read = rd.ReadFile
	}
	known := func(rel string) ([]byte, error) {
		if data, ok := ch.Read[rel]; ok {
			return data, nil
		}
		return read(rel)
	}
	if ch.Commit != nil && len(ch.Files)+len(ch.Remove) < packObjects {
		// The big blobs (the README of a big portfolio) are hashed and
		// written on the other core while the journal and files are; a
		// commit of many files packs its objects instead.
		for _, f := range ch.Files {
			ch.Commit.Repo.writeEarly(plumbing.BlobObject, f.committed(), f.read)
		}
		defer ch.Commit.Repo.waitEarly()
	}
	existed := make(map[string]bool, len(ch.Files))
	committed := p.committedIn(ch.Commit)
	for _, f := range ch.Files {
		jf := journalFile{Path: f.Path, Data: f.Data, Staged: f.Staged}
		var before []byte
		var id plumbing.Hash
		var err error
		switch r := f.read; {
		case r != nil && r.exists:
			if before, id = r.data, r.id; id.IsZero() {
				id = blobID(before)
			}
		case r != nil:
			err = fs.ErrNotExist
		default:
			if before, err = known(f.Path); err == nil {
				id = blobID(before)
			}
		}
		switch {
		case err == nil:
			jf.Existed, jf.Was = true, id.String()
			befores[f.Path] = before
			// Replacing text that git does not have (the owner's edits of
			// the README): the new file, which keeps them, must be on disk
			// before the old one is gone, power cut or not.
			durable[f.Path] = !committed(f.Path, id)
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("read %s: %w", f.Path, err)
		}
		existed[f.Path] = jf.Existed
		j.Files = append(j.Files, jf)
	}
	for _, rel := range ch.Remove {
		before, err := p.root.ReadFile(rel)
		switch {
		case err == nil:
			j.Remove = append(j.Remove, journalFile{Path: rel, Existed: true, Was: blobID(before).String()})
			befores[rel] = before
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("read %s: %w", rel, err)
		}
	}
	held := make(chan os.Signal, 1)
	signal.Notify(held, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(held)

	if err := tx.st.writeJournal(j); err != nil {
		return err
	}
	crash.At("journal-written")
	if err := p.writeKnown(ch.Files, ch.Replace, durable, existed); err != nil {
		// write removed what it created; put back what it replaced.
		j.undo(p.root, befores)
		tx.st.removeJournal()
		return err
	}
	if err := p.remove(j.removed()); err != nil {
		j.undo(p.root, befores)
		tx.st.removeJournal()
		return err
	}
	crash.At("files-written")
	if ch.Commit != nil {
		if _, err := ch.Commit.Repo.commit(ch.Files, j.removed(), ch.Commit); err != nil {
			// The files are complete on disk; the message says so.
			tx.st.removeJournal()
			return &CommitError{Err: err}
		}
	}
	tx.st.finish(j)
	return nil
}

// committedIn returns a test of whether HEAD has the blob id at rel: what
// a change replaces there can be had back from git. HEAD is read once, for
// every file of the change. Without a repository (or commit), nothing is.
func (p *Portfolio) committedIn(c *CommitInfo) func(rel string, id plumbing.Hash) bool {
	var repo *Repo
	if c != nil {
		repo = c.Repo
	} else if r, err := p.Repo(); err == nil {
		repo = r
	}
	no := func(string, plumbing.Hash) bool { return false }
	if repo == nil {
		return no
	}
	in, err := repo.headBlobs()
	if err != nil {
		return no
	}
	return func(rel string, id plumbing.Hash) bool {
		h, ok, err := in(rel)
		return err == nil && ok && h == id
	}
}

// finish removes the draft, then empties the journal: the operation is
// complete. The draft was the only copy of what the person typed: the
// files written from it are made durable first.
func (s *State) finish(j *journal) {
	if j.Draft != "" {
		syncWritten(j.Dir, j.Files)
		_ = os.Remove(j.Draft)
	}
	crash.At("done")
	s.removeJournal()
}

// syncWritten fsyncs files inside dir and their folders.
func syncWritten(dir string, files []journalFile) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return
	}
	defer root.Close()
	folders := map[string]bool{}
	for _, f := range files {
		if fh, err := root.Open(f.Path); err == nil {
			_ = syncFile(fh)
		}
		folders[path.Dir(f.Path)] = true
	}
	for d := range folders {
		_ = syncDir(root, d)
	}
}

// A journal is a header line, "pmfolio-journal JSON DATA CRC", then the
// operation as JSON (JSON bytes) and the new content of its files as
// they are (DATA bytes): a README of hundreds of kilobytes is copied, not
// encoded. The lengths and the CRC-32 of both tell a complete journal from
// one a crash cut short while it was being written, before any file of its
// operation was touched.
const journalMagic = "pmfolio-journal"

// writeJournalTo writes j to f from offset 0 and returns its length.
func writeJournalTo(f *os.File, j *journal) (int64, error) {
	meta := *j
	meta.Files = make([]journalFile, len(j.Files))
	var blobs [][]byte
	crc := uint32(0)
	size := 0
	for i, jf := range j.Files {
		jf.Size, jf.StagedSize = len(jf.Data), len(jf.Staged)
		blobs = append(blobs, jf.Data, jf.Staged)
		size += len(jf.Data) + len(jf.Staged)
		jf.Data, jf.Staged = nil, nil
		meta.Files[i] = jf
	}
	js, err := json.Marshal(&meta)
	if err != nil {
		return 0, err
	}
	crc = crc32.Update(crc, crc32.IEEETable, js)
	for _, b := range blobs {
		crc = crc32.Update(crc, crc32.IEEETable, b)
	}
	header := fmt.Appendf(nil, "%s %d %d %08x\n", journalMagic, len(js), size, crc)
	off := int64(0)
	for _, b := range append([][]byte{header, js}, blobs...) {
		n, err := f.WriteAt(b, off)
		if err != nil {
			return 0, err
		}
		off += int64(n)
	}
	return off, nil
}

// errIncomplete says a journal was cut short while being written: its
// operation never began.
var errIncomplete = errors.New("the journal was cut short")

// decodeJournal reads what writeJournalTo wrote, or a journal of the JSON
// alone (written by an earlier pmfolio).
func decodeJournal(data []byte) (*journal, error) {
	magic := []byte(journalMagic + " ")
	if !bytes.HasPrefix(data, magic) && !bytes.HasPrefix(magic, data) {
		j := &journal{}
		if err := json.Unmarshal(data, j); err != nil {
			return nil, err
		}
		return j, nil
	}
	header, rest, ok := bytes.Cut(data, []byte("\n"))
	var jsonLen, dataLen int
	var sum string
	if !ok {
		return nil, errIncomplete
	}
	if _, err := fmt.Sscanf(string(header), journalMagic+" %d %d %s", &jsonLen, &dataLen, &sum); err != nil ||
		jsonLen < 0 || dataLen < 0 || jsonLen+dataLen > len(rest) {
		return nil, errIncomplete
	}
	rest = rest[:jsonLen+dataLen]
	if fmt.Sprintf("%08x", crc32.ChecksumIEEE(rest)) != sum {
		return nil, errIncomplete
	}
	j := &journal{}
	if err := json.Unmarshal(rest[:jsonLen], j); err != nil {
		return nil, err
	}
	blob := rest[jsonLen:]
	take := func(n int) ([]byte, error) {
		if n < 0 || n > len(blob) {
			return nil, errors.New("its files' sizes exceed it")
		}
		b := blob[:n:n]
		blob = blob[n:]
		return b, nil
	}
	for i := range j.Files {
		jf := &j.Files[i]
		var err error
		if jf.Data, err = take(jf.Size); err != nil {
			return nil, err
		}
		if jf.Staged, err = take(jf.StagedSize); err != nil {
			return nil, err
		}
		if jf.StagedSize == 0 {
			jf.Staged = nil
		}
		jf.Size, jf.StagedSize = 0, 0
	}
	return j, nil
}

// writeJournal writes the journal in place: the file stays from one
// operation to the next (emptied in between), so that journaling costs
// no file creation. It is not fsynced: like git's own writes, it is meant
// for a process that dies, which leaves the page cache intact.
func (s *State) writeJournal(j *journal) error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(s.journalPath(), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("write the journal: %w", err)
	}
	defer f.Close()
	// A longer journal of an earlier operation may be cut at any point:
	// the header says where this one ends.
	n, err := writeJournalTo(f, j)
	if err != nil {
		return fmt.Errorf("write the journal: %w", err)
	}
	if err := f.Truncate(n); err != nil {
		return fmt.Errorf("write the journal: %w", err)
	}
	return nil
}

// removeJournal empties the journal: no operation is in progress.
func (s *State) removeJournal() { _ = os.Truncate(s.journalPath(), 0) }

// undo puts back, after a failed write, the files this journal replaced,
// where they still hold the new content, and the files it removed.
func (j *journal) undo(root *os.Root, befores map[string][]byte) {
	for _, jf := range j.Files {
		cur, err := root.ReadFile(jf.Path)
		if err != nil || string(cur) != string(jf.Data) {
			continue
		}
		if jf.Existed {
			_ = writeAtomic(root, jf.Path, befores[jf.Path], true, 0, true)
		} else {
			_ = root.Remove(jf.Path)
		}
	}
	for _, jf := range j.Remove {
		if _, err := root.Lstat(jf.Path); errors.Is(err, fs.ErrNotExist) {
			_ = writeAtomic(root, jf.Path, befores[jf.Path], false, 0, true)
		}
	}
}

// Interrupted describes an operation a crash left unfinished.
type Interrupted struct {
	What  string
	Paths []string
	Since time.Time
}

// Interrupted reports the operation a crash left unfinished, nil if none.
// It reads the journal without the lock: for messages and doctor only.
func (s *State) Interrupted() (*Interrupted, error) {
	j, fi, err := s.readJournal()
	if err != nil || j == nil {
		return nil, err
	}
	in := &Interrupted{What: j.What, Since: fi.ModTime()}
	for _, f := range j.Files {
		in.Paths = append(in.Paths, f.Path)
	}
	in.Paths = append(in.Paths, j.removed()...)
	return in, nil
}

// JournalError says the journal cannot be read.
type JournalError struct {
	Path string
	Err  error
}

func (e *JournalError) Error() string {
	return fmt.Sprintf("the journal of an interrupted operation, %s, cannot be read: %v", e.Path, e.Err)
}

// readJournal reads the journal of the operation in progress: nil when
// there is none (no journal, an empty one, or one a crash cut short while
// it was written, before its operation touched anything).
func (s *State) readJournal() (*journal, fs.FileInfo, error) {
	data, err := os.ReadFile(s.journalPath())
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(data) == 0 {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, &JournalError{Path: s.journalPath(), Err: err}
	}
	fi, err := os.Stat(s.journalPath())
	if err != nil {
		return nil, nil, &JournalError{Path: s.journalPath(), Err: err}
	}
	j, err := decodeJournal(data)
	if errors.Is(err, errIncomplete) {
		return nil, nil, nil
	}
	if err == nil && j.Dir == "" {
		err = errors.New("it names no portfolio")
	}
	if err != nil {
		return nil, nil, &JournalError{Path: s.journalPath(), Err: err}
	}
	for _, f := range append(j.Files[:len(j.Files):len(j.Files)], j.Remove...) {
		if !fs.ValidPath(f.Path) {
			return nil, nil, &JournalError{Path: s.journalPath(), Err: fmt.Errorf("bad path %q", f.Path)}
		}
	}
	return j, fi, nil
}

// Recovery is what Recover did.
type Recovery struct {
	What string
	// Completed is true when the operation was finished; false when files
	// changed since the crash made finishing it unsafe, and they were left
	// as they are.
	Completed bool
	Paths     []string
	// Changed lists the files that changed since the crash.
	Changed []string
}

// recover finishes the operation a crash interrupted, if any: it removes
// the operation's temporary files and leftover git lock files, writes the
// files not yet written, commits them unless HEAD already has them, and
// removes the draft and the journal. Finishing is always possible unless
// someone changed one of the files since the crash; then nothing is
// touched and the journal is dropped, with the files named in Changed.
// The journal being a redo log, Recover can itself crash and run again.
func (tx *Tx) recover() (*Recovery, error) {
	s := tx.st
	j, fi, err := s.readJournal()
	if err != nil {
		var je *JournalError
		if errors.As(err, &je) {
			// Keep it for a person to look at, out of the way.
			_ = os.Rename(s.journalPath(), s.journalPath()+".unreadable")
		}
		return nil, err
	}
	if j == nil {
		return nil, nil
	}
	rec := &Recovery{What: j.What}
	for _, f := range j.Files {
		rec.Paths = append(rec.Paths, f.Path)
	}
	rec.Paths = append(rec.Paths, j.removed()...)
	root, err := os.OpenRoot(j.Dir)
	if err != nil {
		return nil, fmt.Errorf("finish the interrupted %s: %w", j.What, err)
	}
	defer root.Close()
	removeTempFiles(root, j.Files)

	var repo *Repo
	if j.Commit != nil {
		if repo, err = OpenRepo(j.Dir); err != nil {
			return nil, fmt.Errorf("finish the interrupted %s: %w", j.What, err)
		}
		repo.removeStaleLocks(fi.ModTime())
		done, err := repo.hasCommitted(j.files(), j.removed())
		if err != nil {
			return nil, fmt.Errorf("finish the interrupted %s: %w", j.What, err)
		}
		if done {
			rec.Completed = true
			s.finish(j)
			return rec, nil
		}
	}
	var pending []File
	for _, jf := range j.Files {
		cur, err := root.ReadFile(jf.Path)
		exists := err == nil
		switch {
		case exists && string(cur) == string(jf.Data):
		case !exists && !jf.Existed, exists && jf.Existed && jf.unchanged(cur):
			pending = append(pending, jf.file())
		default:
			rec.Changed = append(rec.Changed, jf.Path)
		}
	}
	var gone []string
	for _, jf := range j.Remove {
		cur, err := root.ReadFile(jf.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err == nil && jf.unchanged(cur):
			gone = append(gone, jf.Path)
		default:
			rec.Changed = append(rec.Changed, jf.Path)
		}
	}
	if len(rec.Changed) > 0 {
		s.removeJournal()
		return rec, nil
	}
	for i, f := range pending {
		if err := writeAtomic(root, f.Path, f.Data, true, i+1, true); err != nil {
			return nil, fmt.Errorf("finish the interrupted %s: write %s: %w", j.What, f.Path, err)
		}
	}
	if err := removeFiles(root, gone); err != nil {
		return nil, fmt.Errorf("finish the interrupted %s: %w", j.What, err)
	}
	if repo != nil {
		if _, err := repo.commit(j.files(), j.removed(), j.Commit); err != nil {
			return nil, fmt.Errorf("finish the interrupted %s: %w", j.What, err)
		}
	}
	rec.Completed = true
	s.finish(j)
	return rec, nil
}

// removeTempFiles removes the temporary files of a crashed write: they sit
// beside the files the journal names, so only those folders are read.
func removeTempFiles(root *os.Root, files []journalFile) {
	seen := map[string]bool{}
	for _, f := range files {
		dir := path.Dir(f.Path)
		if seen[dir] {
			continue
		}
		seen[dir] = true
		d, err := root.Open(dir)
		if err != nil {
			continue
		}
		names, _ := d.Readdirnames(-1)
		d.Close()
		for _, n := range names {
			if strings.HasPrefix(n, tmpPrefix) {
				_ = root.Remove(path.Join(dir, n))
			}
		}
	}
}

// hasCommitted reports whether HEAD holds every file with its committed
// content, and none of the removed ones: the interrupted commit landed.
func (r *Repo) hasCommitted(files []File, removed []string) (bool, error) {
	headBlob, err := r.headBlobs()
	if err != nil {
		return false, err
	}
	for _, rel := range removed {
		if _, ok, err := headBlob(rel); err != nil || ok {
			return false, err
		}
	}
	for _, f := range files {
		h, ok, err := headBlob(f.Path)
		if err != nil {
			return false, err
		}
		if !ok || !sameBlob(h, f.committed()) {
			return false, nil
		}
	}
	return true, nil
}

// removeStaleLocks removes git lock files a crashed pmfolio left: the
// index's and the branch's, when they changed after the journal was
// written (so created, or traded names, in the interrupted operation) and
// are still there after a moment (a git command holds them for
// milliseconds).
func (r *Repo) removeStaleLocks(since time.Time) {
	locks := []string{filepath.Join(r.gitDir, "index.lock")}
	if name, _, err := r.head(); err == nil {
		locks = append(locks, filepath.Join(r.gitDir, filepath.FromSlash(string(name))+".lock"))
	}
	for _, lock := range locks {
		for i := 0; i < 25; i++ {
			fi, err := os.Stat(lock)
			// Its change time, not its modification time: a lock that
			// traded names with its target (see replaceWith) holds the
			// target's old content, last modified before the journal.
			if err != nil || time.Unix(0, max(stampOf(fi).Ctime, fi.ModTime().UnixNano())).Before(since.Add(-time.Second)) {
				break
			}
			if i == 24 {
				_ = os.Remove(lock)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// headBlob is the blob HEAD records at rel (portfolio-relative).
func (r *Repo) headBlob(rel string) (plumbing.Hash, bool, error) {
	in, err := r.headBlobs()
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	return in(rel)
}

// headBlobs is headBlob for many files: HEAD is read once (two files
// opened and parsed each time otherwise), and the blobs looked up in the
// commit it names then.
func (r *Repo) headBlobs() (func(rel string) (plumbing.Hash, bool, error), error) {
	_, parent, err := r.head()
	if err != nil {
		return nil, err
	}
	return func(rel string) (plumbing.Hash, bool, error) { return r.blobAt(parent, rel) }, nil
}

// blobAt is the blob the commit parent records at rel; none when parent is
// zero (a branch without commits).
func (r *Repo) blobAt(parent plumbing.Hash, rel string) (plumbing.Hash, bool, error) {
	if parent.IsZero() {
		return plumbing.ZeroHash, false, nil
	}
	r.treeMu.Lock()
	defer r.treeMu.Unlock()
	root, ok := r.commitTree[parent]
	if !ok {
		c, err := r.repo.CommitObject(parent)
		if err != nil {
			return plumbing.ZeroHash, false, fmt.Errorf("read HEAD commit: %w", err)
		}
		root = c.TreeHash
		if r.commitTree == nil {
			r.commitTree = map[plumbing.Hash]plumbing.Hash{}
		}
		r.commitTree[parent] = root
	}
	t, err := r.tree(root)
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("read HEAD tree: %w", err)
	}
	parts := strings.Split(r.repoPath(rel), "/")
	for _, dir := range parts[:len(parts)-1] {
		e, err := t.FindEntry(dir)
		if err != nil || e.Mode != filemode.Dir {
			// Not found, as a folder on the way.
			return plumbing.ZeroHash, false, nil
		}
		if t, err = r.tree(e.Hash); err != nil {
			return plumbing.ZeroHash, false, fmt.Errorf("read HEAD tree: %w", err)
		}
	}
	e, err := t.FindEntry(parts[len(parts)-1])
	if err != nil || !e.Mode.IsFile() {
		return plumbing.ZeroHash, false, nil
	}
	return e.Hash, true, nil
}

// tree returns the tree h, decoded once: a tree never changes, and a
// change of a thousand documents looks up HEAD's version of each (see
// Tx.Apply), in the same few folders. The caller holds treeMu.
func (r *Repo) tree(h plumbing.Hash) (*object.Tree, error) {
	if t, ok := r.trees[h]; ok {
		return t, nil
	}
	t, err := object.GetTree(r.repo.Storer, h)
	if err != nil {
		return nil, err
	}
	if r.trees == nil {
		r.trees = map[plumbing.Hash]*object.Tree{}
	}
	r.trees[h] = t
	return t, nil
}

// HeadFile returns the content HEAD records at rel; ok is false when HEAD
// has no such file (or there is no commit yet).
func (r *Repo) HeadFile(rel string) (data []byte, ok bool, err error) {
	h, ok, err := r.headBlob(rel)
	if err != nil || !ok {
		return nil, false, err
	}
	data, err = r.readBlob(h, math.MaxInt64)
	if err != nil {
		return nil, false, fmt.Errorf("read %s from HEAD: %w", rel, err)
	}
	return data, true, nil
}

// Uncommitted reports whether the work tree's file at rel differs from
// what HEAD records there (or HEAD has no such file): replacing it would
// lose work that git cannot give back. A missing file has nothing to lose.
func (r *Repo) Uncommitted(rel string) (bool, error) {
	data, err := os.ReadFile(filepath.Join(r.top, filepath.FromSlash(r.repoPath(rel))))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	h, ok, err := r.headBlob(rel)
	if err != nil {
		return false, err
	}
	return !ok || !sameBlob(h, data), nil
}
