package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"linkwell/data"
)

// rxPatient is a demo patient with an open referral and a booked future
// appointment.
func rxPatient(t *testing.T, dw *diaryWorld) (data.Patient, int64, *data.Appointment) {
	t.Helper()
	ctx := context.Background()
	for id := int64(1); id <= 300; id++ {
		p, err := dw.store.Patient(ctx, sessionFor(t, dw.store, data.OpViewPatient), id)
		if err != nil {
			continue
		}
		r, err := dw.store.OpenReferral(ctx, sessionFor(t, dw.store, data.OpViewReferralList), p.ID)
		if err != nil {
			continue
		}
		if a := nextAppointment(ctx, dw.store, sessionFor(t, dw.store, data.OpViewDiary), p.ID); a != nil {
			return p, r.ID, a
		}
	}
	t.Fatal("the demo has no patient with an open referral and a future appointment")
	return data.Patient{}, 0, nil
}

// twoServices are two active services, each found first by its own name.
func twoServices(t *testing.T, store *data.Store) [2]data.Service {
	t.Helper()
	list, _, err := store.SearchServices(context.Background(), sessionFor(t, store, data.OpViewDirectory), data.ServiceQuery{Status: "active"}, 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	var out []data.Service
	for _, sv := range list {
		found, _, _ := searchActive(store, sessionFor(t, store, data.OpViewDirectory), sv.Name)
		if len(found) > 0 && found[0].ID == sv.ID && (len(out) == 0 || out[0].ID != sv.ID) {
			out = append(out, sv)
		}
		if len(out) == 2 {
			return [2]data.Service{out[0], out[1]}
		}
	}
	t.Fatal("no two services are found by their names")
	return [2]data.Service{}
}

func ctrlKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// pdfText is the text of a PDF with all white space as single spaces, or
// "" with the test skipped when pdftotext is missing (outside CI).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is not installed")
		}
		t.Skip("pdftotext is not installed")
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestPrescriptionAddTwoServicesSaveAndPrint(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	dw.signInAs(t, "linkworker1")
	p, referralID, appt := rxPatient(t, dw)
	dw.a.StartPrescription(p.ID, 0)
	s := dw.a.rx
	c := dw.w.Canvas()
	if s == nil || s.patient.ID != p.ID || s.referralID != referralID {
		t.Fatalf("StartPrescription did not choose the patient and their open referral")
	}
	if c.Focused() != s.serviceSearch {
		t.Errorf("focus on %T, want the service search", c.Focused())
	}
	if !s.includeAppt.Checked || !strings.Contains(s.includeAppt.Text, appt.WorkerName) {
		t.Errorf("next appointment offered as %q (checked %v)", s.includeAppt.Text, s.includeAppt.Checked)
	}

	// Search the directory; Enter adds the first match and moves to its note.
	svcs := twoServices(t, dw.store)
	notes := []string{"Ask for Jane; Tuesdays 10:00; bus 24 stops outside", "Bring comfortable shoes"}
	for i, sv := range svcs {
		test.Type(s.serviceSearch, sv.Name)
		if len(s.ServiceResults()) == 0 || s.ServiceResults()[0].ID != sv.ID {
			t.Fatalf("typing %q found %d services", sv.Name, len(s.ServiceResults()))
		}
		s.serviceSearch.TypedKey(enter())
		if len(s.items) != i+1 || s.items[i].service.ID != sv.ID {
			t.Fatalf("Enter did not add %q", sv.Name)
		}
		if c.Focused() != s.items[i].note {
			t.Fatalf("after adding, focus on %T, want the note", c.Focused())
		}
		test.Type(s.items[i].note, notes[i])
	}
	// Reorder: the second goes first.
	s.MoveUp(1)
	if s.Items()[0].ID != svcs[1].ID {
		t.Fatal("Move up did not reorder")
	}

	// Ctrl+S in a note saves.
	s.items[1].note.TypedShortcut(ctrlKey(fyne.KeyS))
	if s.Issued() == nil {
		t.Fatalf("Ctrl+S did not save: %q", s.message.Text)
	}
	list, err := dw.store.PatientPrescriptions(ctx, sessionFor(t, dw.store, data.OpViewPrescription), p.ID)
	if err != nil || len(list) == 0 {
		t.Fatalf("no prescription stored: %v", err)
	}
	rx := list[0]
	if rx.ID != s.Issued().ID || len(rx.Items) != 2 || rx.ReferralID != referralID || rx.NextAppointmentID != appt.ID {
		t.Fatalf("stored %+v", rx)
	}
	for i, want := range []struct {
		id   int64
		note string
	}{{svcs[1].ID, notes[1]}, {svcs[0].ID, notes[0]}} {
		if rx.Items[i].ServiceID != want.id || rx.Items[i].Note != want.note {
			t.Errorf("item %d: %d %q, want %d %q", i, rx.Items[i].ServiceID, rx.Items[i].Note, want.id, want.note)
		}
	}
	if len(s.earlier) == 0 || s.earlier[0].ID != rx.ID {
		t.Error("the new prescription is not in the earlier list")
	}

	// Print, then reprint.
	dir := t.TempDir()
	first := filepath.Join(dir, "rx.pdf")
	if err := s.PrintTo(first); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(first); err != nil || fi.Size() == 0 {
		t.Fatalf("no PDF: %v", err)
	}
	again := filepath.Join(dir, "again.pdf")
	if err := s.ReprintTo(rx.ID, again); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, first)
	for _, want := range []string{p.FullName(), svcs[0].Name, svcs[1].Name, notes[0], notes[1]} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if strings.Contains(text, "Reprint") {
		t.Error("the first print says Reprint")
	}
	if !strings.Contains(pdfText(t, again), "Reprint") {
		t.Error("the reprint does not say Reprint")
	}
}

func TestPrescriptionFindPatientByKeyboard(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.signInAs(t, "gp1")
	dw.a.Show("Prescription")
	s := dw.a.rx
	c := dw.w.Canvas()
	if c.Focused() != s.picker.search {
		t.Fatalf("focus on %T, want the patient search", c.Focused())
	}
	p, _ := dw.freePatient(t, false)
	test.Type(s.picker.search, data.FormatNHSNumber(p.NHSNumber))
	s.picker.search.TypedKey(enter())
	if s.patient.ID != p.ID {
		t.Fatalf("Enter chose %d, want %d", s.patient.ID, p.ID)
	}
	if _, err := dw.store.OpenReferral(context.Background(), sessionFor(t, dw.store, data.OpViewReferralList), p.ID); err != nil && s.referral.Text != "A consultation with no referral yet." {
		t.Errorf("no referral: %q", s.referral.Text)
	}
	if s.patient.LargePrint != s.largePrint.Checked {
		t.Error("large print does not follow the patient's record")
	}
	// Saving with no services says what to do and saves nothing.
	s.Save()
	if s.Issued() != nil || !strings.Contains(s.message.Text, "at least one service") {
		t.Errorf("empty prescription: %q", s.message.Text)
	}
}

func TestPrescriptionNotForReception(t *testing.T) {
	dw := newDiaryWorld(t)
	if _, ok := dw.a.navItems["Prescription"]; ok {
		t.Error("reception sees the prescription screen")
	}
	dw.signInAs(t, "manager")
	if b, ok := dw.a.navItems["Prescription"]; !ok || b.Text != "Social prescription" {
		t.Fatal("the practice manager has no Social prescription entry")
	}
	dw.a.Show("Prescription")
	if !dw.a.rx.save.Disabled() {
		t.Error("the practice manager can issue a prescription")
	}
}
