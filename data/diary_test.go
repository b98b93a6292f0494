package data

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The test clock (newStore) is Wednesday 25/11/2026 10:30 GMT. Monday
// 30/11/2026 is the first full week ahead.

// referral is an open referral of the first patient, to the first link worker.
func (f diaryFixture) referral(t *testing.T) Referral {
	t.Helper()
	r, err := f.s.CreateReferral(context.Background(), f.s.sessionFor(OpRefer), Referral{PatientID: f.p1.ID, Source: "gp", ReferrerName: "Dr Whitfield",
		Reasons: []string{"loneliness"}, ConsentBy: "Patient", ConsentOn: "20/11/2026", LinkWorkerID: f.w1.ID})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type diaryFixture struct {
	s                *Store
	admin, manager   User
	recep            User
	w1, w2           User
	p1, p2, p3       Patient
	main, branch     int64
	mondayMorning    time.Time // 30/11/2026 09:00 London
	workerOnePattern []WorkSession
}

func newDiaryFixture(t testing.TB) diaryFixture {
	t.Helper()
	s := newStore(t)
	f := diaryFixture{s: s, admin: setUpPractice(t, s)}
	ctx := context.Background()
	user := func(username, name string, role Role) User {
		u, err := s.CreateUser(ctx, s.session(f.admin), NewUser{Username: username, FullName: name, Role: role, Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.manager = user("pm", "Priya Manager", RolePracticeManager)
	f.recep = user("rec", "Rita Reception", RoleReceptionist)
	f.w1 = user("lw1", "Amira Khan", RoleLinkWorker)
	f.w2 = user("lw2", "Tom Fletcher", RoleLinkWorker)
	patient := func(given, family string) Patient {
		p, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{GivenName: given, FamilyName: family, DateOfBirth: "01/03/1950", Phone: "07700 900123"}, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.p1, f.p2, f.p3 = patient("Siân", "Llewellyn"), patient("Łukasz", "Nowak"), patient("Grace", "Okafor")
	for _, name := range []string{"Main Surgery", "Branch Surgery"} {
		res, err := s.db.Exec(`INSERT INTO sites (name) VALUES (?)`, name)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		if f.main == 0 {
			f.main = id
		} else {
			f.branch = id
		}
	}
	// Amira: weekdays, mornings at Main, afternoons at Branch.
	// Tom: Monday, Tuesday and Thursday all day at Branch.
	for wd := 1; wd <= 5; wd++ {
		f.workerOnePattern = append(f.workerOnePattern,
			WorkSession{Weekday: wd, Start: 9 * 60, End: 12*60 + 30, SiteID: f.main},
			WorkSession{Weekday: wd, Start: 13*60 + 30, End: 17 * 60, SiteID: f.branch})
	}
	if _, err := s.SetWorkPattern(ctx, s.session(f.manager), f.w1.ID, f.workerOnePattern, "25/11/2026"); err != nil {
		t.Fatal(err)
	}
	var tom []WorkSession
	for _, wd := range []int{1, 2, 4} {
		tom = append(tom, WorkSession{Weekday: wd, Start: 9 * 60, End: 17 * 60, SiteID: f.branch})
	}
	if _, err := s.SetWorkPattern(ctx, s.session(f.manager), f.w2.ID, tom, "2026-11-25"); err != nil {
		t.Fatal(err)
	}
	f.mondayMorning = ukTime(t, "30/11/2026 09:00")
	return f
}

func ukTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := ParseUKDateTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// book books a follow-up (30 minutes) in person.
func (f diaryFixture) book(t testing.TB, worker User, patient Patient, at string) (Appointment, error) {
	t.Helper()
	return f.s.Book(context.Background(), f.s.session(f.recep), Appointment{WorkerID: worker.ID, PatientID: patient.ID,
		Start: ukTime(t, at), Type: "follow_up", Mode: ModeInPerson})
}

func (f diaryFixture) mustBook(t testing.TB, worker User, patient Patient, at string) Appointment {
	t.Helper()
	a, err := f.book(t, worker, patient, at)
	if err != nil {
		t.Fatalf("booking %s at %s: %v", worker.FullName, at, err)
	}
	return a
}

// startField expects a validation error on Start containing words.
func startField(t *testing.T, err error, words string) {
	t.Helper()
	v, ok := FieldErrors(err)
	if !ok || !strings.Contains(v.For("Start"), words) {
		t.Errorf("want a Start error with %q, got %v", words, err)
	}
}

func hhmm(t time.Time) string { return t.In(London()).Format("Mon 02/01 15:04") }

func TestBookOverlapAndBackToBack(t *testing.T) {
	f := newDiaryFixture(t)
	first := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	if first.End.Sub(first.Start) != 30*time.Minute || first.SiteID != f.main || first.SiteName != "Main Surgery" ||
		first.Status != AppointmentBooked || first.BookedBy != "Rita Reception" || first.TypeName != "Follow-up" || first.PatientName != "Siân Llewellyn" {
		t.Errorf("booked %+v", first)
	}
	var stored string
	f.s.db.QueryRow(`SELECT starts_at FROM appointments WHERE id = ?`, first.ID).Scan(&stored)
	if stored != "2026-11-30T10:00:00Z" {
		t.Errorf("stored %s", stored)
	}

	_, err := f.book(t, f.w1, f.p2, "30/11/2026 10:15")
	var taken *SlotTakenError
	if !errors.As(err, &taken) {
		t.Fatalf("overlap accepted: %v", err)
	}
	if taken.Clash.ID != first.ID || len(taken.Next) == 0 || !taken.Next[0].Start.Equal(ukTime(t, "30/11/2026 10:30")) ||
		taken.Next[0].End.Sub(taken.Next[0].Start) != 30*time.Minute || taken.Next[0].WorkerID != f.w1.ID {
		t.Errorf("clash %+v, next %+v", taken.Clash, taken.Next)
	}
	if want := "That slot was just taken by another booking at 10:00 — here are the next free slots"; err.Error() != want {
		t.Errorf("message %q", err)
	}
	// Back to back on both sides is fine.
	f.mustBook(t, f.w1, f.p2, "30/11/2026 10:30")
	f.mustBook(t, f.w1, f.p3, "30/11/2026 09:30")
	// A longer appointment that swallows one is refused too.
	_, err = f.s.Book(context.Background(), f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p3.ID, Start: ukTime(t, "30/11/2026 11:00"),
		End: ukTime(t, "30/11/2026 12:00"), Type: "initial_assessment", Mode: ModeInPerson})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.Book(context.Background(), f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p1.ID, Start: ukTime(t, "30/11/2026 10:45"),
		End: ukTime(t, "30/11/2026 12:15"), Type: "home_visit", Mode: ModeHomeVisit})
	if !errors.As(err, &taken) {
		t.Errorf("a long appointment over others was accepted: %v", err)
	}
	// Validation names fields.
	_, err = f.s.Book(context.Background(), f.s.session(f.recep), Appointment{})
	v, _ := FieldErrors(err)
	for _, field := range []string{"WorkerID", "PatientID", "Type", "Mode", "Start"} {
		if v == nil || v.For(field) == "" {
			t.Errorf("no message for %s: %v", field, err)
		}
	}
	_, err = f.s.Book(context.Background(), f.s.session(f.recep), Appointment{WorkerID: f.admin.ID, PatientID: f.p1.ID, Start: ukTime(t, "30/11/2026 14:00"), Type: "review", Mode: ModePhone})
	if v, _ := FieldErrors(err); v == nil || v.For("WorkerID") == "" {
		t.Errorf("an administrator was booked as link worker: %v", err)
	}
	// Phone appointments carry no site.
	call, err := f.s.Book(context.Background(), f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p1.ID, Start: ukTime(t, "30/11/2026 14:00"), Type: "phone_call", Mode: ModePhone})
	if err != nil || call.SiteID != 0 || call.End.Sub(call.Start) != 20*time.Minute {
		t.Errorf("phone call %+v: %v", call, err)
	}
	// In person at the wrong site is refused.
	_, err = f.s.Book(context.Background(), f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p2.ID, Start: ukTime(t, "30/11/2026 15:00"), Type: "review", Mode: ModeInPerson, SiteID: f.main})
	if v, _ := FieldErrors(err); v == nil || !strings.Contains(v.For("SiteID"), "Branch Surgery") {
		t.Errorf("wrong site accepted: %v", err)
	}
}

func TestBookOutsideSessionsLeaveAndClosures(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	_, err := f.book(t, f.w1, f.p1, "30/11/2026 08:30")
	startField(t, err, "outside Amira Khan's sessions that day (09:00–12:30, 13:30–17:00)")
	_, err = f.book(t, f.w1, f.p1, "30/11/2026 12:15") // runs past 12:30
	startField(t, err, "outside")
	_, err = f.book(t, f.w1, f.p1, "30/11/2026 12:45") // lunch
	startField(t, err, "outside")
	_, err = f.book(t, f.w1, f.p1, "05/12/2026 10:00") // Saturday
	startField(t, err, "does not work on Saturday 05/12/2026")
	_, err = f.book(t, f.w2, f.p1, "02/12/2026 10:00") // Tom does not work Wednesdays
	startField(t, err, "Tom Fletcher does not work")
	_, err = f.book(t, f.w1, f.p1, "25/11/2026 10:00") // half an hour ago
	startField(t, err, "passed")
	f.mustBook(t, f.w1, f.p1, "25/11/2026 10:26") // the patient is at the desk: a few minutes' grace

	// Leave covers an appointment already booked, and refuses new ones.
	covered := f.mustBook(t, f.w1, f.p2, "01/12/2026 09:00")
	if _, _, err := f.s.AddLeave(ctx, f.s.session(f.recep), Leave{WorkerID: f.w1.ID, FirstDay: "01/12/2026", Reason: "Training day"}); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a receptionist added leave: %v", err)
	}
	leave, list, err := f.s.AddLeave(ctx, f.s.session(f.manager), Leave{WorkerID: f.w1.ID, FirstDay: "01/12/2026", Reason: "Training day"})
	if err != nil {
		t.Fatal(err)
	}
	if leave.LastDay != "2026-12-01" || len(list) != 1 || list[0].ID != covered.ID {
		t.Errorf("leave %+v covers %+v", leave, list)
	}
	if a, _ := f.s.Appointment(ctx, f.s.sessionFor(OpViewDiary), covered.ID); a.Status != AppointmentBooked {
		t.Errorf("leave changed an appointment: %+v", a)
	}
	_, err = f.book(t, f.w1, f.p3, "01/12/2026 11:00")
	startField(t, err, "Amira Khan is on leave on Tuesday 01/12/2026 (Training day)")
	if _, err := f.book(t, f.w2, f.p3, "01/12/2026 11:00"); err != nil {
		t.Errorf("Tom is not on leave: %v", err)
	}
	_, _, err = f.s.AddLeave(ctx, f.s.session(f.manager), Leave{WorkerID: f.w1.ID, FirstDay: "30/11/2026", LastDay: "02/12/2026"})
	if v, _ := FieldErrors(err); v == nil || v.For("FirstDay") == "" {
		t.Errorf("overlapping leave accepted: %v", err)
	}
	_, _, err = f.s.AddLeave(ctx, f.s.session(f.manager), Leave{WorkerID: f.w1.ID, FirstDay: "04/12/2026", LastDay: "03/12/2026"})
	if v, _ := FieldErrors(err); v == nil || v.For("LastDay") == "" {
		t.Errorf("backwards leave accepted: %v", err)
	}

	// A practice-closed day stops every worker.
	_, _, err = f.s.AddLeave(ctx, f.s.session(f.manager), Leave{FirstDay: "03/12/2026"})
	if v, _ := FieldErrors(err); v == nil || v.For("Reason") == "" {
		t.Errorf("a closure without a reason: %v", err)
	}
	closure, _, err := f.s.AddLeave(ctx, f.s.session(f.manager), Leave{FirstDay: "03/12/2026", Reason: "Staff training afternoon"})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []User{f.w1, f.w2} {
		_, err = f.book(t, w, f.p3, "03/12/2026 10:00")
		startField(t, err, "the practice is closed on Thursday 03/12/2026 (Staff training afternoon)")
	}
	all, err := f.s.Leave(ctx, f.s.sessionFor(OpViewRotas), f.w2.ID, "2026-11-01", "2026-12-31")
	if err != nil || len(all) != 1 || all[0].ID != closure.ID {
		t.Errorf("Tom's leave %+v: %v", all, err)
	}
	all, _ = f.s.Leave(ctx, f.s.sessionFor(OpViewRotas), 0, "", "")
	if len(all) != 2 || all[0].WorkerName != "Amira Khan" || all[1].WorkerID != 0 {
		t.Errorf("all leave %+v", all)
	}
	// Deleting the closure opens the day again.
	if err := f.s.DeleteLeave(ctx, f.s.session(f.manager), closure.ID); err != nil {
		t.Fatal(err)
	}
	f.mustBook(t, f.w1, f.p3, "03/12/2026 10:00")
	if err := f.s.DeleteLeave(ctx, f.s.session(f.manager), closure.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted twice: %v", err)
	}
}

