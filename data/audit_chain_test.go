package data

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// auditedPractice is a closed database with a practice, an administrator
// and ten audit events; it returns the path.
func auditedPractice(t *testing.T) string {
	t.Helper()
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	sess := s.sessionFor(OpEditPatient) // adds a user: one event
	for i := range 8 {
		p := Patient{GivenName: fmt.Sprintf("Pat%c", 'A'+i), FamilyName: "Evans", DateOfBirth: "1960-01-01", Phone: "07700 900002"}
		if _, err := s.SavePatient(ctx, sess, p, SaveOptions{AcceptSimilar: true}); err != nil {
			t.Fatal(err)
		}
	}
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events`); n != 10 {
		t.Fatalf("%d audit events, want 10", n)
	}
	s.Close()
	return s.Path()
}

// verifyFile opens path as `linkwell check` does (read-only, so nothing is
// sealed or repaired on the way) and verifies its audit.
func verifyFile(t *testing.T, path string) AuditCheck {
	t.Helper()
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	c, err := ro.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h, err := ro.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h.Healthy() != c.Intact() {
		t.Errorf("Check says healthy = %v, the audit intact = %v", h.Healthy(), c.Intact())
	}
	return c
}

// serverSQL runs SQL on the server's database at dbURL directly, outside
// the store: what its owner can do.
func serverSQL(t *testing.T, dbURL, script string) {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		t.Fatalf("%v\n%s", err, script)
	}
}

// sqliteCLI runs SQL on the file with the sqlite3 command-line tool: what
// anyone with the file can do, outside Linkwell.
func sqliteCLI(t *testing.T, path, script string) {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("the sqlite3 command-line tool is not installed (apt-get install sqlite3); it plays the one who edits the file")
	}
	out, err := exec.Command(bin, path, script).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
}

func TestAuditChainIsIntact(t *testing.T) {
	c := verifyFile(t, auditedPractice(t))
	if !c.Intact() || c.Events != 10 || c.LastID != 10 || len(c.LastHash) != 64 {
		t.Errorf("a fresh audit: %+v", c)
	}
	if !strings.HasPrefix(c.String(), "intact") {
		t.Errorf("String() = %q", c.String())
	}
}

func TestAuditTamperingIsDetected(t *testing.T) {
	dropBoth := `DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;`
	recreate := auditTriggers["audit_no_update"] + "; " + auditTriggers["audit_no_delete"] + ";"
	if testEngine == enginePostgres {
		// The same tampering, in PostgreSQL's words, by the database's owner.
		dropBoth = `ALTER TABLE audit_events DISABLE TRIGGER audit_no_update; ALTER TABLE audit_events DISABLE TRIGGER audit_no_delete;`
		recreate = `ALTER TABLE audit_events ENABLE TRIGGER audit_no_update; ALTER TABLE audit_events ENABLE TRIGGER audit_no_delete;`
	}
	// pg: the statement on PostgreSQL, where the case's script is SQLite's own.
	cases := []struct {
		name, script string
		brokenAt     int64
		says         string
		pg           string
	}{
		{"an event edited, the triggers put back", dropBoth +
			`UPDATE audit_events SET detail = 'nothing to see' WHERE id = 4;` + recreate,
			4, "does not match its hash", ""},
		{"five events deleted, the triggers put back", dropBoth +
			`DELETE FROM audit_events WHERE id BETWEEN 3 AND 7;` + recreate,
			3, "events 3 to 7 are missing", ""},
		{"the newest events deleted", dropBoth +
			`DELETE FROM audit_events WHERE id > 7;` + recreate,
			8, "events 8 to 10 are missing", ""},
		{"an event inserted at the end", `INSERT INTO audit_events (at, user_id, action, entity, entity_id, detail)
			VALUES ('2026-11-25T10:31:00Z', 1, 'view', 'patient', 1, '');`,
			11, "no hash", ""},
		{"an event inserted with a made-up hash", `INSERT INTO audit_events (at, user_id, action, entity, entity_id, detail, hash)
			VALUES ('2026-11-25T10:31:00Z', 1, 'view', 'patient', 1, '', '` + strings.Repeat("ab", 32) + `');`,
			11, "does not match its hash", ""},
		{"an event replaced", dropBoth + `DELETE FROM audit_events WHERE id = 5;
			INSERT INTO audit_events (id, at, user_id, action, entity, entity_id, detail, hash)
			SELECT 5, at, user_id, 'view', entity, entity_id, detail, hash FROM audit_events WHERE id = 6;` + recreate,
			5, "does not match its hash", ""},
		{"a trigger dropped", `DROP TRIGGER audit_no_delete;`, 0, "audit_no_delete",
			`DROP TRIGGER audit_no_delete ON audit_events;`},
		{"a trigger altered", `DROP TRIGGER audit_no_delete;
			CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END;`,
			0, "audit_no_delete, which stops audit events being changed or removed, has been altered",
			`CREATE OR REPLACE FUNCTION audit_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$;`},
		{"a trigger switched off", `DROP TRIGGER audit_no_delete;`, 0, "audit_no_delete",
			`ALTER TABLE audit_events DISABLE TRIGGER audit_no_delete;`},
		{"a trigger added", `CREATE TRIGGER audit_quiet BEFORE INSERT ON audit_events BEGIN SELECT RAISE(IGNORE); END;`,
			0, "audit_quiet",
			`CREATE TRIGGER audit_quiet BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_refuse_delete();`},
		{"the head removed", `DELETE FROM audit_head;`, 0, "audit_head", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := auditedPractice(t)
			if testEngine == enginePostgres {
				script := tc.script
				if tc.pg != "" {
					script = tc.pg
				}
				serverSQL(t, path, script)
			} else {
				sqliteCLI(t, path, tc.script)
			}
			c := verifyFile(t, path)
			if c.Intact() || c.BrokenAt != tc.brokenAt || !strings.Contains(c.Problem, tc.says) {
				t.Errorf("got %+v\nwant broken at %d saying %q", c, tc.brokenAt, tc.says)
			}
		})
	}
}

// Events written before the audit was sealed (migration 002) are sealed in
// id order when the app opens the database.
func TestOpenSealsAnEarlierAudit(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path, "WAL"))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := migrationFiles.ReadFile("migrations/" + migrationNames()[0])
	if _, err := db.Exec(string(first) + fmt.Sprintf("; PRAGMA user_version = 1; PRAGMA application_id = %d;", ApplicationID)); err != nil {
		t.Fatal(err)
	}
	for i := range 2500 { // more than one batch
		if _, err := db.Exec(`INSERT INTO audit_events (at, action, entity, entity_id, detail) VALUES ('2025-01-01T09:00:00Z', 'view', 'patient', ?, ?)`,
			i, fmt.Sprint("event ", i)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.VerifyAudit(context.Background())
	s.Close()
	if err != nil || !c.Intact() || c.Events != 2500 {
		t.Errorf("after opening: %+v %v", c, err)
	}
	// What the first event was sealed with: nothing before it, and itself.
	want := chainHash("", auditEvent{id: 1, at: "2025-01-01T09:00:00Z", action: "view", entity: "patient",
		entityID: sql.NullInt64{Int64: 0, Valid: true}, detail: "event 0"})
	ro, _ := OpenReadOnly(path)
	defer ro.Close()
	var got string
	ro.db.QueryRow(`SELECT hash FROM audit_events WHERE id = 1`).Scan(&got)
	if got != want {
		t.Errorf("event 1 hash %s, want %s", got, want)
	}
}

// A sealed event cannot be changed, even to seal it again; an import's
// many events are sealed with it.
func TestAuditSealsStay(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	if _, err := s.db.Exec(`UPDATE audit_events SET hash = 'x'`); err == nil {
		t.Error("a sealed event's hash was changed")
	}
	if _, err := s.ImportServices(context.Background(), s.session(admin), benchServiceRows(1500), nil); err != nil {
		t.Fatal(err)
	}
	c, err := s.VerifyAudit(context.Background())
	if err != nil || !c.Intact() || c.Events != 2 {
		t.Errorf("after an import: %+v %v", c, err)
	}
}
