package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"linkwell/data"
)

func newDirectoryDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "practice.db")
	s, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Importing needs someone signed in who may edit the directory.
	if _, err := s.SetUp(context.Background(), data.Practice{Name: "Riverside Medical Practice", ODSCode: "b86001", Postcode: "ls11 5ab"},
		data.NewUser{Username: "admin", FullName: "Ada Admin", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	return db
}

func directorySize(t *testing.T, db string) []data.Service {
	t.Helper()
	s, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, err := s.AllServices(context.Background(), sessionFor(t, s, data.OpViewDirectory))
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestImportExportServicesCLI(t *testing.T) {
	db := newDirectoryDB(t)
	fixture := filepath.Join("testdata", "oruk", "service_full.json")
	if _, err := os.Stat(fixture); err != nil {
		t.Fatalf("the Open Referral UK example is missing (%v)", err)
	}
	code, out, errOut := runCLI("import", "services", "--db", db, fixture)
	if code != 0 || !strings.Contains(out, "1 new, 0 updated") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	// The file may come first; the same feed again updates.
	code, out, errOut = runCLI("import", "services", fixture, "--db", db)
	if code != 0 || !strings.Contains(out, "0 new, 1 updated") {
		t.Fatalf("re-import: %d %q %q", code, out, errOut)
	}

	dir := t.TempDir()
	csvFile := filepath.Join(dir, "directory.csv")
	os.WriteFile(csvFile, []byte("name,categories,postcode\nHebden Walk,walking,HX7 8AB\nMoney Matters,debt and benefits advice,HX1 1AA\n"), 0o600)
	if code, out, errOut := runCLI("import", "services", "--db", db, csvFile); code != 0 || !strings.Contains(out, "2 new") {
		t.Fatalf("csv import: %d %q %q", code, out, errOut)
	}
	for _, name := range []string{"out.csv", "out.json"} {
		path := filepath.Join(dir, name)
		code, out, errOut := runCLI("export", "services", "--db", db, "--out", path)
		if code != 0 || !strings.Contains(out, "3 services written") {
			t.Fatalf("export %s: %d %q %q", name, code, out, errOut)
		}
		// Our own export re-imports as updates.
		code, out, errOut = runCLI("import", "services", "--db", db, path)
		if code != 0 || !strings.Contains(out, "0 new, 3 updated") {
			t.Errorf("re-import %s: %d %q %q", name, code, out, errOut)
		}
	}
	if n := len(directorySize(t, db)); n != 3 {
		t.Errorf("%d services", n)
	}
}

func TestImportServicesCLIBadFile(t *testing.T) {
	db := newDirectoryDB(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("name,postcode,email\nGood,HX1 1AA,\n,HX1 1AA,\nBad,nowhere,not-mail\n"), 0o600)
	code, out, errOut := runCLI("import", "services", "--db", db, bad)
	if code == 0 || out != "" {
		t.Fatalf("bad file: %d %q", code, out)
	}
	for _, want := range []string{"nothing was imported", "line 3: name", "line 4: postcode", "email"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr should say %q: %s", want, errOut)
		}
	}
	if n := len(directorySize(t, db)); n != 0 {
		t.Errorf("%d services imported from a bad file", n)
	}
	badJSON := filepath.Join(dir, "feed.txt") // no telling extension: sniffed
	os.WriteFile(badJSON, []byte(`[{"id": "1", "name": "A"}, {"id": "2"}]`), 0o600)
	if code, _, errOut := runCLI("import", "services", "--db", db, badJSON); code == 0 || !strings.Contains(errOut, "item 1: name") {
		t.Errorf("bad json: %d %s", code, errOut)
	}

	for _, args := range [][]string{
		{"import"},
		{"import", "patients"},
		{"import", "services", "--db", db},
		{"import", "services", "--db", db, filepath.Join(dir, "missing.csv")},
		{"import", "services", "--db", filepath.Join(dir, "missing.db"), bad},
		{"export", "services", "--db", db, "--out", filepath.Join(dir, "x.txt")},
		{"export", "services", "--db", db},
		{"export", "services", "--db", db, "--out", filepath.Join(dir, "no", "such", "dir.csv")},
	} {
		code, _, errOut := runCLI(args...)
		if code == 0 || !strings.HasPrefix(errOut, "linkwell") || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: %d %q", args, code, errOut)
		}
	}
}

// A CSV saved by Excel on a UK PC (Windows-1252) imports with its accents
// and pound signs intact, and the command says how it read the file.
func TestImportServicesCLIWindows1252(t *testing.T) {
	db := newDirectoryDB(t)
	file := filepath.Join(t.TempDir(), "excel.csv")
	// "Café" and "£3" in Windows-1252: é is 0xE9, £ is 0xA3.
	csv := "name,cost,status\r\nCaf\xe9 Connect,\xa33 a session,active\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("import", "services", "--db", db, file)
	if code != 0 || !strings.Contains(out, "Windows-1252") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
	all := directorySize(t, db)
	if len(all) != 1 || all[0].Name != "Café Connect" || all[0].Cost != "£3 a session" {
		t.Errorf("imported %+v", all)
	}
}
