package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"linkwell/data"
)

// liveWorld is the demo practice open on two desks: this window, signed in
// as a receptionist, and another store on the same file.
func liveWorld(t *testing.T) (a *App, other *data.Store, q uiQueue, now time.Time) {
	return liveWorldAs(t, "reception1")
}

func liveWorldAs(t *testing.T, username string) (a *App, other *data.Store, q uiQueue, now time.Time) {
	t.Helper()
	a, store, _, q := newQueuedTestApp(t)
	now = time.Date(2026, 11, 25, 10, 0, 0, 0, diaryLondon())
	store.SetClock(func() time.Time { return now })
	ctx := context.Background()
	if _, err := store.CreateDemo(ctx, data.DemoOptions{Patients: 300, Years: 1, Seed: 1, Today: now}); err != nil {
		t.Fatal(err)
	}
	u, err := userNamed(t, store, username)
	if err != nil {
		t.Fatal(err)
	}
	other, err = data.Open(store.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	other.SetClock(func() time.Time { return now })
	a.SignedIn(as(t, a.store, u))
	t.Cleanup(a.stopLive)
	q.drain()
	return a, other, q, now
}

// bookElsewhere books the next free follow-up today on the other desk.
func bookElsewhere(t *testing.T, other *data.Store, now time.Time, not ...int64) data.Appointment {
	t.Helper()
	ctx := context.Background()
	sess := sessionFor(t, other, data.OpBook)
	slots, err := other.NextAvailable(ctx, sess, data.SlotQuery{TypeCode: "follow_up", Limit: 1})
	if err != nil || len(slots) == 0 || !sameDay(slots[0].Start, now) {
		t.Fatalf("no free slot today: %v %v", slots, err)
	}
	for id := int64(1); id <= 300; id++ {
		appts, err := other.PatientAppointments(ctx, sessionFor(t, other, data.OpViewDiary), id)
		if err != nil || len(appts) != 0 {
			continue
		}
		skip := false
		for _, n := range not {
			skip = skip || n == id
		}
		if skip {
			continue
		}
		appt, err := other.Book(ctx, sess, data.Appointment{WorkerID: slots[0].WorkerID, PatientID: id,
			Start: slots[0].Start, Type: "follow_up", Mode: data.ModeInPerson})
		if err != nil {
			continue
		}
		return appt
	}
	t.Fatal("no patient free to book")
	return data.Appointment{}
}

// A booking made at another desk shows in the open diary and on Today
// within a second, and a date half-typed in the diary stays as typed.
func TestLiveDiaryAndToday(t *testing.T) {
	a, other, q, now := liveWorld(t)
	a.Show("Diary")
	d := a.diary
	test.Type(d.date, "01/12/20") // half-typed, not submitted
	typed := d.date.Text

	shows := func(list []data.Appointment, id int64) bool {
		for _, ap := range list {
			if ap.ID == id {
				return true
			}
		}
		return false
	}
	appt := bookElsewhere(t, other, now)
	start := time.Now()
	q.waitFor(t, func() bool { return shows(d.grid.shown(), appt.ID) })
	if took := time.Since(start); took > time.Second {
		t.Errorf("the diary showed the booking after %v", took)
	}
	if d.date.Text != typed {
		t.Errorf("the date being typed became %q", d.date.Text)
	}

	a.Show("Today")
	q.drain()
	second := bookElsewhere(t, other, now, appt.PatientID)
	start = time.Now()
	q.waitFor(t, func() bool { return shows(a.today.appts, second.ID) })
	if took := time.Since(start); took > time.Second {
		t.Errorf("Today showed the booking after %v", took)
	}
}

// The banner shows while the server is away and goes when it is back.
func TestLiveLostBanner(t *testing.T) {
	a, store, _ := newTestApp(t)
	_, reception := setUpStore(t, store)
	a.SignedIn(as(t, store, reception))
	if a.lostBanner.Visible() {
		t.Fatal("the banner shows with the server there")
	}
	a.applyChange(data.Change{Lost: true})
	if !a.lostBanner.Visible() || a.lostBanner.Text != "Lost connection to the server — retrying" {
		t.Errorf("lost: banner visible %v, %q", a.lostBanner.Visible(), a.lostBanner.Text)
	}
	a.applyChange(data.Change{Restored: true})
	if a.lostBanner.Visible() {
		t.Error("the banner stayed after the server came back")
	}
}

// A goal another desk adds to the open case record shows there, and the
// contact note being typed stays; so does the referrals list see a move.
func TestLiveCaseRecordKeepsTyping(t *testing.T) {
	a, other, q, _ := liveWorldAs(t, "linkworker1")
	ctx := context.Background()
	rows := contactedReferral(t, other)
	a.OpenCase(rows[0].ID)
	s := a.caseRecord
	test.Type(s.contact.text, "Talked about the walking group")
	before := len(s.record.Goals)

	writer := signInAs(t, other, "linkworker1")
	if _, err := other.AddGoal(ctx, writer, data.Goal{ReferralID: rows[0].ID, Description: "Walk to the shops", StartScore: 3}); err != nil {
		t.Fatal(err)
	}
	q.waitFor(t, func() bool { return len(s.record.Goals) == before+1 })
	if s.contact.text.Text != "Talked about the walking group" {
		t.Errorf("the note being typed became %q", s.contact.text.Text)
	}

	a.Show("Referrals")
	l := a.referrals
	l.ClearFilters() // a link worker opens on their own caseload
	q.drain()
	test.Type(l.text, strings.SplitN(rows[0].PatientName, ",", 2)[0])
	q.waitFor(t, func() bool { r, ok := l.Row(0); return ok && r.ID == rows[0].ID })
	typed := l.text.Text
	if _, err := other.Move(ctx, writer, rows[0].ID, data.StatusClosed, "", "goals_met"); err != nil {
		t.Fatal(err)
	}
	q.waitFor(t, func() bool { r, ok := l.Row(0); return ok && r.Status == data.StatusClosed })
	if l.text.Text != typed {
		t.Errorf("the search being typed became %q", l.text.Text)
	}
}

// Another desk's changes refresh the open case record without recording
// another reading of it each time: only the user opening it is a read.
func TestLiveCaseRecordRefreshIsNotAnotherRead(t *testing.T) {
	a, other, q, _ := liveWorldAs(t, "linkworker1")
	ctx := context.Background()
	rows := contactedReferral(t, other)
	auditor := sessionFor(t, other, data.OpViewAudit)
	if auditor.User().Username == "linkworker1" {
		t.Fatal("the auditor must be someone else: their sign-in would be the link worker's")
	}
	views := func() int {
		t.Helper()
		events, err := other.AuditEvents(ctx, auditor, data.AuditFilter{UserID: a.session.User().ID, Action: "view"}, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Entity == "referral" && e.EntityID == rows[0].ID {
				n++
			}
		}
		return n
	}
	a.OpenCase(rows[0].ID)
	q.drain()
	opened := views()
	if opened == 0 {
		t.Fatal("opening the case record was not recorded")
	}

	desk := signInAs(t, other, "reception1")
	for _, phone := range []string{"07700 900111", "07700 900222"} {
		p, err := other.Patient(ctx, desk, a.caseRecord.record.Patient.ID)
		if err != nil {
			t.Fatal(err)
		}
		p.Phone = phone
		if _, err := other.SavePatient(ctx, desk, p, data.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
		q.waitFor(t, func() bool { return a.caseRecord.record.Patient.Phone == phone })
	}
	if n := views(); n != opened {
		t.Errorf("two refreshes made %d more openings of the record in the audit", n-opened)
	}
	// Opening it again is a read again.
	a.OpenCase(rows[0].ID)
	q.drain()
	if n := views(); n != opened+1 {
		t.Errorf("opening it again: %d openings, want %d", n, opened+1)
	}
}

// A patient added at another desk shows within a second in the Patients
// search on show, which keeps its highlight and what is typed in the form;
// a booking elsewhere does not search again (each search is audited).
func TestLivePatientsSearch(t *testing.T) {
	a, other, q, now := liveWorld(t)
	ctx := context.Background()
	a.Show("Patients")
	s := a.patients
	test.Type(s.picker.search, "Quintavalle")
	s.picker.SearchNow()
	if len(s.picker.Results()) != 0 {
		t.Fatalf("a Quintavalle already: %+v", s.picker.Results())
	}
	test.Type(s.given, "Half-typed") // the form's new patient, not saved
	searches := func() int {
		t.Helper()
		events, err := other.AuditEvents(ctx, sessionFor(t, other, data.OpViewAudit), data.AuditFilter{UserID: a.session.User().ID, Action: "search"}, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return len(events)
	}
	before := searches()

	bookElsewhere(t, other, now)
	time.Sleep(300 * time.Millisecond) // the watcher's report, if any
	q.drain()
	if n := searches(); n != before {
		t.Errorf("a booking elsewhere searched again %d times", n-before)
	}

	desk := signInAs(t, other, "reception1")
	added, err := other.SavePatient(ctx, desk, data.Patient{GivenName: "Ottavia", FamilyName: "Quintavalle", DateOfBirth: "12/05/1984", Phone: "07700 900555"}, data.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	q.waitFor(t, func() bool { r := s.picker.Results(); return len(r) == 1 && r[0].ID == added.ID })
	if took := time.Since(start); took > time.Second {
		t.Errorf("the Patients search showed the new patient after %v", took)
	}
	if s.picker.search.Text != "Quintavalle" || s.given.Text != "Half-typed" {
		t.Errorf("typing changed: search %q, given name %q", s.picker.search.Text, s.given.Text)
	}
	if n := searches(); n != before+1 {
		t.Errorf("%d searches recorded for one refresh", n-before)
	}
}

// contactedReferral is the first referral past received and still open,
// read by another desk.
func contactedReferral(t *testing.T, other *data.Store) []data.ReferralRow {
	t.Helper()
	rows, err := other.ListReferrals(context.Background(), sessionFor(t, other, data.OpViewReferralList),
		data.ReferralFilter{Statuses: []data.ReferralStatus{data.StatusContacted, data.StatusAccepted, data.StatusActive}},
		data.ReferralSort{Column: data.SortReceived}, 0, 1)
	if err != nil || len(rows) == 0 {
		t.Fatalf("no open referral of theirs: %v", err)
	}
	return rows
}
