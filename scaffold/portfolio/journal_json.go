package portfolio

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
)

// marshal encodes the journal as encoding/json would (readJournal decodes
// it with encoding/json), but in one pass into one buffer: an upgrade's
// journal holds thousands of files, tens of megabytes of base64, which
// encoding/json would encode by reflection and copy again.
func (j *journal) marshal() ([]byte, error) {
	// The fields in the struct's order, as encoding/json writes them.
	head, err := json.Marshal(struct {
		What string `json:"what"`
		Dir  string `json:"dir"`
	}{j.What, j.Dir})
	if err != nil {
		return nil, err
	}
	mid, err := json.Marshal(struct {
		Replace map[string]bool `json:"replace,omitempty"`
		Commit  *CommitInfo     `json:"commit,omitempty"`
		Draft   string          `json:"draft,omitempty"`
	}{j.Replace, j.Commit, j.Draft})
	if err != nil {
		return nil, err
	}
	size := len(head) + len(mid) + 32
	for _, list := range [][]journalFile{j.Files, j.Remove} {
		for _, f := range list {
			size += len(f.Path) + 64 + base64.StdEncoding.EncodedLen(len(f.Data)) + base64.StdEncoding.EncodedLen(len(f.Staged)) + base64.StdEncoding.EncodedLen(len(f.Before))
		}
	}
	b := bytes.NewBuffer(make([]byte, 0, size))
	b.Write(head[:len(head)-1])
	files := func(name string, list []journalFile, always bool) error {
		if len(list) == 0 && !always {
			return nil
		}
		b.WriteString(`,"` + name + `":`)
		if list == nil {
			b.WriteString("null")
			return nil
		}
		b.WriteByte('[')
		for i, f := range list {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := f.encode(b); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	if err := files("files", j.Files, true); err != nil {
		return nil, err
	}
	if len(mid) > 2 {
		b.WriteByte(',')
		b.Write(mid[1 : len(mid)-1])
	}
	if err := files("remove", j.Remove, false); err != nil {
		return nil, err
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encode writes f as encoding/json writes a journalFile.
func (f journalFile) encode(b *bytes.Buffer) error {
	path, err := json.Marshal(f.Path)
	if err != nil {
		return err
	}
	b.WriteString(`{"path":`)
	b.Write(path)
	bytesField := func(name string, data []byte, omitEmpty bool) {
		if omitEmpty && len(data) == 0 {
			return
		}
		b.WriteString(`,"` + name + `":`)
		if data == nil {
			b.WriteString("null")
			return
		}
		b.WriteByte('"')
		enc := base64.NewEncoder(base64.StdEncoding, b)
		_, _ = enc.Write(data)
		_ = enc.Close()
		b.WriteByte('"')
	}
	bytesField("data", f.Data, false)
	bytesField("staged", f.Staged, true)
	if f.Existed {
		b.WriteString(`,"existed":true`)
	}
	bytesField("before", f.Before, true)
	b.WriteByte('}')
	return nil
}
