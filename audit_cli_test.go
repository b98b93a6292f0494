package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The finding: DROP TRIGGER, delete, re-create the trigger, and
// `linkwell check` still said healthy. Now check and audit verify fail.
func TestCLIAuditVerify(t *testing.T) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("the sqlite3 command-line tool is not installed (apt-get install sqlite3); it plays the one who edits the file")
	}
	db := filepath.Join(t.TempDir(), "practice.db")
	practiceDB(t, db)
	code, out, errOut := runCLI("audit", "verify", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "intact (5 events") {
		t.Fatalf("audit verify: %d %q %q", code, out, errOut)
	}

	trigger, err := exec.Command(sqlite3, db, `SELECT sql FROM sqlite_schema WHERE name = 'audit_no_delete'`).Output()
	if err != nil || !strings.Contains(string(trigger), "CREATE TRIGGER") {
		t.Fatalf("reading the trigger: %v %q", err, trigger)
	}
	script := "DROP TRIGGER audit_no_delete; DELETE FROM audit_events WHERE id = 1; " + string(trigger) + ";"
	if out, err := exec.Command(sqlite3, db, script).CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}

	code, out, errOut = runCLI("audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "broken at event 1: event 1 is missing") || !strings.Contains(errOut, "tampered") {
		t.Errorf("audit verify after a delete: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCLI("check", "--db", db)
	if code == 0 || !strings.Contains(out, "audit      broken at event 1") || !strings.Contains(errOut, "the audit is broken") {
		t.Errorf("check after a delete: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI("audit", "--db", db); code != 2 || !strings.Contains(errOut, "audit verify --db PATH") {
		t.Errorf("audit without verify: %d %q", code, errOut)
	}
}
