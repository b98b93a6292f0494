package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// keyboard drives the window with key events only, as the desktop driver
// hands them out (fyne's internal/driver/glfw, processKeyPressed and
// triggersShortcut), and counts the keys pressed. Typed text is not
// counted: the budgets are "so many keys plus what is typed".
type keyboard struct {
	t    *testing.T
	c    fyne.Canvas
	keys int
}

func newKeyboard(t *testing.T, w fyne.Window) *keyboard { return &keyboard{t: t, c: w.Canvas()} }

// press sends a key: Tab moves the focus; any other key goes to the
// focused widget, else to the window's key handler. Space also types a
// space, as the driver's character event does.
func (k *keyboard) press(name fyne.KeyName) {
	k.keys++
	if name == fyne.KeyTab {
		k.c.FocusNext()
		return
	}
	ev := &fyne.KeyEvent{Name: name}
	f := k.c.Focused()
	switch {
	case f != nil:
		f.TypedKey(ev)
	case k.c.OnTypedKey() != nil:
		k.c.OnTypedKey()(ev)
	}
	if name == fyne.KeySpace {
		k.rune(' ')
	}
}

// letter presses a key that types a character (counted as a key).
func (k *keyboard) letter(r rune) {
	k.keys++
	k.rune(r)
}

func (k *keyboard) rune(r rune) {
	if f := k.c.Focused(); f != nil {
		f.TypedRune(r)
	} else if h := k.c.OnTypedRune(); h != nil {
		h(r)
	}
}

// typeText types text into whatever has the focus (not counted).
func (k *keyboard) typeText(text string) {
	for _, r := range text {
		k.rune(r)
	}
}

// ctrl presses Ctrl with a key. As in the driver, a focused widget that
// takes shortcuts gets it (a disabled entry drops all but Copy); with none,
// the window's shortcuts do.
func (k *keyboard) ctrl(name fyne.KeyName) {
	k.keys++
	s := &desktop.CustomShortcut{KeyName: name, Modifier: fyne.KeyModifierShortcutDefault}
	if f, ok := k.c.Focused().(fyne.Shortcutable); ok {
		if d, ok := f.(interface {
			fyne.Disableable
			SelectedText() string
		}); ok && d.Disabled() {
			return
		}
		f.TypedShortcut(s)
		return
	}
	windowShortcuts(k.t, k.c).TypedShortcut(s)
}

// windowShortcuts is the canvas's own shortcut handler. The test canvas
// wraps the software canvas in an interface, which hides it.
func windowShortcuts(t *testing.T, c fyne.Canvas) fyne.Shortcutable {
	t.Helper()
	if h, ok := c.(fyne.Shortcutable); ok {
		return h
	}
	inner := reflect.ValueOf(c).Elem().FieldByName("WindowlessCanvas")
	if h, ok := inner.Interface().(fyne.Shortcutable); inner.IsValid() && ok {
		return h
	}
	t.Fatalf("the canvas %T has no shortcut handler", c)
	return nil
}

// within fails the test when more keys were pressed than the budget.
func (k *keyboard) within(budget int, what string) {
	k.t.Helper()
	k.t.Logf("%s: %d keys (budget %d)", what, k.keys, budget)
	if k.keys > budget {
		k.t.Errorf("%s took %d keys, over the budget of %d", what, k.keys, budget)
	}
}

// navKey is the key of a navigation entry's shortcut, as the label beside
// the entry shows it (Ctrl+0 is the tenth).
func navKey(t *testing.T, a *App, name string) fyne.KeyName {
	t.Helper()
	n := navKeyOf(t, a, name)
	if n == 0 {
		t.Fatalf("%s has no shortcut", name)
	}
	return fyne.KeyName(strconv.Itoa(n % 10))
}

