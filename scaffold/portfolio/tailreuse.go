package portfolio

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
)

// A big blob that a command rewrites again and again keeps most of its
// bytes: each `new` refreshes the index at the top of the README, and the
// owner's text below it, hundreds of kilobytes in a big portfolio, stays
// as it was. Compressing that text again was the biggest part of a `new`
// there (2–3 ms of CPU for the 660 KB README's loose object). So such a
// blob's loose object is written in segments: the header and the bytes
// that differ from the version before, then, after a sync flush (byte
// aligned), the tail the two versions share, compressed with no reference
// to what precedes it (see deflateSegment). The next version whose tail
// is the same copies that compressed segment from the previous object's
// file and compresses only its head. The object is the zlib stream git
// reads like any other (a deflate stream may be cut into blocks anywhere,
// and its Adler-32 is combined from the parts'); git, go-git and the
// tests' inflate read it back byte for byte.
//
// Only a shared tail is reused: the README's index, which changes, is at
// its top, and text the owner keeps above it is short in practice.
//
// What the previous object's file holds is recorded in tailFile (one
// record, the last big blob written): a record that does not match the
// previous version, its file or its own checksum is ignored, and the
// object is then compressed whole, as a repository that git has packed
// since must be.

// minTail is the shortest shared tail worth a segment of its own: below
// it, compressing it again costs less than the bookkeeping.
const minTail = 64 << 10

// tailFile is the record's name in the state folder (State.Dir) of a
// portfolio inside a repository.
const tailFile = "object-tail"

// tailSegment records where an object's file holds its tail, compressed
// on its own.
type tailSegment struct {
	ID plumbing.Hash
	// Size is the object file's size; Offset where the tail's segment
	// starts in it (it ends 4 bytes before the end, at the Adler-32).
	Size, Offset int64
	// Tail is how many of the object's last bytes the segment holds;
	// Adler their Adler-32; CRC the CRC-32C of the segment's bytes.
	Tail       int64
	Adler, CRC uint32
}

const tailRecordSize = 20 + 3*8 + 3*4

var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

func (s tailSegment) encode() []byte {
	b := make([]byte, 0, tailRecordSize)
	b = append(b, s.ID[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Size))
	b = binary.BigEndian.AppendUint64(b, uint64(s.Offset))
	b = binary.BigEndian.AppendUint64(b, uint64(s.Tail))
	b = binary.BigEndian.AppendUint32(b, s.Adler)
	b = binary.BigEndian.AppendUint32(b, s.CRC)
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli()))
}

func decodeTailSegment(b []byte) (tailSegment, bool) {
	if len(b) != tailRecordSize || crc32.Checksum(b[:tailRecordSize-4], castagnoli()) != binary.BigEndian.Uint32(b[tailRecordSize-4:]) {
		return tailSegment{}, false
	}
	var s tailSegment
	copy(s.ID[:], b)
	s.Size = int64(binary.BigEndian.Uint64(b[20:]))
	s.Offset = int64(binary.BigEndian.Uint64(b[28:]))
	s.Tail = int64(binary.BigEndian.Uint64(b[36:]))
	s.Adler = binary.BigEndian.Uint32(b[44:])
	s.CRC = binary.BigEndian.Uint32(b[48:])
	ok := s.Tail >= minTail && s.Offset > 2 && s.Size > s.Offset+4
	return s, ok
}

// tailPath is where the record is kept.
func (r *Repo) tailPath() string { return filepath.Join(r.gitDir, stateFolder, tailFile) }

// reusableTail returns the compressed tail of prev's object that data can
// reuse: prev is data's previous version, an object the record describes,
// whose recorded tail data ends with too. Nil when there is none.
func (r *Repo) reusableTail(prev *readFile, data []byte, shared int) (*tailSegment, []byte) {
	if prev == nil || prev.id.IsZero() {
		return nil, nil
	}
	raw, err := os.ReadFile(r.tailPath())
	if err != nil {
		return nil, nil
	}
	seg, ok := decodeTailSegment(raw)
	if !ok || seg.ID != prev.id || seg.Tail > int64(shared) || seg.Tail > int64(len(data)) {
		return nil, nil
	}
	name := seg.ID.String()
	f, err := os.Open(filepath.Join(r.gitDir, "objects", name[:2], name[2:]))
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != seg.Size {
		return nil, nil
	}
	comp := make([]byte, seg.Size-4-seg.Offset)
	if _, err := f.ReadAt(comp, seg.Offset); err != nil || crc32.Checksum(comp, castagnoli()) != seg.CRC {
		return nil, nil
	}
	return &seg, comp
}