func TestPatientCannotBeInTwoPlaces(t *testing.T) {
	f := newDiaryFixture(t)
	f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	_, err := f.book(t, f.w2, f.p1, "30/11/2026 10:15")
	var busy *PatientBusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "Siân Llewellyn already has an appointment with Amira Khan at 10:00 on 30/11/2026") {
		t.Fatalf("patient double-booked: %v", err)
	}
	f.mustBook(t, f.w2, f.p1, "30/11/2026 10:30")
}

func TestCancelledSlotIsFree(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	a := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	if err := f.s.Cancel(ctx, f.s.session(f.recep), a.ID, true, " "); err == nil {
		t.Error("cancelled without a reason")
	}
	if err := f.s.Cancel(ctx, f.s.session(f.recep), a.ID, true, "Feeling unwell"); err != nil {
		t.Fatal(err)
	}
	got, _ := f.s.Appointment(ctx, f.s.sessionFor(OpViewDiary), a.ID)
	if got.Status != AppointmentCancelledPatient || got.CancelReason != "Feeling unwell" {
		t.Errorf("cancelled %+v", got)
	}
	if err := f.s.Cancel(ctx, f.s.session(f.recep), a.ID, false, "again"); err == nil {
		t.Error("cancelled twice")
	}
	f.mustBook(t, f.w1, f.p2, "30/11/2026 10:00")
	f.mustBook(t, f.w2, f.p1, "30/11/2026 10:00") // the patient is free again too
	if audits := queryCount(t, f.s, `SELECT count(*) FROM audit_events WHERE entity = 'appointment' AND entity_id = ?`, a.ID); audits != 2 {
		t.Errorf("%d audit events for book + cancel", audits)
	}
}

