package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"linkwell/data"
)

func TestReportMonthlyCSVAndPDF(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "2000", "--years", "2", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	t.Setenv(passwordEnv, "demo-pass-manager")
	csvPath, pdfPath := filepath.Join(dir, "oct.csv"), filepath.Join(dir, "oct.pdf")
	for _, out := range []string{csvPath, pdfPath} {
		code, stdout, errOut := runCLI("report", "monthly", "--db", db, "--month", "2026-10", "--out", out, "--as", "manager")
		if code != 0 || !strings.Contains(stdout, "October 2026") {
			t.Fatalf("report monthly --out %s: %d %s %s", out, code, stdout, errOut)
		}
	}
	store, err := data.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	month, _ := data.ParseMonth("2026-10")
	r, err := store.MonthlyReturn(context.Background(), sessionFor(t, store, data.OpViewReports), month)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(csvPath)
	if !strings.Contains(string(raw), "Referrals received,In the month,"+strconv.Itoa(r.Received)+"\r\n") || r.Received == 0 {
		t.Errorf("CSV lacks the month's %d referrals", r.Received)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdfPath, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Riverside Medical Practice", "October 2026", "(last year " + r.Show(r.ReceivedLastYear) + ")"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	}

	// Refusals: a bad month, a bad file kind, a role without reports.
	for _, args := range [][]string{
		{"--month", "2026-13", "--out", csvPath, "--as", "manager"},
		{"--month", "2026-10", "--out", filepath.Join(dir, "x.xlsx"), "--as", "manager"},
	} {
		if code, _, _ := runCLI(append([]string{"report", "monthly", "--db", db}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	t.Setenv(passwordEnv, "demo-pass-gp1")
	if code, _, errOut := runCLI("report", "monthly", "--db", db, "--month", "2026-10", "--out", csvPath, "--as", "gp1"); code == 0 ||
		!strings.Contains(errOut, "may not see the dashboard") {
		t.Errorf("a GP wrote the return: %d %s", code, errOut)
	}
}
