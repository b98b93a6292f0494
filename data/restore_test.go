package data

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var restoreTime = time.Date(2026, 11, 25, 17, 30, 0, 0, time.UTC)

// countsOf reads a database's row counts read-only.
func countsOf(t *testing.T, path string) []TableCount {
	t.Helper()
	s, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, err := s.Check(context.Background())
	if err != nil || !h.Healthy() {
		t.Fatalf("check %s: %+v %v", filepath.Base(path), h, err)
	}
	return h.Counts
}

func sameCounts(a, b []TableCount) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// withRestoreEvent is counts with the one audit event a restore adds.
func withRestoreEvent(counts []TableCount) []TableCount {
	out := append([]TableCount(nil), counts...)
	for i := range out {
		if out[i].Table == "audit_events" {
			out[i].Rows++
		}
	}
	return out
}

// lastAuditEvent is the newest audit event of the database at path, as
// "action entity detail".
func lastAuditEvent(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var action, entity, detail string
	if err := db.QueryRow(`SELECT action, entity, detail FROM audit_events ORDER BY id DESC LIMIT 1`).Scan(&action, &entity, &detail); err != nil {
		t.Fatal(err)
	}
	return action + " " + entity + " " + detail
}

func TestBackupRestoreGivesTheSameCounts(t *testing.T) {
	sqliteOnly(t)
	for _, encrypted := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "encrypted"}[encrypted], func(t *testing.T) {
			s, admin := practiceWithPatients(t, 3)
			ctx := context.Background()
			out := filepath.Join(t.TempDir(), "copy.db")
			var err error
			sess := s.sessionFor(OpBackup)
			// The backup's own audit event is written after the copy.
			backedUp := countsOf(t, s.Path())
			if encrypted {
				_, err = s.BackupEncrypted(ctx, sess, out, "correct horse battery staple")
			} else {
				_, err = s.Backup(ctx, sess, out)
			}
			if err != nil {
				t.Fatal(err)
			}
			addPatient(t, s, admin, 5) // after the backup: kept with the replaced file
			later := countsOf(t, s.Path())
			s.Close()

			info, err := Restore(ctx, s.Path(), out, "correct horse battery staple", "tester", restoreTime)
			if err != nil {
				t.Fatal(err)
			}
			// Everything as backed up, and the audit says who restored it.
			if got := countsOf(t, s.Path()); !sameCounts(got, withRestoreEvent(backedUp)) || !sameCounts(info.Counts, backedUp) {
				t.Errorf("restored %v (info %v), backed up %v", got, info.Counts, backedUp)
			}
			if e := lastAuditEvent(t, s.Path()); e != "restore database from "+filepath.Base(out)+" by tester" {
				t.Errorf("the restore's audit event: %q", e)
			}
			if want := s.Path() + ".replaced-20261125-173000"; info.Replaced != want {
				t.Errorf("kept as %s, want %s", info.Replaced, want)
			}
			if got := countsOf(t, info.Replaced); !sameCounts(got, later) {
				t.Errorf("kept %v, want %v", got, later)
			}
			if _, err := os.Stat(out); err != nil {
				t.Error("the backup itself was moved")
			}
			r, err := Open(s.Path())
			if err != nil {
				t.Fatalf("the restored database does not open: %v", err)
			}
			r.Close()
		})
	}
}

func TestRestoreFoldsInALeftOverWAL(t *testing.T) {
	sqliteOnly(t)
	s, admin := practiceWithPatients(t, 2)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "copy.db")
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), out); err != nil {
		t.Fatal(err)
	}
	addPatient(t, s, admin, 7)
	// As after a power cut: the file with its -wal, the latest patient only in the -wal.
	crashed := filepath.Join(t.TempDir(), "crashed.db")
	for _, suffix := range []string{"", "-wal"} {
		copyFile(t, s.Path()+suffix, crashed+suffix)
	}
	info, err := Restore(ctx, crashed, out, "", "tester", restoreTime)
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if exists(crashed + suffix) {
			t.Errorf("%s left beside the restored file", suffix)
		}
	}
	if got := countsOf(t, crashed); got[1].Rows != 2 {
		t.Errorf("restored %v, want 2 patients", got)
	}
	if got := countsOf(t, info.Replaced); got[1].Rows != 3 {
		t.Errorf("kept %v, want the 3 patients of the -wal", got)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	io.Copy(out, in)
}

