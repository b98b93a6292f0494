package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// assertUntouched fails unless the file at path still holds want and
// nothing was made beside it.
func assertUntouched(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s was changed (%v)", filepath.Base(path), err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Lstat(path + suffix); err == nil {
			t.Errorf("%s%s was left beside it", filepath.Base(path), suffix)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary file %s was left beside it", e.Name())
		}
	}
}

// refusedUntouched opens path both ways and expects both refused with
// message, the file left as it was.
func refusedUntouched(t *testing.T, path, message string) {
	t.Helper()
	before, _ := os.ReadFile(path)
	for name, open := range map[string]func(string) (*Store, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		s, err := open(path)
		var oe *OpenError
		if err == nil {
			s.Close()
			t.Errorf("%s opened %s", name, filepath.Base(path))
		} else if !errors.As(err, &oe) || !strings.Contains(err.Error(), message) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, message)
		}
	}
	assertUntouched(t, path, before)
}

func TestNewDatabaseCarriesTheMark(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "practice.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var id uint32
	s.db.QueryRow("PRAGMA application_id").Scan(&id)
	if id != ApplicationID {
		t.Errorf("application_id = %#x, want %#x", id, ApplicationID)
	}
	if st, err := os.Stat(s.Path()); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("a new database is readable by others: %v", st.Mode())
	}
	// The mark is in the file's own header, not only in the -wal.
	head, err := readHeader(s.Path())
	if err != nil || head == nil || head.applicationID != ApplicationID {
		t.Errorf("header: %+v %v", head, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("the temporary file %s was left behind", e.Name())
		}
	}
}

func TestOpenRefusesZeroByteFile(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "empty.db")
	os.WriteFile(path, nil, 0o600)
	refusedUntouched(t, path, "empty file")
}

func TestOpenRefusesTextFile(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "notes.db")
	os.WriteFile(path, []byte("Dear Dr Jones, please see Mrs Smith about her garden.\n"), 0o600)
	refusedUntouched(t, path, "not a Linkwell database")
}

// foreignDatabase makes another program's SQLite file, the way SQLite makes
// one by default (rollback journal), with a users table.
func foreignDatabase(t *testing.T, path string, setup ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path}).String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO users (name) VALUES ('root')"}, setup...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenRefusesForeignSQLite(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	plain := filepath.Join(dir, "other.db")
	foreignDatabase(t, plain)
	refusedUntouched(t, plain, "not a Linkwell database")

	// Even one that looks like a Linkwell schema version.
	versioned := filepath.Join(t.TempDir(), "versioned.db")
	foreignDatabase(t, versioned, "PRAGMA user_version = 1")
	refusedUntouched(t, versioned, "not a Linkwell database")

	// Another program's mark.
	marked := filepath.Join(t.TempDir(), "marked.db")
	foreignDatabase(t, marked, "PRAGMA application_id = 1234")
	refusedUntouched(t, marked, "another program")

	// In WAL mode, where even a read-only connection would leave -wal and -shm.
	wal := filepath.Join(t.TempDir(), "wal.db")
	foreignDatabase(t, wal, "PRAGMA journal_mode = WAL")
	refusedUntouched(t, wal, "not a Linkwell database")
}

func TestOpenStampsAnEarlierLinkwellDatabase(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	setUpPractice(t, s)
	s.SavePatient(context.Background(), s.sessionFor(OpEditPatient), Patient{GivenName: "Tom", FamilyName: "Evans", DateOfBirth: "1960-01-01", Phone: "07700 900002"}, SaveOptions{})
	// As an earlier Linkwell left it: no mark.
	if _, err := s.db.Exec("PRAGMA application_id = 0"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatalf("read-only: %v", err)
	}
	h, err := ro.Check(context.Background())
	ro.Close()
	if err != nil || h.Marked || !h.Healthy() {
		t.Errorf("read-only check: %+v %v (want healthy, unmarked)", h, err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatalf("an earlier Linkwell's database was refused: %v", err)
	}
	defer s.Close()
	if marked, _ := s.marked(context.Background()); !marked {
		t.Error("the mark was not stamped")
	}
	if n, _ := s.CountPatients(context.Background(), s.sessionFor(OpViewPatient)); n != 1 {
		t.Errorf("patients = %d, want 1", n)
	}
}

func TestOpenReadOnly(t *testing.T) {
	sqliteOnly(t)
	dir := filepath.Join(t.TempDir(), "cd")
	os.Mkdir(dir, 0o700)
	path := filepath.Join(dir, "practice.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	setUpPractice(t, s)
	s.Close()
	// As on a CD: a read-only file in a read-only folder.
	os.Chmod(path, 0o444)
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	before, _ := os.ReadFile(path)

	if os.Geteuid() != 0 { // root writes whatever the permissions say
		if why := CannotWrite(path); why == "" {
			t.Error("CannotWrite did not notice the read-only file")
		}
		if _, err := Open(path); !errors.Is(err, ErrReadOnly) {
			t.Errorf("Open: err = %v, want ErrReadOnly", err)
		}
	}

	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if !ro.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	ctx := context.Background()
	h, err := ro.Check(ctx)
	if err != nil || !h.Healthy() {
		t.Errorf("check: %+v %v", h, err)
	}
	if _, err := ro.SetUp(ctx, Practice{Name: "X", ODSCode: "b86002"}, NewUser{Username: "x", FullName: "X", Password: "correct horse battery"}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a read-only store's change: err = %v, want ErrReadOnly", err)
	}
	if _, err := ro.Backup(ctx, ro.sessionFor(OpBackup), filepath.Join(t.TempDir(), "copy.db")); err != nil {
		t.Errorf("backup from read-only media: %v", err)
	}
	ro.Close()
	os.Chmod(dir, 0o700) // so that assertUntouched may list it
	assertUntouched(t, path, before)
}

func TestOpenReadOnlyWhileTheAppWrites(t *testing.T) {
	sqliteOnly(t)
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	ro, err := OpenReadOnly(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ro.immutableFrom != nil {
		t.Error("opened immutable although the app has it open (its -wal exists)")
	}
	if _, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{GivenName: "Tom", FamilyName: "Evans", DateOfBirth: "1960-01-01", Phone: "07700 900002"}, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if n, err := ro.CountPatients(ctx, ro.sessionFor(OpViewPatient)); err != nil || n != 1 {
		t.Errorf("the read-only store sees %d patients (%v), want 1", n, err)
	}
}

func TestIsDemoDatabase(t *testing.T) {
	sqliteOnly(t)
	s := newStore(t)
	if demo, err := IsDemoDatabase(s.Path()); err != nil || demo {
		t.Errorf("new database: demo = %v, %v", demo, err)
	}
	setUpPractice(t, s)
	if demo, err := IsDemoDatabase(s.Path()); err != nil || demo {
		t.Errorf("a practice's database: demo = %v, %v", demo, err)
	}
	text := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(text, []byte("hello"), 0o600)
	if _, err := IsDemoDatabase(text); err == nil {
		t.Error("a text file passed for a Linkwell database")
	}
}
