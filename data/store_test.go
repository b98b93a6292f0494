package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// A practice's database an earlier Linkwell left at schema 3 reaches the
// newest schema with every row kept and in use at once: on SQLite by
// opening it; on the server by `server init`, since a desk's login may not
// change the schema (so Open first refuses it, naming that command).
func TestUpgradeFromSchema3(t *testing.T) {
	bcryptCost = bcrypt.MinCost
	ctx := context.Background()
	var db *sql.DB
	var where string
	var err error
	if testEngine == enginePostgres {
		name := fmt.Sprintf("lw_upgrade_%d", time.Now().UnixNano())
		if err := adminExec(`CREATE DATABASE ` + name); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { dropTestDatabase(name) })
		where = serverURL(name)
		if db, err = openPostgres(where); err != nil {
			t.Fatal(err)
		}
		// As InitServer made it, stopped after migration 003.
		if _, err := db.Exec(`CREATE TABLE ` + pgSchemaTable + ` (id integer PRIMARY KEY CHECK (id = 1),
			application_id bigint NOT NULL, version integer NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		for _, name := range postgresMigrationNames()[:3] {
			body, _ := postgresMigrationFiles.ReadFile("migrations/postgres/" + name)
			if _, err := db.Exec(string(body)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if _, err := db.Exec(`INSERT INTO `+pgSchemaTable+` (id, application_id, version) VALUES (1, ?, 3)`, int64(ApplicationID)); err != nil {
			t.Fatal(err)
		}
	} else {
		where = filepath.Join(t.TempDir(), "schema3.db")
		if db, err = sql.Open("sqlite", dsn(where, "WAL")); err != nil {
			t.Fatal(err)
		}
		for _, name := range migrationNames()[:3] {
			body, _ := migrationFiles.ReadFile("migrations/" + name)
			if _, err := db.Exec(string(body)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = 3; PRAGMA application_id = %d", ApplicationID)); err != nil {
			t.Fatal(err)
		}
	}

	// A small practice, written as schema 3 holds it.
	hash, err := hashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	at := "2026-11-20T09:00:00Z"
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO practice (id, name, ods_code, created_at, updated_at) VALUES (1, 'Riverside Medical Practice', 'B86001', ?, ?)`, []any{at, at}},
		{`INSERT INTO users (id, username, full_name, role, password_hash, created_at, updated_at) VALUES (1, 'admin', 'Ada Admin', 'administrator', ?, ?, ?)`, []any{hash, at, at}},
		{`INSERT INTO users (id, username, full_name, role, password_hash, created_at, updated_at) VALUES (2, 'lw1', 'Amira Khan', 'link_worker', ?, ?, ?)`, []any{hash, at, at}},
		{`INSERT INTO sites (id, name) VALUES (1, 'Main Surgery')`, nil},
		{`INSERT INTO work_sessions (id, worker_id, weekday, start_min, end_min, site_id, valid_from, created_at) VALUES (1, 2, 1, 540, 1020, 1, '2026-01-01', ?)`, []any{at}},
		{`INSERT INTO patients (id, nhs_number, given_name, family_name, given_key, family_key, date_of_birth, created_at, updated_at)
			VALUES (1, '9434765919', 'Siân', 'Llewellyn', ?, ?, '1950-03-01', ?, ?)`, []any{foldKey("Siân"), foldKey("Llewellyn"), at, at}},
		{`INSERT INTO patients (id, given_name, family_name, given_key, family_key, date_of_birth, created_at, updated_at)
			VALUES (2, 'Seán', 'Ó Ceallaigh', ?, ?, '1961-07-14', ?, ?)`, []any{foldKey("Seán"), foldKey("Ó Ceallaigh"), at, at}},
		{`INSERT INTO referrals (id, patient_id, received_on, source, referrer_name, link_worker_id, status, status_changed_at, last_activity_at, created_at, updated_at)
			VALUES (1, 1, '2026-11-02', 'gp', 'Dr Whitfield', 2, 'active', ?, ?, ?, ?)`, []any{at, at, at, at}},
		{`INSERT INTO referrals (id, patient_id, received_on, source, status, status_changed_at, last_activity_at, created_at, updated_at)
			VALUES (2, 2, '2026-11-18', 'self', 'received', ?, ?, ?, ?)`, []any{at, at, at, at}},
		{`INSERT INTO referral_reasons (referral_id, reason) VALUES (1, 'loneliness'), (1, 'housing'), (2, 'housing')`, nil},
		{`INSERT INTO referral_history (id, referral_id, at, by_user, kind, from_status, to_status) VALUES (1, 1, ?, 1, 'status', 'received', 'active')`, []any{at}},
		{`INSERT INTO appointments (id, worker_id, patient_id, referral_id, starts_at, ends_at, type, mode, site_id, booked_at, booked_by, updated_at, updated_by)
			VALUES (1, 2, 1, 1, '2026-11-30T10:00:00Z', '2026-11-30T10:30:00Z', 'follow_up', 'in_person', 1, ?, 1, ?, 1)`, []any{at, at}},
		{`INSERT INTO services (id, name, organisation, categories, created_at, updated_at) VALUES (1, 'Walk and Talk', 'Leeds Parks', 'physical_activity', ?, ?)`, []any{at, at}},
	} {
		if _, err := db.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	// Its audit, sealed as schema 2 on seals it.
	prev := ""
	for i, e := range []auditEvent{
		{at: at, action: "create", entity: "patient", detail: "Siân Llewellyn"},
		{at: at, action: "book", entity: "appointment", detail: "2026-11-30T10:00:00Z"},
	} {
		e.id, e.userID, e.entityID = int64(i+1), sql.NullInt64{Int64: 1, Valid: true}, sql.NullInt64{Int64: 1, Valid: true}
		prev = chainHash(prev, e)
		if _, err := db.Exec(`INSERT INTO audit_events (id, at, user_id, action, entity, entity_id, detail, hash) VALUES (?, ?, 1, ?, ?, 1, ?, ?)`,
			e.id, e.at, e.action, e.entity, e.detail, prev); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 2, ?)`, prev); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if testEngine == enginePostgres {
		if _, err := Open(where); err == nil || !strings.Contains(err.Error(), "linkwell server init") {
			t.Fatalf("a desk opened a schema 3 server database: %v", err)
		}
		before, after, err := InitServer(ctx, where)
		if err != nil || before != 3 || after != SchemaVersion() {
			t.Fatalf("server init: %d → %d, %v", before, after, err)
		}
	}
	s, err := Open(where)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetClock(func() time.Time { return time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC) })
	version := 0
	if testEngine == enginePostgres {
		s.db.QueryRow(`SELECT version FROM ` + pgSchemaTable).Scan(&version)
	} else {
		s.db.QueryRow(`PRAGMA user_version`).Scan(&version)
	}
	if version != SchemaVersion() {
		t.Fatalf("schema %d after the upgrade, want %d", version, SchemaVersion())
	}

	// The staff's passwords still sign them in.
	if _, err := s.SignIn(ctx, "admin", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	sess, err := s.SignIn(ctx, "lw1", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	found, err := s.SearchPatients(ctx, sess, "o ceall", 10)
	if err != nil || len(found) != 1 || found[0].FamilyName != "Ó Ceallaigh" {
		t.Errorf("search after the upgrade: %+v %v", found, err)
	}
	// Migration 005's counts are made from the rows that were there.
	for _, c := range []struct {
		f    ReferralFilter
		want int
	}{{ReferralFilter{}, 2}, {ReferralFilter{Reason: "housing"}, 2}, {ReferralFilter{Reason: "loneliness"}, 1},
		{ReferralFilter{Reason: "housing", From: "2026-11-10", To: "2026-11-30"}, 1}, {ReferralFilter{Text: "sian"}, 1}} {
		if n, err := s.CountReferrals(ctx, sess, c.f); err != nil || n != c.want {
			t.Errorf("%+v: %d referrals, want %d (%v)", c.f, n, c.want, err)
		}
	}
	a, err := s.Appointment(ctx, sess, 1)
	if err != nil || a.PatientName != "Siân Llewellyn" || a.WorkerName != "Amira Khan" || a.SiteName != "Main Surgery" || a.ReferralID != 1 {
		t.Errorf("the appointment: %+v %v", a, err)
	}
	services, err := s.AllServices(ctx, sess)
	if err != nil || len(services) != 1 || services[0].Name != "Walk and Talk" {
		t.Errorf("services: %+v %v", services, err)
	}
	// New writes go on: a booking, with its audit event on the old chain.
	if _, err := s.Book(ctx, sess, Appointment{WorkerID: 2, PatientID: 2, ReferralID: 2, Start: time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC),
		Type: "follow_up", Mode: ModeInPerson}); err != nil {
		t.Fatal(err)
	}
	c, err := s.VerifyAudit(ctx)
	if err != nil || !c.Intact() || c.Events < 4 {
		t.Errorf("audit after the upgrade: %v %v", c, err)
	}
	var first string
	s.db.QueryRow(`SELECT detail FROM audit_events WHERE id = 1`).Scan(&first)
	if first != "Siân Llewellyn" {
		t.Errorf("the first audit event now says %q", first)
	}
}
