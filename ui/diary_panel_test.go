package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The diary's side panel folds away so a week's appointments get the
// width, and comes back when an appointment is chosen or a booking starts
// (issue 17: the week's columns were too narrow to read).
func TestDiaryPanelFoldsForTheWeek(t *testing.T) {
	dw := newDiaryWorld(t)
	p, _ := dw.freePatient(t, false)
	appt := dw.bookFollowUp(t, p, 0, false)
	dw.a.Show("Diary")
	d := dw.a.diary
	d.workerSel.SetSelected(appt.WorkerName)
	d.viewSel.SetSelected("Week")
	narrow := d.grid.Size().Width
	test.Tap(d.panelBtn)
	if d.PanelShown() || d.panelBtn.Text != "Show panel" {
		t.Fatalf("Hide panel left the panel showing (button %q)", d.panelBtn.Text)
	}
	if wide := d.grid.Size().Width; wide < narrow*1.3 {
		t.Errorf("with the panel folded the week is %.0f wide, was %.0f: it did not take the width", wide, narrow)
	}
	if !d.Select(appt.ID) || !d.PanelShown() {
		t.Error("choosing an appointment did not bring the panel back to show it")
	}
	test.Tap(d.panelBtn)
	d.StartBooking()
	if !d.PanelShown() {
		t.Error("Ctrl+B's booking did not bring the panel back")
	}
}
