package data

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// wantMode fails unless path has mode perm.
func wantMode(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	if st.Mode().Perm() != perm {
		t.Errorf("%s has mode %v, want %v", path, st.Mode().Perm(), perm)
	}
}

// Case notes on a shared PC: everything Linkwell makes is its owner's only,
// files 0600 in folders 0700, whatever the umask.
func TestFilesAreTheOwnersOnly(t *testing.T) {
	sqliteOnly(t)
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps a user's files private by the profile's access lists, not mode bits")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "linkwell")
	path := filepath.Join(dir, "practice.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	setUpPractice(t, s)
	wantMode(t, dir, 0o700)
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, f, 0o600)
	}

	info, err := s.AutoBackup(ctx, "", time.Date(2026, 11, 25, 17, 30, 0, 0, time.Local))
	if err != nil {
		t.Fatal(err)
	}
	wantMode(t, s.BackupFolder(), 0o700)
	wantMode(t, info.Path, 0o600)
	enc, err := s.BackupEncrypted(ctx, s.sessionFor(OpBackup), filepath.Join(t.TempDir(), "usb", "copy.age"), "a long passphrase")
	if err != nil {
		t.Fatal(err)
	}
	wantMode(t, filepath.Dir(enc.Path), 0o700)
	wantMode(t, enc.Path, 0o600)

	out := filepath.Join(t.TempDir(), "referrals.csv")
	if _, err := s.ExportReferralsFile(ctx, s.sessionFor(OpExport), "", "", out); err != nil {
		t.Fatal(err)
	}
	wantMode(t, out, 0o600)
	// An export over an earlier file open to everyone ends up private.
	open := filepath.Join(t.TempDir(), "open.csv")
	os.WriteFile(open, nil, 0o644)
	if err := WriteFile(open, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
		t.Fatal(err)
	}
	wantMode(t, open, 0o600)

	restored := filepath.Join(t.TempDir(), "restored", "practice.db")
	if _, err := Restore(ctx, restored, info.Path, "", "tester", time.Now()); err != nil {
		t.Fatal(err)
	}
	wantMode(t, filepath.Dir(restored), 0o700)
	wantMode(t, restored, 0o600)
}

// A database an earlier Linkwell left open to everyone (with its -wal and
// -shm) is closed to other users when the app opens it; the group keeps
// its access (a terminal server may share the file with a group).
func TestOpenMakesAnOpenDatabasePrivate(t *testing.T) {
	sqliteOnly(t)
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits on Windows")
	}
	path := filepath.Join(t.TempDir(), "practice.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	setUpPractice(t, s)
	s.Close()
	os.Chmod(path, 0o664)

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Practice(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, f, 0o660)
	}
}