// navKeyOf is the place n of a navigation entry whose shortcut is Ctrl+n
// (10 for Ctrl+0), as the label beside the entry shows it; 0 when it
// shows none.
func navKeyOf(t *testing.T, a *App, name string) int {
	t.Helper()
	b := a.navItems[name]
	if b == nil {
		t.Fatalf("no %s in the navigation", name)
	}
	for _, o := range a.nav.Objects {
		row, ok := o.(*fyne.Container)
		if !ok || len(row.Objects) != 2 || row.Objects[0] != b {
			continue
		}
		text := row.Objects[1].(*navHint).text
		n, err := strconv.Atoi(strings.TrimPrefix(text, shortcutLabel))
		if err != nil || !strings.HasPrefix(text, shortcutLabel) {
			t.Fatalf("%s's shortcut is shown as %q", name, text)
		}
		if n == 0 {
			n = 10
		}
		return n
	}
	return 0
}

// printedPDFs are the PDFs in the print folder (printing.Folder), which
// the test moves into its own temporary folder.
func printFolder(t *testing.T) string {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache) // os.UserCacheDir on Linux
	return filepath.Join(cache, "linkwell", "print")
}

func printedPDFs(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil && bytes.HasPrefix(b, []byte("%PDF")) {
			out = append(out, e.Name())
		}
	}
	return out
}

// Ctrl+1…Ctrl+9 open the navigation's entries in the order shown, with
// the shortcut beside each; they work from every screen, while an entry
// has the focus, and do nothing under a dialog.
func TestNavigationShortcuts(t *testing.T) {
	a, store, w := newTestApp(t)
	admin, _ := setUpStore(t, store)
	pm, err := store.CreateUser(context.Background(), as(t, store, admin), data.NewUser{Username: "pm",
		FullName: "Priya Manager", Role: data.RolePracticeManager, Password: testPasswords["pm"]})
	if err != nil {
		t.Fatal(err)
	}
	a.SignedIn(as(t, store, pm))
	k := newKeyboard(t, w)
	var shown []string
	for _, p := range pages() {
		if p.allows(pm.Role) {
			shown = append(shown, p.name)
		}
	}
	if len(shown) < 4 {
		t.Fatalf("the practice manager sees only %v", shown)
	}
	if len(shown) != 10 {
		t.Errorf("the practice manager sees %d entries: %v", len(shown), shown)
	}
	for i, name := range shown {
		if n := navKeyOf(t, a, name); n != i+1 {
			t.Errorf("%s (entry %d) shows the shortcut of entry %d", name, i+1, n)
		}
	}
	// Each in turn, from whatever the last one focused (often an entry).
	for i := len(shown) - 1; i >= 0; i-- {
		from := a.Current()
		k.ctrl(navKey(t, a, shown[i]))
		if a.Current() != shown[i] {
			t.Errorf("the key of %s from %s (focus on %T) shows %q", shown[i], from, k.c.Focused(), a.Current())
		}
	}
	// From an entry, explicitly: the Referrals' find box.
	k.ctrl(navKey(t, a, "Referrals"))
	if _, ok := k.c.Focused().(*keyEntry); !ok || a.Current() != "Referrals" {
		t.Fatalf("on %s the focus is on %T, want the find box", a.Current(), k.c.Focused())
	}
	k.ctrl(navKey(t, a, "Audit"))
	if a.Current() != "Audit" {
		t.Errorf("Ctrl+n for Audit typed in an entry shows %q", a.Current())
	}
	// Under a dialog nothing changes.
	askYesNo(w, "Question", "Go on?", true, func(bool) {})
	k.ctrl(navKey(t, a, "Referrals"))
	if a.Current() != "Audit" {
		t.Errorf("Ctrl+n under a dialog changed the screen to %q", a.Current())
	}
	k.press(fyne.KeyEscape)

	// Another role, another list: the receptionist's keys follow theirs.
	a.ShowSignIn()
	a.SignedIn(signInAs(t, store, "rita"))
	k.ctrl(navKey(t, a, "Diary"))
	if a.Current() != "Diary" {
		t.Errorf("the receptionist's Ctrl+n for the Diary shows %q", a.Current())
	}
	if n := navKeyOf(t, a, "Diary"); n > len(a.navItems) {
		t.Errorf("the Diary is Ctrl+%d of %d entries", n, len(a.navItems))
	}

	// While typing a user's name on Staff.
	a.ShowSignIn()
	a.SignedIn(signInAs(t, store, "admin"))
	a.Show("Staff")
	k.c.Focus(a.staff.username)
	k.typeText("jo")
	k.ctrl(navKey(t, a, "Directory"))
	if a.Current() != "Directory" {
		t.Errorf("the administrator's key for the Directory, typed in a box on Staff, shows %q", a.Current())
	}
}

