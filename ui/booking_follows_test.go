package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// dialogText is every label's text in the dialog on top, "" when none.
func dialogText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	return b.String()
}

// Booking from Next available with any link worker, for a patient whose
// referral is with one link worker, in a slot of another: the panel says
// whom the referral is with and now looks for that worker's slots; booking
// asks first. No books nothing; Yes books.
func TestBookingFollowsTheReferral(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	sess := sessionFor(t, dw.store, data.OpBook)
	var p data.Patient
	var follows data.User
	for id := int64(1); id <= 300 && follows.ID == 0; id++ {
		w, err := dw.store.ReferralWorker(ctx, sess, id)
		if err != nil {
			t.Fatal(err)
		}
		if w.ID != 0 {
			follows = w
			p, err = dw.store.Patient(ctx, sessionFor(t, dw.store, data.OpViewPatient), id)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if follows.ID == 0 {
		t.Fatal("no demo patient has a referral with a link worker")
	}
	countAppts := func() int {
		appts, err := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(appts)
	}
	before := countAppts()

	dw.a.Show("Diary")
	d := dw.a.diary
	d.StartBooking()
	b := d.book
	if b.workerSel.Selected != anyWorker {
		t.Fatalf("Next available starts with %q", b.workerSel.Selected)
	}
	other := -1
	for i, sl := range b.slots {
		if sl.WorkerID != follows.ID {
			other = i
			break
		}
	}
	if other < 0 {
		t.Fatal("every free slot is with the referral's link worker")
	}
	slot := b.slots[other]
	b.PickSlot(other)
	b.ChoosePatient(p)
	if !strings.Contains(b.patientLabel.Text, "Their referral is with "+follows.FullName) ||
		!strings.Contains(b.patientLabel.Text, "This slot is with "+slot.WorkerName) {
		t.Errorf("the patient line says %q", b.patientLabel.Text)
	}
	// Other slots now lists the referral's link worker's.
	if b.workerSel.Selected != follows.FullName || len(b.slots) == 0 {
		t.Errorf("the search is for %q with %d slots, want %q's", b.workerSel.Selected, len(b.slots), follows.FullName)
	}
	for _, sl := range b.slots {
		if sl.WorkerID != follows.ID {
			t.Errorf("a slot with %s offered after choosing the patient", sl.WorkerName)
			break
		}
	}

	// Book: asked first; No books nothing.
	b.notes.TypedKey(enter())
	want := p.FullName() + "'s referral is with " + follows.FullName + ". Book with " + slot.WorkerName + " instead?"
	if got := dialogText(dw.w); !strings.Contains(got, want) {
		t.Fatalf("the booking asked %q, want %q", got, want)
	}
	tapDialogButton(t, dw.w, "No")
	if n := countAppts(); n != before {
		t.Fatalf("No booked: %d appointments, had %d", n, before)
	}
	if dw.w.Canvas().Overlays().Top() != nil || !strings.Contains(b.message.Text, "Not booked") {
		t.Errorf("after No: message %q", b.message.Text)
	}

	// Again, Yes: booked with the other link worker, in the slot chosen.
	b.Submit()
	if !strings.Contains(dialogText(dw.w), want) {
		t.Fatal("the second booking did not ask")
	}
	tapDialogButton(t, dw.w, "Yes")
	appts, err := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), p.ID)
	if err != nil || len(appts) != before+1 {
		t.Fatalf("Yes: %d appointments, had %d (%v; %s)", len(appts), before, err, b.message.Text)
	}
	booked := false
	for _, a := range appts {
		booked = booked || (a.WorkerID == slot.WorkerID && a.Start.Equal(slot.Start))
	}
	if !booked {
		t.Errorf("nothing booked with %s at %v", slot.WorkerName, slot.Start)
	}
}
