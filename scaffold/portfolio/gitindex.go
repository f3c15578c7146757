package portfolio

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// The git index format (Documentation/gitformat-index.txt): a 12-byte
// header, entries sorted by path, optional extensions, a SHA-1 trailer.
//
// go-git decodes every entry into a struct and encodes them all again,
// which for a portfolio of 10,000 documents costs more than git's whole
// `git add && git commit`. pmfolio only ever replaces a handful of entries,
// so it splices them into the file as bytes: the entries it does not touch
// are copied, never decoded. go-git's codec remains the reference the tests
// compare against, and handles index version 4 (prefix-compressed paths),
// which cannot be spliced.
const (
	indexHeaderLen   = 12
	entryFixedLen    = 62 // stat data, mode, ids, size, hash, flags
	flagExtended     = 0x4000
	flagNameMask     = 0x0fff
	flagStageShift   = 12
	flagStageMask    = 0x3000
	maxSpliceVersion = 3
)

// errSplitIndex reports an index whose entries live in another file.
var errSplitIndex = errors.New("the git index is split (core.splitIndex); run 'git update-index --no-split-index' once")

// spliceIndex returns the index data with entries put in place of any
// existing entries of the same paths (all stages), and without the entries
// of the paths in drop. Extensions are dropped: all of them are optional
// caches git rebuilds, and the cached trees would otherwise describe the
// old entries.
func spliceIndex(data []byte, entries []*index.Entry, drop map[string]bool) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(data) + len(entries)*(entryFixedLen+80) + sha1.Size)
	if err := writeSplicedIndex(&buf, data, entries, drop); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeSplicedIndex writes what spliceIndex returns to w as it goes: the
