package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"linkwell/data"
)

// The calendar file itself is tested in data (TestExportDiaryFile); this
// tests the command: finding the worker, the dates and the messages.
func TestExportDiaryICS(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "500", "--years", "1", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	worker, err := userNamed(t, store, "linkworker1")
	if err != nil {
		t.Fatal(err)
	}
	from, to := "2026-06-01", "2026-12-31"
	first, _ := time.Parse(data.DateLayout, from)
	last, _ := time.Parse(data.DateLayout, to)
	appts, err := store.WorkerAppointments(ctx, sessionFor(t, store, data.OpViewDiary), worker.ID, first, last)
	if err != nil || len(appts) == 0 {
		t.Fatalf("%d appointments, %v", len(appts), err)
	}

	out := filepath.Join(dir, "diary.ics")
	// The worker by full name, in another case.
	code, stdout, errOut := runCLI("export", "diary", "--db", db, "--worker", strings.ToUpper(worker.FullName),
		"--out", out, "--from", from, "--to", to)
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if !strings.Contains(stdout, "appointments of "+worker.FullName) {
		t.Errorf("stdout %q", stdout)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), "BEGIN:VEVENT\r\n"); n != len(appts) {
		t.Fatalf("%d events for %d appointments", n, len(appts))
	}
	// No patient names without --with-names.
	for _, a := range appts {
		if strings.Contains(string(raw), a.PatientName) {
			t.Fatalf("patient name %q in the calendar", a.PatientName)
		}
	}
	if initialled.Match(raw) {
		t.Error("initials without --with-names")
	}

	// --with-names adds initials, still no full names; by username this time.
	code, _, errOut = runCLI("export", "diary", "--db", db, "--worker", "linkworker1", "--out", out,
		"--from", from, "--to", to, "--with-names")
	if code != 0 {
		t.Fatal(errOut)
	}
	raw, _ = os.ReadFile(out)
	if n := len(initialled.FindAll(raw, -1)); n != len(appts) {
		t.Errorf("%d of %d summaries have initials", n, len(appts))
	}
	for _, a := range appts {
		if strings.Contains(string(raw), a.PatientName) {
			t.Fatalf("with names: patient name %q in the calendar", a.PatientName)
		}
	}

	// The default window (today −30 to +90 days) works, by numeric id.
	if code, _, errOut := runCLI("export", "diary", "--db", db, "--worker", itoa(worker.ID), "--out", out); code != 0 {
		t.Errorf("default range: %s", errOut)
	}

	// Bad input: a plain message and a non-zero exit.
	for _, args := range [][]string{
		{"--worker", "Nobody Atall", "--out", out},
		{"--worker", "helen redfern", "--out", out}, // a manager, not a link worker
		{"--worker", "linkworker1", "--out", out, "--from", "01/06/2026"},
		{"--worker", "linkworker1", "--out", out, "--from", "2026-12-01", "--to", "2026-11-01"},
		{"--worker", "linkworker1"},
		{"--out", out},
	} {
		code, _, errOut := runCLI(append([]string{"export", "diary", "--db", db}, args...)...)
		if code == 0 || !strings.HasPrefix(errOut, "linkwell") || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	if _, _, errOut := runCLI("export", "diary", "--db", db, "--worker", "nobody", "--out", out); !strings.Contains(errOut, worker.FullName) {
		t.Errorf("an unknown worker does not list the link workers: %q", errOut)
	}
}

// initialled is a summary ending in a patient's initials ("S.L.").
var initialled = regexp.MustCompile(`(?m)^SUMMARY:.* \pL\.(\pL\.)?\r$`)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
