package session

import (
	"fmt"
	"io"
	"os"
)

// ReadLimited reads a file a person gave pmfolio to read (an answers
// file, a baseline, a draft), bounded, as any such input must be. It was
// app's readLimited, moved here whole when the use cases left app.
func ReadLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a file", p)
	}
	return io.ReadAll(io.LimitReader(f, 4<<20))
}