func TestRescheduleKeepsTheRules(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	a := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	b := f.mustBook(t, f.w1, f.p2, "30/11/2026 11:00")
	_, err := f.s.Reschedule(ctx, f.s.session(f.recep), a.ID, ukTime(t, "30/11/2026 11:15"), 0)
	var taken *SlotTakenError
	if !errors.As(err, &taken) || taken.Clash.ID != b.ID {
		t.Errorf("moved onto another booking: %v", err)
	}
	// Overlapping its own old time is fine.
	moved, err := f.s.Reschedule(ctx, f.s.session(f.recep), a.ID, ukTime(t, "30/11/2026 10:15"), 0)
	if err != nil || !moved.Start.Equal(ukTime(t, "30/11/2026 10:15")) || moved.End.Sub(moved.Start) != 30*time.Minute {
		t.Fatalf("moved %+v: %v", moved, err)
	}
	_, err = f.s.Reschedule(ctx, f.s.session(f.recep), a.ID, ukTime(t, "30/11/2026 12:45"), 0)
	startField(t, err, "outside")
	// To the other worker: the site follows the new session.
	moved, err = f.s.Reschedule(ctx, f.s.session(f.recep), a.ID, ukTime(t, "30/11/2026 11:00"), f.w2.ID)
	if err != nil || moved.WorkerID != f.w2.ID || moved.SiteID != f.branch {
		t.Fatalf("moved %+v: %v", moved, err)
	}
	// The patient cannot be moved onto their own other appointment.
	c := f.mustBook(t, f.w2, f.p2, "30/11/2026 14:00")
	_, err = f.s.Reschedule(ctx, f.s.session(f.recep), b.ID, ukTime(t, "30/11/2026 14:00"), 0)
	var busy *PatientBusyError
	if !errors.As(err, &busy) || busy.Clash.ID != c.ID {
		t.Errorf("patient double-booked by a move: %v", err)
	}
	f.s.Cancel(ctx, f.s.session(f.recep), b.ID, false, "Link worker ill")
	if _, err := f.s.Reschedule(ctx, f.s.session(f.recep), b.ID, ukTime(t, "30/11/2026 15:00"), 0); err == nil {
		t.Error("a cancelled appointment was moved")
	}
}

