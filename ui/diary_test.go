package ui

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// diaryWorld is a demo practice (sites, link workers with sessions,
// patients) with the store's clock fixed at Wednesday 25/11/2026 10:00,
// signed in as a receptionist.
type diaryWorld struct {
	a     *App
	store *data.Store
	w     fyne.Window
	user  data.User
	now   time.Time
}

func newDiaryWorld(t *testing.T) *diaryWorld {
	t.Helper()
	a, store, w := newTestApp(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, diaryLondon())
	store.SetClock(func() time.Time { return now })
	ctx := context.Background()
	if _, err := store.CreateDemo(ctx, data.DemoOptions{Patients: 300, Years: 1, Seed: 1, Today: now}); err != nil {
		t.Fatal(err)
	}
	u, err := userNamed(t, store, "reception1")
	if err != nil {
		t.Fatal(err)
	}
	a.SignedIn(as(t, a.store, u))
	return &diaryWorld{a: a, store: store, w: w, user: u, now: now}
}

// bookFollowUp books a follow-up for the patient (and referral, 0: none) in
// the first next-available slot (today's, if asked), as another desk would.
func (dw *diaryWorld) bookFollowUp(t *testing.T, p data.Patient, referral int64, today bool) data.Appointment {
	t.Helper()
	ctx := context.Background()
	slots, err := dw.store.NextAvailable(ctx, sessionFor(t, dw.store, data.OpViewDiary), data.SlotQuery{TypeCode: "follow_up", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(slots, func(sl data.Slot) bool { return !today || sameDay(sl.Start, dw.now) })
	if i < 0 {
		t.Fatalf("no free slot (today: %v): %v", today, slots)
	}
	appt, err := dw.store.Book(ctx, as(t, dw.store, dw.user), data.Appointment{WorkerID: slots[i].WorkerID, PatientID: p.ID,
		ReferralID: referral, Start: slots[i].Start, Type: "follow_up", Mode: data.ModeInPerson})
	if err != nil {
		t.Fatal(err)
	}
	return appt
}

// freePatient is a patient with no appointments at all, so no booking of
// theirs can clash; with a referral, one whose referral is open.
func (dw *diaryWorld) freePatient(t *testing.T, withReferral bool, not ...int64) (data.Patient, int64) {
	t.Helper()
	ctx := context.Background()
next:
	for id := int64(1); id <= 300; id++ {
		p, err := dw.store.Patient(ctx, sessionFor(t, dw.store, data.OpViewPatient), id)
		if err != nil {
			continue
		}
		for _, id := range not {
			if p.ID == id {
				continue next
			}
		}
		if p.NHSNumber == "" {
			continue
		}
		appts, _ := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), p.ID)
		if withReferral {
			r, err := dw.store.OpenReferral(ctx, sessionFor(t, dw.store, data.OpViewReferralList), p.ID)
			if err != nil {
				continue
			}
			return p, r.ID
		}
		if len(appts) == 0 {
			return p, 0
		}
	}
	t.Fatal("the demo has no suitable patient")
	return data.Patient{}, 0
}

func enter() *fyne.KeyEvent { return &fyne.KeyEvent{Name: fyne.KeyReturn} }

func ctrlB() fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault}
}

// Next available, pick the first slot, find the patient, save: all from
// the keyboard. The store has the booking and the diary shows it at once.
func TestDiaryNextAvailableThenBookByKeyboard(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	dw.a.Show("Diary")
	d := dw.a.diary
	c := dw.w.Canvas()
	p, _ := dw.freePatient(t, false)

	// Ctrl+B while typing in the date box starts a booking.
	focus(dw.w, d.date)
	c.Focused().(fyne.Shortcutable).TypedShortcut(ctrlB())
	b := d.book
	if d.side.Objects[0] != b.content {
		t.Fatal("Ctrl+B did not open the booking panel")
	}
	if len(b.slots) == 0 {
		t.Fatalf("Ctrl+B found no free slots: %q", b.findErr.Text)
	}
	first := b.slots[0]
	if first.Start.Before(dw.now) {
		t.Fatalf("the first slot %v is in the past", first.Start)
	}
	if c.Focused() != b.slotBtns[0] {
		t.Fatal("the first slot does not have the keyboard focus")
	}
	c.Focused().TypedKey(enter()) // Enter picks the focused slot
	if !b.slot.Start.Equal(first.Start) || c.Focused() != b.picker.search {
		t.Fatalf("slot %v picked, focus on %T", b.slot.Start, c.Focused())
	}
	typeFocused(c, data.FormatNHSNumber(p.NHSNumber))
	c.Focused().TypedKey(enter()) // one match: chosen
	if b.patient.ID != p.ID {
		t.Fatalf("patient %d chosen, want %d (%s)", b.patient.ID, p.ID, b.picker.status.Text)
	}
	if c.Focused() != b.notes {
		t.Fatalf("focus on %T after choosing the patient, want the notes", c.Focused())
	}
	typeFocused(c, "Bring the benefits letter")
	c.Focused().TypedKey(enter()) // Enter books

	appts, err := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), p.ID)
	if err != nil || len(appts) != 1 {
		t.Fatalf("%d appointments, %v (%s)", len(appts), err, b.message.Text)
	}
	got := appts[0]
	if !got.Start.Equal(first.Start) || !got.End.Equal(first.End) || got.WorkerID != first.WorkerID ||
		got.Status != data.AppointmentBooked || got.Notes != "Bring the benefits letter" || got.Type != b.typeCode(b.bookType.Selected) {
		t.Errorf("booked %+v, want the slot %+v", got, first)
	}
	// Shown at once, selected, with a confirmation.
	if d.grid.selected != got.ID || d.details.appt.ID != got.ID {
		t.Error("the new booking is not selected in the diary")
	}
	shown := false
	for _, a := range d.grid.shown() {
		shown = shown || a.ID == got.ID
	}
	if !shown {
		t.Error("the new booking is not drawn in the diary")
	}
	if !strings.HasPrefix(d.details.message.Text, "Booked: "+p.FullName()) {
		t.Errorf("confirmation %q", d.details.message.Text)
	}
}