// index of a portfolio of 10,000 documents is megabytes, and holding a
// second copy of it in memory cost more than writing it.
func writeSplicedIndex(w io.Writer, data []byte, entries []*index.Entry, drop map[string]bool) error {
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	version := uint32(2)
	var body []byte // the existing entries, still encoded
	count := 0
	if len(data) > 0 {
		if len(data) < indexHeaderLen+sha1.Size || !bytes.Equal(data[:4], []byte("DIRC")) {
			return errors.New("the git index is not a git index file")
		}
		version = binary.BigEndian.Uint32(data[4:8])
		if version < 2 || version > maxSpliceVersion {
			out, err := spliceWithCodec(data, entries, drop)
			if err == nil {
				_, err = w.Write(out)
			}
			return err
		}
		count = int(binary.BigEndian.Uint32(data[8:12]))
		end, err := entriesEnd(data, version, count)
		if err != nil {
			return err
		}
		if hasExtension(data[end:len(data)-sha1.Size], "link") {
			return errSplitIndex
		}
		body = data[indexHeaderLen:end]
	}
	// Both lists are sorted by path (git keeps the index so): an existing
	// entry is replaced when the next new entry not before it has its
	// path, which a walk through both finds without hashing a path. Entries
	// dropped are not copied either.
	replaced := func(next int, name []byte) bool {
		return next < len(entries) && entries[next].Name == string(name) || len(drop) > 0 && drop[string(name)]
	}
	// The header states how many entries follow: count them first.
	n := len(entries)
	for i, off, next := 0, 0, 0; i < count; i++ {
		size, name, err := entryAt(body, off, version)
		if err != nil {
			return err
		}
		for next < len(entries) && entries[next].Name < string(name) {
			next++
		}
		if !replaced(next, name) {
			n++
		}
		off += size
	}
	sum := sha1.New()
	bw := bufio.NewWriterSize(io.MultiWriter(w, sum), 256<<10)
	header := make([]byte, indexHeaderLen)
	copy(header, "DIRC")
	binary.BigEndian.PutUint32(header[4:], version)
	binary.BigEndian.PutUint32(header[8:], uint32(n))
	bw.Write(header)
	var scratch []byte
	next := 0 // next new entry to place
	kept := 0 // start of the run of existing entries not yet written
	off := 0
	for i := 0; i < count; i++ {
		size, name, _ := entryAt(body, off, version)
		placing := next < len(entries) && entries[next].Name < string(name)
		if placing {
			bw.Write(body[kept:off])
			kept = off
		}
		for next < len(entries) && entries[next].Name < string(name) {
			scratch = appendEntry(scratch[:0], entries[next])
			bw.Write(scratch)
			next++
		}
		if replaced(next, name) {
			bw.Write(body[kept:off])
			kept = off + size
		}
		off += size
	}
	bw.Write(body[kept:off])
	for ; next < len(entries); next++ {
		scratch = appendEntry(scratch[:0], entries[next])
		bw.Write(scratch)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(sum.Sum(nil))
	return err
}

// entryAt returns the encoded size and the path of the entry at off.
func entryAt(body []byte, off int, version uint32) (int, []byte, error) {
	if off+entryFixedLen > len(body) {
		return 0, nil, errors.New("the git index is truncated")
	}
	flags := binary.BigEndian.Uint16(body[off+60:])
	nameOff := off + entryFixedLen
	if version >= 3 && flags&flagExtended != 0 {
		nameOff += 2
	}
	nameLen := int(flags & flagNameMask)
	if nameLen == flagNameMask {
		// Long paths are NUL-terminated instead.
		i := bytes.IndexByte(body[nameOff:], 0)
		if i < 0 {
			return 0, nil, errors.New("the git index is truncated")
		}
		nameLen = i
	}
	if nameOff+nameLen > len(body) {
		return 0, nil, errors.New("the git index is truncated")
	}
	// Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
	fixed := nameOff - off + nameLen
	size := (fixed + 8) &^ 7
	if off+size > len(body) {
		return 0, nil, errors.New("the git index is truncated")
	}
	return size, body[nameOff : nameOff+nameLen], nil
}

func entriesEnd(data []byte, version uint32, count int) (int, error) {
	off := indexHeaderLen
	body := data[:len(data)-sha1.Size]
	for i := 0; i < count; i++ {
		size, _, err := entryAt(body, off, version)
		if err != nil {
			return 0, err
		}
		off += size
	}
	return off, nil
}

func hasExtension(ext []byte, sig string) bool {
	for len(ext) >= 8 {
		if string(ext[:4]) == sig {
			return true
		}
		n := int(binary.BigEndian.Uint32(ext[4:8]))
		if n < 0 || 8+n > len(ext) {
			return false
		}
		ext = ext[8+n:]
	}
	return false
}

func appendEntry(out []byte, e *index.Entry) []byte {
	start := len(out)
	u32 := func(v uint32) { out = binary.BigEndian.AppendUint32(out, v) }
	u32(uint32(e.CreatedAt.Unix()))
	u32(uint32(e.CreatedAt.Nanosecond()))
	u32(uint32(e.ModifiedAt.Unix()))
	u32(uint32(e.ModifiedAt.Nanosecond()))
	u32(e.Dev)
	u32(e.Inode)
	u32(uint32(e.Mode))
	u32(e.UID)
	u32(e.GID)
	u32(e.Size)
	out = append(out, e.Hash[:]...)
	nameLen := len(e.Name)
	if nameLen > flagNameMask {
		nameLen = flagNameMask
	}
	out = binary.BigEndian.AppendUint16(out, uint16(nameLen))
	out = append(out, e.Name...)
	pad := 8 - (len(out)-start)%8
	return append(out, make([]byte, pad)...)
}

// spliceWithCodec is the slow path for index versions go-git must decode
// (version 4): decode all, replace, encode all.
func spliceWithCodec(data []byte, entries []*index.Entry, drop map[string]bool) ([]byte, error) {
	idx := &index.Index{}
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		return nil, fmt.Errorf("read git index: %w", err)
	}
	replace := map[string]bool{}
	for _, e := range entries {
		replace[e.Name] = true
	}
	for name := range drop {
		replace[name] = true
	}
	kept := idx.Entries[:0]
	for _, e := range idx.Entries {
		if !replace[e.Name] {
			kept = append(kept, e)
		}
	}
	idx.Entries = append(kept, entries...)
	idx.Cache, idx.ResolveUndo, idx.EndOfIndexEntry = nil, nil, nil
	var buf bytes.Buffer
	if err := index.NewEncoder(&buf).Encode(idx); err != nil {
		return nil, fmt.Errorf("write git index: %w", err)
	}
	return buf.Bytes(), nil
}

// indexSizes reads the git index's record of each blob's size, by hash
// (index versions 2 and 3; nil for others, or an index that cannot be
// read): the sizes of a commit's files without reading its objects.
func indexSizes(file string) map[plumbing.Hash]int64 {
	data, err := os.ReadFile(file)
	if err != nil || len(data) < indexHeaderLen+sha1.Size || !bytes.Equal(data[:4], []byte("DIRC")) {
		return nil
	}
	version := binary.BigEndian.Uint32(data[4:8])
	if version < 2 || version > maxSpliceVersion {
		return nil
	}
	count := int(binary.BigEndian.Uint32(data[8:12]))
	body := data[:len(data)-sha1.Size]
	out := make(map[plumbing.Hash]int64, count)
	off := indexHeaderLen
	for i := 0; i < count; i++ {
		size, _, err := entryAt(body, off, version)
		if err != nil {
			return out
		}
		var h plumbing.Hash
		copy(h[:], body[off+40:off+60])
		out[h] = int64(binary.BigEndian.Uint32(body[off+36:]))
		off += size
	}
	return out
}