func TestWorkPatternChangeKeepsAppointments(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	today := f.mustBook(t, f.w1, f.p1, "25/11/2026 14:00") // before the change: not listed
	monday := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	friday := f.mustBook(t, f.w1, f.p2, "04/12/2026 14:00")
	tuesday := f.mustBook(t, f.w1, f.p3, "01/12/2026 09:00")
	f.s.Cancel(ctx, f.s.session(f.recep), tuesday.ID, true, "Away") // not live: not listed

	if _, err := f.s.SetWorkPattern(ctx, f.s.session(f.recep), f.w1.ID, nil, "27/11/2026"); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a receptionist changed a pattern: %v", err)
	}
	_, err := f.s.SetWorkPattern(ctx, f.s.session(f.manager), f.w1.ID, []WorkSession{
		{Weekday: 1, Start: 540, End: 720, SiteID: f.main},
		{Weekday: 1, Start: 700, End: 800, SiteID: f.main},
		{Weekday: 8, Start: 800, End: 700, SiteID: 0},
		{Weekday: 2, Start: 543, End: 600, SiteID: 999},
	}, "27/11/2026")
	v, _ := FieldErrors(err)
	for _, field := range []string{"Sessions[1].Start", "Sessions[2].Weekday", "Sessions[2].End", "Sessions[2].SiteID", "Sessions[3].Start", "Sessions[3].SiteID"} {
		if v == nil || v.For(field) == "" {
			t.Errorf("no message for %s: %v", field, err)
		}
	}
	if v != nil && !strings.Contains(v.For("Sessions[1].Start"), "overlaps session 1 on Monday") {
		t.Errorf("overlap message %q", v.For("Sessions[1].Start"))
	}
	if _, err := f.s.SetWorkPattern(ctx, f.s.session(f.manager), f.w1.ID, nil, "24/11/2026"); err == nil {
		t.Error("a pattern changed in the past")
	}

	// From Friday 27/11: Mondays only, all day at Branch.
	outside, err := f.s.SetWorkPattern(ctx, f.s.session(f.manager), f.w1.ID, []WorkSession{{Weekday: 1, Start: 540, End: 1020, SiteID: f.branch}}, "27/11/2026")
	if err != nil {
		t.Fatal(err)
	}
	if len(outside) != 1 || outside[0].ID != friday.ID {
		t.Errorf("outside the new pattern: %+v", outside)
	}
	for _, id := range []int64{today.ID, monday.ID, friday.ID} {
		if a, err := f.s.Appointment(ctx, f.s.sessionFor(OpViewDiary), id); err != nil || a.Status != AppointmentBooked || a.SiteID == 0 {
			t.Errorf("pattern change touched appointment %d: %+v %v", id, a, err)
		}
	}
	sessions, _ := f.s.WorkSessions(ctx, f.s.sessionFor(OpViewRotas), f.w1.ID)
	ended, current := 0, 0
	for _, w := range sessions {
		switch {
		case w.ValidTo == "2026-11-26":
			ended++
		case w.ValidFrom == "2026-11-27" && w.ValidTo == "" && w.SiteName == "Branch Surgery":
			current++
		default:
			t.Errorf("session %+v", w)
		}
	}
	if ended != 10 || current != 1 {
		t.Errorf("%d ending, %d new sessions", ended, current)
	}
	// Thursday 26/11 still has the old pattern; Friday 04/12 has none.
	f.mustBook(t, f.w1, f.p3, "26/11/2026 14:00")
	_, err = f.book(t, f.w1, f.p3, "04/12/2026 15:00")
	startField(t, err, "does not work")
	f.mustBook(t, f.w1, f.p3, "30/11/2026 16:00")

	// A second change on the same start replaces the first outright.
	if _, err := f.s.SetWorkPattern(ctx, f.s.session(f.manager), f.w1.ID, f.workerOnePattern, "27/11/2026"); err != nil {
		t.Fatal(err)
	}
	sessions, _ = f.s.WorkSessions(ctx, f.s.sessionFor(OpViewRotas), f.w1.ID)
	if len(sessions) != 20 {
		t.Errorf("%d sessions after replacing the change", len(sessions))
	}
}