// A patient at the desk who is not registered yet: added in place in the
// booking panel, from the keyboard, then booked. The store has both.
func TestDiaryBookPatientAddedInPlace(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	dw.a.Show("Diary")
	d := dw.a.diary
	c := dw.w.Canvas()
	d.StartBooking()
	b := d.book
	if len(b.slots) == 0 {
		t.Fatal("no free slots")
	}
	b.PickSlot(0)
	slot := b.slot
	pk := b.picker
	if c.Focused() != pk.search {
		t.Fatalf("focus on %T after picking the slot, want the patient search", c.Focused())
	}
	typeFocused(c, "Zofia Nowakowska")
	if len(pk.Results()) != 0 {
		t.Fatalf("the demo already has %+v", pk.Results())
	}
	test.Tap(pk.newButton)
	if c.Focused() != pk.nhs || pk.given.Text != "Zofia" || pk.family.Text != "Nowakowska" {
		t.Fatalf("new-patient form: %q %q, focus on %T", pk.given.Text, pk.family.Text, c.Focused())
	}
	nhs := testNHSNumber(t, 0)
	typeFocused(c, data.FormatNHSNumber(nhs))
	tabTo(t, c, pk.dob)
	typeFocused(c, "14/07/1948")
	tabTo(t, c, pk.phone)
	typeFocused(c, "07700 900456")
	c.Focused().TypedKey(enter()) // Enter saves the patient and chooses them

	added := b.patient
	if added.ID == 0 || added.FullName() != "Zofia Nowakowska" {
		t.Fatalf("the new patient is not chosen: %+v (%s)", added, pk.message.Text)
	}
	stored, err := dw.store.Patient(ctx, sessionFor(t, dw.store, data.OpViewPatient), added.ID)
	if err != nil || stored.NHSNumber != nhs || stored.DateOfBirth != "1948-07-14" || stored.Phone != "07700 900456" {
		t.Fatalf("stored %+v %v", stored, err)
	}
	if c.Focused() != b.notes || !strings.Contains(b.patientLabel.Text, "Nowakowska, Zofia") {
		t.Fatalf("after adding: focus on %T, %q", c.Focused(), b.patientLabel.Text)
	}
	c.Focused().TypedKey(enter()) // Enter books

	appts, err := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), added.ID)
	if err != nil || len(appts) != 1 || !appts[0].Start.Equal(slot.Start) || appts[0].WorkerID != slot.WorkerID {
		t.Fatalf("appointments %+v %v (%s)", appts, err, b.message.Text)
	}
	if !strings.HasPrefix(d.details.message.Text, "Booked: Zofia Nowakowska") {
		t.Errorf("confirmation %q", d.details.message.Text)
	}
}

