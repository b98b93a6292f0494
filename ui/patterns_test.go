package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"linkwell/data"
)

// patternsToday is the demo practice's last day and the store's clock.
var patternsToday = time.Date(2026, 11, 25, 10, 0, 0, 0, data.London())

// openPatterns makes a demo practice, signs in as its practice manager and
// opens Working patterns.
func openPatterns(t *testing.T) (*App, *data.Store, *PatternsScreen) {
	t.Helper()
	a, store, _ := newTestApp(t)
	ctx := context.Background()
	if _, err := store.CreateDemo(ctx, data.DemoOptions{Patients: 300, Years: 1, Seed: 1, Today: patternsToday}); err != nil {
		t.Fatal(err)
	}
	store.SetClock(func() time.Time { return patternsToday })
	manager, err := userNamed(t, store, "manager")
	if err != nil {
		t.Fatal(err)
	}
	a.SignedIn(as(t, a.store, manager))
	a.Show("Working patterns")
	if a.patterns == nil || a.Current() != "Working patterns" {
		t.Fatal("the practice manager cannot open Working patterns")
	}
	return a, store, a.patterns
}

// workerAppointments counts a worker's appointments by status from today
// to well past the end of the demo diary.
func workerAppointments(t *testing.T, store *data.Store, workerID int64) map[string]int {
	t.Helper()
	list, err := store.WorkerAppointments(context.Background(), sessionFor(t, store, data.OpViewDiary), workerID, patternsToday, patternsToday.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, a := range list {
		out[a.Status]++
	}
	return out
}

// bookMondayMornings books n follow-ups at 10:00 on the next free Mondays
// (skipping leave and bank holidays) and returns their ids.
func bookMondayMornings(t *testing.T, store *data.Store, workerID int64, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	reception, _ := userNamed(t, store, "reception1")
	existing, _ := store.WorkerAppointments(ctx, sessionFor(t, store, data.OpViewDiary), workerID, patternsToday.AddDate(-1, 0, 0), patternsToday)
	if len(existing) == 0 {
		t.Fatal("the demo worker has no patients")
	}
	day := patternsToday.AddDate(0, 0, 1)
	var ids []int64
	for len(ids) < n && day.Before(patternsToday.AddDate(0, 3, 0)) {
		if day.Weekday() == time.Monday {
			y, m, d := day.Date()
			a, err := store.Book(ctx, as(t, store, reception), data.Appointment{WorkerID: workerID, PatientID: existing[0].PatientID,
				Start: time.Date(y, m, d, 10, 0, 0, 0, data.London()), Type: "follow_up", Mode: data.ModeInPerson})
			if err == nil {
				ids = append(ids, a.ID)
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	if len(ids) < n {
		t.Fatalf("booked %d Monday mornings, want %d", len(ids), n)
	}
	return ids
}

func TestPatternsScreenChangesPattern(t *testing.T) {
	_, store, s := openPatterns(t)
	ctx := context.Background()
	worker, _ := userNamed(t, store, "linkworker1")
	s.worker.SetSelected(worker.FullName)
	if s.workerID != worker.ID {
		t.Fatalf("chose worker %d, want %d", s.workerID, worker.ID)
	}
	before, _ := store.WorkSessions(ctx, sessionFor(t, store, data.OpViewRotas), worker.ID)
	if len(s.rows) != len(before) || len(before) == 0 || len(s.saved) != len(before) {
		t.Fatalf("%d rows and %d saved for %d sessions", len(s.rows), len(s.saved), len(before))
	}
	booked := bookMondayMornings(t, store, worker.ID, 3)
	counts := workerAppointments(t, store, worker.ID)

	// A bad time: the message is beside its row, and every typed row stays.
	bad := s.rows[1]
	bad.start.SetText("")
	test.Type(bad.start, "25:00")
	test.Tap(s.save)
	if !bad.err.Visible() || !strings.Contains(bad.err.Text, "session 2") {
		t.Fatalf("no field error for 25:00: %q (%s)", bad.err.Text, s.patternMsg.Text)
	}
	if s.rows[0].err.Visible() {
		t.Errorf("a good row shows an error: %q", s.rows[0].err.Text)
	}
	if len(s.rows) != len(before) || bad.start.Text != "25:00" {
		t.Errorf("typing lost: %d rows, start %q", len(s.rows), bad.start.Text)
	}
	if after, _ := store.WorkSessions(ctx, sessionFor(t, store, data.OpViewRotas), worker.ID); len(after) != len(before) || after[0].ValidFrom != before[0].ValidFrom {
		t.Fatal("a bad pattern changed the store")
	}
	bad.start.SetText(data.FormatMinutes(before[1].Start))

	// Remove Monday morning and save from today.
	var monday *sessionRow
	for _, r := range s.rows {
		if r.weekday.Selected == "Monday" && r.start.Text == "09:00" {
			monday = r
		}
	}
	if monday == nil {
		t.Fatal("no Monday 09:00 session for the demo worker")
	}
	test.Tap(monday.remove)
	if len(s.rows) != len(before)-1 {
		t.Fatalf("%d rows after removing one", len(s.rows))
	}
	if s.validFrom.Text != "25/11/2026" {
		t.Errorf("valid from defaults to %q, want today", s.validFrom.Text)
	}
	test.Tap(s.save)
	after, _ := store.WorkSessions(ctx, sessionFor(t, store, data.OpViewRotas), worker.ID)
	if len(after) != len(before)-1 {
		t.Fatalf("store has %d sessions, want %d (%s)", len(after), len(before)-1, s.patternMsg.Text)
	}
	for _, w := range after {
		if w.Weekday == 1 && w.Start == 540 {
			t.Error("the Monday morning session is still there")
		}
		if w.ValidFrom != "2026-11-25" || w.ValidTo != "" {
			t.Errorf("session %+v is not from today, open-ended", w)
		}
	}
	// The Monday-morning bookings are listed, none deleted or changed.
	if len(s.Outside()) == 0 || !strings.Contains(s.patternMsg.Text, "outside the new pattern") {
		t.Fatalf("no appointments listed outside the pattern: %q", s.patternMsg.Text)
	}
	listed := map[int64]bool{}
	for _, a := range s.Outside() {
		listed[a.ID] = true
		if a.Start.Weekday() != time.Monday || a.Start.Hour() >= 13 {
			t.Errorf("listed an appointment that fits the pattern: %v", a.Start)
		}
	}
	for _, id := range booked {
		if !listed[id] {
			t.Errorf("Monday-morning appointment %d is not listed", id)
		}
		if a, err := store.Appointment(ctx, sessionFor(t, store, data.OpViewDiary), id); err != nil || a.Status != data.AppointmentBooked {
			t.Errorf("appointment %d after the change: %+v %v", id, a, err)
		}
	}
	if got := workerAppointments(t, store, worker.ID); len(got) != len(counts) || got[data.AppointmentBooked] != counts[data.AppointmentBooked] {
		t.Errorf("appointments changed: before %v, after %v", counts, got)
	}
	if len(s.rows) != len(after) || s.outsideList.Length() != len(s.Outside()) {
		t.Errorf("the screen shows %d rows and %d outside after saving", len(s.rows), s.outsideList.Length())
	}
}

func TestPatternsScreenLeaveAndLengths(t *testing.T) {
	_, store, s := openPatterns(t)
	ctx := context.Background()
	worker, _ := userNamed(t, store, "linkworker2")
	s.worker.SetSelected(worker.FullName)

	// A working week a fortnight or more ahead with no leave yet.
	monday := patternsToday.AddDate(0, 0, 14)
	for monday.Weekday() != time.Monday {
		monday = monday.AddDate(0, 0, 1)
	}
	for {
		l, _ := store.Leave(ctx, sessionFor(t, store, data.OpViewRotas), worker.ID, monday.Format(data.DateLayout), monday.AddDate(0, 0, 4).Format(data.DateLayout))
		if len(l) == 0 {
			break
		}
		monday = monday.AddDate(0, 0, 7)
	}
	friday := monday.AddDate(0, 0, 4)
	test.Type(s.firstDay, monday.Format("02/01/2006"))
	test.Type(s.lastDay, friday.Format("02/01/2006"))
	test.Type(s.reason, "Annual leave")
	test.Tap(s.addLeave)
	got, _ := store.Leave(ctx, sessionFor(t, store, data.OpViewRotas), worker.ID, monday.Format(data.DateLayout), friday.Format(data.DateLayout))
	if len(got) != 1 || got[0].WorkerID != worker.ID || got[0].Reason != "Annual leave" || got[0].LastDay != friday.Format(data.DateLayout) {
		t.Fatalf("leave in the store: %+v (%s)", got, s.leaveMsg.Text)
	}
	found := false
	for _, l := range s.leave {
		found = found || l.ID == got[0].ID
	}
	if !found || !strings.HasPrefix(s.leaveMsg.Text, "Added") || s.firstDay.Text != "" {
		t.Errorf("the screen does not show the new leave: %q", s.leaveMsg.Text)
	}
	for _, a := range s.covered {
		if a.WorkerID != worker.ID || a.Start.Before(monday) || a.Start.After(friday.AddDate(0, 0, 1)) {
			t.Errorf("covered list holds %+v", a)
		}
	}

	// The same days again: the store's message beside the first day.
	test.Type(s.firstDay, monday.Format("02/01/2006"))
	test.Tap(s.addLeave)
	if !s.leaveFields[0].err.Visible() || !strings.Contains(s.leaveFields[0].err.Text, "overlaps") {
		t.Errorf("overlapping leave: %q", s.leaveFields[0].err.Text)
	}

	// A bank holiday closes the whole practice.
	s.firstDay.SetText("")
	test.Type(s.firstDay, "31/05/2027")
	test.Type(s.reason, "Bank holiday: Spring bank holiday")
	s.closed.SetChecked(true)
	test.Tap(s.addLeave)
	closures, _ := store.Leave(ctx, sessionFor(t, store, data.OpViewRotas), 0, "2027-05-31", "2027-05-31")
	if len(closures) != 1 || closures[0].WorkerID != 0 {
		t.Fatalf("closure: %+v (%s)", closures, s.leaveMsg.Text)
	}

	// Delete the leave.
	s.DeleteLeave(got[0].ID)
	if l, _ := store.Leave(ctx, sessionFor(t, store, data.OpViewRotas), worker.ID, monday.Format(data.DateLayout), friday.Format(data.DateLayout)); len(l) != 0 {
		t.Errorf("leave not deleted: %+v", l)
	}

	// Appointment lengths: a bad one is refused beside its row, a good one saved.
	s.minutes[0].SetText("3")
	s.minutes[1].SetText("45")
	test.Tap(s.saveTypes)
	if !s.minuteErr[0].Visible() || s.minutes[0].Text != "3" {
		t.Errorf("3 minutes: %q", s.minuteErr[0].Text)
	}
	types, _ := store.AppointmentTypes(ctx, sessionFor(t, store, data.OpViewRotas))
	if types[1].DefaultMinutes != 45 || types[0].DefaultMinutes == 3 {
		t.Errorf("types after saving: %+v", types)
	}
}

func TestPatternsScreenHiddenFromReception(t *testing.T) {
	a, store, _ := newTestApp(t)
	_, reception := setUpStore(t, store)
	a.SignedIn(as(t, a.store, reception))
	if _, ok := a.navItems["Working patterns"]; ok {
		t.Error("a receptionist sees Working patterns")
	}
	a.Show("Working patterns")
	if a.Current() == "Working patterns" || a.patterns != nil {
		t.Error("a receptionist opened Working patterns")
	}
}

func TestParseSessionTime(t *testing.T) {
	for in, want := range map[string]int{"09:00": 540, "9:30": 570, "17.15": 1035, "0930": 570, "25:00": 1500, "9": -1, "9:5": -1, "": -1, "ab:cd": -1} {
		if got := parseSessionTime(in); got != want {
			t.Errorf("%q: %d, want %d", in, got, want)
		}
	}
}