func TestNextAvailable(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	q := SlotQuery{TypeCode: "follow_up", WorkerID: f.w1.ID, From: f.mondayMorning, Limit: 3}
	slots, err := f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), q)
	if err != nil || len(slots) != 3 || hhmm(slots[0].Start) != "Mon 30/11 09:00" || hhmm(slots[1].Start) != "Mon 30/11 09:05" ||
		slots[0].End.Sub(slots[0].Start) != 30*time.Minute || slots[0].SiteName != "Main Surgery" || slots[0].WorkerName != "Amira Khan" {
		t.Fatalf("slots %+v: %v", slots, err)
	}
	// Booked time is skipped.
	f.mustBook(t, f.w1, f.p1, "30/11/2026 09:10")
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), q)
	if hhmm(slots[0].Start) != "Mon 30/11 09:40" {
		t.Errorf("after a booking at 09:10: %s", hhmm(slots[0].Start))
	}
	q.Step = 30
	q.Minutes = 60
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), q)
	if hhmm(slots[0].Start) != "Mon 30/11 10:00" || hhmm(slots[1].Start) != "Mon 30/11 10:30" {
		t.Errorf("hour-long slots on the half hour: %s, %s", hhmm(slots[0].Start), hhmm(slots[1].Start))
	}
	// Leave is skipped: the next morning.
	if _, _, err := f.s.AddLeave(ctx, f.s.session(f.manager), Leave{WorkerID: f.w1.ID, FirstDay: "30/11/2026", Reason: "Annual leave"}); err != nil {
		t.Fatal(err)
	}
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), q)
	if hhmm(slots[0].Start) != "Tue 01/12 09:00" {
		t.Errorf("on leave: %s", hhmm(slots[0].Start))
	}
	// Site filter: Amira is at Branch in the afternoons.
	q.SiteID = f.branch
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), q)
	if hhmm(slots[0].Start) != "Tue 01/12 13:30" || slots[0].SiteID != f.branch {
		t.Errorf("at Branch: %+v", slots[0])
	}
	// ... but a phone call can be made from anywhere.
	q.Mode = ModePhone
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), q)
	if hhmm(slots[0].Start) != "Tue 01/12 09:00" {
		t.Errorf("phone at any site: %s", hhmm(slots[0].Start))
	}
	// Any worker: Tom (at Branch all day on Mondays) comes first, then both in time order.
	slots, err = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{TypeCode: "review", From: f.mondayMorning, Limit: 50, Step: 30})
	if err != nil || slots[0].WorkerID != f.w2.ID || hhmm(slots[0].Start) != "Mon 30/11 09:00" {
		t.Fatalf("any worker: %+v %v", slots, err)
	}
	seen := map[int64]bool{}
	for i, sl := range slots {
		seen[sl.WorkerID] = true
		if i > 0 && sl.Start.Before(slots[i-1].Start) {
			t.Errorf("out of order: %s after %s", hhmm(sl.Start), hhmm(slots[i-1].Start))
		}
	}
	if !seen[f.w1.ID] || !seen[f.w2.ID] {
		t.Errorf("workers seen: %v", seen)
	}
	// Worker filter.
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{TypeCode: "review", WorkerID: f.w2.ID, From: f.mondayMorning, Limit: 100})
	for _, sl := range slots {
		if sl.WorkerID != f.w2.ID {
			t.Fatalf("another worker's slot: %+v", sl)
		}
	}
	// From in the past or unset: from now, rounded up to the next 5 minutes.
	f.s.SetClock(func() time.Time { return ukTime(t, "25/11/2026 10:32") })
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{TypeCode: "review", WorkerID: f.w1.ID, From: ukTime(t, "01/01/2026 09:00")})
	if hhmm(slots[0].Start) != "Wed 25/11 10:35" {
		t.Errorf("from now: %s", hhmm(slots[0].Start))
	}
	// A practice-closed day has no slots at all.
	f.s.AddLeave(ctx, f.s.session(f.manager), Leave{FirstDay: "25/11/2026", Reason: "Closed for training"})
	slots, _ = f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{TypeCode: "review"})
	if hhmm(slots[0].Start) != "Thu 26/11 09:00" {
		t.Errorf("closed today: %s", hhmm(slots[0].Start))
	}
	if _, err := f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{TypeCode: "nonsense"}); err == nil {
		t.Error("an unknown type was searched")
	}
}