// Marking DNA on the Today screen changes the store and the DNA count.
func TestTodayMarkDNA(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	p, referral := dw.freePatient(t, true)
	appt := dw.bookFollowUp(t, p, referral, true)
	before, _ := dw.store.DNACount(ctx, sessionFor(t, dw.store, data.OpViewDiary), p.ID, referral)

	dw.a.Show("Today")
	s := dw.a.today
	row := -1
	for i, a := range s.appts {
		if a.ID == appt.ID {
			row = i
		}
	}
	if row < 0 {
		t.Fatal("today's list does not show the appointment")
	}
	s.list.ScrollTo(row)
	r := s.row(row)
	if r == nil || r.patient.Text != p.FullName() {
		t.Fatal("the appointment's row is not drawn")
	}
	test.Tap(r.dna)

	got, _ := dw.store.Appointment(ctx, sessionFor(t, dw.store, data.OpViewDiary), appt.ID)
	if got.Status != data.AppointmentDNA {
		t.Errorf("status %q, want dna", got.Status)
	}
	after, _ := dw.store.DNACount(ctx, sessionFor(t, dw.store, data.OpViewDiary), p.ID, referral)
	if after != before+1 {
		t.Errorf("DNA count %d → %d", before, after)
	}
	if !strings.Contains(s.message.Text, "marked did not attend") {
		t.Errorf("message %q", s.message.Text)
	}
	// The row now offers nothing more to mark.
	if r = s.row(row); r == nil || !r.dna.Disabled() || !r.attended.Disabled() {
		t.Error("a DNA row can still be marked")
	}
}

// Another receptionist takes the slot between listing and booking: the
// plain message shows, the typing stays, and the next slots are offered;
// one of them books.
func TestDiaryDoubleBookingMessage(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	dw.a.Show("Diary")
	d := dw.a.diary
	mine, _ := dw.freePatient(t, false)
	theirs, _ := dw.freePatient(t, false, mine.ID)

	d.StartBooking()
	b := d.book
	if len(b.slots) == 0 {
		t.Fatal("no free slots")
	}
	first := b.slots[0]
	b.PickSlot(0)
	b.picker.SetQuery(data.FormatNHSNumber(mine.NHSNumber))
	b.picker.search.TypedKey(enter())
	test.Type(b.notes, "Needs the ground-floor room")

	other, _ := userNamed(t, dw.store, "reception2")
	if _, err := dw.store.Book(ctx, as(t, dw.store, other), data.Appointment{WorkerID: first.WorkerID, PatientID: theirs.ID,
		Start: first.Start, End: first.End, Type: "follow_up", Mode: data.ModeInPerson}); err != nil {
		t.Fatal(err)
	}
	test.Tap(b.submit)

	if !b.message.Visible() || !strings.HasPrefix(b.message.Text, "That slot was just taken by another booking at "+first.Start.Format("15:04")) {
		t.Fatalf("message %q", b.message.Text)
	}
	if b.notes.Text != "Needs the ground-floor room" || b.patient.ID != mine.ID {
		t.Error("the typing was lost")
	}
	if len(b.altBtns) == 0 {
		t.Fatal("no next slots offered")
	}
	if n, _ := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), mine.ID); len(n) != 0 {
		t.Fatal("the losing booking was saved")
	}
	test.Tap(b.altBtns[0])
	next := b.slot
	if next.Start.Before(first.End) && first.Start.Before(next.End) && next.WorkerID == first.WorkerID {
		t.Errorf("the slot offered %v overlaps the one taken", next.Start)
	}
	test.Tap(b.submit)
	appts, _ := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), mine.ID)
	if len(appts) != 1 || !appts[0].Start.Equal(next.Start) || appts[0].Notes != "Needs the ground-floor room" {
		t.Errorf("after picking a next slot: %+v (%s)", appts, b.message.Text)
	}
}

// From the diary: reschedule via next available, print the card, then
// cancel with a reason; the slot is free again.
func TestDiaryRescheduleCardCancel(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	p, _ := dw.freePatient(t, false)
	appt := dw.bookFollowUp(t, p, 0, false)
	dw.a.Show("Diary")
	d := dw.a.diary
	d.workerSel.SetSelected(appt.WorkerName)
	if !d.Select(appt.ID) {
		t.Fatal("the appointment is not in the diary")
	}
	pn := d.details

	test.Tap(pn.reschedule)
	b := d.book
	if b.moving == nil || len(b.slots) == 0 || b.minutes.Text != "30" {
		t.Fatalf("reschedule did not list slots of the same length: %q", b.minutes.Text)
	}
	b.PickSlot(0)
	to := b.slot
	test.Tap(b.submit)
	moved, _ := dw.store.Appointment(ctx, sessionFor(t, dw.store, data.OpViewDiary), appt.ID)
	if !moved.Start.Equal(to.Start) || moved.End.Sub(moved.Start) != 30*time.Minute {
		t.Fatalf("moved to %v, want %v (%s)", moved.Start, to.Start, b.message.Text)
	}

	d.Select(appt.ID)
	pn.PrintCard()
	pdfBytes, err := os.ReadFile(pn.lastCard)
	if err != nil || !bytes.HasPrefix(pdfBytes, []byte("%PDF")) {
		t.Fatalf("card %q: %v", pn.lastCard, err)
	}
	os.Remove(pn.lastCard)

	pn.Cancel(true, "")
	if got, _ := dw.store.Appointment(ctx, sessionFor(t, dw.store, data.OpViewDiary), appt.ID); got.Status != data.AppointmentBooked || !pn.message.Visible() {
		t.Fatal("cancelled without a reason")
	}
	pn.Cancel(true, "Unwell; will ring to rebook")
	got, _ := dw.store.Appointment(ctx, sessionFor(t, dw.store, data.OpViewDiary), appt.ID)
	if got.Status != data.AppointmentCancelledPatient || got.CancelReason != "Unwell; will ring to rebook" {
		t.Errorf("after cancel: %q %q", got.Status, got.CancelReason)
	}
	free, _ := dw.store.NextAvailable(ctx, sessionFor(t, dw.store, data.OpViewDiary), data.SlotQuery{WorkerID: got.WorkerID, Minutes: 30, From: got.Start, Limit: 1})
	if len(free) == 0 || !free[0].Start.Equal(got.Start) {
		t.Error("the cancelled time is not free again")
	}
}

