package ui

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// uiQueue holds results of background work until the test applies them on
// its own goroutine, as the real driver applies them on the UI goroutine.
type uiQueue chan func()

// newQueuedTestApp is newTestApp on a queuedWindow: background results
// wait in the queue for the test.
func newQueuedTestApp(t *testing.T) (*App, *data.Store, fyne.Window, uiQueue) {
	t.Helper()
	a, store, w := newTestApp(t)
	q := make(uiQueue, 10000)
	a.win = queuedWindow{Window: w, queue: q}
	return a, store, w, q
}

// drain applies the results queued so far.
func (q uiQueue) drain() {
	for {
		select {
		case fn := <-q:
			fn()
		default:
			return
		}
	}
}

// waitFor applies queued results until cond holds.
func (q uiQueue) waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		q.drain()
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("timed out waiting")
}

// referralWorld is a practice with a GP, two link workers and patients.
type referralWorld struct {
	a        *App
	store    *data.Store
	w        fyne.Window
	q        uiQueue
	admin    data.User
	gp       data.User
	workers  []data.User
	patients []data.Patient
}

func newReferralWorld(t *testing.T, names ...string) *referralWorld {
	t.Helper()
	ctx := context.Background()
	rw := &referralWorld{}
	rw.a, rw.store, rw.w, rw.q = newQueuedTestApp(t)
	rw.admin, _ = setUpStore(t, rw.store)
	var err error
	rw.gp, err = rw.store.CreateUser(ctx, as(t, rw.store, rw.admin), data.NewUser{Username: "nokafor", FullName: "Dr Nia Okafor", Role: data.RoleGP, Password: "gp password 1"})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Lowri Jones", "Sam Patel"} {
		u, err := rw.store.CreateUser(ctx, as(t, rw.store, rw.admin), data.NewUser{Username: fmt.Sprintf("lw%d", i), FullName: name, Role: data.RoleLinkWorker, Password: "link worker 1"})
		if err != nil {
			t.Fatal(err)
		}
		rw.workers = append(rw.workers, u)
	}
	for i, name := range names {
		given, family, _ := strings.Cut(name, " ")
		p, err := rw.store.SavePatient(ctx, sessionFor(t, rw.store, data.OpEditPatient), data.Patient{NHSNumber: testNHSNumber(t, i), GivenName: given, FamilyName: family,
			DateOfBirth: fmt.Sprintf("%02d/03/1960", i+1), Phone: "07700 900123", Sex: data.SexUnknown, PreferredContact: data.ContactPhone,
			Interpreter: i == 0, Language: map[bool]string{true: "Polish"}[i == 0]}, data.SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rw.patients = append(rw.patients, p)
	}
	return rw
}

// testNHSNumber makes the i-th valid NHS number of a test range.
func testNHSNumber(t *testing.T, i int) string {
	for n := i * 20; ; n++ {
		nine := fmt.Sprintf("40100%04d", n)
		if d := data.NHSCheckDigit(nine); d >= 0 {
			return nine + fmt.Sprint(d)
		}
	}
}