func TestSummerTime(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	// 09:00 London in July is 08:00 UTC; in November it is 09:00 UTC.
	july := f.mustBook(t, f.w1, f.p1, "05/07/2027 09:00")
	winter := f.mustBook(t, f.w1, f.p1, "30/11/2026 09:00")
	for _, c := range []struct {
		id   int64
		want string
	}{{july.ID, "2027-07-05T08:00:00Z"}, {winter.ID, "2026-11-30T09:00:00Z"}} {
		var stored string
		f.s.db.QueryRow(`SELECT starts_at FROM appointments WHERE id = ?`, c.id).Scan(&stored)
		if stored != c.want {
			t.Errorf("stored %s, want %s", stored, c.want)
		}
	}
	if july.Start.Hour() != 9 || july.Start.Location() != London() {
		t.Errorf("read back as %s", july.Start)
	}
	// 08:30 London in July is before the session, though 08:30 UTC is not.
	_, err := f.s.Book(ctx, f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p2.ID, Start: time.Date(2027, 7, 5, 7, 30, 0, 0, time.UTC),
		Type: "follow_up", Mode: ModeInPerson})
	startField(t, err, "outside")
	slots, err := f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{TypeCode: "follow_up", WorkerID: f.w1.ID, From: time.Date(2027, 7, 5, 0, 0, 0, 0, time.UTC), Limit: 1})
	if err != nil || len(slots) != 1 || slots[0].Start.UTC().Format(TimeLayout) != "2027-07-05T08:30:00Z" {
		t.Errorf("July slots %+v: %v", slots, err)
	}
	// The afternoon of the day the clocks go back (Sunday 25/10/2026 is
	// past); Monday 29/03/2027 is the first day of summer time.
	spring := f.mustBook(t, f.w1, f.p2, "29/03/2027 13:30")
	if spring.Start.UTC().Hour() != 12 {
		t.Errorf("29/03/2027 13:30 London is %s", spring.Start.UTC())
	}
}

func TestAppointmentStatusAndDNAs(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	r := f.referral(t)
	// The referral must be the patient's.
	_, err := f.s.Book(ctx, f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p2.ID, ReferralID: r.ID, Start: ukTime(t, "30/11/2026 10:00"), Type: "review", Mode: ModeVideo})
	if v, _ := FieldErrors(err); v == nil || v.For("ReferralID") == "" {
		t.Errorf("another patient's referral accepted: %v", err)
	}
	var ids []int64
	for _, at := range []string{"30/11/2026 10:00", "01/12/2026 10:00", "02/12/2026 10:00", "03/12/2026 10:00"} {
		a, err := f.s.Book(ctx, f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p1.ID, ReferralID: r.ID, Start: ukTime(t, at), Type: "follow_up", Mode: ModeInPerson})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if err := f.s.SetAppointmentStatus(ctx, f.s.session(f.recep), ids[0], AppointmentAttended); err == nil || !strings.Contains(err.Error(), "on the day") {
		t.Errorf("marked attended days ahead: %v", err)
	}
	// Monday 30/11, 10:05.
	f.s.SetClock(func() time.Time { return ukTime(t, "30/11/2026 10:05") })
	if err := f.s.SetAppointmentStatus(ctx, f.s.session(f.recep), ids[0], AppointmentArrived); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetAppointmentStatus(ctx, f.s.session(f.recep), ids[0], AppointmentBooked); err == nil {
		t.Error("moved back to booked")
	}
	if err := f.s.SetAppointmentStatus(ctx, f.s.session(f.w1), ids[0], AppointmentAttended); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetAppointmentStatus(ctx, f.s.session(f.recep), ids[0], AppointmentDNA); err == nil {
		t.Error("attended then DNA")
	}
	f.s.Cancel(ctx, f.s.session(f.recep), ids[3], true, "On holiday")
	if err := f.s.SetAppointmentStatus(ctx, f.s.session(f.recep), ids[3], AppointmentArrived); err == nil {
		t.Error("a cancelled appointment arrived")
	}
	// Two missed appointments raise the caseload warning.
	f.s.SetClock(func() time.Time { return ukTime(t, "02/12/2026 09:55") })
	for _, id := range ids[1:3] {
		if err := f.s.SetAppointmentStatus(ctx, f.s.session(f.recep), id, AppointmentDNA); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := f.s.DNACount(ctx, f.s.sessionFor(OpViewDiary), f.p1.ID, r.ID); n != 2 || err != nil {
		t.Errorf("DNAs in the episode = %d, %v", n, err)
	}
	if n, _ := f.s.DNACount(ctx, f.s.sessionFor(OpViewDiary), f.p2.ID, 0); n != 0 {
		t.Errorf("DNAs of another patient = %d", n)
	}
	warn, err := f.s.ReferralsWithDNAs(ctx, f.s.sessionFor(OpViewDiary), f.w1.ID, 2)
	if err != nil || len(warn) != 1 || warn[0].ReferralID != r.ID || warn[0].DNAs != 2 || warn[0].PatientName != "Siân Llewellyn" {
		t.Errorf("warnings %+v: %v", warn, err)
	}
	if warn, _ := f.s.ReferralsWithDNAs(ctx, f.s.sessionFor(OpViewDiary), f.w2.ID, 2); len(warn) != 0 {
		t.Errorf("Tom's warnings %+v", warn)
	}
	// A DNA frees the slot; the referral shows the activity.
	f.mustBook(t, f.w1, f.p2, "02/12/2026 10:00")
	got, _ := f.s.Referral(ctx, f.s.sessionFor(OpViewReferralList), r.ID)
	if got.LastActivityAt != "2026-12-02T09:55:00Z" {
		t.Errorf("last activity %s", got.LastActivityAt)
	}
}