// TestCaseloadWarnsAfterTwoDNAs: after two DNAs in an episode, the link
// worker's caseload says so.
func TestCaseloadWarnsAfterTwoDNAs(t *testing.T) {
	dw := newDiaryWorld(t)
	ctx := context.Background()
	patient, referralID := dw.freePatient(t, true)
	ref, err := dw.store.Referral(ctx, sessionFor(t, dw.store, data.OpViewReferralList), referralID)
	if err != nil || ref.LinkWorkerID == 0 {
		t.Fatalf("referral %d: %v (worker %d)", referralID, err, ref.LinkWorkerID)
	}
	slots, err := dw.store.NextAvailable(ctx, sessionFor(t, dw.store, data.OpViewDiary), data.SlotQuery{TypeCode: "follow_up", WorkerID: ref.LinkWorkerID, Step: 60, Limit: 2})
	if err != nil || len(slots) < 2 {
		t.Fatalf("slots: %v %v", slots, err)
	}
	var ids []int64
	for _, sl := range slots {
		ap, err := dw.store.Book(ctx, as(t, dw.store, dw.user), data.Appointment{WorkerID: sl.WorkerID, PatientID: patient.ID, ReferralID: referralID,
			Start: sl.Start, Type: "follow_up", Mode: data.ModeInPerson})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ap.ID)
	}
	later := slots[1].End.Add(time.Hour)
	dw.store.SetClock(func() time.Time { return later })
	for _, id := range ids {
		if err := dw.store.SetAppointmentStatus(ctx, as(t, dw.store, dw.user), id, data.AppointmentDNA); err != nil {
			t.Fatal(err)
		}
	}
	worker, err := userNamed(t, dw.store, usernameOf(t, dw.store, ref.LinkWorkerID))
	if err != nil {
		t.Fatal(err)
	}
	dw.a.SignedIn(as(t, dw.a.store, worker))
	dw.a.Show("Referrals")
	if got := dw.a.referrals.DNAWarning(); !strings.Contains(got, patient.FullName()) {
		t.Errorf("caseload warning %q does not name %s", got, patient.FullName())
	}
}

func usernameOf(t *testing.T, store *data.Store, id int64) string {
	users, err := store.Users(context.Background(), sessionFor(t, store, data.OpManageUsers))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.ID == id {
			return u.Username
		}
	}
	t.Fatalf("no user %d", id)
	return ""
}

// F5 reloads Today with nothing focused and with its list focused: another
// desk's booking appears (a key alone is never a Fyne shortcut).
func TestTodayF5Reloads(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.a.Show("Today")
	s := dw.a.today
	var booked []int64 // each booking a patient of its own
	book := func() {
		t.Helper()
		p, referral := dw.freePatient(t, true, booked...)
		booked = append(booked, p.ID)
		dw.bookFollowUp(t, p, referral, true)
	}
	c := dw.w.Canvas()
	before := len(s.appts)
	book()
	if len(s.appts) != before {
		t.Fatal("the list changed before F5")
	}
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF5})
	if len(s.appts) != before+1 {
		t.Errorf("F5 with nothing focused: %d appointments, want %d", len(s.appts), before+1)
	}
	book()
	c.Focus(s.list)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	if len(s.appts) != before+2 {
		t.Errorf("F5 with the list focused: %d appointments, want %d", len(s.appts), before+2)
	}
	// Other keys still reach the list: Down moves its highlight.
	moved := false
	s.list.OnHighlighted = func(widget.ListItemID) { moved = true }
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if !moved {
		t.Error("Down in the focused list moved nothing")
	}
}
