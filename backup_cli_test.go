package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"linkwell/data"
)

// practiceDB makes a practice's own database (not a demo) with one patient.
func practiceDB(t *testing.T, path string) {
	t.Helper()
	s, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	_, err = s.SetUp(ctx, data.Practice{Name: "Riverside Medical Practice", ODSCode: "b86001", Postcode: "ls11 5ab"},
		data.NewUser{Username: "admin", FullName: "Ada Admin", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	addPatientTo(t, s, "Evans")
}

func addPatientTo(t *testing.T, s *data.Store, family string) {
	t.Helper()
	if _, err := s.SavePatient(context.Background(), sessionFor(t, s, data.OpEditPatient), data.Patient{GivenName: "Tom", FamilyName: family, DateOfBirth: "1960-01-01", Phone: "07700 900002"}, data.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
}

// addLaterPatient changes the database after a backup.
func addLaterPatient(t *testing.T, path string) {
	t.Helper()
	s, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	addPatientTo(t, s, "Later")
}

// untouched fails unless path still holds before and nothing is beside it.
func untouched(t *testing.T, path string, before []byte) {
	t.Helper()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("%s was changed", filepath.Base(path))
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("%s%s was left beside it", filepath.Base(path), suffix)
		}
	}
}

func TestCLIBackupRestoreCheck(t *testing.T) {
	for _, encrypt := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "encrypted"}[encrypt], func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "practice.db")
			practiceDB(t, db)
			code, before, errOut := runCLI("check", "--db", db)
			if code != 0 {
				t.Fatalf("check: %s", errOut)
			}
			backup := filepath.Join(t.TempDir(), "copy.db")
			args := []string{"backup", "--db", db, "--out", backup}
			if encrypt {
				t.Setenv(passphraseEnv, "correct horse battery staple")
				args = append(args, "--encrypt")
			}
			if code, out, errOut := runCLI(args...); code != 0 || !strings.Contains(out, "checked") {
				t.Fatalf("backup: %d %s %s", code, out, errOut)
			}
			addLaterPatient(t, db)

			code, out, errOut := runCLI("restore", "--db", db, "--from", backup)
			if code != 0 || !strings.Contains(out, "kept as "+db+".replaced-") {
				t.Fatalf("restore: %d %s %s", code, out, errOut)
			}
			// The backup command's sign-in is recorded before the copy is
			// made, so the copy holds one audit event more; the rest is as
			// it was, and the audit is intact.
			code, after, _ := runCLI("check", "--db", db)
			if code != 0 || withoutAudit(after) != withoutAudit(before) || !strings.Contains(after, "audit      intact") {
				t.Errorf("check after restore:\n%s\nbefore:\n%s", after, before)
			}
		})
	}
}

// withoutAudit is the output of check without its lines about the audit.
func withoutAudit(check string) string {
	var keep []string
	for _, l := range strings.Split(check, "\n") {
		if !strings.HasPrefix(l, "audit") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func TestCLIRestoreRefusesABadBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "practice.db")
	practiceDB(t, db)
	before, _ := os.ReadFile(db)
	text := filepath.Join(t.TempDir(), "copy.db")
	os.WriteFile(text, []byte("not a backup"), 0o600)
	code, _, errOut := runCLI("restore", "--db", db, "--from", text)
	if code == 0 || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("restore of a text file: %d %s", code, errOut)
	}
	untouched(t, db, before)
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files beside the database: %d", len(entries))
	}
}

func TestCLICheckOnlyReads(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "practice.db")
	practiceDB(t, db)
	before, _ := os.ReadFile(db)
	if code, _, errOut := runCLI("check", "--db", db); code != 0 {
		t.Fatalf("check: %s", errOut)
	}
	untouched(t, db, before)

	// A sound database an earlier Linkwell made is not damaged: check says
	// it will be upgraded, and leaves it as it is.
	older := filepath.Join(dir, "older.db")
	copyFile(t, db, older)
	if raw, err := sql.Open("sqlite", older); err != nil {
		t.Fatal(err)
	} else if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", data.SchemaVersion()-1)); err != nil {
		t.Fatal(err)
	} else {
		raw.Close()
	}
	before, _ = os.ReadFile(older)
	if code, out, errOut := runCLI("check", "--db", older); code != 0 ||
		!strings.Contains(out, fmt.Sprintf("upgrades it to %d the next time it opens it", data.SchemaVersion())) {
		t.Errorf("check of an older schema: %d %s %s", code, out, errOut)
	}
	untouched(t, older, before)

	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	if code, _, errOut := runCLI("check", "--db", empty); code == 0 || !strings.Contains(errOut, "empty file") {
		t.Errorf("check of an empty file: %d %s", code, errOut)
	}
	untouched(t, empty, nil)
}

func TestCLIDemoForceRefusesWhatIsNotADemo(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "practice.db")
	practiceDB(t, real)
	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, []byte("Dear Dr Jones, please see Mrs Smith about her garden.\n"), 0o600)
	for _, path := range []string{real, text} {
		before, _ := os.ReadFile(path)
		code, _, errOut := runCLI("demo", "--db", path, "--patients", "100", "--years", "1", "--force")
		if code == 0 || !strings.Contains(errOut, "left as it was") {
			t.Errorf("demo --force over %s: %d %s", filepath.Base(path), code, errOut)
		}
		untouched(t, path, before)
	}
}

func TestNewPassphrase(t *testing.T) {
	defer func(saved func(string, io.Writer) (string, error)) { readPassphrase = saved }(readPassphrase)
	typed := func(answers ...string) {
		readPassphrase = func(string, io.Writer) (string, error) {
			if len(answers) == 0 {
				return "", errors.New("no more input")
			}
			a := answers[0]
			answers = answers[1:]
			return a, nil
		}
	}
	typed("correct horse battery staple", "correct horse battery staple")
	if p, err := newPassphrase(io.Discard); err != nil || p != "correct horse battery staple" {
		t.Errorf("same twice: %q %v", p, err)
	}
	typed("correct horse battery staple", "correct horse battery stapel")
	if _, err := newPassphrase(io.Discard); err == nil || !strings.Contains(err.Error(), "not the same") {
		t.Errorf("different: %v", err)
	}
	typed("short", "short")
	if _, err := newPassphrase(io.Discard); err == nil || !strings.Contains(err.Error(), "at least") {
		t.Errorf("short: %v", err)
	}
	t.Setenv(passphraseEnv, "from the environment")
	if p, err := newPassphrase(io.Discard); err != nil || p != "from the environment" {
		t.Errorf("from the environment: %q %v", p, err)
	}
}