// Enter opens the highlighted row of the directory, as Space does; Down
// moves to the next row first.
func TestEnterOpensTheDirectoryRow(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.signInAs(t, "linkworker1")
	k := newKeyboard(t, dw.w)
	k.ctrl(navKey(t, dw.a, "Directory"))
	s := dw.a.directory
	if dw.a.Current() != "Directory" || len(s.results) < 2 {
		t.Fatalf("on %q with %d services", dw.a.Current(), len(s.results))
	}
	k.c.Focus(s.table)
	k.press(fyne.KeyDown)
	k.press(fyne.KeyReturn)
	if s.loaded.ID != s.results[1].ID {
		t.Errorf("Down, Enter opened %d (%s), want the second row %d", s.loaded.ID, s.loaded.Name, s.results[1].ID)
	}
}

// (a) From the Diary the receptionist books the next initial assessment
// for a patient named at the desk in at most 15 keys plus the name:
// Ctrl+B (next free slots, the first focused), Enter (take it), the name,
// Enter (the one match), Enter (book). Then Ctrl+P prints its card.
func TestKeystrokeBudgetBookInitialAssessment(t *testing.T) {
	prints := printFolder(t)
	dw := newDiaryWorld(t)
	ctx := context.Background()
	// A patient with no appointment whose name finds only them.
	var p data.Patient
	for id := int64(1); id <= 300 && p.ID == 0; id++ {
		c, err := dw.store.Patient(ctx, sessionFor(t, dw.store, data.OpViewPatient), id)
		if err != nil {
			continue
		}
		found, _ := dw.store.SearchPatients(ctx, sessionFor(t, dw.store, data.OpViewPatient), c.FullName(), 10)
		appts, _ := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), c.ID)
		if len(found) == 1 && len(appts) == 0 {
			p = c
		}
	}
	if p.ID == 0 {
		t.Fatal("the demo has no patient with a name of their own and no appointments")
	}

	k := newKeyboard(t, dw.w)
	if dw.a.Current() != "Today" {
		t.Fatalf("the receptionist starts on %q", dw.a.Current())
	}
	k.ctrl(navKey(t, dw.a, "Diary"))
	d := dw.a.diary
	if dw.a.Current() != "Diary" || d == nil {
		t.Fatalf("the Diary's key shows %q", dw.a.Current())
	}
	k.keys = 0 // the budget counts from the Diary
	k.ctrl(fyne.KeyB)
	b := d.book
	if len(b.slots) == 0 {
		t.Fatalf("Ctrl+B found no free slots: %q", b.findErr.Text)
	}
	first := b.slots[0]
	if b.bookType.Selected != "Initial assessment" && b.typeCode(b.bookType.Selected) != "initial_assessment" {
		t.Fatalf("the booking starts as %q", b.bookType.Selected)
	}
	k.press(fyne.KeyReturn) // the first slot
	k.typeText(p.FullName())
	k.press(fyne.KeyReturn) // finds them and picks the one match
	if b.patient.ID != p.ID {
		t.Fatalf("picked %d, want %d (%s)", b.patient.ID, p.ID, b.picker.status.Text)
	}
	k.press(fyne.KeyReturn) // books
	k.within(15, "booking the next initial assessment")

	appts, err := dw.store.PatientAppointments(ctx, sessionFor(t, dw.store, data.OpViewDiary), p.ID)
	if err != nil || len(appts) != 1 {
		t.Fatalf("%d appointments, %v (%s)", len(appts), err, b.message.Text)
	}
	got := appts[0]
	if got.Type != "initial_assessment" || !got.Start.Equal(first.Start) || got.WorkerID != first.WorkerID ||
		got.Status != data.AppointmentBooked {
		t.Errorf("booked %s at %v with %d, want the initial assessment at %v with %d", got.Type, got.Start, got.WorkerID,
			first.Start, first.WorkerID)
	}

	// Ctrl+P prints the card of the appointment selected: the one booked.
	k.keys = 0
	k.ctrl(fyne.KeyP)
	if d.details.appt.ID != got.ID || d.details.lastCard == "" {
		t.Fatalf("Ctrl+P printed no card for the booking: %q", d.details.message.Text)
	}
	if pdfs := printedPDFs(t, prints); len(pdfs) != 1 || !strings.HasPrefix(pdfs[0], "appointment-card-") {
		t.Errorf("the print folder holds %v, want one appointment card", pdfs)
	}
	k.within(1, "printing the card")
}

