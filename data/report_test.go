package data

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// reportFixture is a small practice with a summer of known referrals
// (issue 16). The clock moves through it: every record is made by the
// store's own methods at the moment it happened. The clock answers in UTC,
// as a PC set to UTC would, so London months are the store's business.
type reportFixture struct {
	s                  *Store
	admin, pm, gp, lw1 User
	lw2                User
	now                time.Time
	r1, r2, r3, r4, r5 Referral
	r6, rLastYear      Referral
}

// london parses "2006-01-02 15:04" as London wall-clock time.
func lon(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, London())
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	s := newStore(t)
	f := &reportFixture{s: s, admin: setUpPractice(t, s)}
	s.SetClock(func() time.Time { return f.now.UTC() })
	ctx := context.Background()
	f.at(t, "2026-06-01 08:00")
	user := func(username, name string, role Role) User {
		u, err := s.CreateUser(ctx, s.session(f.admin), NewUser{Username: username, FullName: name, Role: role, Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.pm = user("pm", "Priya Manager", RolePracticeManager)
	f.gp = user("gp", "Dr Nia Roberts", RoleGP)
	f.lw1 = user("lw1", "Amira Khan", RoleLinkWorker)
	f.lw2 = user("lw2", "Tom Fletcher", RoleLinkWorker)
	res, err := s.db.Exec(`INSERT INTO sites (name) VALUES ('Main Surgery')`)
	if err != nil {
		t.Fatal(err)
	}
	site, _ := res.LastInsertId()
	var week []WorkSession
	for wd := 1; wd <= 5; wd++ {
		week = append(week, WorkSession{Weekday: wd, Start: 9 * 60, End: 17 * 60, SiteID: site})
	}
	for _, w := range []User{f.lw1, f.lw2} {
		if _, err := s.SetWorkPattern(ctx, s.session(f.pm), w.ID, week, "2026-06-01"); err != nil {
			t.Fatal(err)
		}
	}
	patient := func(given, dob string, sex Sex, ethnic string) Patient {
		p, err := s.SavePatient(ctx, s.session(f.gp), Patient{GivenName: given, FamilyName: "Test", DateOfBirth: dob, Sex: sex,
			EthnicCategory: ethnic, Phone: "07700 900123"}, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pA := patient("Ann", "2010-05-01", SexFemale, "A")  // 16 in August: 0–17
	pB := patient("Ben", "2001-09-01", SexMale, "")     // 24 until 1 September: 18–24
	pC := patient("Cat", "1976-08-31", SexFemale, "H")  // 50 on the day she is referred: 50–64
	pD := patient("Dee", "1951-08-15", SexOther, "Z")   // 75: 75+
	pE := patient("Eve", "1961-01-01", SexFemale, "B")  // 65: 65–74
	pF := patient("Fay", "1980-01-01", SexUnknown, "A") // referred a year before
	pG := patient("Gus", "1990-01-01", SexMale, "A")    // referred at 00:30 BST on 1 September
	refer := func(p Patient, on, source string, worker User, reasons ...string) Referral {
		consent := on
		if on == "" {
			consent = f.now.In(London()).Format(DateLayout)
		}
		r, err := s.CreateReferral(ctx, s.session(f.gp), Referral{PatientID: p.ID, ReceivedOn: on, Source: source, ReferrerName: "Dr Nia Roberts",
			Reasons: reasons, ConsentBy: "the patient", ConsentOn: consent, LinkWorkerID: worker.ID})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	lw := s.session(f.lw1)
	move := func(when string, r Referral, to ReferralStatus, why, closing string) {
		f.at(t, when)
		if _, err := s.Move(ctx, lw, r.ID, to, why, closing); err != nil {
			t.Fatalf("%s: move %d to %s: %v", when, r.ID, to, err)
		}
	}
	book := func(when, start string, worker User, p Patient, r Referral) Appointment {
		f.at(t, when)
		a, err := s.Book(ctx, lw, Appointment{WorkerID: worker.ID, PatientID: p.ID, ReferralID: r.ID, Start: lon(t, start), Type: "follow_up", Mode: ModeInPerson})
		if err != nil {
			t.Fatalf("book %s: %v", start, err)
		}
		return a
	}
	mark := func(when string, a Appointment, status string) {
		f.at(t, when)
		if err := s.SetAppointmentStatus(ctx, lw, a.ID, status); err != nil {
			t.Fatal(err)
		}
	}
	measure := func(when string, r Referral, stage string, scores [4]int) {
		f.at(t, when)
		if _, err := s.RecordWellbeing(ctx, lw, Wellbeing{ReferralID: r.ID, Stage: stage, Scores: scores}); err != nil {
			t.Fatal(err)
		}
	}
	service := func(name, status, verified string) int64 {
		res, err := s.db.Exec(`INSERT INTO services (name, status, last_verified_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			name, status, nullText(verified), s.stamp(), s.stamp())
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	walking := service("Canal Walking Group", "active", "2026-08-01")
	debt := service("Money Matters Advice", "active", "")
	service("Knit and Natter", "paused", "2025-01-01")
	service("Old Lunch Club", "closed", "")

	// A year before: one referral in August 2025, never picked up.
	f.at(t, "2026-06-02 09:00")
	f.rLastYear = refer(pF, "2025-08-12", "other", User{}, "other")

	// July: Eve is referred, seen, measured and closed (goals met).
	f.at(t, "2026-07-01 09:00")
	f.r5 = refer(pE, "2026-07-01", "social_care", f.lw2, "bereavement")
	move("2026-07-02 10:00", f.r5, StatusContacted, "", "")
	move("2026-07-03 10:00", f.r5, StatusAccepted, "", "")
	a := book("2026-07-03 11:00", "2026-07-06 10:00", f.lw2, pE, f.r5)
	mark("2026-07-06 10:30", a, AppointmentAttended)
	move("2026-07-06 10:40", f.r5, StatusActive, "", "")
	measure("2026-07-06 10:45", f.r5, "baseline", [4]int{6, 6, 5, 7})
	move("2026-07-28 15:00", f.r5, StatusClosed, "", "goals_met")

	// August.
	f.at(t, "2026-08-03 09:00")
	f.r1 = refer(pA, "", "gp", f.lw1, "loneliness", "money_debt")
	move("2026-08-04 10:00", f.r5, StatusActive, "Came back after a bereavement", "") // Eve's case reopened
	move("2026-08-05 10:00", f.r1, StatusContacted, "", "")
	move("2026-08-05 11:00", f.r1, StatusAccepted, "", "")
	dna := book("2026-08-05 11:30", "2026-08-10 10:00", f.lw1, pA, f.r1)
	f.at(t, "2026-08-10 09:00")
	f.r2 = refer(pB, "", "self", User{}, "housing")
	f.r2.LinkWorkerID = f.lw2.ID
	if err := s.Reassign(ctx, lw, f.r2.ID, f.lw2.ID, ""); err != nil {
		t.Fatal(err)
	}
	mark("2026-08-10 10:30", dna, AppointmentDNA)
	seen := book("2026-08-10 10:40", "2026-08-17 10:00", f.lw1, pA, f.r1) // the DNA rebooked
	cancelled := book("2026-08-10 10:50", "2026-08-11 10:00", f.lw2, pE, f.r5)
	f.at(t, "2026-08-10 11:00")
	if err := s.Cancel(ctx, lw, cancelled.ID, true, "Unwell"); err != nil {
		t.Fatal(err)
	}
	move("2026-08-14 09:00", f.r2, StatusContacted, "", "")
	move("2026-08-15 09:00", f.r2, StatusDeclined, "Has support from housing", "")
	mark("2026-08-17 10:30", seen, AppointmentAttended)
	move("2026-08-17 10:40", f.r1, StatusActive, "", "")
	f.at(t, "2026-08-17 11:00")
	if err := s.SetCoded(ctx, lw, f.r1.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, rx := range []NewPrescription{
		{PatientID: pA.ID, ReferralID: f.r1.ID, Items: []NewPrescriptionItem{{ServiceID: walking}, {ServiceID: debt}}},
		{PatientID: pE.ID, ReferralID: f.r5.ID, Items: []NewPrescriptionItem{{ServiceID: walking}}},
	} {
		if _, err := s.IssuePrescription(ctx, lw, rx); err != nil {
			t.Fatal(err)
		}
	}
	measure("2026-08-18 10:00", f.r5, "review", [4]int{7, 8, 6, 4})
	f.at(t, "2026-08-20 09:00")
	f.r4 = refer(pD, "", "gp", User{}, "loneliness")
	moved := book("2026-08-20 10:00", "2026-08-24 10:00", f.lw1, pA, f.r1)
	f.at(t, "2026-08-21 10:00")
	if _, err := s.Reschedule(ctx, lw, moved.ID, lon(t, "2026-09-07 10:00"), 0); err != nil { // now September's
		t.Fatal(err)
	}
	move("2026-08-25 16:00", f.r5, StatusClosed, "", "moved_away")
	// 23:30 BST on the last day of August: still August.
	f.at(t, "2026-08-31 23:30")
	f.r3 = refer(pC, "", "hospital", f.lw1, "stress_low_mood")
	move("2026-08-31 23:40", f.r3, StatusContacted, "", "")

	// September: 00:30 BST on the 1st is 23:30 UTC on 31 August.
	f.at(t, "2026-09-01 00:30")
	f.r6 = refer(pG, "", "vcse", User{}, "employment")
	move("2026-09-01 00:35", f.r4, StatusUnableToContact, "No reply to three calls", "")
	move("2026-09-02 10:00", f.r3, StatusAccepted, "", "")
	f.at(t, "2026-09-02 11:00")
	if err := s.Reassign(ctx, lw, f.r1.ID, f.lw2.ID, "Amira's caseload is full"); err != nil {
		t.Fatal(err)
	}
	f.at(t, "2026-09-03 12:00")
	return f
}

func (f *reportFixture) at(t testing.TB, s string) { f.now = lon(t, s) }

func nonZero(cs []Count) map[string]int {
	out := map[string]int{}
	for _, c := range cs {
		if c.N != 0 {
			out[c.Code] = c.N
		}
	}
	return out
}

func TestReportFiguresKnownAnswers(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	pm := f.s.session(f.pm)
	aug, _ := ParseMonth("2026-08")
	r, err := f.s.MonthlyReturn(ctx, pm, aug)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("received at 00:30 BST on 1 September", f.r6.ReceivedOn, "2026-09-01")
	check("received at 23:30 BST on 31 August", f.r3.ReceivedOn, "2026-08-31")
	check("practice", r.Practice, "Riverside Medical Practice")
	check("received", r.Received, 4)
	check("received last year", r.ReceivedLastYear, 1)
	check("by source", nonZero(r.BySource), map[string]int{"gp": 2, "self": 1, "hospital": 1})
	check("by reason", nonZero(r.ByReason), map[string]int{"loneliness": 2, "money_debt": 1, "housing": 1, "stress_low_mood": 1})
	check("by age", nonZero(r.ByAge), map[string]int{"0-17": 1, "18-24": 1, "50-64": 1, "75+": 1})
	check("by sex", nonZero(r.BySex), map[string]int{"female": 2, "male": 1, "other": 1})
	check("by ethnicity", nonZero(r.ByEthnicity), map[string]int{"A": 1, "-": 1, "H": 1, "Z": 1})
	check("every age band listed", len(r.ByAge), len(AgeBands))
	check("outcomes", r.Outcomes, Outcomes{Accepted: 1, Declined: 1, UnableToContact: 0})
	check("to first contact", r.ToFirstContact, Wait{N: 3, Median: 2, P90: 4})
	check("to first appointment", r.ToFirstAppointment, Wait{N: 1, Median: 14, P90: 14})
	check("closures", nonZero(r.Closures), map[string]int{"moved_away": 1})
	check("closed total", r.ClosedTotal(), 1)
	want := []WorkerFigures{
		// At the end of August Ann's case was still Amira's (it moved to
		// Tom on 2 September) and Cat's had just been contacted.
		{WorkerID: f.lw1.ID, Name: "Amira Khan", Caseload: 2, Booked: 2, Attended: 1, DNA: 1},
		{WorkerID: f.lw2.ID, Name: "Tom Fletcher", Caseload: 0, Booked: 1, Cancelled: 1},
	}
	check("workers", r.Workers, want)
	check("DNA rate", DNARate(r.AppointmentTotals().DNA, r.AppointmentTotals().Attended), 50.0)
	check("ONS4", r.ONS4, []ONS4Change{
		{"life_satisfaction", "Life satisfaction", 1, 6, 7, 1}, {"worthwhile", "Worthwhile", 1, 6, 8, 2},
		{"happiness", "Happiness", 1, 5, 6, 1}, {"anxiety", "Anxiety", 1, 7, 4, -3},
	})
	check("top services", r.TopServices, []Count{{"1", "Canal Walking Group", 2}, {"2", "Money Matters Advice", 1}})
	check("stale services", r.StaleServices, 2)
	check("incentive", r.Incentive, Incentive{From: "2025-09-01", To: "2026-08-31", Coded: 2, InGPRecord: 1, ListSize: 10000,
		Percent: 0.02, Lower: 1.2, Upper: 1.6})
	// Now (3 September): the pipeline and the waiting list.
	check("pipeline", nonZero(r.Pipeline), map[string]int{"received": 2, "accepted": 1, "active": 1, "closed": 1, "declined": 1, "unable_to_contact": 1})
	check("waiting", r.Waiting, WaitingList{N: 1, LongestDays: 3})
	check("months", len(r.Months), 12)
	check("first month", r.Months[0].Month, "2025-09")
	check("July", r.Months[10], MonthPoint{Month: "2026-07", Referrals: 1, Attended: 1})
	check("August", r.Months[11], MonthPoint{Month: "2026-08", Referrals: 4, Attended: 1, DNA: 1})
	check("August DNA rate", r.Months[11].DNARate(), 50.0)

	// July: the first closure of Eve's case, before it was reopened.
	jul, _ := ParseMonth("2026-07")
	r, err = f.s.MonthlyReturn(ctx, pm, jul)
	if err != nil {
		t.Fatal(err)
	}
	check("July received", r.Received, 1)
	check("July closures", nonZero(r.Closures), map[string]int{"goals_met": 1})
	check("July outcomes", r.Outcomes, Outcomes{Accepted: 1})
	check("July to first contact", r.ToFirstContact, Wait{N: 1, Median: 1, P90: 1})
	check("July to first appointment", r.ToFirstAppointment, Wait{N: 1, Median: 5, P90: 5})
	check("July workers", r.Workers, []WorkerFigures{{WorkerID: f.lw2.ID, Name: "Tom Fletcher", Booked: 1, Attended: 1}})
	check("July ONS4 (baseline only)", r.ONS4[0].N, 0)

	// September: what happened at 00:30 BST on the 1st, and the moved
	// appointment.
	sep, _ := ParseMonth("2026-09")
	r, err = f.s.Dashboard(ctx, pm, sep)
	if err != nil {
		t.Fatal(err)
	}
	check("September received", r.Received, 1)
	check("September source", nonZero(r.BySource), map[string]int{"vcse": 1})
	check("September outcomes", r.Outcomes, Outcomes{Accepted: 1, UnableToContact: 1})
	check("September caseload at now", r.CaseloadAt.Equal(f.now), true)
	check("September workers", r.Workers, []WorkerFigures{
		{WorkerID: f.lw1.ID, Name: "Amira Khan", Caseload: 1, Booked: 1},
		{WorkerID: f.lw2.ID, Name: "Tom Fletcher", Caseload: 1},
	})
}

// A period not yet over is compared with the same days last year.
func TestReceivedLastYearSoFar(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	aug, _ := ParseMonth("2026-08")
	for day, want := range map[string]int{"2026-08-11 12:00": 0, "2026-08-12 09:00": 1, "2026-09-03 12:00": 1} {
		f.at(t, day)
		r, err := f.s.Dashboard(ctx, f.s.session(f.pm), aug)
		if err != nil {
			t.Fatal(err)
		}
		if r.ReceivedLastYear != want {
			t.Errorf("as at %s: %d last year (%v), want %d", day, r.ReceivedLastYear, r.LastYear, want)
		}
	}
}

func TestReportEmptyAndRefused(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	ctx := context.Background()
	r, err := s.Dashboard(ctx, s.sessionFor(OpViewReports), PeriodYear(s.now()))
	if err != nil {
		t.Fatal(err)
	}
	if r.Received != 0 || len(r.Workers) != 0 || r.Waiting.N != 0 || r.ToFirstContact.N != 0 || len(r.Months) != 12 || r.ONS4[3].N != 0 {
		t.Errorf("empty practice: %+v", r)
	}
	if got := r.Months[11].Month; got != "2026-11" {
		t.Errorf("a year not yet over charts months up to %s, want this month", got)
	}
	if _, err := s.Dashboard(ctx, s.session(admin), PeriodMonth(s.now())); err != ErrNotAllowed {
		t.Errorf("administrator: %v", err)
	}
	if _, err := s.Dashboard(ctx, s.sessionFor(OpViewReports), Period{"2026-09-01", "2026-08-01"}); err == nil {
		t.Error("backwards period accepted")
	}
}

func TestSuppressSmall(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	pm := s.sessionFor(OpViewReports)
	r, _ := s.MonthlyReturn(ctx, pm, PeriodMonth(s.now()))
	if r.Show(3) != "3" || r.Show(0) != "0" {
		t.Errorf("not suppressed: %q %q", r.Show(3), r.Show(0))
	}
	if err := s.SetSuppressSmall(ctx, pm, true); err != nil {
		t.Fatal(err)
	}
	r, _ = s.MonthlyReturn(ctx, pm, PeriodMonth(s.now()))
	for n, want := range map[int]string{0: "0", 1: "<5", 4: "<5", 5: "5", 12: "12"} {
		if got := r.Show(n); got != want {
			t.Errorf("Show(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSetListSize(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	pm := s.sessionFor(OpViewReports)
	if err := s.SetListSize(ctx, pm, -1); err == nil {
		t.Error("a negative list size accepted")
	}
	if err := s.SetListSize(ctx, pm, 12500); err != nil {
		t.Fatal(err)
	}
	r, err := s.Dashboard(ctx, pm, PeriodMonth(s.now()))
	if err != nil || r.Incentive.ListSize != 12500 {
		t.Errorf("list size %d, %v", r.Incentive.ListSize, err)
	}
}

func TestPeriods(t *testing.T) {
	at := time.Date(2026, 8, 31, 23, 30, 0, 0, time.UTC) // 00:30 BST, 1 September
	for _, c := range []struct {
		got  Period
		want Period
	}{
		{PeriodMonth(at), Period{"2026-09-01", "2026-09-30"}},
		{PeriodLastMonth(at), Period{"2026-08-01", "2026-08-31"}},
		{PeriodQuarter(at), Period{"2026-07-01", "2026-09-30"}},
		{PeriodYear(at), Period{"2026-04-01", "2027-03-31"}},
		{PeriodYear(time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)), Period{"2025-04-01", "2026-03-31"}},
		{PeriodLastMonth(time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)), Period{"2025-12-01", "2025-12-31"}},
		{Period{"2024-02-01", "2024-02-29"}.LastYear(), Period{"2023-02-01", "2023-02-28"}},
	} {
		if c.got != c.want {
			t.Errorf("got %v, want %v", c.got, c.want)
		}
	}
	if l := (Period{"2026-07-01", "2026-09-30"}).Label(); l != "July – September 2026" {
		t.Errorf("label %q", l)
	}
	if _, err := ParseMonth("2026-13"); err == nil {
		t.Error("month 13 accepted")
	}
	if got := ageBand("2008-09-01", "2026-08-31"); got != "0-17" {
		t.Errorf("the day before an 18th birthday: %s", got)
	}
	if got := ageBand("2008-09-01", "2026-09-01"); got != "18-24" {
		t.Errorf("an 18th birthday: %s", got)
	}
}

// On a demo practice every breakdown adds up to its total, and the month's
// points in the charts are the month's own figures.
func TestReportAddsUpOnTheDemo(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if _, err := s.CreateDemo(ctx, DemoOptions{Patients: 2000, Years: 2, Seed: 3, Today: today}); err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return today })
	sess := s.sessionFor(OpViewReports)
	sum := func(cs []Count) int {
		n := 0
		for _, c := range cs {
			n += c.N
		}
		return n
	}
	for _, month := range []string{"2026-03", "2026-10"} {
		p, _ := ParseMonth(month)
		r, err := s.MonthlyReturn(ctx, sess, p)
		if err != nil {
			t.Fatal(err)
		}
		if r.Received == 0 {
			t.Fatalf("%s: no referrals in the demo", month)
		}
		for name, cs := range map[string][]Count{"source": r.BySource, "age": r.ByAge, "sex": r.BySex, "ethnicity": r.ByEthnicity} {
			if sum(cs) != r.Received {
				t.Errorf("%s: by %s adds to %d of %d", month, name, sum(cs), r.Received)
			}
		}
		if sum(r.ByReason) < r.Received {
			t.Errorf("%s: reasons %d for %d referrals", month, sum(r.ByReason), r.Received)
		}
		last := r.Months[len(r.Months)-1]
		tot := r.AppointmentTotals()
		if last.Month != month || last.Referrals != r.Received || last.DNA != tot.DNA || last.Attended != tot.Attended {
			t.Errorf("%s: chart point %+v, figures received %d, attended %d, DNA %d", month, last, r.Received, tot.Attended, tot.DNA)
		}
		from, until := p.bounds()
		var booked int
		s.db.QueryRow(`SELECT count(*) FROM appointments WHERE starts_at >= ? AND starts_at < ?`, from, until).Scan(&booked)
		if tot.Booked != booked || booked == 0 {
			t.Errorf("%s: %d appointments counted, %d in the month", month, tot.Booked, booked)
		}
		if tot.Attended+tot.DNA+tot.Cancelled > tot.Booked {
			t.Errorf("%s: more outcomes than appointments: %+v", month, tot)
		}
		var pipeline int
		s.db.QueryRow(`SELECT count(*) FROM referrals`).Scan(&pipeline)
		if sum(r.Pipeline) != pipeline {
			t.Errorf("pipeline adds to %d of %d referrals", sum(r.Pipeline), pipeline)
		}
		if r.ToFirstContact.N > 0 && (r.ToFirstContact.Median < 0 || float64(r.ToFirstContact.P90) < r.ToFirstContact.Median) {
			t.Errorf("%s: waits %+v", month, r.ToFirstContact)
		}
	}
	// Now, the caseload rebuilt from the history is the open referrals'
	// count per worker.
	r, err := s.Dashboard(ctx, sess, PeriodMonth(today))
	if err != nil {
		t.Fatal(err)
	}
	var open int
	s.db.QueryRow(`SELECT count(*) FROM referrals WHERE status IN ('received', 'contacted', 'accepted', 'active') AND link_worker_id IS NOT NULL`).Scan(&open)
	if r.AppointmentTotals().Caseload != open || open == 0 {
		t.Errorf("caseload now %d, open assigned referrals %d", r.AppointmentTotals().Caseload, open)
	}
}

func TestChartScale(t *testing.T) {
	for _, c := range []struct{ max, minTop, top, step float64 }{
		{0, 0, 1, 0.2}, {0, 4, 4, 1}, {0, 10, 10, 2}, {87, 4, 100, 20}, {310, 4, 400, 100}, {12.7, 10, 15, 5},
	} {
		top, step := ChartScale(c.max, c.minTop)
		if top != c.top || step != c.step {
			t.Errorf("ChartScale(%v, %v) = %v, %v; want %v, %v", c.max, c.minTop, top, step, c.top, c.step)
		}
	}
}
