package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The server edition from the command line: server init makes the schema
// in an empty database, migrate copies a demo practice from its file to the
// server and from the server to a new file, with the same row counts on
// both sides each time, and the referrals and services exports and a
// link worker's calendar are the same from all three.
func TestServerInitAndMigrateRoundTrip(t *testing.T) {
	server := os.Getenv("LINKWELL_TEST_PG")
	if server == "" {
		t.Skip("LINKWELL_TEST_PG is not set (make test starts a PostgreSQL server)")
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("lw_cli_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u, _ := url.Parse(server)
	u.Path = "/" + name
	dbURL := u.String()

	dir := t.TempDir()
	fileA, fileB := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	if code, _, errOut := runCLI("demo", "--db", fileA, "--patients", "200", "--years", "1", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, errOut := runCLI("server", "init", "--db", dbURL); code != 0 || !strings.Contains(out, "made Linkwell's schema") {
		t.Fatalf("server init: %s%s", out, errOut)
	}
	if code, out, errOut := runCLI("server", "init", "--db", dbURL); code != 0 || !strings.Contains(out, "nothing to do") {
		t.Fatalf("server init again: %s%s", out, errOut)
	}
	for _, step := range [][2]string{{fileA, dbURL}, {dbURL, fileB}} {
		code, out, errOut := runCLI("migrate", "--from", step[0], "--to", step[1])
		if code != 0 || !strings.Contains(out, "every table's rows match") {
			t.Fatalf("migrate %s → %s: %s%s", step[0], step[1], out, errOut)
		}
		if !strings.Contains(out, "patients") {
			t.Errorf("no counts printed:\n%s", out)
		}
	}
	if code, out, _ := runCLI("migrate", "--from", fileA, "--to", dbURL); code == 0 {
		t.Errorf("copied into a server database that holds a practice:\n%s", out)
	}
	// The three exports the issue names, from the original, the server
	// and the file back from it: the same bytes, but for the calendar's
	// DTSTAMP lines (when each file was made).
	stamp := regexp.MustCompile(`(?m)^DTSTAMP:.*\r?\n`)
	exported := func(db, name string, args ...string) string {
		out := filepath.Join(dir, fmt.Sprintf("%d-%s", time.Now().UnixNano(), name))
		args = append(append([]string{"export"}, args...), "--db", db, "--out", out)
		if code, _, errOut := runCLI(args...); code != 0 {
			t.Fatalf("%v from %s: %s", args, db, errOut)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return stamp.ReplaceAllString(string(raw), "")
	}
	for _, export := range []struct {
		name string
		args []string
		must string // something the export must hold, so that empty files do not pass
	}{
		{"referrals.csv", []string{"referrals"}, "\n"},
		{"services.csv", []string{"services"}, "\n"},
		{"diary.ics", []string{"diary", "--worker", "linkworker1", "--from", "2025-11-01", "--to", "2026-12-31"}, "BEGIN:VEVENT"},
	} {
		want := exported(fileA, export.name, export.args...)
		if strings.Count(want, export.must) < 2 {
			t.Fatalf("the %s export from the original is all but empty:\n%s", export.name, want)
		}
		for _, db := range []string{dbURL, fileB} {
			if got := exported(db, export.name, export.args...); got != want {
				t.Errorf("the %s export from %s differs from the original's", export.name, db)
			}
		}
	}
	if code, out, errOut := runCLI("check", "--db", dbURL); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("check on the server: %s%s", out, errOut)
	}
}

// migrate copies a whole practice, so it signs in like backup: without
// --as nothing is copied, and the copy is in the audit of both sides.
func TestMigrateNeedsASignedInUser(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "practice.db"), filepath.Join(dir, "copy.db")
	if code, _, errOut := runCLI("demo", "--db", from, "--patients", "200", "--years", "1", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"migrate", "--from", from, "--to", to}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "--as") {
		t.Fatalf("migrate without --as: %d %q", code, errOut.String())
	}
	if _, err := os.Stat(to); err == nil {
		t.Fatal("a copy was made without a signed-in user")
	}
	if code, out, errOut := runCLI("migrate", "--from", from, "--to", to); code != 0 {
		t.Fatalf("migrate: %s%s", out, errOut)
	}
	for _, db := range []string{from, to} {
		s, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		err = s.QueryRow(`SELECT count(*) > 0 FROM audit_events WHERE action = 'backup' AND detail = ?`, "copy to "+to).Scan(&found)
		s.Close()
		if err != nil || !found {
			t.Errorf("%s: the copy is not in the audit (%v)", filepath.Base(db), err)
		}
	}
}