// refer records a referral received daysAgo, straight in the store.
// manager adds the practice manager, who may export.
func (rw *referralWorld) manager(t *testing.T) data.User {
	t.Helper()
	u, err := rw.store.CreateUser(context.Background(), as(t, rw.store, rw.admin), data.NewUser{Username: "pm", FullName: "Pat Manager",
		Role: data.RolePracticeManager, Password: "manager password"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (rw *referralWorld) refer(t *testing.T, p data.Patient, daysAgo int, reasons ...string) data.Referral {
	t.Helper()
	day := time.Now().AddDate(0, 0, -daysAgo).Format(data.DateLayout)
	r, err := rw.store.CreateReferral(context.Background(), sessionFor(t, rw.store, data.OpRefer), data.Referral{PatientID: p.ID, ReceivedOn: day, Source: "gp",
		ReferrerName: "Dr Who", Reasons: reasons, ConsentBy: "Patient", ConsentOn: day})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tabTo presses Tab until target has the focus, as a keyboard user would.
func tabTo(t *testing.T, c fyne.Canvas, target fyne.Focusable) {
	t.Helper()
	for i := 0; i < 40; i++ {
		if c.Focused() == target {
			return
		}
		c.FocusNext()
	}
	t.Fatalf("Tab never reached %T", target)
}

// typeFocused types into whatever has the keyboard focus.
func typeFocused(c fyne.Canvas, chars string) {
	test.Type(c.Focused(), chars)
}

func ctrlS() fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
}

func TestReferralFormByKeyboardOnly(t *testing.T) {
	rw := newReferralWorld(t, "Łukasz Wiśniewski", "Mary Wilson")
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	rw.a.Show("New referral")
	f := rw.a.newReferral
	c := rw.w.Canvas()
	rw.q.drain() // the focus is set once the form is on the window
	if c.Focused() != f.picker.search {
		t.Fatal("the form does not start in the patient search")
	}

	// Find the patient and pick them with Enter.
	typeFocused(c, "wiśn")
	rw.q.waitFor(t, func() bool { return len(f.picker.Results()) == 1 })
	f.picker.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	p := rw.patients[0]
	if f.Patient().ID != p.ID {
		t.Fatalf("Enter chose %+v", f.Patient())
	}
	if !strings.Contains(f.patientDetails.Text, "943") && !strings.Contains(f.patientDetails.Text, data.FormatNHSNumber(p.NHSNumber)) {
		t.Errorf("NHS number not shown 3-3-4: %q", f.patientDetails.Text)
	}
	if !strings.Contains(f.patientNeeds.Text, "Interpreter (Polish)") {
		t.Errorf("communication needs: %q", f.patientNeeds.Text)
	}
	if c.Focused() != f.received {
		t.Error("after choosing the patient the focus is not on the received date")
	}

	// A GP's own name, practice and source are filled in; Tab on through
	// the form in visual order, ticking two reasons with Space.
	if f.referrerName.Text != "Dr Nia Okafor" || f.source.Selected != "GP" {
		t.Errorf("GP defaults: %q %q", f.referrerName.Text, f.source.Selected)
	}
	c.FocusNext()
	if c.Focused() != f.source {
		t.Errorf("Tab from the received date went to %T", c.Focused())
	}
	tabTo(t, c, f.reasons[0])
	typeFocused(c, " ")
	tabTo(t, c, f.reasons[5]) // Stress or low mood
	typeFocused(c, " ")
	tabTo(t, c, f.whatMatters)
	typeFocused(c, "Getting back to the allotment")
	tabTo(t, c, f.consentBy)
	typeFocused(c, "Patient")
	// Ctrl+S, as the desktop driver hands it to the focused entry.
	c.Focused().(fyne.Shortcutable).TypedShortcut(ctrlS())

	if rw.a.Current() != "Case record" {
		t.Fatalf("not saved: %q (on %q)", f.message.Text, rw.a.Current())
	}
	rs, err := rw.store.PatientReferrals(context.Background(), sessionFor(t, rw.store, data.OpViewReferralList), p.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("referrals %+v %v", rs, err)
	}
	r := rs[0]
	if r.Status != data.StatusReceived || strings.Join(r.Reasons, ",") != "loneliness,stress_low_mood" {
		t.Errorf("saved %s with %v", r.Status, r.Reasons)
	}
	today := time.Now().Format(data.DateLayout)
	if r.ConsentBy != "Patient" || r.ConsentOn != today || r.ReceivedOn != today {
		t.Errorf("consent %q on %q, received %q", r.ConsentBy, r.ConsentOn, r.ReceivedOn)
	}
	if r.Source != "gp" || r.ReferrerName != "Dr Nia Okafor" || r.WhatMatters != "Getting back to the allotment" || r.Priority != "routine" {
		t.Errorf("saved %+v", r)
	}
}

func TestReferralFormErrorsKeepTyping(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson")
	rw.a.SignedIn(as(t, rw.a.store, rw.workers[0]))
	rw.a.Show("New referral")
	f := rw.a.newReferral

	// Saving with no patient says so beside the patient search.
	f.Save()
	if !f.patientErr.Visible() || !strings.Contains(f.patientErr.Text, "patient") {
		t.Errorf("no patient: %q", f.patientErr.Text)
	}

	f.ChoosePatient(rw.patients[0].ID)
	f.received.SetText("")
	test.Type(f.received, "31/02/2026")
	test.Type(f.referrerName, "Dr Jane Hale")
	test.Type(f.whatMatters, "Company")
	f.priority.SetSelected("Urgent")
	test.Type(f.consentBy, "Daughter")
	f.referrerName.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter saves

	for name, want := range map[string]string{"ReceivedOn": "DD/MM/YYYY", "Source": "who referred",
		"Reasons": "at least one reason", "PriorityReason": "urgent"} {
		if e := f.field(name).err; !e.Visible() || !strings.Contains(e.Text, want) {
			t.Errorf("%s: %q (visible %v), want %q", name, e.Text, e.Visible(), want)
		}
	}
	if f.field("ConsentBy").err.Visible() {
		t.Error("a good field shows an error")
	}
	if f.received.Text != "31/02/2026" || f.referrerName.Text != "Dr Jane Hale" || f.whatMatters.Text != "Company" ||
		f.consentBy.Text != "Daughter" || f.Patient().ID != rw.patients[0].ID {
		t.Error("typing lost after an error")
	}
	if rw.a.Current() != "New referral" {
		t.Errorf("left the form: %q", rw.a.Current())
	}
	if rs, _ := rw.store.PatientReferrals(context.Background(), sessionFor(t, rw.store, data.OpViewReferralList), rw.patients[0].ID); len(rs) != 0 {
		t.Fatal("a bad referral was saved")
	}

	// Escape asks before throwing typing away, and keeps it meanwhile.
	f.referrerName.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if rw.w.Canvas().Overlays().Top() == nil {
		t.Error("Escape did not ask before discarding")
	}
	if f.referrerName.Text != "Dr Jane Hale" {
		t.Error("Escape discarded typing without asking")
	}
}

func TestReferralFormEscapeOnCleanFormAndNewPatient(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson")
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	rw.a.Show("New referral")
	f := rw.a.newReferral
	if f.Dirty() {
		t.Fatal("a new form is dirty")
	}
	f.picker.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if rw.w.Canvas().Overlays().Top() != nil {
		t.Error("Escape on an untouched form asked a question")
	}

	// A patient added in place; the same NHS number again offers the first.
	test.Type(f.picker.search, "Zofia Nowak")
	test.Tap(f.picker.newButton)
	if f.picker.given.Text != "Zofia" || f.picker.family.Text != "Nowak" {
		t.Errorf("name from the search: %q %q", f.picker.given.Text, f.picker.family.Text)
	}
	test.Type(f.picker.nhs, "943 476 5919")
	test.Type(f.picker.dob, "31/13/1950")
	test.Type(f.picker.phone, "07700 900999")
	f.picker.phone.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if e := f.picker.fields[3].err; !e.Visible() || f.Patient().ID != 0 {
		t.Fatalf("bad date of birth: %q", e.Text)
	}
	f.picker.dob.SetText("")
	test.Type(f.picker.dob, "01/02/1950")
	f.picker.phone.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	first := f.Patient()
	if first.ID == 0 || first.NHSNumber != "9434765919" {
		t.Fatalf("new patient not chosen: %+v %q", first, f.picker.message.Text)
	}

	f.showFinder()
	test.Tap(f.picker.newButton)
	// The form starts empty again: nothing of the last patient carries over.
	for _, e := range []*keyEntry{f.picker.nhs, f.picker.given, f.picker.family, f.picker.dob, f.picker.phone} {
		if e.Text != "" {
			t.Fatalf("the new-patient form kept %q", e.Text)
		}
	}
	test.Type(f.picker.nhs, "9434765919")
	test.Type(f.picker.given, "Zosia")
	test.Type(f.picker.family, "Nowak")
	test.Type(f.picker.dob, "01/02/1951")
	test.Type(f.picker.phone, "07700 900998")
	test.Tap(f.picker.save)
	if !f.picker.useExisting.Visible() || !strings.Contains(f.picker.fields[0].err.Text, "Zofia Nowak") {
		t.Fatalf("duplicate NHS number: %q", f.picker.fields[0].err.Text)
	}
	test.Tap(f.picker.useExisting)
	if f.Patient().ID != first.ID {
		t.Errorf("Use that patient chose %+v", f.Patient())
	}
}

func TestSecondOpenReferralRefused(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson")
	p := rw.patients[0]
	first := rw.refer(t, p, 3, "loneliness")
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	rw.a.StartReferral(p.ID)
	f := rw.a.newReferral

	// The open referral is pointed out as soon as the patient is chosen.
	if !f.openBox.Visible() || f.openCase != first.ID || !strings.Contains(f.openMsg.Text, "received") {
		t.Errorf("open referral not shown: %q", f.openMsg.Text)
	}
	f.reasons[1].SetChecked(true)
	test.Type(f.consentBy, "Patient")
	f.consentBy.TypedShortcut(ctrlS())
	if !strings.Contains(f.message.Text, "already has an open referral") || !f.openCaseBtn.Visible() {
		t.Errorf("second referral: %q", f.message.Text)
	}
	if rs, _ := rw.store.PatientReferrals(context.Background(), sessionFor(t, rw.store, data.OpViewReferralList), p.ID); len(rs) != 1 {
		t.Fatalf("%d referrals, want 1", len(rs))
	}
	if f.consentBy.Text != "Patient" || !f.reasons[1].Checked {
		t.Error("typing lost")
	}
	test.Tap(f.openCaseBtn)
	if rw.a.Current() != "Case record" {
		t.Errorf("Open that referral went to %q", rw.a.Current())
	}
}

// waitLoaded waits for the list to show n rows, the first one loaded.
func waitLoaded(t *testing.T, rw *referralWorld, s *ReferralsScreen, n int) {
	t.Helper()
	rw.q.waitFor(t, func() bool {
		if s.Count() != n {
			return false
		}
		_, ok := s.Row(0)
		return n == 0 || ok
	})
}

func TestReferralsListFiltersAndPipeline(t *testing.T) {
	rw := newReferralWorld(t, "Łukasz Wiśniewski", "Mary Wilson", "Ann Baker", "Tom Cole", "Eve Dodd")
	ctx := context.Background()
	for i, p := range rw.patients {
		r := rw.refer(t, p, 10+i, "loneliness")
		if i == 1 {
			if _, err := rw.store.Move(ctx, sessionFor(t, rw.store, data.OpMoveReferral), r.ID, data.StatusContacted, "", ""); err != nil {
				t.Fatal(err)
			}
		}
		if i >= 3 {
			if err := rw.store.Reassign(ctx, sessionFor(t, rw.store, data.OpMoveReferral), r.ID, rw.workers[0].ID, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	rw.a.Show("Referrals")
	s := rw.a.referrals
	waitLoaded(t, rw, s, 5)
	if got := s.stages[data.StatusReceived].Text; got != "Received 4" {
		t.Errorf("pipeline: %q", got)
	}
	if got := s.stages[data.StatusContacted].Text; got != "Contacted 1" {
		t.Errorf("pipeline: %q", got)
	}

	// Free text, after a pause in typing.
	test.Type(s.text, "wisn")
	rw.q.waitFor(t, func() bool {
		r, ok := s.Row(0)
		return s.Count() == 1 && ok && r.PatientName == "Wiśniewski, Łukasz"
	})
	test.Type(s.text, "zzz")
	waitLoaded(t, rw, s, 0)
	if !s.empty.Visible() || !strings.Contains(s.emptyText.Text, "No referrals match") || !s.emptyClear.Visible() {
		t.Errorf("empty state: %q", s.emptyText.Text)
	}
	test.Tap(s.emptyClear)
	waitLoaded(t, rw, s, 5)
	if s.empty.Visible() {
		t.Error("empty state still shown")
	}

	// The status filter, and the pipeline as a filter.
	s.status.SetSelected("Contacted")
	waitLoaded(t, rw, s, 1)
	if r, _ := s.Row(0); r.PatientName != "Wilson, Mary" || r.Status != data.StatusContacted {
		t.Errorf("contacted: %+v", r)
	}
	test.Tap(s.stages[data.StatusReceived])
	waitLoaded(t, rw, s, 4)
	if s.status.Selected != "Received" {
		t.Errorf("status select shows %q", s.status.Selected)
	}
	s.worker.SetSelected("Lowri Jones")
	waitLoaded(t, rw, s, 2)
	s.ClearFilters()
	waitLoaded(t, rw, s, 5)

	// A bad date gives a message and keeps the list.
	test.Type(s.from, "31/13/2026")
	if !s.filterMsg.Visible() || !strings.Contains(s.filterMsg.Text, "DD/MM/YYYY") {
		t.Errorf("bad date: %q", s.filterMsg.Text)
	}
	s.from.SetText("")
	s.from.SetText(time.Now().AddDate(0, 0, -11).Format("02/01/2006"))
	waitLoaded(t, rw, s, 2) // received 10 and 11 days ago
	if s.filterMsg.Visible() {
		t.Errorf("message stays: %q", s.filterMsg.Text)
	}
}

// TestReferralsListTooManyToCount: a name shared by more referrals than
// the counts go to (data.TextCountLimit) lists the first of them and says
// to type more; the pipeline shows the stages without numbers.
func TestReferralsListTooManyToCount(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson", "Ann Baker")
	rw.refer(t, rw.patients[0], 30, "loneliness")
	rw.refer(t, rw.patients[1], 20, "housing")
	// Mary Wilson's earlier referrals, closed, straight into the file.
	db, err := sql.Open("sqlite", rw.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1050)
		INSERT INTO referrals (patient_id, received_on, source, status, status_changed_at, closed_at, closing_reason, last_activity_at, created_at, updated_at)
		SELECT r.patient_id, date(r.received_on, '-' || n.i || ' days'), r.source, 'closed', r.status_changed_at, r.status_changed_at, 'goals_met',
			r.last_activity_at, r.created_at, r.updated_at
		FROM referrals r CROSS JOIN n WHERE r.patient_id = ?`, rw.patients[0].ID); err != nil {
		t.Fatal(err)
	}
	rw.a.SignedIn(as(t, rw.a.store, rw.manager(t)))
	rw.a.Show("Referrals")
	s := rw.a.referrals
	waitLoaded(t, rw, s, 1052)
	if got := s.stages[data.StatusClosed].Text; got != "Closed 1,050" {
		t.Errorf("pipeline, no filter: %q", got)
	}

	test.Type(s.text, "wils")
	waitLoaded(t, rw, s, data.TextCountLimit)
	if got := s.summary.Text; !strings.HasPrefix(got, "More than 1,000 match: the first 1,000 are listed. Type more to narrow them.") {
		t.Errorf("summary: %q", got)
	}
	if got := s.stages[data.StatusClosed].Text; got != "Closed" {
		t.Errorf("pipeline past the limit: %q", got)
	}
	if r, ok := s.Row(0); !ok || r.PatientName != "Wilson, Mary" || r.Status != data.StatusReceived {
		t.Errorf("first row: %+v", r)
	}
	// The export writes every match, not the first 1,000.
	path := filepath.Join(t.TempDir(), "wilson.csv")
	s.ExportFile(path)
	rw.q.waitFor(t, func() bool { return s.LastExport() != "" })
	raw, err := os.ReadFile(path)
	if lines := strings.Count(string(raw), "\n"); err != nil || !strings.HasPrefix(s.LastExport(), "Exported 1,051 referrals") || lines != 1052 {
		t.Errorf("export: %q, %d lines (%v)", s.LastExport(), lines, err)
	}

	s.text.SetText("")
	test.Type(s.text, "bak")
	waitLoaded(t, rw, s, 1)
	if got := s.summary.Text; got != "1 referral" {
		t.Errorf("summary: %q", got)
	}
	if got := s.stages[data.StatusReceived].Text; got != "Received 1" {
		t.Errorf("pipeline: %q", got)
	}
}

func TestReferralsListCaseloadAndEmptyDatabase(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson", "Ann Baker", "Tom Cole")
	rw.a.SignedIn(as(t, rw.a.store, rw.workers[0]))
	rw.a.Show("Referrals")
	s := rw.a.referrals
	waitLoaded(t, rw, s, 0)
	if !s.caseload.Checked || !strings.Contains(s.emptyText.Text, "No referrals") {
		t.Errorf("caseload %v, %q", s.caseload.Checked, s.emptyText.Text)
	}

	ctx := context.Background()
	mine := rw.refer(t, rw.patients[0], 5, "housing")
	rw.store.Reassign(ctx, sessionFor(t, rw.store, data.OpMoveReferral), mine.ID, rw.workers[0].ID, "")
	theirs := rw.refer(t, rw.patients[1], 5, "housing")
	rw.store.Reassign(ctx, sessionFor(t, rw.store, data.OpMoveReferral), theirs.ID, rw.workers[1].ID, "")
	rw.refer(t, rw.patients[2], 5, "housing")
	s.Refresh()
	waitLoaded(t, rw, s, 1)
	if r, _ := s.Row(0); r.ID != mine.ID {
		t.Errorf("caseload shows %+v", r)
	}
	test.Tap(s.caseload)
	waitLoaded(t, rw, s, 3)

	// With no referrals at all the empty state says how to add one.
	rw2 := newReferralWorld(t)
	rw2.a.SignedIn(as(t, rw2.a.store, rw2.gp))
	rw2.a.Show("Referrals")
	s2 := rw2.a.referrals
	waitLoaded(t, rw2, s2, 0)
	if !strings.Contains(s2.emptyText.Text, "No referrals yet") || !s2.emptyNew.Visible() || s2.emptyClear.Visible() {
		t.Errorf("empty database: %q", s2.emptyText.Text)
	}
}

func TestReferralsListSorting(t *testing.T) {
	rw := newReferralWorld(t, "Cara Baker", "Adam Young", "Bea Adams")
	ctx := context.Background()
	waits := []int{20, 5, 40} // days since received
	for i, p := range rw.patients {
		rw.refer(t, p, waits[i], "benefits")
	}
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	rw.a.Show("Referrals")
	s := rw.a.referrals
	waitLoaded(t, rw, s, 3)
	names := func() string {
		var out []string
		for i := 0; i < s.Count(); i++ {
			r, ok := s.Row(i)
			if !ok {
				return "not loaded"
			}
			out = append(out, r.PatientName)
		}
		return strings.Join(out, "; ")
	}
	// Newest received first by default.
	if got := names(); got != "Young, Adam; Baker, Cara; Adams, Bea" {
		t.Errorf("default order: %s", got)
	}
	expect := func(want string) {
		t.Helper()
		rw.q.waitFor(t, func() bool { return names() == want })
	}
	s.SortBy(data.SortWaiting) // longest waiting first
	expect("Adams, Bea; Baker, Cara; Young, Adam")
	if r, _ := s.Row(0); r.DaysWaiting != 40 {
		t.Errorf("days waiting %d", r.DaysWaiting)
	}
	s.SortBy(data.SortWaiting)
	expect("Young, Adam; Baker, Cara; Adams, Bea")
	s.SortBy(data.SortPatient)
	expect("Adams, Bea; Baker, Cara; Young, Adam")
	if !s.Sort().Desc == false {
		t.Error("patient sort should start A to Z")
	}
	s.SortBy(data.SortPatient)
	expect("Young, Adam; Baker, Cara; Adams, Bea")
	_ = ctx
}

func TestReferralsListOpensCase(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson", "Ann Baker")
	r0 := rw.refer(t, rw.patients[0], 1, "benefits")
	rw.refer(t, rw.patients[1], 2, "benefits")
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	rw.a.Show("Referrals")
	s := rw.a.referrals
	waitLoaded(t, rw, s, 2)
	rw.q.waitFor(t, func() bool { _, ok := s.Row(1); return ok })

	// Rows sit under the header; tap the middle of the first and second.
	rowH := s.table.Size().Height // unknown row height: measure from a cell
	_ = rowH
	header := float32(40)
	at := func(row int) fyne.Position { return fyne.NewPos(60, header+float32(row)*40+20) }

	// One tap selects; taps on two rows do not open anything.
	test.TapAt(s.table, at(0))
	if s.selected != r0.ID {
		t.Fatalf("tap selected %d, want %d", s.selected, r0.ID)
	}
	test.TapAt(s.table, at(1))
	if rw.a.Current() != "Referrals" {
		t.Fatal("taps on two rows opened a case")
	}
	// A slow second tap on the same row does not open it either.
	s.lastTapAt = time.Now().Add(-time.Second)
	test.TapAt(s.table, at(1))
	if rw.a.Current() != "Referrals" {
		t.Fatal("a slow second tap opened the case")
	}
	// Two quick taps on one row open its case record.
	test.TapAt(s.table, at(0))
	test.TapAt(s.table, at(0))
	if rw.a.Current() != "Case record" {
		t.Fatal("a double tap did not open the case")
	}

	// Select with the keyboard and press Enter.
	rw.a.Show("Referrals")
	s = rw.a.referrals
	waitLoaded(t, rw, s, 2)
	s.table.Select(widget.TableCellID{Row: 0, Col: 0})
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if rw.a.Current() != "Case record" {
		t.Fatal("Enter did not open the selected case")
	}
}

// Without a test queue a window drawn in memory (tests, the screenshots
// command) loads at once, so a picture taken straight away shows the rows.
func TestReferralsListInMemoryLoadsAtOnce(t *testing.T) {
	a, store, _ := newTestApp(t)
	admin, _ := setUpStore(t, store)
	p, err := store.SavePatient(context.Background(), sessionFor(t, store, data.OpEditPatient), data.Patient{GivenName: "Mary", FamilyName: "Wilson",
		DateOfBirth: "01/03/1960", Phone: "07700 900123", Sex: data.SexUnknown, PreferredContact: data.ContactPhone}, data.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rw := &referralWorld{store: store, admin: admin}
	rw.refer(t, p, 2, "housing")
	a.SignedIn(sessionFor(t, a.store, data.OpViewReferralList))
	a.Show("Referrals")
	s := a.referrals
	if r, ok := s.Row(0); s.Count() != 1 || !ok || r.PatientName != "Wilson, Mary" || r.NHSNumber != "" {
		t.Fatalf("count %d, row %+v", s.Count(), r)
	}
	if got := referralCell(data.ReferralRow{}, 1); got != "—" {
		t.Errorf("no NHS number shows %q", got)
	}
}

// What matters to the patient counts its characters under the box; over
// 2,000 the form is refused beside it, and everything typed stays.
func TestReferralWhatMattersLimit(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson")
	p := rw.patients[0]
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	rw.a.StartReferral(p.ID)
	f := rw.a.newReferral
	if f.whatMattersCount.Text() != "0 / 2,000" {
		t.Errorf("empty counter: %q", f.whatMattersCount.Text())
	}
	f.reasons[1].SetChecked(true)
	test.Type(f.consentBy, "Patient")
	over := strings.Repeat("ł", data.WhatMattersMaxChars+1)
	f.whatMatters.SetText(over)
	if !strings.HasPrefix(f.whatMattersCount.Text(), "2,001 / 2,000") {
		t.Errorf("over the limit: %q", f.whatMattersCount.Text())
	}
	f.consentBy.TypedShortcut(ctrlS())
	if msg := f.field("WhatMatters").err; !msg.Visible() || !strings.Contains(msg.Text, "2,000") {
		t.Errorf("no refusal beside What matters: %q", msg.Text)
	}
	if f.whatMatters.Text != over || f.consentBy.Text != "Patient" || !f.reasons[1].Checked {
		t.Error("typing lost")
	}
	if rs, _ := rw.store.PatientReferrals(context.Background(), sessionFor(t, rw.store, data.OpViewReferralList), p.ID); len(rs) != 0 {
		t.Fatalf("an over-long referral was saved")
	}
	f.whatMatters.SetText(strings.Repeat("ł", data.WhatMattersMaxChars))
	f.consentBy.TypedShortcut(ctrlS())
	if rs, _ := rw.store.PatientReferrals(context.Background(), sessionFor(t, rw.store, data.OpViewReferralList), p.ID); len(rs) != 1 {
		t.Fatalf("a referral at the limit was not saved: %q", f.message.Text)
	}
}