func TestAppointmentTypes(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	types, err := f.s.AppointmentTypes(ctx, f.s.sessionFor(OpViewRotas))
	if err != nil || len(types) != 6 || types[0].Code != "initial_assessment" || types[0].DefaultMinutes != 60 {
		t.Fatalf("types %+v: %v", types, err)
	}
	if err := f.s.SetAppointmentTypeMinutes(ctx, f.s.session(f.recep), "follow_up", 45); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("receptionist: %v", err)
	}
	if err := f.s.SetAppointmentTypeMinutes(ctx, f.s.session(f.manager), "follow_up", 4); err == nil {
		t.Error("4 minutes accepted")
	}
	if err := f.s.SetAppointmentTypeMinutes(ctx, f.s.session(f.manager), "nonsense", 45); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown type: %v", err)
	}
	if err := f.s.SetAppointmentTypeMinutes(ctx, f.s.session(f.manager), "follow_up", 45); err != nil {
		t.Fatal(err)
	}
	a := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	if a.End.Sub(a.Start) != 45*time.Minute {
		t.Errorf("follow-up lasts %s", a.End.Sub(a.Start))
	}
	sites, _ := f.s.Sites(ctx, f.s.sessionFor(OpViewRotas))
	if len(sites) != 2 || sites[0].Name != "Branch Surgery" {
		t.Errorf("sites %+v", sites)
	}
}

func TestDiaryViews(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	a := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	b := f.mustBook(t, f.w2, f.p2, "30/11/2026 09:00")
	c := f.mustBook(t, f.w1, f.p3, "30/11/2026 14:00")
	f.s.Cancel(ctx, f.s.session(f.recep), c.ID, false, "Room flooded")
	f.mustBook(t, f.w1, f.p1, "01/12/2026 10:00")
	f.s.AddLeave(ctx, f.s.session(f.manager), Leave{WorkerID: f.w2.ID, FirstDay: "30/11/2026", LastDay: "04/12/2026", Reason: "Annual leave"})

	days, err := f.s.DiaryDay(ctx, f.s.sessionFor(OpViewDiary), ukTime(t, "30/11/2026 15:00"), nil)
	if err != nil || len(days) != 2 {
		t.Fatalf("day %+v: %v", days, err)
	}
	amira, tom := days[0], days[1]
	if amira.WorkerName != "Amira Khan" || len(amira.Sessions) != 2 || amira.Sessions[1].SiteName != "Branch Surgery" ||
		len(amira.Appointments) != 2 || amira.Appointments[0].ID != a.ID || amira.Appointments[1].Status != AppointmentCancelledPractice ||
		len(amira.Leave) != 0 || !amira.Day.Equal(ukTime(t, "30/11/2026 00:00")) {
		t.Errorf("Amira's day %+v", amira)
	}
	if tom.WorkerName != "Tom Fletcher" || len(tom.Leave) != 1 || len(tom.Appointments) != 1 || tom.Appointments[0].ID != b.ID {
		t.Errorf("Tom's day %+v", tom)
	}
	only, _ := f.s.DiaryDay(ctx, f.s.sessionFor(OpViewDiary), f.mondayMorning, []int64{f.w2.ID})
	if len(only) != 1 || only[0].WorkerID != f.w2.ID {
		t.Errorf("one worker %+v", only)
	}
	week, err := f.s.DiaryWeek(ctx, f.s.sessionFor(OpViewDiary), f.w1.ID, f.mondayMorning)
	if err != nil || len(week) != 7 {
		t.Fatalf("week %d days: %v", len(week), err)
	}
	if len(week[1].Appointments) != 1 || len(week[5].Sessions) != 0 || hhmm(week[6].Day) != "Sun 06/12 00:00" {
		t.Errorf("week %+v", week)
	}
	list, err := f.s.TodayAppointments(ctx, f.s.sessionFor(OpViewDiary), f.mondayMorning)
	if err != nil || len(list) != 3 || list[0].ID != b.ID || list[0].WorkerName != "Tom Fletcher" {
		t.Errorf("today %+v: %v", list, err)
	}
}

