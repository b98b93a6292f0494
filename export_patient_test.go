package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"linkwell/data"
)

// A subject access request from the command line: everything about one
// person as JSON and as PDF, for the practice manager only, audited.
func TestExportPatient(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "300", "--years", "2", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	// A patient with a case note and an appointment.
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var nhs, family, note string
	err = raw.QueryRow(`SELECT p.nhs_number, p.family_name, c.text FROM patients p JOIN referrals r ON r.patient_id = p.id
		JOIN contacts c ON c.referral_id = r.id
		WHERE p.nhs_number IS NOT NULL AND c.text <> '' AND EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id)
		ORDER BY p.id, c.id LIMIT 1`).Scan(&nhs, &family, &note)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "sar.json")
	code, stdout, errOut := runCLI("export", "patient", "--db", db, "--nhs", nhs, "--out", out)
	if code != 0 || !strings.Contains(stdout, "written to") {
		t.Fatalf("export patient: %d %s %s", code, stdout, errOut)
	}
	var sa data.SubjectAccess
	body, _ := os.ReadFile(out)
	if err := json.Unmarshal(body, &sa); err != nil {
		t.Fatal(err)
	}
	if sa.Patient.NHSNumber != nhs || len(sa.Appointments) == 0 || !strings.Contains(string(body), jsonText(note)) {
		t.Errorf("JSON: %+v, %d appointments, note %q found %v", sa.Patient, len(sa.Appointments), note, strings.Contains(string(body), jsonText(note)))
	}

	pdfOut := filepath.Join(dir, "sar.pdf")
	if code, _, errOut := runCLI("export", "patient", "--db", db, "--nhs", nhs, "--out", pdfOut); code != 0 {
		t.Fatalf("export patient PDF: %s", errOut)
	}
	if b, _ := os.ReadFile(pdfOut); !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatal("not a PDF")
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, _ := exec.Command("pdftotext", "-enc", "UTF-8", pdfOut, "-").Output()
		flat := strings.Join(strings.Fields(string(text)), " ")
		if !strings.Contains(flat, family) || !strings.Contains(flat, "Appointments") || !strings.Contains(flat, strings.Join(strings.Fields(note), " ")) {
			t.Errorf("PDF text lacks the name, appointments or note:\n%s", flat)
		}
	}

	// Reception may not; nothing is written.
	refused := filepath.Join(dir, "refused.json")
	t.Setenv(passwordEnv, "demo-pass-reception1")
	code, _, errOut = runCLI("export", "patient", "--db", db, "--nhs", nhs, "--out", refused, "--as", "reception1")
	if code == 0 || !strings.Contains(errOut, "may not export all held about a patient") {
		t.Errorf("receptionist: %d %s", code, errOut)
	}
	if _, err := os.Stat(refused); err == nil {
		t.Error("a refused export wrote a file")
	}

	// Both exports are in the audit, by the practice manager.
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	again := filepath.Join(dir, "again.json")
	sa2, err := store.ExportSubjectAccessFile(context.Background(), sessionFor(t, store, data.OpSubjectAccess), data.Subject{NHSNumber: nhs}, again, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range sa2.AuditEvents {
		if e.Action == "subject_access" && e.By == "Helen Redfern" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d subject access events in the audit, want 2: %+v", n, sa2.AuditEvents)
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}
