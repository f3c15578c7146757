package portfolio

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"unsafe"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
	"github.com/pjbgf/sha1cd"
)

// A commit writes a few loose objects: a blob per file, a tree per folder
// on the way, the commit. go-git's object writer hashes each object twice
// with its collision-detecting SHA-1 and copies it once more, and goes
// through a temporary file in objects/pack, a rename across folders, a
// stat and a chmod; and rewriting a tree decodes every entry of the folder
// into a struct and encodes them all again. In a portfolio of 10,000
// documents a folder's tree is tens of kilobytes and the README can be
// hundreds: that was most of a commit. So pmfolio writes loose objects
// itself, in git's format (zlib of "TYPE SIZE\0" and the content), the
// way git does (a temporary file in the object's own folder, renamed into
// place), hashed once with the same collision-detecting SHA-1 git uses,
// and edits trees as bytes. go-git reads them, and the tests hold both to
// go-git's codec and to the git CLI.

// Objects are compressed by klauspost/compress's stateless deflate, framed
// as zlib by hand (deflateObject). A compressor with state (zlib.Writer,
// at any level) keeps a hash table of 128 KB or more that it reads before
// it writes, fresh memory in a short-lived process: the kernel maps it to
// its zero page as the table is first read, then copies each page as it
// is first written, and each copy stops the other core to flush its TLB.
// perf counted about 0.4 ms of CPU for each compressor a `new` made in a
// big portfolio (the README and a kind's tree are compressed on
// goroutines of their own, each with its compressor). The stateless
// encoder's hash table is a 16 KB array on the stack, cleared before use,
// and its other buffers (256 KB of tokens, from a pool) are written before
// they are read. It compresses about as fast and about as well, in blocks
// of 32 KB that each see the 8 KB before them: the benchmark's 660 KB
// README to 77 KB against level 1's 88 KB, a synthetic 411 KB one to 94 KB
// against 91 KB.

// objectHeader is what git hashes and stores before an object's content:
// "TYPE SIZE\0".
func objectHeader(t plumbing.ObjectType, size int) []byte {
	b := strconv.AppendInt(append([]byte(t.String()), ' '), int64(size), 10)
	return append(b, 0)
}

// blobID is the id git gives a blob of data, for comparing a file with
// what git holds: no object is made of it, so plain SHA-1 (in hardware)
// does.
func blobID(data []byte) plumbing.Hash {
	s := sha1.New()
	s.Write(objectHeader(plumbing.BlobObject, len(data)))
	s.Write(data)
	var id plumbing.Hash
	copy(id[:], s.Sum(nil))
	return id
}

// sameBlob reports whether data is the content of blob h.
func sameBlob(h plumbing.Hash, data []byte) bool { return blobID(data) == h }

// writeLoose stores data as a loose object of type t, unless the
// repository has it loose already, and returns its id. Like git's, the
// object is not fsynced (core.fsync leaves loose objects out by default):
// the rename makes it whole or absent to a process that dies. During a
// commit (r.bg set), a big object is compressed and written on another
// goroutine while the commit goes on with its id: the README and a kind's
// tree in a big portfolio are hundreds of kilobytes each, and the two
// cores compress them side by side with the tree work. The commit waits
// for them (bgWrites.wait) before anything names them.
func (r *Repo) writeLoose(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	if e := r.earlyBlob(t, data); e != nil {
		<-e.hashed
		if r.bg != nil {
			r.bg.do(e.wait)
			return e.id, nil
		}
		return e.id, e.wait()
	}
	id, header := objectID(t, data)
	name := id.String()
	dir := filepath.Join(r.gitDir, "objects", name[:2])
	final := filepath.Join(dir, name[2:])
	if _, err := os.Lstat(final); err == nil {
		return id, nil
	}
	if r.bg != nil && len(data) >= bgObjectSize {
		r.bg.do(func() error { return writeObjectFile(dir, final, name, header, data) })
		return id, nil
	}
	return id, writeObjectFile(dir, final, name, header, data)
}

// objectID is the id of an object of type t holding data, hashed like
// git's (see writeLoose), and the header hashed with data.
func objectID(t plumbing.ObjectType, data []byte) (plumbing.Hash, []byte) {
	header := objectHeader(t, len(data))
	h := sha1cd.New()
	h.Write(header)
	h.Write(data)
	var id plumbing.Hash
	copy(id[:], h.Sum(nil))
	return id, header
}

// An early write is a big blob's loose object, hashed and written on its
// own goroutine from the moment a change is known to be committed (see
// Tx.Apply), while the journal and the work tree are written: the README
// of a big portfolio is hundreds of kilobytes, and hashing and compressing
// it was two milliseconds of `new` on one core while the other had little
// to do. The commit takes its id (waiting for the hash if need be) and
// waits for the file before the index or the branch names it, as it does
// for its own background writes.
type earlyWrite struct {
	t plumbing.ObjectType
	// data is kept so that its address, the key, is not reused.
	data   []byte
	n      int
	hashed chan struct{} // closed once id is set
	done   chan struct{} // closed once the object is written (or err set)
	id     plumbing.Hash
	err    error
}