// (b) From a patient found on the Patients screen the GP saves a referral
// in at most 10 keys plus what is typed: Enter (open them), Ctrl+R
// (Refer…), Ctrl+S (saving says what is missing and puts the cursor on
// the reasons), Space (Loneliness), Ctrl+S (the cursor goes to consent),
// "Patient", Ctrl+S (saved; the case record opens).
func TestKeystrokeBudgetGPRefers(t *testing.T) {
	rw := newReferralWorld(t, "Łukasz Wiśniewski", "Mary Wilson")
	rw.a.SignedIn(as(t, rw.a.store, rw.gp))
	if rw.a.Current() != "Patients" {
		t.Fatalf("the GP starts on %q", rw.a.Current())
	}
	s := rw.a.patients
	k := newKeyboard(t, rw.w)
	rw.q.drain()
	k.typeText("Mary Wils")
	rw.q.waitFor(t, func() bool { return len(s.picker.Results()) == 1 })
	p := rw.patients[1]

	k.press(fyne.KeyReturn)
	if s.loaded.ID != p.ID {
		t.Fatalf("Enter opened %d, want %d", s.loaded.ID, p.ID)
	}
	k.ctrl(fyne.KeyR)
	f := rw.a.newReferral
	if rw.a.Current() != "New referral" || f == nil || f.Patient().ID != p.ID {
		t.Fatalf("Ctrl+R shows %q", rw.a.Current())
	}
	k.ctrl(fyne.KeyS)
	if k.c.Focused() != f.reasons[0] {
		t.Fatalf("after saving an incomplete referral the focus is on %T, want the first reason", k.c.Focused())
	}
	k.press(fyne.KeySpace)
	k.ctrl(fyne.KeyS)
	if k.c.Focused() != f.consentBy {
		t.Fatalf("after saving without consent the focus is on %T, want who consented", k.c.Focused())
	}
	k.typeText("Patient")
	k.ctrl(fyne.KeyS)
	k.within(10, "referring a found patient")

	if rw.a.Current() != "Case record" {
		t.Fatalf("not saved: %q (on %q)", f.message.Text, rw.a.Current())
	}
	rs, err := rw.store.PatientReferrals(context.Background(), sessionFor(t, rw.store, data.OpViewReferralList), p.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("referrals %+v %v", rs, err)
	}
	if r := rs[0]; strings.Join(r.Reasons, ",") != "loneliness" || r.ConsentBy != "Patient" || r.Source != "gp" ||
		r.ReferrerName != rw.gp.FullName {
		t.Errorf("saved %+v", r)
	}
}

