package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"linkwell/data"
)

// Export calendar… on the Diary writes the iCalendar file of `linkwell
// export diary` for the worker and the week on show; a receptionist has no
// button, and "All link workers" offers none.
func TestDiaryExportCalendar(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.a.Show("Diary")
	if dw.a.diary.exportBtn.Visible() {
		t.Error("a receptionist is offered Export calendar…")
	}

	dw.signInAs(t, "manager")
	dw.a.Show("Diary")
	s := dw.a.diary
	if s.CanExport() {
		t.Error("an export is offered for all link workers at once")
	}
	// The link worker with the most appointments in the week on show.
	first := time.Date(2026, 11, 23, 0, 0, 0, 0, diaryLondon()) // the Monday of the week on show
	last := first.AddDate(0, 0, 6)
	var worker data.User
	var want []data.Appointment
	for _, w := range s.workers {
		appts, err := dw.store.WorkerAppointments(context.Background(), sessionFor(t, dw.store, data.OpViewDiary), w.ID, first, last)
		if err != nil {
			t.Fatal(err)
		}
		if len(appts) > len(want) {
			worker, want = w, appts
		}
	}
	s.workerSel.SetSelected(worker.FullName)
	s.viewSel.SetSelected("Week") // a week is one worker's
	if !s.CanExport() {
		t.Fatal("no export for one link worker's week")
	}
	path := filepath.Join(t.TempDir(), "diary") // no extension: .ics is added
	s.ExportCalendar(path)
	if !strings.HasPrefix(s.LastExport(), "Exported ") {
		t.Fatalf("export said %q", s.LastExport())
	}
	raw, err := os.ReadFile(path + ".ics")
	if err != nil {
		t.Fatal(err)
	}
	if f, l := s.exportRange(); !f.Equal(first) || !l.Equal(last) {
		t.Errorf("range %v – %v is not the week on show", f, l)
	}
	ics := string(raw)
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR") || strings.Count(ics, "BEGIN:VEVENT") != len(want) || len(want) == 0 {
		t.Errorf("%d events for %d appointments in the week", strings.Count(ics, "BEGIN:VEVENT"), len(want))
	}
}