// wait waits for the object to be written.
func (e *earlyWrite) wait() error {
	<-e.done
	return e.err
}

// writeEarly starts writing data as a loose object of type t on its own
// goroutine, if it is big enough for that to pay; writeLoose of the same
// bytes then takes it over. prev, when known, is the file's previous
// version, whose compressed tail the object may reuse (see
// writeWithTail). Call waitEarly before the process may end.
func (r *Repo) writeEarly(t plumbing.ObjectType, data []byte, prev *readFile) {
	if len(data) < bgObjectSize || r.pack != nil || r.earlyBlob(t, data) != nil {
		return
	}
	e := &earlyWrite{t: t, data: data, n: len(data), hashed: make(chan struct{}), done: make(chan struct{})}
	if r.early == nil {
		r.early = map[*byte]*earlyWrite{}
	}
	// Keyed by the bytes' address: the commit is handed the same slice.
	r.early[unsafe.SliceData(data)] = e
	go func() {
		defer close(e.done)
		id, header := objectID(t, data)
		e.id = id
		close(e.hashed)
		name := id.String()
		if _, err := os.Lstat(filepath.Join(r.gitDir, "objects", name[:2], name[2:])); err == nil {
			return
		}
		_, e.err = r.writeWithTail(id, header, data, prev)
	}()
}

// earlyBlob is the early write of data, nil if none was started.
func (r *Repo) earlyBlob(t plumbing.ObjectType, data []byte) *earlyWrite {
	if len(data) == 0 {
		return nil
	}
	if e := r.early[unsafe.SliceData(data)]; e != nil && e.t == t && e.n == len(data) {
		return e
	}
	return nil
}

// waitEarly waits for every early write and forgets them: no write
// outlives the operation that started it, committed or not.
func (r *Repo) waitEarly() {
	for _, e := range r.early {
		_ = e.wait()
	}
	clear(r.early)
}

// objectBuffers gather a compressed object into writes of up to 64 KiB.
var objectBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

// bgObjectSize is the size from which a commit writes an object in the
// background: below it, starting a goroutine costs about what it saves.
const bgObjectSize = 32 << 10

// writeObjectFile compresses header and data into a temporary file in dir
// and renames it to final, as git writes a loose object.
func writeObjectFile(dir, final, name string, header, data []byte) error {
	return writeObjectWith(dir, final, name, func(w *objectWriter) error {
		return deflateObject(w, header, data)
	})
}

// writeObjectWith writes a loose object's file with write, into a
// temporary file in dir renamed to final once complete.
func writeObjectWith(dir, final, name string, write func(*objectWriter) error) error {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, "tmp_obj_"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o444)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.Mkdir(dir, 0o755); err == nil || errors.Is(err, fs.ErrExist) {
			f, err = os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o444)
		}
	}
	if err != nil {
		return fmt.Errorf("write object %s: %w", name, err)
	}
	// The compressor hands over a few hundred bytes at a time: a write
	// each would be hundreds of system calls for the README.
	bw := objectBuffers.Get().(*bufio.Writer)
	bw.Reset(f)
	err = write(&objectWriter{w: bw})
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	bw.Reset(nil)
	objectBuffers.Put(bw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write object %s: %w", name, err)
	}
	return nil
}

// objectWriter counts the bytes of an object's file as they are written,
// and while sum is set, takes their CRC-32C (see writeWithTail).
type objectWriter struct {
	w   io.Writer
	n   int64
	crc uint32
	sum bool
}

func (c *objectWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.sum {
		c.crc = crc32.Update(c.crc, castagnoli(), p[:n])
	}
	return n, err
}

// zlibHeader opens a zlib stream: deflate, 32 KB window, the fastest
// level (what zlib.BestSpeed writes).
var zlibHeader = []byte{0x78, 0x01}

// deflateObject writes header and data as one zlib stream.
func deflateObject(w io.Writer, header, data []byte) error {
	if err := openObject(w, header); err != nil {
		return err
	}
	if err := deflateSegment(w, data, true); err != nil {
		return err
	}
	sum := adler32.New()
	sum.Write(header)
	sum.Write(data)
	_, err := w.Write(sum.Sum(nil))
	return err
}

// openObject starts an object's zlib stream: the zlib header, then the
// object's header as a segment of its own.
func openObject(w io.Writer, header []byte) error {
	if _, err := w.Write(zlibHeader); err != nil {
		return err
	}
	return deflateSegment(w, header, false)
}

// deflateSegment compresses data on its own (no reference to what came
// before) as part of a deflate stream: the last part when last, else
// ending byte-aligned (a sync flush) for another to follow.
func deflateSegment(w io.Writer, data []byte, last bool) error {
	return flate.StatelessDeflate(w, data, last, nil)
}

// bgWrites are the object writes a commit started in the background.
type bgWrites struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

