package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// openTestCase makes a practice with a link worker, a patient and a new
// referral, signs the link worker in and opens the case record.
func openTestCase(t *testing.T) (*App, *data.Store, *CaseScreen, data.User) {
	t.Helper()
	a, store, _ := newTestApp(t)
	admin, _ := setUpStore(t, store)
	ctx := context.Background()
	worker, err := store.CreateUser(ctx, as(t, store, admin), data.NewUser{Username: "lowri", FullName: "Lowri Jones",
		Role: data.RoleLinkWorker, Password: "lowri password"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.SavePatient(ctx, sessionFor(t, store, data.OpEditPatient), data.Patient{NHSNumber: "9434765919", GivenName: "Łukasz", FamilyName: "Wiśniewski",
		DateOfBirth: "28/02/1985", Sex: data.SexMale, Phone: "07700 900123", PreferredContact: data.ContactPhone,
		Interpreter: true, Language: "Polish"}, data.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := store.CreateReferral(ctx, sessionFor(t, store, data.OpRefer), data.Referral{PatientID: p.ID, Source: "gp", ReferrerName: "Dr X",
		Reasons: []string{"loneliness"}, ConsentBy: "Patient", ConsentOn: "2026-11-01", LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	a.SignedIn(as(t, a.store, worker))
	a.OpenCase(r.ID)
	if a.caseRecord == nil || a.Current() != "Case record" {
		t.Fatal("the case record did not open")
	}
	return a, store, a.caseRecord, worker
}

func caseReferral(t *testing.T, store *data.Store, id int64) data.Referral {
	t.Helper()
	r, err := store.Referral(context.Background(), sessionFor(t, store, data.OpViewReferralList), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func caseHasEntry(s *CaseScreen, title, detail string) bool {
	for _, e := range s.timeline.Entries() {
		if strings.Contains(e.Title, title) && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

func TestCaseMovesThroughToClosed(t *testing.T) {
	a, store, s, _ := openTestCase(t)
	id := s.id

	if !strings.Contains(s.patientFacts.String(), "943 476 5919") || !strings.Contains(s.patientFacts.String(), "Interpreter (Polish)") {
		t.Errorf("header: %q", s.patientFacts.String())
	}
	if s.pill.Text() != "Received" || s.codeCard.Visible() {
		t.Fatalf("new referral shows %q, code card %v", s.pill.Text(), s.codeCard.Visible())
	}
	if len(s.moveButtons) != 3 || s.moveButtons[data.StatusContacted].Text != "Mark contacted" {
		t.Fatalf("next steps from received: %v", s.moveButtons)
	}

	test.Tap(s.moveButtons[data.StatusContacted])
	if r := caseReferral(t, store, id); r.Status != data.StatusContacted || r.FirstContactAt == "" {
		t.Fatalf("after Mark contacted: %+v", r)
	}

	// Accepting records the SNOMED code; the screen shows it and says so.
	test.Tap(s.moveButtons[data.StatusAccepted])
	if r := caseReferral(t, store, id); r.Status != data.StatusAccepted || r.SNOMEDCode != data.SNOMEDReferred {
		t.Fatalf("after Accept: %+v", r)
	}
	if !s.codeCard.Visible() || !strings.Contains(s.codeText.String(), "871731000000106 Referral to social prescribing service") {
		t.Errorf("code card: visible %v, %q", s.codeCard.Visible(), s.codeText.String())
	}
	if s.codeNotice == nil || a.win.Canvas().Overlays().Top() == nil {
		t.Error("no notice to enter the code in the GP record")
	}
	test.Tap(s.codeCopy)
	if got := fyne.CurrentApp().Clipboard().Content(); got != data.SNOMEDReferred {
		t.Errorf("clipboard %q", got)
	}
	test.Tap(s.coded)
	if r := caseReferral(t, store, id); !r.CodedInGPRecord {
		t.Error("ticking coded did not reach the store")
	}
	if !s.coded.Checked || !caseHasEntry(s, "GP record coding", data.SNOMEDReferred) {
		t.Error("coding not shown after the tick")
	}

	test.Tap(s.moveButtons[data.StatusActive])
	if s.pill.Text() != "Active" || s.moveButtons[data.StatusClosed] == nil {
		t.Fatalf("after Make active: %q", s.pill.Text())
	}

	// Closing without a closing reason is refused beside the field, and
	// the note typed stays.
	test.Tap(s.moveButtons[data.StatusClosed])
	m := s.moving
	if m == nil || m.closing == nil {
		t.Fatal("Close case… did not ask for a closing reason")
	}
	test.Type(m.reason, "Going to the lunch club twice a week")
	test.Tap(m.confirm)
	if !m.fields[0].err.Visible() || !strings.Contains(m.fields[0].err.Text, "why the case is closing") {
		t.Errorf("closing reason error: %q", m.fields[0].err.Text)
	}
	if m.reason.Text != "Going to the lunch club twice a week" || caseReferral(t, store, id).Status != data.StatusActive {
		t.Fatal("a refused close lost the typing or closed anyway")
	}
	m.closing.SetSelected("Goals met")
	test.Tap(m.confirm)
	r := caseReferral(t, store, id)
	if r.Status != data.StatusClosed || r.ClosingReason != "goals_met" {
		t.Fatalf("after closing: %+v", r)
	}
	if s.pill.Text() != "Closed" || !caseHasEntry(s, "Active ⟶ Closed", "Goals met. Going to the lunch club") &&
		!caseHasEntry(s, "Active → Closed", "Goals met. Going to the lunch club") {
		t.Errorf("closed case shows %q, timeline %+v", s.pill.Text(), s.timeline.Entries()[0])
	}

	// An ended episode is read-only until reopened.
	if !s.contact.save.Disabled() || !s.goals.add.Disabled() || !s.readOnlyNote.Visible() {
		t.Error("a closed case still offers to add notes or goals")
	}
	reopen := s.moveButtons[data.StatusActive]
	if reopen == nil || reopen.Text != "Reopen…" || len(s.moveButtons) != 1 {
		t.Fatalf("closed case next steps: %v", s.moveButtons)
	}
	test.Tap(reopen)
	test.Tap(s.moving.confirm)
	if !s.moving.fields[0].err.Visible() || caseReferral(t, store, id).Status != data.StatusClosed {
		t.Fatal("reopened without a reason")
	}
	test.Type(s.moving.reason, "Asked for help with housing")
	test.Tap(s.moving.confirm)
	if caseReferral(t, store, id).Status != data.StatusActive || s.contact.save.Disabled() {
		t.Error("reopen did not make the case active and editable")
	}

	test.Tap(s.back)
	if a.Current() != "Referrals" {
		t.Errorf("Back went to %q", a.Current())
	}
}

func TestCaseRefusalsKeepTyping(t *testing.T) {
	_, store, s, worker := openTestCase(t)
	f := &s.contact

	// Empty note: the message beside the field; nothing saved.
	test.Type(f.minutes, "twenty")
	test.Tap(f.save)
	if !f.fields[3].err.Visible() || !strings.Contains(f.fields[3].err.Text, "what happened") {
		t.Errorf("empty note: %q", f.fields[3].err.Text)
	}
	if !f.fields[2].err.Visible() || !strings.Contains(f.fields[2].err.Text, "number") || f.minutes.Text != "twenty" {
		t.Errorf("bad minutes: %q, kept %q", f.fields[2].err.Text, f.minutes.Text)
	}
	n := len(s.timeline.Entries())

	test.Type(f.text, "Rang to arrange a first meeting")
	f.minutes.SetText("20")
	test.Tap(f.save)
	if f.fields[3].err.Visible() || f.text.Text != "" {
		t.Fatalf("not saved: %q / %q", f.fields[3].err.Text, f.message.Text)
	}
	if len(s.timeline.Entries()) != n+1 || !caseHasEntry(s, "Phone, 20 min", "Rang to arrange a first meeting") {
		t.Errorf("the note is not on the timeline: %+v", s.timeline.Entries())
	}

	// Ctrl+S while typing in the note saves it.
	test.Type(f.text, "Left a voicemail")
	f.text.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault})
	if !caseHasEntry(s, "Phone", "Left a voicemail") {
		t.Error("Ctrl+S in the note did not save it")
	}

	// A move refused by the state machine shows its plain message: here
	// someone else has already marked the referral contacted.
	stale := s.moveButtons[data.StatusContacted]
	if _, err := store.Move(context.Background(), as(t, store, worker), s.id, data.StatusContacted, "", ""); err != nil {
		t.Fatal(err)
	}
	test.Tap(stale)
	if !s.message.Visible() || !strings.Contains(s.message.Text, "cannot be moved to Contacted") {
		t.Errorf("refused move: %q", s.message.Text)
	}
	if s.pill.Text() != "Contacted" {
		t.Errorf("after a refused move the pill shows %q", s.pill.Text())
	}

	// Declining needs a reason: refused in the dialog, typing kept.
	test.Type(f.text, "One more thing")
	test.Tap(s.moveButtons[data.StatusDeclined])
	test.Tap(s.moving.confirm)
	if !s.moving.fields[0].err.Visible() {
		t.Error("decline without a reason: no message")
	}
	test.Type(s.moving.reason, "Does not want support now")
	test.Tap(s.moving.confirm)
	if r := caseReferral(t, store, s.id); r.Status != data.StatusDeclined || r.SNOMEDCode != data.SNOMEDDeclined {
		t.Fatalf("declined: %+v", r)
	}
	if !strings.Contains(s.codeText.String(), "871711000000103 Social prescribing declined") {
		t.Errorf("decline code: %q", s.codeText.String())
	}

	// A declined case takes no more notes; what was typed stays.
	s.AddContact()
	if !f.save.Disabled() || f.text.Text != "One more thing" || caseHasEntry(s, "", "One more thing") {
		t.Error("a note was added to a declined case, or the typing was lost")
	}
}

func TestCaseReassign(t *testing.T) {
	_, store, s, _ := openTestCase(t)
	admin, err := userNamed(t, store, "admin")
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.CreateUser(context.Background(), as(t, store, admin), data.NewUser{Username: "tom", FullName: "Tom Fletcher",
		Role: data.RoleLinkWorker, Password: "tom password 1"})
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(s.reassign)
	d := s.reassigning
	test.Tap(d.save)
	if !d.message.Visible() {
		t.Error("no message when no worker was chosen")
	}
	d.worker.SetSelected("Tom Fletcher")
	test.Type(d.reason, "Nearer his home")
	test.Tap(d.save)
	if r := caseReferral(t, store, s.id); r.LinkWorkerID != other.ID {
		t.Fatalf("not reassigned: %+v", r)
	}
	if s.worker.Text != "Link worker: Tom Fletcher" || !caseHasEntry(s, "Lowri Jones ⟶ Tom Fletcher", "Nearer his home") &&
		!caseHasEntry(s, "Lowri Jones → Tom Fletcher", "Nearer his home") {
		t.Errorf("after reassigning: %q, %+v", s.worker.Text, s.timeline.Entries()[0])
	}
}

func TestCaseGoalsAddAndReview(t *testing.T) {
	_, store, s, _ := openTestCase(t)
	g := &s.goals
	if !g.empty.Visible() {
		t.Error("no empty state for goals")
	}
	test.Tap(g.add)
	if !g.fields[0].err.Visible() || !g.fields[1].err.Visible() {
		t.Fatal("an empty goal was not refused field by field")
	}
	test.Type(g.description, "Get out of the house twice a week")
	g.score.SetSelected("4")
	test.Tap(g.add)
	if len(g.rows) != 1 || !strings.Contains(g.rows[0].label.Text, "started at 4") || g.description.Text != "" {
		t.Fatalf("goal rows %d, %q", len(g.rows), g.description.Text)
	}

	test.Tap(g.rows[0].review)
	d := g.reviewing
	test.Tap(d.save)
	if !d.err.Visible() {
		t.Error("a review without a score was not refused")
	}
	d.score.SetSelected("7")
	test.Tap(d.save)
	if got := g.rows[0].label.Text; !strings.Contains(got, "4 ⟶ 7 (+3)") {
		t.Errorf("reviewed goal shows %q", got)
	}
	c, err := store.CaseRecord(context.Background(), sessionFor(t, store, data.OpViewCaseRecord), s.id)
	if err != nil || len(c.Goals) != 1 || c.Goals[0].ReviewScore != 7 {
		t.Errorf("stored goals %+v %v", c.Goals, err)
	}
}

func TestCaseWellbeingBaselineAndReview(t *testing.T) {
	_, _, s, _ := openTestCase(t)
	w := &s.wellbeing
	if w.stage.Selected != "Baseline" {
		t.Errorf("first stage offered: %q", w.stage.Selected)
	}
	setScores := func(scores ...string) {
		for i, sc := range scores {
			w.scores[i].SetSelected(sc)
		}
	}

	// A missing score is named beside its question; the others stay.
	setScores("5", "6", "5")
	test.Tap(w.save)
	if !w.fields[5].err.Visible() || w.scores[0].Selected != "5" || len(w.cells) != 0 {
		t.Fatalf("missing anxiety score: %q", w.fields[5].err.Text)
	}
	setScores("5", "6", "5", "8")
	test.Tap(w.save)
	if len(w.cells) != 1 || w.cells[0][4].Text != "8" {
		t.Fatalf("baseline not shown: %d rows (%s)", len(w.cells), w.message.Text)
	}
	if w.stage.Selected != "Review" {
		t.Errorf("after the baseline the form offers %q", w.stage.Selected)
	}

	setScores("7", "6", "4", "6")
	test.Tap(w.save)
	if len(w.cells) != 2 {
		t.Fatalf("review not shown (%s)", w.message.Text)
	}
	row := w.cells[1]
	for i, want := range []string{"7 (+2 better)", "6 (no change)", "4 (−1 worse)", "6 (−2 better)"} {
		if row[i+1].Text != want {
			t.Errorf("%s: %q, want %q", data.ONS4Short[i], row[i+1].Text, want)
		}
	}

	// A second baseline is refused beside the stage.
	w.stage.SetSelected("Baseline")
	setScores("1", "1", "1", "1")
	test.Tap(w.save)
	if !w.fields[0].err.Visible() || len(w.cells) != 2 {
		t.Errorf("second baseline: %q", w.fields[0].err.Text)
	}
}

func TestCaseTimelineRowsFitTheirText(t *testing.T) {
	_, _, s, _ := openTestCase(t)
	long := strings.Repeat("A long case note that has to wrap onto several lines. ", 12)
	test.Type(s.contact.text, long)
	test.Tap(s.contact.save)
	s.timeline.resized(400)
	row := newTimelineRow()
	fillTimelineRow(row, data.TimelineEntry{At: "2026-11-25T10:00:00Z", Title: "Note"})
	oneLine := row.MinSize().Height
	var note data.TimelineEntry
	for _, e := range s.timeline.Entries() {
		if e.Detail == strings.TrimSpace(long) {
			note = e
		}
	}
	if note.Title == "" {
		t.Fatalf("the long note is not on the timeline (%s %s)", s.contact.message.Text, s.contact.fields[3].err.Text)
	}
	fillTimelineRow(row, note)
	row.Resize(fyne.NewSize(400, 1000))
	if tall := row.MinSize().Height; tall < 3*oneLine {
		t.Errorf("a long note measures %v high at 400 wide (one line %v): it would overlap", tall, oneLine)
	}
	if s.timeline.list.Length() != len(s.timeline.Entries()) {
		t.Error("list length and entries differ")
	}
}

// A note typed into a word-wrapped box keeps every space, whatever the
// width (Fyne 2.8.1 moves a space typed at a wrap to the end of the text).
func TestCaseNoteKeepsSpacesAtWraps(t *testing.T) {
	test.NewTempApp(t)
	long := strings.Repeat("A long case note that has to wrap onto several lines. ", 8)
	for w := float32(200); w < 640; w += 11 {
		e := newCaseEntry(true, nil)
		win := test.NewTempWindow(t, e)
		win.Resize(fyne.NewSize(w, 300))
		test.Type(e, long)
		if e.Text != long {
			t.Fatalf("at %v wide the note reads %q", w, e.Text)
		}
		// Typing in the middle still lands where the cursor is.
		e.CursorRow, e.CursorColumn = 0, 2
		test.Type(e, "very ")
		if !strings.HasPrefix(e.Text, "A very long case note") {
			t.Fatalf("at %v wide, typing in the middle gave %q", w, e.Text[:30])
		}
	}
}

// The note shows how much of its 5,000 characters is used; one over is
// refused beside the field, and the text stays to be shortened (issue 17).
func TestCaseNoteLimitAndCounter(t *testing.T) {
	_, store, s, _ := openTestCase(t)
	f := &s.contact
	if f.counter.Text() != "0 / 5,000" {
		t.Errorf("empty note counter: %q", f.counter.Text())
	}
	test.Type(f.text, "Phoned")
	if f.counter.Text() != "6 / 5,000" {
		t.Errorf("after typing: %q", f.counter.Text())
	}
	long := strings.Repeat("é", 1233) + "x"
	f.text.SetText(long)
	if f.counter.Text() != "1,234 / 5,000" {
		t.Errorf("1,234 characters: %q", f.counter.Text())
	}
	over := strings.Repeat("a", data.NoteMaxChars+1)
	f.text.SetText(over)
	if !strings.HasPrefix(f.counter.Text(), "5,001 / 5,000") || f.counter.label.Importance != widget.DangerImportance {
		t.Errorf("over the limit: %q", f.counter.Text())
	}
	before := len(s.timeline.Entries())
	s.AddContact()
	if msg := f.fields.named("Text").err; !msg.Visible() || !strings.Contains(msg.Text, "5,000") {
		t.Errorf("no refusal beside the note: %q", msg.Text)
	}
	if f.text.Text != over {
		t.Error("the refused note was not kept")
	}
	rec, err := store.CaseRecord(context.Background(), s.app.session, s.id)
	if err != nil || len(rec.Timeline) != before {
		t.Errorf("the long note was saved (%v)", err)
	}

	f.text.SetText(strings.Repeat("a", data.NoteMaxChars))
	s.AddContact()
	if f.text.Text != "" || f.counter.Text() != "0 / 5,000" {
		t.Errorf("a 5,000-character note was not added: %q, counter %q", f.message.Text, f.counter.Text())
	}
}