// (c) A saved prescription prints with one key: Ctrl+P right after Ctrl+S
// in a note, as the message asks, prints it (Fyne drops shortcuts typed
// into the disabled note, where the focus was left).
func TestKeystrokeBudgetPrescriptionPrints(t *testing.T) {
	prints := printFolder(t)
	dw := newDiaryWorld(t)
	dw.signInAs(t, "linkworker1")
	p, _, _ := rxPatient(t, dw)
	dw.a.StartPrescription(p.ID, 0)
	s := dw.a.rx
	k := newKeyboard(t, dw.w)
	sv := twoServices(t, dw.store)[0]
	k.typeText(sv.Name)
	k.press(fyne.KeyReturn) // adds the first match; the cursor goes to its note
	if len(s.items) != 1 || k.c.Focused() != s.items[0].note {
		t.Fatalf("Enter did not add %q and move to its note", sv.Name)
	}
	k.typeText("Ask for Jane on Tuesdays")
	k.ctrl(fyne.KeyS)
	if s.Issued() == nil || !strings.Contains(s.message.Text, "Ctrl+P") {
		t.Fatalf("Ctrl+S did not save: %q", s.message.Text)
	}

	k.keys = 0
	k.ctrl(fyne.KeyP)
	k.within(1, "printing the saved prescription")
	printed, err := dw.store.Printed(context.Background(), sessionFor(t, dw.store, data.OpViewPrescription), s.Issued().ID)
	if err != nil || !printed {
		t.Errorf("the print is not recorded: %v (%q)", err, s.message.Text)
	}
	if pdfs := printedPDFs(t, prints); len(pdfs) != 1 || !strings.HasPrefix(pdfs[0], "social-prescription-") {
		t.Errorf("the print folder holds %v, want the prescription", pdfs)
	}
}

// (d) The practice manager sorts the referrals by days waiting in three
// keys: Ctrl+K (the heading of the sorted column), D (the Days waiting
// heading), Enter (sort, longest waiting first).
func TestKeystrokeBudgetManagerSortsByWaiting(t *testing.T) {
	rw := newReferralWorld(t, "Cara Baker", "Adam Young", "Bea Adams")
	waits := []int{20, 5, 40}
	for i, p := range rw.patients {
		rw.refer(t, p, waits[i], "benefits")
	}
	pm, err := rw.store.CreateUser(context.Background(), as(t, rw.store, rw.admin), data.NewUser{Username: "pm",
		FullName: "Priya Manager", Role: data.RolePracticeManager, Password: testPasswords["pm"]})
	if err != nil {
		t.Fatal(err)
	}
	rw.a.SignedIn(as(t, rw.store, pm))
	k := newKeyboard(t, rw.w)
	k.ctrl(navKey(t, rw.a, "Referrals"))
	s := rw.a.referrals
	if rw.a.Current() != "Referrals" || s == nil {
		t.Fatalf("the Referrals key shows %q", rw.a.Current())
	}
	waitLoaded(t, rw, s, 3)
	rw.w.Canvas().Capture() // drawn, as on screen: the table makes its headings

	k.keys = 0
	k.ctrl(fyne.KeyK)
	h, ok := k.c.Focused().(*sortHeader)
	if !ok || referralColumns[h.col].sort != data.SortReceived {
		t.Fatalf("Ctrl+K put the focus on %T, want the Received heading", k.c.Focused())
	}
	k.letter('d')
	if h, ok = k.c.Focused().(*sortHeader); !ok || referralColumns[h.col].title != "Days waiting" {
		t.Fatalf("D put the focus on %T, want the Days waiting heading", k.c.Focused())
	}
	k.press(fyne.KeyReturn)
	k.within(3, "sorting by days waiting")

	if got := s.Sort(); got.Column != data.SortWaiting || !got.Desc {
		t.Errorf("sorted by %+v, want days waiting, longest first", got)
	}
	rw.q.waitFor(t, func() bool {
		var days []int
		for i := 0; i < s.Count(); i++ {
			r, ok := s.Row(i)
			if !ok {
				return false
			}
			days = append(days, r.DaysWaiting)
		}
		return len(days) == 3 && days[0] == 40 && days[1] == 20 && days[2] == 5
	})
	// Enter again reverses; Left and Right move along the headings.
	k.press(fyne.KeyReturn)
	if got := s.Sort(); got.Column != data.SortWaiting || got.Desc {
		t.Errorf("Enter again: sorted by %+v, want days waiting, shortest first", got)
	}
	k.press(fyne.KeyRight)
	if h, ok = k.c.Focused().(*sortHeader); !ok || referralColumns[h.col].title != "Last activity" {
		t.Errorf("Right went to %T, want Last activity", k.c.Focused())
	}
}

