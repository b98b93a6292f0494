package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"linkwell/data"
)

// runCLI runs the command line in-process and returns its exit code and output.
func runCLI(args ...string) (int, string, string) {
	return runCLIContext(context.Background(), args...)
}

// runCLIContext runs the command line with ctx as main's context: a
// cancelled one is Ctrl+C.
func runCLIContext(ctx context.Context, args ...string) (int, string, string) {
	args, restore := signedInArgs(args)
	defer restore()
	var out, errOut bytes.Buffer
	code := run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// Ctrl+C stops demo and import services with a plain message, leaving no
// demo database and importing nothing.
func TestCLICtrlC(t *testing.T) {
	interrupted, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	code, out, errOut := runCLIContext(interrupted, "demo", "--db", db, "--patients", "300", "--years", "1")
	if code == 0 || out != "" || !strings.Contains(errOut, "demo: cancelled; no demo practice was written") {
		t.Errorf("demo: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled demo left %s (%v)", db, err)
	}

	db = newDirectoryDB(t)
	file := filepath.Join(dir, "directory.csv")
	os.WriteFile(file, []byte("name,categories\nLunch Club,befriending\n"), 0o600)
	code, out, errOut = runCLIContext(interrupted, "import", "services", "--db", db, file)
	if code == 0 || out != "" || !strings.Contains(errOut, "import services: cancelled; nothing was imported") {
		t.Errorf("import: %d %q %q", code, out, errOut)
	}
	if n := len(directorySize(t, db)); n != 0 {
		t.Errorf("%d services imported after Ctrl+C", n)
	}
}

func TestCLIDemoCheckBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	code, out, errOut := runCLI("demo", "--db", db, "--patients", "300", "--years", "1", "--today", "2026-11-25")
	if code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	if !strings.Contains(out, "Sign in with") {
		t.Errorf("demo did not print the accounts: %s", out)
	}
	// Refuses to overwrite without --force.
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "300", "--years", "1"); code == 0 || !strings.Contains(errOut, "--force") {
		t.Errorf("overwrite without --force: %d %s", code, errOut)
	}

	code, out, errOut = runCLI("check", "--db", db)
	if code != 0 || !strings.Contains(out, "integrity  ok") || !strings.Contains(out, "patients") {
		t.Fatalf("check: %d %s %s", code, out, errOut)
	}
	// A demo may be replaced by another.
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "100", "--years", "1", "--today", "2026-11-25", "--force"); code != 0 {
		t.Fatalf("demo --force over a demo: %d %s", code, errOut)
	}
	if code, out, _ := runCLI("check", "--db", db); code != 0 || !strings.Contains(out, "patients                   100") {
		t.Errorf("check after demo --force: %d %s", code, out)
	}

	backup := filepath.Join(dir, "copy.db")
	if code, _, errOut := runCLI("backup", "--db", db, "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	if code, out, _ := runCLI("check", "--db", backup); code != 0 || !strings.Contains(out, "100") {
		t.Errorf("backup check: %d %s", code, out)
	}
}

func TestCLIErrorsArePlain(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte("this is not a database at all, just some text"), 0o600)
	cases := [][]string{
		{"check", "--db", garbage},
		{"check", "--db", filepath.Join(dir, "missing.db")},
		{"frobnicate"},
		{"demo", "--db", filepath.Join(dir, "x.db"), "--today", "25/11/2026"},
		{"demo"},
		{"backup", "--db", garbage, "--out", filepath.Join(dir, "b.db")},
		{"check", "--db"},
	}
	for _, args := range cases {
		code, _, errOut := runCLI(args...)
		if code == 0 {
			t.Errorf("%v: exit 0", args)
		}
		if !strings.HasPrefix(errOut, "linkwell") && !strings.Contains(errOut, "flag needs an argument") {
			t.Errorf("%v: stderr %q", args, errOut)
		}
		if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
			t.Errorf("%v: stack trace: %s", args, errOut)
		}
	}
	if code, out, _ := runCLI("version"); code != 0 || !strings.HasPrefix(out, "linkwell "+version) {
		t.Errorf("version: %d %q", code, out)
	}
	raw, _ := os.ReadFile("FyneApp.toml")
	if !strings.Contains(string(raw), `Version = "`+version+`"`) {
		t.Errorf("FyneApp.toml and cli.go disagree on the version")
	}
}

// runWithoutAs runs the command line as typed, adding no --as.
func runWithoutAs(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// signedInArgs adds "--as USER" to a subcommand that needs a user, when
// the test names none, and puts that user's password in LINKWELL_PASSWORD
// (unless the test set it): a demo practice's staff member whose role
// fits, or the administrator of the tests' own practices.
func signedInArgs(args []string) ([]string, func()) {
	if len(args) < 1 || slices.Contains(args, "--as") {
		return args, func() {}
	}
	cmd := args[0]
	if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
		cmd += " " + args[1]
	}
	demoUser := map[string]string{
		"export referrals": "manager", "export diary": "manager", "export services": "manager",
		"print card": "reception1", "print prescription": "gp1", "import services": "manager",
		"backup": "admin", "restore": "admin", "export patient": "manager", "retention": "manager",
		"migrate": "admin",
	}[cmd]
	if demoUser == "" {
		return args, func() {}
	}
	user, password := "admin", "correct horse battery"
	db := os.Getenv("LINKWELL_DB")
	if i := slices.Index(args, "--db"); i >= 0 && i+1 < len(args) {
		db = args[i+1]
	}
	if i := slices.Index(args, "--from"); cmd == "migrate" && i >= 0 && i+1 < len(args) {
		db = args[i+1]
	}
	if s, err := data.OpenReadOnly(db); err == nil {
		if p, _ := s.Practice(context.Background()); p.IsDemo {
			user, password = demoUser, "demo-pass-"+demoUser
		}
		s.Close()
	}
	args = append(slices.Clone(args), "--as", user)
	if os.Getenv(passwordEnv) != "" {
		return args, func() {}
	}
	os.Setenv(passwordEnv, password)
	return args, func() { os.Unsetenv(passwordEnv) }
}
