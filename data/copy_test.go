package data

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// dumpTables is every copied table's rows, in order, as text.
func dumpTables(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tb := range copiedTables {
		cols, err := columnsOf(context.Background(), s.db, tb.name)
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, c := range cols {
			if c != "search" && c != "rowid" {
				keep = append(keep, c)
			}
		}
		rows, err := s.db.Query(`SELECT ` + strings.Join(keep, ", ") + ` FROM ` + tb.name + ` ORDER BY ` + tb.order)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		values := make([]any, len(keep))
		ptrs := make([]any, len(keep))
		for i := range values {
			ptrs[i] = &values[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range values {
				if by, ok := v.([]byte); ok {
					v = string(by)
				}
				if flag, ok := v.(bool); ok { // a PostgreSQL boolean is SQLite's 0 or 1
					v = 0
					if flag {
						v = 1
					}
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteString("\n")
		}
		rows.Close()
		out[tb.name] = b.String()
	}
	return out
}

// A practice goes from PostgreSQL to a file, from the file to another
// server database and back to a file: every row of every table comes back
// as it was (ids, instants, the audit's hashes), the counts match at each
// step and each copy's audit verifies.
func TestCopyRoundTrip(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("needs the server: runs in the PostgreSQL pass")
	}
	ctx := context.Background()
	f := newDiaryFixture(t)
	slots := raceSlots(t, f, 3)
	for i, at := range slots {
		if _, err := f.s.Book(ctx, f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: []int64{f.p1.ID, f.p2.ID, f.p3.ID}[i],
			Start: at, Type: "follow_up", Mode: "phone"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.ImportServices(ctx, f.s.session(f.admin), benchServiceRows(50), nil); err != nil {
		t.Fatal(err)
	}
	want := dumpTables(t, f.s)
	for _, table := range []string{"patients", "appointments", "services", "audit_events", "audit_head"} {
		if want[table] == "" {
			t.Fatalf("no %s to copy", table)
		}
	}

	dir := t.TempDir()
	fileA, fileB := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	server := fmt.Sprintf("lw_copy_%d", time.Now().UnixNano())
	if err := adminExec(`CREATE DATABASE ` + server); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropTestDatabase(server) })
	for _, step := range []struct{ from, to string }{{f.s.Path(), fileA}, {fileA, serverURL(server)}, {serverURL(server), fileB}} {
		counts, err := CopyDatabase(ctx, step.from, step.to)
		if err != nil {
			t.Fatalf("%s → %s: %v", step.from, step.to, err)
		}
		for _, c := range counts {
			if c.From != c.To {
				t.Errorf("%s → %s: %+v", step.from, step.to, c)
			}
		}
		s, err := OpenReadOnly(step.to)
		if err != nil {
			t.Fatal(err)
		}
		got := dumpTables(t, s)
		s.Close()
		for table, rows := range want {
			if got[table] != rows {
				t.Errorf("%s after %s → %s:\n got %q\nwant %q", table, step.from, step.to, got[table], rows)
			}
		}
	}
	if _, err := CopyDatabase(ctx, fileA, serverURL(server)); err == nil {
		t.Error("copied into a database that holds a practice")
	}
}

// A backup of a server database is a portable Linkwell file: checked,
// healthy, with the server's rows and an intact audit.
func TestBackupOfAServerDatabaseIsAFile(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("the file's own backups: backup_test.go")
	}
	ctx := context.Background()
	f := newDiaryFixture(t)
	// As the server was when backed up: the backup's own audit event comes
	// after the copy.
	want, err := f.s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	info, err := f.s.Backup(ctx, f.s.session(f.admin), out)
	if err != nil {
		t.Fatal(err)
	}
	copy, err := OpenReadOnly(out)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	h, err := copy.Check(ctx)
	if err != nil || !h.Healthy() {
		t.Fatalf("the backup: %+v %v", h, err)
	}
	if fmt.Sprint(h.Counts) != fmt.Sprint(want.Counts) || fmt.Sprint(info.Counts) != fmt.Sprint(want.Counts) {
		t.Errorf("counts: backup %v, says %v, server %v", h.Counts, info.Counts, want.Counts)
	}
	if h.Audit.LastHash != want.Audit.LastHash {
		t.Errorf("the backup's audit ends at %s, the server's at %s", h.Audit.LastHash, want.Audit.LastHash)
	}
}
