package data

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The open database, and the WAL beside it, are refused before anything is
// written: their bytes are the same afterwards and write is never called.
func TestWriteFileRefusesADatabase(t *testing.T) {
	sqliteOnly(t)
	s := newStore(t)
	setUpPractice(t, s)
	before, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{s.Path(), s.Path() + "-wal", s.Path() + "-shm", s.Path() + "-journal"} {
		called := false
		err := WriteFile(path, func(w io.Writer) error {
			called = true
			_, err := w.Write([]byte("a,b\r\n"))
			return err
		})
		if err == nil || called || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("%s: err %v, write called %v", filepath.Base(path), err, called)
		}
	}
	after, _ := os.ReadFile(s.Path())
	if !bytes.Equal(before, after) {
		t.Error("the database file changed")
	}
	if h, err := s.Check(t.Context()); err != nil || !h.Healthy() {
		t.Errorf("after the refusals: %+v, %v", h, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), ".*.tmp"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// A write that fails half way leaves the earlier file as it was and no
// temporary file behind; one that succeeds replaces it whole.
func TestWriteFileKeepsTheOldFileOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "referrals.csv")
	if err := os.WriteFile(path, []byte("the old export"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("the disk is full")
	err := WriteFile(path, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return broken
	})
	if !errors.Is(err, broken) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("error %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "the old export" {
		t.Errorf("the old file became %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want only the old one", len(entries))
	}

	if err := WriteFile(path, func(w io.Writer) error { _, err := w.Write([]byte("the new export")); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "the new export" {
		t.Errorf("the file is %q", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}

	// A folder that does not exist fails before write is called.
	called := false
	err = WriteFile(filepath.Join(dir, "no", "such", "file.csv"), func(io.Writer) error { called = true; return nil })
	if err == nil || called || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("missing folder: %v (write called %v)", err, called)
	}
}