// sharedTail is the length of the longest common suffix of a and b.
func sharedTail(a, b []byte) int {
	n := 0
	const chunk = 4 << 10
	for n+chunk <= len(a) && n+chunk <= len(b) && bytes.Equal(a[len(a)-n-chunk:len(a)-n], b[len(b)-n-chunk:len(b)-n]) {
		n += chunk
	}
	for n < len(a) && n < len(b) && a[len(a)-n-1] == b[len(b)-n-1] {
		n++
	}
	return n
}

// writeWithTail writes header+data as a loose object, as writeObjectFile
// does, in two segments when data shares a tail of at least minTail bytes
// with prev (its previous version), copying the tail's segment from
// prev's object when the record has it (reused), and records where the
// new object's tail is. It is writeObjectFile otherwise.
func (r *Repo) writeWithTail(id plumbing.Hash, header, data []byte, prev *readFile) (reused bool, err error) {
	name := id.String()
	dir := filepath.Join(r.gitDir, "objects", name[:2])
	final := filepath.Join(dir, name[2:])
	shared := 0
	if prev != nil {
		shared = sharedTail(prev.data, data)
	}
	if shared < minTail {
		return false, writeObjectFile(dir, final, name, header, data)
	}
	seg, comp := r.reusableTail(prev, data, shared)
	tail := int64(shared)
	if seg != nil {
		tail = seg.Tail
	}
	head := data[:int64(len(data))-tail]
	next := tailSegment{ID: id, Tail: tail}
	err = writeObjectWith(dir, final, name, func(w *objectWriter) error {
		if err := openObject(w, header); err != nil {
			return err
		}
		if err := deflateSegment(w, head, false); err != nil {
			return err
		}
		next.Offset = w.n
		if seg != nil {
			next.Adler, next.CRC = seg.Adler, seg.CRC
			if _, err := w.Write(comp); err != nil {
				return err
			}
		} else {
			next.Adler = adler32.Checksum(data[len(head):])
			w.sum = true
			if err := deflateSegment(w, data[len(head):], true); err != nil {
				return err
			}
			w.sum = false
			next.CRC = w.crc
		}
		sum := adler32.New()
		sum.Write(header)
		sum.Write(head)
		_, err := w.Write(binary.BigEndian.AppendUint32(nil, adler32Combine(sum.Sum32(), next.Adler, next.Tail)))
		next.Size = w.n
		return err
	})
	if err != nil {
		return false, err
	}
	// The record is a hint, checked before use: written in place, its
	// loss or a torn write costs the next version a full compression.
	if rf, err := os.OpenFile(r.tailPath(), os.O_WRONLY|os.O_CREATE, 0o644); err == nil {
		_, _ = rf.WriteAt(next.encode(), 0)
		rf.Close()
	}
	if seg != nil {
		tailsReused.Add(1)
	}
	return seg != nil, nil
}

// tailsReused counts the objects that copied their tail, for the tests
// that write through Tx.Apply, where writeWithTail's result is not seen.
var tailsReused atomic.Int64

// adler32Combine is the Adler-32 of a stream made of a part whose
// checksum is a and a part of length n whose checksum is b (zlib's
// adler32_combine).
func adler32Combine(a, b uint32, n int64) uint32 {
	const base = 65521
	rem := uint32(n % base)
	sum1 := a & 0xffff
	sum2 := uint32(uint64(rem) * uint64(sum1) % base)
	sum1 += (b & 0xffff) + base - 1
	sum2 += (a >> 16) + (b >> 16) + base - rem
	if sum1 >= base {
		sum1 -= base
	}
	if sum1 >= base {
		sum1 -= base
	}
	if sum2 >= base<<1 {
		sum2 -= base << 1
	}
	if sum2 >= base {
		sum2 -= base
	}
	return sum2<<16 | sum1
}
