package ui

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// The Patients screen records the opening of a record; the practice
// manager's Audit screen shows it, narrows by user and patient, and exports
// what it shows to CSV, recording the export too.
func TestAuditScreenFiltersAndExports(t *testing.T) {
	a, store, _ := newTestApp(t)
	_, reception := setUpStore(t, store)
	ctx := context.Background()
	rita := as(t, store, reception)
	var evans data.Patient
	for _, family := range []string{"Evans", "Jones"} {
		p, err := store.SavePatient(ctx, rita, data.Patient{GivenName: "Tom", FamilyName: family, DateOfBirth: "1960-01-01", Phone: "07700 900002"}, data.SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if family == "Evans" {
			evans = p
		}
	}

	// Reception finds and opens Tom Evans on the Patients screen.
	a.SignedIn(rita)
	a.Show("Patients")
	test.Type(a.patients.picker.search, "evans")
	waitFor(t, func() bool { return len(a.patients.picker.Results()) == 1 })
	a.patients.picker.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if a.patients.loaded.ID != evans.ID {
		t.Fatalf("opened %+v", a.patients.loaded)
	}

	// The practice manager reads the audit.
	a.SignedIn(sessionFor(t, store, data.OpViewAudit))
	if !a.mayShow("Audit") {
		t.Fatal("the practice manager is not offered the Audit screen")
	}
	a.Show("Audit")
	s := a.audit
	all := len(s.Events())
	if all == 0 {
		t.Fatal("no events shown")
	}
	s.SetUser(reception.FullName)
	got := s.Events()
	if len(got) == 0 || len(got) >= all {
		t.Fatalf("filtered by Rita: %d of %d", len(got), all)
	}
	var opened, searched bool
	for _, e := range got {
		if e.UserName != reception.FullName {
			t.Errorf("another user's event: %+v", e)
		}
		opened = opened || e.Action == "view" && e.EntityID == evans.ID && strings.Contains(e.Record, "Tom Evans")
		searched = searched || e.Action == "search" && strings.HasPrefix("evans", e.Detail)
	}
	if !opened || !searched {
		t.Errorf("Rita's opening of Tom Evans (%v) or her search (%v) is missing: %+v", opened, searched, got)
	}
	if cell := auditCell(got[0], 1); cell != reception.FullName {
		t.Errorf("who: %q", cell)
	}

	// By patient: the record's making and its opening, not Tom Jones's.
	s.SetUser("")
	s.patientSearch.SetText("Tom Evans")
	s.FindPatient()
	if s.patient.ID != evans.ID {
		t.Fatalf("patient filter %+v", s.patient)
	}
	for _, e := range s.Events() {
		if e.Entity != "patient" || e.EntityID != evans.ID {
			t.Errorf("not about Tom Evans: %+v", e)
		}
	}
	if len(s.Events()) != 2 {
		t.Errorf("%d events about Tom Evans, want 2 (made, opened)", len(s.Events()))
	}

	// Export what the filters show.
	s.SetPatient(data.Patient{})
	s.SetUser(reception.FullName)
	want := len(s.Events())
	out := filepath.Join(t.TempDir(), "audit")
	s.ExportFile(out)
	raw, err := os.ReadFile(out + ".csv")
	if err != nil {
		t.Fatalf("%v (%s)", err, s.message.Text)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != want+1 {
		t.Fatalf("%d rows for %d events: %v", len(rows), want, err)
	}
	for _, r := range rows[1:] {
		if r[2] != reception.FullName {
			t.Errorf("exported another user's event: %v", r)
		}
	}
	if fi, _ := os.Stat(out + ".csv"); fi.Mode().Perm() != 0o600 {
		t.Errorf("the export's mode is %v, want owner-only", fi.Mode().Perm())
	}
	s.SetUser("")
	if e := s.Events()[0]; e.Action != "export" || e.Entity != "audit" {
		t.Errorf("the export is not the newest event: %+v", e)
	}
	if c, err := store.VerifyAudit(ctx); err != nil || !c.Intact() {
		t.Errorf("audit: %v %v", c, err)
	}
}

// Only the practice manager is offered the Audit screen.
func TestAuditScreenOnlyForThePracticeManager(t *testing.T) {
	a, store, _ := newTestApp(t)
	setUpStore(t, store)
	for _, op := range []data.Operation{data.OpManageUsers, data.OpViewCaseRecord, data.OpBook} {
		a.SignedIn(sessionFor(t, store, op))
		if a.mayShow("Audit") {
			t.Errorf("a %s is offered the Audit screen", a.session.User().Role.Label())
		}
	}
}
