package data

import (
	"errors"
	"os"
	"path/filepath"
)

// errAlreadyThere is returned by linkIntoPlace when something appeared at
// the final name meanwhile; it is left as it is.
var errAlreadyThere = errors.New("a file of that name already exists")

// linkIntoPlace gives the finished file tmp its final name path, unless
// something is already there: never over another file. A hard link does
// that in one step; file systems without hard links (FAT on a USB stick)
// get a check and a rename.
func linkIntoPlace(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		os.Remove(tmp)
	case errors.Is(err, os.ErrExist):
		return errAlreadyThere
	default:
		if _, statErr := os.Lstat(path); statErr == nil {
			return errAlreadyThere
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	syncFolder(filepath.Dir(path))
	return nil
}

// syncFile flushes a finished file to the disk before it is renamed into
// place, so a power cut cannot leave the new name on an empty file.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncFolder flushes a folder's list of names after a rename. Windows cannot
// sync a folder (and does not need to), so failures are ignored.
func syncFolder(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeDatabase removes a database file with whatever SQLite keeps beside
// it. Only for temporary files of Linkwell's own making.
func removeDatabase(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}