func TestRestoreRefusesABadBackup(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 2)
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), good); err != nil {
		t.Fatal(err)
	}
	encrypted := filepath.Join(dir, "good.age")
	if _, err := s.BackupEncrypted(ctx, s.sessionFor(OpBackup), encrypted, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(s.Path())

	write := func(name string, raw []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, raw, 0o600)
		return p
	}
	raw, _ := os.ReadFile(good)
	newer := filepath.Join(dir, "newer.db")
	n, _ := Open(newer)
	n.db.Exec("PRAGMA user_version = 99")
	n.Close()
	foreign := filepath.Join(dir, "foreign.db")
	foreignDatabase(t, foreign)
	damaged := append([]byte(nil), raw...)
	for i := 4096; i < len(damaged) && i < 4096*6; i++ {
		damaged[i] = 0xA5
	}
	cases := []struct {
		name, from, passphrase, says string
	}{
		{"empty", write("empty.db", nil), "", "empty file"},
		{"text", write("notes.db", []byte("not a database")), "", "not a Linkwell database"},
		{"foreign", foreign, "", "not a Linkwell database"},
		{"newer", newer, "", "newer version"},
		{"truncated", write("half.db", raw[:len(raw)/2]), "", "cannot be restored"},
		{"damaged", write("damaged.db", damaged), "", "cannot be restored"},
		{"wrong passphrase", encrypted, "Tr0ub4dor&3", "passphrase"},
		{"no passphrase", encrypted, "", "passphrase"},
		{"missing", filepath.Join(dir, "missing.db"), "", "cannot be read"},
	}
	for _, c := range cases {
		_, err := Restore(ctx, s.Path(), c.from, c.passphrase, "tester", restoreTime)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: err = %v, want it to say %q", c.name, err, c.says)
		}
	}
	assertUntouched(t, s.Path(), before)
	if got := folderNames(t, filepath.Dir(s.Path())); len(got) != 1 {
		t.Errorf("beside the database: %v", got)
	}
}

func TestRestoreRefusesADatabaseInUse(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 2)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "copy.db")
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), out); err != nil {
		t.Fatal(err)
	}
	_, err := Restore(ctx, s.Path(), out, "", "tester", restoreTime)
	if err == nil || !strings.Contains(err.Error(), "open in Linkwell") {
		t.Fatalf("err = %v", err)
	}
	if n, err := s.CountPatients(ctx, s.sessionFor(OpViewPatient)); err != nil || n != 2 {
		t.Errorf("the open store sees %d patients (%v)", n, err)
	}
	if got := folderNames(t, filepath.Dir(s.Path())); len(got) != 3 { // test.db, -wal, -shm
		t.Errorf("beside the database: %v", got)
	}
}

func TestBuildDatabase(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	fill := func(name string) func(*Store) error {
		return func(s *Store) error {
			_, err := s.SetUp(context.Background(), Practice{Name: name, ODSCode: "b86001", IsDemo: true},
				NewUser{Username: "admin", FullName: "Ada Admin", Password: "correct horse battery"})
			return err
		}
	}
	practiceName := func() string {
		s, err := OpenReadOnly(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		p, _ := s.Practice(context.Background())
		return p.Name
	}

	// A failed build leaves nothing.
	if err := BuildDatabase(path, false, func(*Store) error { return errors.New("cut off") }); err == nil {
		t.Fatal("a failed build succeeded")
	}
	if got := folderNames(t, dir); len(got) != 0 {
		t.Fatalf("a failed build left %v", got)
	}
	if err := BuildDatabase(path, false, fill("First Demo")); err != nil {
		t.Fatal(err)
	}
	if err := BuildDatabase(path, false, fill("Second Demo")); err == nil {
		t.Error("replaced without being asked")
	}
	if err := BuildDatabase(path, true, fill("Second Demo")); err != nil || practiceName() != "Second Demo" {
		t.Errorf("demo not replaced: %v", err)
	}
	// A failed rebuild leaves the old demo.
	if err := BuildDatabase(path, true, func(*Store) error { return errors.New("cut off") }); err == nil || practiceName() != "Second Demo" {
		t.Errorf("failed rebuild: %v", err)
	}
	if got := folderNames(t, dir); len(got) != 1 {
		t.Errorf("left %v", got)
	}

	// A practice's own database and a text file are refused untouched.
	real := filepath.Join(t.TempDir(), "practice.db")
	s, _ := Open(real)
	setUpPractice(t, s)
	s.Close()
	text := filepath.Join(t.TempDir(), "notes.db")
	os.WriteFile(text, []byte("Dear Dr Jones"), 0o600)
	for _, p := range []string{real, text} {
		before, _ := os.ReadFile(p)
		if err := BuildDatabase(p, true, fill("Demo")); err == nil || !strings.Contains(err.Error(), "left as it was") {
			t.Errorf("%s: err = %v", filepath.Base(p), err)
		}
		assertUntouched(t, p, before)
	}
}

// A build killed half-way leaves its folder; the next build clears it once
// it is old enough not to belong to a build still running.
func TestBuildDatabaseRemovesAbandonedBuilds(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	old := filepath.Join(dir, ".demo.db.building-123")
	recent := filepath.Join(dir, ".demo.db.building-456")
	other := filepath.Join(dir, ".other.db.building-789")
	for _, f := range []string{old, recent, other} {
		if err := os.MkdirAll(f, 0o700); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(f, "demo.db"), []byte("half"), 0o600)
	}
	long := time.Now().Add(-2 * abandonedAfter)
	os.Chtimes(old, long, long)
	os.Chtimes(other, long, long)
	if err := BuildDatabase(path, false, func(*Store) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if exists(old) {
		t.Error("an abandoned build folder is still there")
	}
	if !exists(recent) {
		t.Error("a recent build folder (maybe still running) was removed")
	}
	if !exists(other) {
		t.Error("another database's build folder was removed")
	}
}