// Escape goes back from the case record to the referrals, asking first
// when a note is typed: the question takes Escape (keep typing) and Enter
// (discard). Escape goes back from reception's view of a referral too.
func TestEscapeGoesBack(t *testing.T) {
	a, store, s, _ := openTestCase(t)
	k := newKeyboard(t, a.win)
	id := s.id

	k.c.Unfocus()
	k.press(fyne.KeyEscape)
	if a.Current() != "Referrals" {
		t.Fatalf("Escape in the case record shows %q", a.Current())
	}

	a.OpenCase(id)
	s = a.caseRecord
	k.c.Focus(s.contact.text)
	k.typeText("Rang; will call back Friday")
	k.press(fyne.KeyEscape)
	if k.c.Overlays().Top() == nil || a.Current() != "Case record" {
		t.Fatalf("Escape with a note typed: dialog %v, on %q", k.c.Overlays().Top() != nil, a.Current())
	}
	k.press(fyne.KeyEscape) // No: keep the note
	if k.c.Overlays().Top() != nil || a.Current() != "Case record" || s.contact.text.Text == "" {
		t.Fatalf("Escape in Discard changes?: dialog %v, on %q", k.c.Overlays().Top() != nil, a.Current())
	}
	k.c.Focus(s.contact.text)
	k.press(fyne.KeyEscape)
	k.press(fyne.KeyReturn) // Yes: discard
	if k.c.Overlays().Top() != nil || a.Current() != "Referrals" {
		t.Fatalf("Enter in Discard changes?: dialog %v, on %q", k.c.Overlays().Top() != nil, a.Current())
	}

	// Reception's view of a referral.
	a.ShowSignIn()
	a.SignedIn(signInAs(t, store, "rita"))
	a.OpenCase(id)
	if a.Current() != "Referral" {
		t.Fatalf("reception opens %q", a.Current())
	}
	k.c.Unfocus()
	k.press(fyne.KeyEscape)
	if a.Current() != "Referrals" {
		t.Errorf("Escape in reception's referral shows %q", a.Current())
	}
}

// Ctrl+E exports on Referrals, the Diary (a link worker's calendar) and
// the Audit trail: it asks where to save, with the file named as the
// buttons name it, even while typing in a box.
func TestCtrlEExports(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.signInAs(t, "manager")
	k := newKeyboard(t, dw.w)
	for _, c := range []struct{ screen, file string }{
		{"Referrals", "referrals.csv"}, {"Audit", "audit.csv"}, {"Diary", "diary-"},
	} {
		dw.a.Show(c.screen)
		if c.screen == "Diary" {
			d := dw.a.diary
			d.workerSel.SetSelected(d.workers[0].FullName)
			focus(dw.w, d.date)
		}
		if _, ok := k.c.Focused().(*keyEntry); !ok {
			t.Errorf("%s: the focus is on %T, not a box", c.screen, k.c.Focused())
		}
		k.ctrl(fyne.KeyE)
		top := k.c.Overlays().Top()
		if top == nil {
			t.Errorf("%s: Ctrl+E asked nothing", c.screen)
			continue
		}
		if name := fileNameIn(top); !strings.HasPrefix(name, c.file) {
			t.Errorf("%s: Ctrl+E offers to save %q, want %s…", c.screen, name, c.file)
		}
		k.c.Overlays().Remove(top)
	}
}

// fileNameIn is the text of the first entry in a dialog: the file name of
// a save dialog.
func fileNameIn(o fyne.CanvasObject) string {
	switch w := o.(type) {
	case *widget.Entry:
		return w.Text
	case *fyne.Container:
		for _, c := range w.Objects {
			if s := fileNameIn(c); s != "" {
				return s
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			if s := fileNameIn(c); s != "" {
				return s
			}
		}
	}
	return ""
}
