package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"linkwell/data"
)

func TestPrintCard(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "500", "--years", "1", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "card.pdf")
	if code, _, errOut := runCLI("print", "card", "--db", db, "--id", "1", "--out", out, "--large-print"); code != 0 {
		t.Fatalf("print card: %s", errOut)
	}
	raw, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(raw), "%PDF-") {
		t.Fatalf("not a PDF: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, _ := exec.Command("pdftotext", "-enc", "UTF-8", out, "-").Output()
		if !strings.Contains(string(text), "Your appointment with a link worker") || !strings.Contains(string(text), "Riverside Medical Practice") {
			t.Errorf("card text:\n%s", text)
		}
	}
	if code, _, errOut := runCLI("print", "card", "--db", db, "--id", "99999999", "--out", out); code == 0 || !strings.Contains(errOut, "no appointment") {
		t.Errorf("missing appointment: %d %s", code, errOut)
	}
}

func TestPrintPrescription(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "300", "--years", "1", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	text := func(path string) string {
		raw, err := os.ReadFile(path)
		if err != nil || !strings.HasPrefix(string(raw), "%PDF-") {
			t.Fatalf("not a PDF: %v", err)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			return ""
		}
		out, _ := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
		return strings.Join(strings.Fields(string(out)), " ")
	}
	// The demo's prescriptions were printed when issued, so this is a reprint.
	out := filepath.Join(dir, "rx.pdf")
	code, stdout, errOut := runCLI("print", "prescription", "--db", db, "--id", "1", "--out", out)
	if code != 0 {
		t.Fatalf("print prescription: %s", errOut)
	}
	if got := text(out); got != "" && (!strings.Contains(got, "Social prescription for") || !strings.Contains(got, "Reprint")) {
		t.Errorf("prescription text:\n%s", got)
	}
	if !strings.Contains(stdout, "reprint") {
		t.Errorf("stdout: %s", stdout)
	}
	// A new prescription: the first print is the original, the second a reprint.
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	gps, err := store.UsersWithRole(ctx, sessionFor(t, store, data.OpListStaff), data.RoleGP)
	if err != nil || len(gps) == 0 {
		t.Fatalf("no GP: %v", err)
	}
	var rx data.Prescription
	for id := int64(1); rx.ID == 0 && id < 100; id++ {
		rx, _ = store.IssuePrescription(ctx, as(t, store, gps[0]), data.NewPrescription{PatientID: 1, Items: []data.NewPrescriptionItem{{ServiceID: id, Note: "Ask for Jane"}}})
	}
	store.Close()
	if rx.ID == 0 {
		t.Fatal("no prescribable service in the demo")
	}
	for i, wantReprint := range []bool{false, true} {
		if code, _, errOut := runCLI("print", "prescription", "--db", db, "--id", fmt.Sprint(rx.ID), "--out", out); code != 0 {
			t.Fatalf("print %d: %s", i+1, errOut)
		}
		if got := text(out); got != "" && (strings.Contains(got, "Reprint") != wantReprint || !strings.Contains(got, "Ask for Jane")) {
			t.Errorf("print %d (reprint %v):\n%s", i+1, wantReprint, got)
		}
	}
	if code, _, errOut := runCLI("print", "prescription", "--db", db, "--id", "99999999", "--out", out); code == 0 || !strings.Contains(errOut, "no prescription") {
		t.Errorf("missing prescription: %d %s", code, errOut)
	}
	// A user is required, signs in with their password, and needs a role
	// that prints prescriptions.
	t.Setenv(passwordEnv, "demo-pass-reception1")
	if code, _, errOut := runCLI("print", "prescription", "--db", db, "--id", "1", "--out", out, "--as", "reception1"); code == 0 || !strings.Contains(errOut, "a receptionist may not print social prescriptions") {
		t.Errorf("receptionist: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI("print", "prescription", "--db", db, "--id", "1", "--out", out, "--as", "nobody"); code == 0 || !strings.Contains(errOut, "do not match") {
		t.Errorf("unknown user: %d %s", code, errOut)
	}
	os.Unsetenv(passwordEnv)
	if code, _, errOut := runWithoutAs("print", "prescription", "--db", db, "--id", "1", "--out", out); code == 0 || !strings.Contains(errOut, "print prescription: sign in with --as USERNAME (the password is asked for, or taken from LINKWELL_PASSWORD)") {
		t.Errorf("no --as: %d %s", code, errOut)
	}
}
