package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile is how every file Linkwell makes (exports, printed PDFs) is
// written. It refuses a path that is an SQLite database, or the -wal,
// -shm or -journal file beside one, before anything is written: a
// mistyped --out must never destroy the practice's records. The file is
// written to a temporary file in the same folder (readable by this user
// only), synced and renamed over path, so a failure at any point leaves
// any earlier file at path as it was.
func WriteFile(path string, write func(io.Writer) error) error {
	return WriteFileThen(path, write, nil)
}

// WriteFileThen is WriteFile with one more step, then, run once the new
// content is safely on disk and before it takes the file's name. A job
// records what it did there (a prescription's print), so a full disk or a
// bad folder can never leave a print recorded without its file. An error
// from then leaves no file, like any other failure.
func WriteFileThen(path string, write func(io.Writer) error, then func() error) error {
	if err := RefuseDatabase(path); err != nil {
		return err
	}
	failed := func(err error) error {
		return fmt.Errorf("%s could not be written (%w), so nothing was changed", path, plainFileError(err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return failed(err)
	}
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && then != nil {
		if err = then(); err != nil {
			os.Remove(tmp.Name())
			return err
		}
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return failed(err)
	}
	return nil
}

// isDatabaseFile is true for an SQLite database and for the -wal, -shm and
// -journal files SQLite keeps beside one.
func isDatabaseFile(path string) bool {
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if base, ok := strings.CutSuffix(path, suffix); ok && isSQLite(base) {
			return true
		}
	}
	return isSQLite(path)
}

func isSQLite(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	return err == nil && bytes.Equal(head, sqliteHeader)
}

// plainFileError drops Go's operation and path ("open /tmp/.x.123.tmp:
// permission denied" becomes "permission denied"): the message names the
// file the user chose, not our temporary one.
func plainFileError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// RefuseDatabase is WriteFile's first check, for a caller that must refuse
// a database as its output before it does anything else (signs in, say).
func RefuseDatabase(path string) error {
	if isDatabaseFile(path) {
		return fmt.Errorf("%s is a database, not a file to save into, so nothing was changed", path)
	}
	return nil
}