// Book works out what it returns instead of reading it back (a round trip
// fewer on the server): it must be what is stored, to the last field. An
// inactive worker, a missing patient or type, a closed referral and a
// patient clash still get their own messages from the combined reads.
func TestBookReturnsWhatIsStored(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	r := f.referral(t)
	for _, in := range []Appointment{
		{WorkerID: f.w1.ID, PatientID: f.p1.ID, ReferralID: r.ID, Start: ukTime(t, "30/11/2026 10:00"), Type: "follow_up", Mode: ModeInPerson, Notes: "  Bring the leaflet  "},
		{WorkerID: f.w1.ID, PatientID: f.p2.ID, Start: ukTime(t, "30/11/2026 14:00"), Type: "phone_call", Mode: ModePhone},
		{WorkerID: f.w2.ID, PatientID: f.p3.ID, Start: ukTime(t, "01/12/2026 15:10"), End: ukTime(t, "01/12/2026 16:00"), Type: "review", Mode: ModeInPerson},
	} {
		got, err := f.s.Book(ctx, f.s.session(f.recep), in)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := f.s.Appointment(ctx, f.s.sessionFor(OpViewDiary), got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, stored) {
			t.Errorf("Book returned\n%+v\nstored\n%+v", got, stored)
		}
	}

	book := func(a Appointment) error {
		_, err := f.s.Book(ctx, f.s.session(f.recep), a)
		return err
	}
	field := func(err error, name, words string) {
		t.Helper()
		if v, _ := FieldErrors(err); v == nil || !strings.Contains(v.For(name), words) {
			t.Errorf("want %s error with %q, got %v", name, words, err)
		}
	}
	at := ukTime(t, "02/12/2026 10:00")
	err := book(Appointment{WorkerID: f.w1.ID, PatientID: 99999, Start: at, Type: "nonesuch", Mode: ModePhone})
	field(err, "PatientID", "choose a patient")
	field(err, "Type", "choose the type")
	field(book(Appointment{WorkerID: f.w1.ID, PatientID: f.p2.ID, ReferralID: r.ID, Start: at, Type: "review", Mode: ModePhone}), "ReferralID", "another patient")
	field(book(Appointment{WorkerID: f.w1.ID, PatientID: f.p1.ID, ReferralID: 99999, Start: at, Type: "review", Mode: ModePhone}), "ReferralID", "no longer exists")
	field(book(Appointment{WorkerID: f.recep.ID, PatientID: f.p1.ID, Start: at, Type: "review", Mode: ModePhone}), "WorkerID", "choose a link worker")
	var busy *PatientBusyError
	if err := book(Appointment{WorkerID: f.w2.ID, PatientID: f.p1.ID, Start: ukTime(t, "30/11/2026 10:15"), Type: "review", Mode: ModePhone}); !errors.As(err, &busy) ||
		busy.Clash.PatientName != "Siân Llewellyn" || busy.Clash.WorkerName != "Amira Khan" {
		t.Errorf("patient clash: %v", err)
	}
	if err := f.s.SetUserActive(ctx, f.s.session(f.admin), f.w2.ID, false); err != nil {
		t.Fatal(err)
	}
	field(book(Appointment{WorkerID: f.w2.ID, PatientID: f.p1.ID, Start: at, Type: "review", Mode: ModePhone}), "WorkerID", "Tom Fletcher no longer works here")
	if c, err := f.s.VerifyAudit(ctx); err != nil || !c.Intact() {
		t.Errorf("audit after the bookings: %v %v", c, err)
	}
}

// An event that is not sealed (written outside Linkwell, or by an earlier
// one) makes the next audit seal everything waiting, in order, as before,
// instead of writing its own event sealed at once.
func TestAuditSealsWhatWaits(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	if _, err := f.s.db.Exec(`INSERT INTO audit_events (at, user_id, action, entity, entity_id, detail) VALUES ('2026-11-25T10:00:00Z', NULL, 'note', 'practice', 1, 'outside')`); err != nil {
		t.Fatal(err)
	}
	a := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	if err := f.s.Cancel(ctx, f.s.session(f.recep), a.ID, false, "Worker unwell"); err != nil {
		t.Fatal(err)
	}
	if n := queryCount(t, f.s, `SELECT count(*) FROM audit_events WHERE hash IS NULL`); n != 0 {
		t.Errorf("%d events left unsealed", n)
	}
	c, err := f.s.VerifyAudit(ctx)
	if err != nil || !c.Intact() {
		t.Fatalf("audit: %v %v", c, err)
	}
	if last := queryCount(t, f.s, `SELECT max(id) FROM audit_events`); int64(last) != c.LastID {
		t.Errorf("the newest event is %d, the chain ends at %d", last, c.LastID)
	}
}
