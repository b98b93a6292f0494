package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"linkwell/data"
)

// demoApp is a small demo practice on 25/11/2026, signed in as username.
func demoApp(t *testing.T, username string) (*App, *data.Store) {
	t.Helper()
	a, store, _ := newTestApp(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	store.SetClock(func() time.Time { return now })
	if _, err := store.CreateDemo(context.Background(), data.DemoOptions{Patients: 300, Years: 3, Seed: 1, Today: now}); err != nil {
		t.Fatal(err)
	}
	u, err := userNamed(t, store, username)
	if err != nil {
		t.Fatal(err)
	}
	a.SignedIn(as(t, store, u))
	return a, store
}

// The practice manager's subject access export from the patient's record;
// reception is not offered it.
func TestSubjectAccessButton(t *testing.T) {
	a, store := demoApp(t, "manager")
	a.Show("Patients") // the manager lands on the dashboard
	s := a.patients
	if findButton(s.Content(), "Subject access export…") == nil {
		t.Fatal("the practice manager is not offered the export")
	}
	if !s.subjectAccess.Disabled() {
		t.Error("export offered with no patient open")
	}
	p, err := store.Patient(context.Background(), a.session, 40)
	if err != nil {
		t.Fatal(err)
	}
	s.Open(p)
	if s.subjectAccess.Disabled() {
		t.Fatal("export not offered for an open patient")
	}
	out := filepath.Join(t.TempDir(), "sar")
	s.SubjectAccessExport(out)
	raw, err := os.ReadFile(out + ".pdf")
	if err != nil || !strings.HasPrefix(string(raw), "%PDF-") {
		t.Fatalf("no PDF: %v", err)
	}
	if !s.message.Visible() || !strings.Contains(s.message.Text, p.GivenName+" "+p.FamilyName) {
		t.Errorf("message: %q", s.message.Text)
	}

	r, _ := demoApp(t, "reception1")
	r.Show("Patients") // reception lands on Today
	if findButton(r.patients.Content(), "Subject access export…") != nil {
		t.Error("reception is offered the subject access export")
	}
}

// The Retention screen: off by default; the period is saved; a preview
// changes nothing; anonymising keeps the referral counts.
func TestRetentionScreen(t *testing.T) {
	a, store := demoApp(t, "manager")
	a.Show("Retention")
	s := a.retention
	if s == nil || !s.anonymise.Disabled() || s.years.Text != "0" {
		t.Fatal("retention not off by default")
	}
	s.years.SetText("1")
	test.Tap(s.saveYears)
	if !s.yearsMessage.Visible() || !strings.Contains(s.yearsMessage.Text, "2 to 30") {
		t.Fatalf("1 year: %q", s.yearsMessage.Text)
	}
	s.years.SetText("2")
	test.Tap(s.saveYears)
	if s.anonymise.Disabled() {
		t.Fatal("anonymise not offered once a period is set")
	}
	ctx := context.Background()
	count := func() int {
		n, err := store.CountReferrals(ctx, a.session, data.ReferralFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	test.Tap(s.preview)
	if !strings.Contains(s.summary.Text, "would be anonymised") {
		t.Fatalf("preview: %q", s.summary.Text)
	}
	s.Anonymise()
	if !strings.Contains(s.summary.Text, "episodes anonymised") || strings.Contains(s.summary.Text, "\n0 episodes") {
		t.Fatalf("run: %q", s.summary.Text)
	}
	if after := count(); after != before {
		t.Errorf("referrals counted %d before, %d after", before, after)
	}
	if r, _ := demoApp(t, "linkworker1"); r.mayShow("Retention") {
		t.Error("a link worker may open Retention")
	}
}
