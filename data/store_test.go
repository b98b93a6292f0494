package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// newStore opens a fresh database: a file in a temporary folder, or in the
// PostgreSQL pass a fresh database on the server (engines_test.go).
func newStore(t testing.TB) *Store {
	t.Helper()
	bcryptCost = bcrypt.MinCost // real hashes, quickly
	var s *Store
	if testEngine == enginePostgres {
		s = newServerStore(t)
	} else {
		var err error
		s, err = Open(filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { s.Close() })
	s.SetClock(func() time.Time { return time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC) })
	return s
}

// setUpPractice makes a practice with an administrator and returns the admin.
func setUpPractice(t testing.TB, s *Store) User {
	t.Helper()
	admin, err := s.SetUp(context.Background(),
		Practice{Name: "Riverside Medical Practice", ODSCode: "b86001", Postcode: "ls11 5ab", Phone: "0113 496 0000", ListSize: 10000},
		NewUser{Username: "admin", FullName: "Ada Admin", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return admin.User()
}

func TestOpenCreatesSchemaAndReopens(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "practice.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var version int
	s.db.QueryRow("PRAGMA user_version").Scan(&version)
	if version != SchemaVersion() || version < 1 {
		t.Fatalf("user_version = %d, want %d", version, SchemaVersion())
	}
	var mode string
	s.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var fk int
	s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Errorf("foreign_keys = %d, want 1", fk)
	}
	for _, table := range []string{"practice", "users", "work_sessions", "leave", "patients", "referrals", "referral_reasons",
		"referral_history", "appointments", "services", "services_fts", "prescriptions", "prescription_items",
		"contacts", "goals", "wellbeing_measures", "audit_events", "settings", "sites"} {
		var n int
		if err := s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
	setUpPractice(t, s)
	if _, err := s.SavePatient(context.Background(), s.sessionFor(OpEditPatient), Patient{GivenName: "Siân", FamilyName: "Llewellyn", DateOfBirth: "01/03/1950", Phone: "07700 900123"}, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2, err := Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	found, err := s2.SearchPatients(context.Background(), s2.sessionFor(OpViewPatient), "llew", 10)
	if err != nil || len(found) != 1 || found[0].GivenName != "Siân" {
		t.Fatalf("after reopen: %v %v", found, err)
	}
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "newer.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)

	_, err = Open(path)
	if !errors.Is(err, ErrNewerDatabase) {
		t.Fatalf("err = %v, want ErrNewerDatabase", err)
	}
	if !strings.Contains(err.Error(), "newer version of Linkwell") {
		t.Errorf("message does not say why: %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("the newer database was modified")
	}
}

func TestOpenRefusesGarbage(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, []byte("Dear Dr Jones, please see Mrs Smith about her garden.\n"), 0o600)
	_, err := Open(text)
	var oe *OpenError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "not a Linkwell database") {
		t.Fatalf("text file: err = %v", err)
	}
	// A damaged SQLite file: see integrity_test.go.
}

func TestCheckAndBackup(t *testing.T) {
	sqliteOnly(t)
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	if _, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{GivenName: "Олена", FamilyName: "Шевченко", DateOfBirth: "1980-05-05", NHSNumber: "943 476 5919", Phone: "07700 900001"}, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	h, err := s.Check(ctx)
	if err != nil || !h.Healthy() || !h.Marked {
		t.Fatalf("check: %+v %v", h, err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), out); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), out); err == nil {
		t.Error("a second backup overwrote the first")
	}
	b, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n, _ := b.CountPatients(ctx, b.sessionFor(OpViewPatient))
	if n != 1 {
		t.Errorf("backup has %d patients, want 1", n)
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	if _, err := s.db.Exec("UPDATE audit_events SET action = 'x'"); err == nil {
		t.Error("an audit event was changed")
	}
	if _, err := s.db.Exec("DELETE FROM audit_events"); err == nil {
		t.Error("an audit event was deleted")
	}
}

func TestOneOpenReferralPerPatientInSchema(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	p, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{GivenName: "Tom", FamilyName: "Evans", DateOfBirth: "1960-01-01", Phone: "07700 900002"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	insert := func(status string) error {
		return s.write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO referrals (patient_id, received_on, source, status, status_changed_at, last_activity_at, created_at, updated_at)
				VALUES (?, '2026-11-01', 'gp', ?, 'x', 'x', 'x', 'x')`, p.ID, status)
			return err
		})
	}
	if err := insert("closed"); err != nil {
		t.Fatal(err)
	}
	if err := insert("received"); err != nil {
		t.Fatal(err)
	}
	if err := insert("active"); err == nil {
		t.Error("a second open referral was accepted")
	}
}
