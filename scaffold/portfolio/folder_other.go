//go:build !unix

package portfolio

import (
	"os"
)

// folder is an open folder of the portfolio in which writeBatch creates,
// renames and links files by name.
type folder struct {
	root *os.Root
	// spare and noExchange are writeBatch's (see trade): this build
	// never trades names.
	spare      string
	noExchange bool
}

func openFolder(root *os.Root, dir string) (*folder, error) {
	sub, err := root.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &folder{root: sub}, nil
}

func (d *folder) close() error { return d.root.Close() }

func (d *folder) create(name string, data []byte) error {
	f, err := d.root.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (d *folder) isDir(name string) bool {
	fi, err := d.root.Lstat(name)
	return err == nil && fi.IsDir()
}

func (d *folder) exists(name string) bool {
	_, err := d.root.Lstat(name)
	return err == nil
}

func (d *folder) rename(from, to string) error { return d.root.Rename(from, to) }

func (d *folder) link(from, to string) error { return linkNoClobber(d.root, from, to) }

func (d *folder) remove(name string) error { return d.root.Remove(name) }

func (d *folder) sync() error { return syncDir(d.root, ".") }

func (d *folder) tradable(string) bool { return false }

func (d *folder) overwrite(string, []byte) bool { return false }

func (d *folder) newSpare(name string, data []byte) error {
	if err := d.create(name, data); err != nil {
		return err
	}
	d.spare = name
	return nil
}

func (d *folder) exchange(string, string) error { return errNoExchange }

func exchangePaths(string, string) error { return errNoExchange }

func startWriteback(*os.File) {}
