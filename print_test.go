package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
