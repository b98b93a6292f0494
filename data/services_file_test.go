package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The format is read from what the file holds, whatever it is called.
func TestImportServicesFile(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	dir := t.TempDir()

	// Open Referral UK JSON behind a byte-order mark and blank lines, in a
	// file called .csv.
	feed := filepath.Join(dir, "feed.csv")
	os.WriteFile(feed, append([]byte("\ufeff\r\n  "), orukFixture(t)...), 0o600)
	var calls, last int
	res, err := s.ImportServicesFile(ctx, s.session(admin), feed, func(done, total int) { calls++; last = done })
	if err != nil || res != (ImportResult{Created: 1}) {
		t.Fatalf("JSON named .csv: %+v %v", res, err)
	}
	if calls == 0 || last != 1 {
		t.Errorf("progress called %d times, last at %d", calls, last)
	}

	// CSV in a file called .json.
	table := filepath.Join(dir, "directory.json")
	os.WriteFile(table, []byte("name,categories,postcode\nHebden Walk,walking,HX7 8AB\nMoney Matters,debt and benefits advice,HX1 1AA\n"), 0o600)
	if res, err := s.ImportServicesFile(ctx, s.session(admin), table, nil); err != nil || res.Created != 2 || res.Updated != 0 {
		t.Fatalf("CSV named .json: %+v %v", res, err)
	}

	// A cancelled import imports nothing.
	more := filepath.Join(dir, "more.csv")
	os.WriteFile(more, []byte("name,categories\nLunch Club,befriending\n"), 0o600)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.ImportServicesFile(cancelled, s.session(admin), more, nil); !errors.Is(err, ErrImportCancelled) {
		t.Errorf("cancelled: %v", err)
	}
	// A file that is not there says so plainly.
	if _, err := s.ImportServicesFile(ctx, s.session(admin), filepath.Join(dir, "missing.csv"), nil); err == nil || strings.Contains(err.Error(), "open ") {
		t.Errorf("missing file: %v", err)
	}
	if n := serviceCount(t, s); n != 3 {
		t.Errorf("%d services, want 3", n)
	}
}

// .json is written as Open Referral UK JSON, anything else as CSV, and each
// reads back as every service.
func TestExportServicesFile(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	seedDirectory(t, s, admin)
	want := serviceCount(t, s)
	dir := t.TempDir()
	for name, starts := range map[string]string{"out.json": "[", "out.JSON": "[", "out.csv": "\ufeffexternal_id,", "out.txt": "\ufeffexternal_id,"} {
		path := filepath.Join(dir, name)
		n, err := s.ExportServicesFile(ctx, s.sessionFor(OpViewDirectory), path)
		if err != nil || n != want {
			t.Fatalf("%s: %d services, %v", name, n, err)
		}
		raw, _ := os.ReadFile(path)
		if !strings.HasPrefix(strings.TrimSpace(string(raw)), starts) {
			t.Errorf("%s starts %q, want %q", name, string(raw[:min(len(raw), 20)]), starts)
		}
		if res, err := s.ImportServicesFile(ctx, s.session(admin), path, nil); err != nil || res.Created != 0 || res.Updated != want || res.Unchanged != want {
			t.Errorf("%s re-imported as %+v, %v", name, res, err)
		}
	}
	if _, err := s.ExportServicesFile(ctx, s.sessionFor(OpViewDirectory), s.Path()); err == nil {
		t.Error("the directory was exported over the database")
	}
}