// do runs write on its own goroutine, keeping the first error.
func (b *bgWrites) do(write func() error) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		if err := write(); err != nil {
			b.mu.Lock()
			if b.err == nil {
				b.err = err
			}
			b.mu.Unlock()
		}
	}()
}

// wait returns once every write is done, with the first error.
func (b *bgWrites) wait() error {
	b.wg.Wait()
	return b.err
}

// readRaw returns the content of object h: read and inflated here when it
// is loose (as the trees a commit rewrites are, after the first), through
// go-git's store when it is packed.
func (r *Repo) readRaw(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	if data, err := r.readLoose(t, h); err == nil {
		return data, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	obj, err := r.repo.Storer.EncodedObject(t, h)
	if err != nil {
		return nil, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	out := make([]byte, 0, obj.Size())
	buf := bytes.NewBuffer(out)
	_, err = io.Copy(buf, rd)
	return buf.Bytes(), err
}

// readLoose reads the loose object h of type t.
func (r *Repo) readLoose(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	name := h.String()
	f, err := os.Open(filepath.Join(r.gitDir, "objects", name[:2], name[2:]))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(bufio.NewReaderSize(f, 32<<10))
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", name, err)
	}
	defer zr.Close()
	br := bufio.NewReader(zr)
	header, err := br.ReadBytes(0)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", name, err)
	}
	typ, size, ok := bytes.Cut(header[:len(header)-1], []byte(" "))
	n, err := strconv.Atoi(string(size))
	if !ok || err != nil || n < 0 || string(typ) != t.String() {
		return nil, fmt.Errorf("object %s is not a %s", name, t)
	}
	data := make([]byte, n)
	if _, err := io.ReadFull(br, data); err != nil {
		return nil, fmt.Errorf("object %s: %w", name, err)
	}
	return data, nil
}

// treeEdit is one entry a tree gets, in place of any entry of that name.
type treeEdit struct {
	name string
	mode filemode.FileMode
	hash plumbing.Hash
}

// key is what git sorts a tree's entries by: the name, and a "/" after a
// folder's.
func (e treeEdit) key() string {
	if e.mode == filemode.Dir {
		return e.name + "/"
	}
	return e.name
}

// editTree returns the tree raw (git's encoding: "MODE NAME\0" and 20
// bytes of id per entry, sorted) with edits applied (an edit with a zero
// hash removes the entry), copying the entries it keeps as bytes: a folder
// of thousands of documents is never decoded.
func editTree(raw []byte, edits []treeEdit) ([]byte, error) {
	slices.SortFunc(edits, func(a, b treeEdit) int {
		ka, kb := a.key(), b.key()
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	replaced := make(map[string]bool, len(edits))
	for _, e := range edits {
		replaced[e.name] = true
	}
	out := make([]byte, 0, len(raw)+len(edits)*64)
	next := 0
	emit := func(upTo string, all bool) {
		for ; next < len(edits) && (all || edits[next].key() < upTo); next++ {
			e := edits[next]
			if e.hash.IsZero() {
				continue // a removal: the entry it replaces is gone
			}
			// In octal, without leading zeros, as git writes them.
			out = strconv.AppendUint(out, uint64(e.mode), 8)
			out = append(out, ' ')
			out = append(out, e.name...)
			out = append(out, 0)
			out = append(out, e.hash[:]...)
		}
	}
	for off := 0; off < len(raw); {
		sp := bytes.IndexByte(raw[off:], ' ')
		if sp < 0 {
			return nil, errors.New("malformed tree: no mode")
		}
		nul := bytes.IndexByte(raw[off+sp:], 0)
		if nul < 0 || off+sp+nul+1+20 > len(raw) {
			return nil, errors.New("malformed tree: truncated entry")
		}
		mode := raw[off : off+sp]
		name := string(raw[off+sp+1 : off+sp+nul])
		end := off + sp + nul + 1 + 20
		key := name
		if string(mode) == "40000" {
			key += "/"
		}
		emit(key, false)
		if !replaced[name] {
			out = append(out, raw[off:end]...)
		}
		off = end
	}
	emit("", true)
	return out, nil
}

// findInTree looks name up in the tree raw without decoding it.
func findInTree(raw []byte, name string) (plumbing.Hash, filemode.FileMode, bool) {
	for off := 0; off < len(raw); {
		sp := bytes.IndexByte(raw[off:], ' ')
		if sp < 0 {
			break
		}
		nul := bytes.IndexByte(raw[off+sp:], 0)
		if nul < 0 || off+sp+nul+1+20 > len(raw) {
			break
		}
		end := off + sp + nul + 1 + 20
		if string(raw[off+sp+1:off+sp+nul]) == name {
			mode, err := filemode.New(string(raw[off : off+sp]))
			if err != nil {
				break
			}
			var h plumbing.Hash
			copy(h[:], raw[end-20:end])
			return h, mode, true
		}
		off = end
	}
	return plumbing.ZeroHash, 0, false
}
