package ui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"linkwell/data"
)

// tabWalk presses Tab (or Shift+Tab) from the focused widget until the
// focus comes back to where it started, as the desktop window does: a
// widget that takes Tab itself (fyne.Tabbable) keeps the focus, which is a
// keyboard trap. It returns the widgets in the order they were visited,
// after the first.
func tabWalk(t *testing.T, c fyne.Canvas, back bool) []fyne.Focusable {
	t.Helper()
	start := c.Focused()
	if start == nil {
		t.Fatal("nothing has the focus to start the walk from")
	}
	var seen []fyne.Focusable
	for i := 0; i < 500; i++ {
		from := c.Focused()
		if tb, ok := from.(fyne.Tabbable); ok && tb.AcceptsTab() {
			t.Fatalf("%s takes Tab itself: the keyboard is trapped there", focusName(from))
		}
		if back {
			c.FocusPrevious()
		} else {
			c.FocusNext()
		}
		to := c.Focused()
		if to == from {
			// Not a trap (that is AcceptsTab, above): the only control
			// within reach, such as a message's OK button.
			return seen
		}
		if to == start {
			return seen
		}
		seen = append(seen, to)
	}
	t.Fatal("the walk never came back to where it started")
	return nil
}

func focusName(f fyne.Focusable) string {
	switch w := f.(type) {
	case interface{ AccessibilityLabel() string }:
		return fmt.Sprintf("%T %q", f, w.AccessibilityLabel())
	}
	return fmt.Sprintf("%T %p", f, f)
}

// inReadingOrder checks that every control of want is in walk, in want's
// order.
func inReadingOrder(t *testing.T, what string, walk []fyne.Focusable, want []fyne.Focusable) {
	t.Helper()
	at := map[fyne.Focusable]int{}
	for i, f := range walk {
		if _, dup := at[f]; !dup {
			at[f] = i
		}
	}
	last := -1
	for i, f := range want {
		j, ok := at[f]
		if !ok {
			t.Errorf("%s: control %d (%s) cannot be reached with the keyboard", what, i, focusName(f))
			continue
		}
		if j < last {
			t.Errorf("%s: control %d (%s) comes out of reading order", what, i, focusName(f))
		}
		last = j
	}
}

func reversed(fs []fyne.Focusable) []fyne.Focusable {
	out := make([]fyne.Focusable, len(fs))
	for i, f := range fs {
		out[len(fs)-1-i] = f
	}
	return out
}

// The case record has no keyboard trap: Tab leaves the note and the other
// fields, and reaches every control, Goals and Wellbeing included, in
// reading order; Shift+Tab walks the same way back (issue 17).
func TestCaseRecordTabWalk(t *testing.T) {
	a, _, s, _ := openTestCase(t)
	c := a.win.Canvas()
	if s.prescribe == nil {
		t.Fatal("the link worker has no Social prescription… button")
	}
	want := []fyne.Focusable{s.back}
	for _, b := range s.actions.Objects {
		want = append(want, b.(fyne.Focusable))
	}
	want = append(want, s.reassign, s.prescribe,
		s.contact.at, s.contact.kind, s.contact.minutes, s.contact.text, s.contact.save,
		s.goals.description, s.goals.score, s.goals.add,
		s.wellbeing.stage, s.wellbeing.date)
	for _, sc := range s.wellbeing.scores {
		want = append(want, sc)
	}
	want = append(want, s.wellbeing.save)

	c.Focus(s.back)
	forward := tabWalk(t, c, false)
	inReadingOrder(t, "Tab", append([]fyne.Focusable{s.back}, forward...), want)

	c.Focus(s.back)
	backward := tabWalk(t, c, true)
	inReadingOrder(t, "Shift+Tab", append([]fyne.Focusable{s.back}, reversed(backward)...), want)
	if len(forward) != len(backward) {
		t.Errorf("Tab visits %d controls, Shift+Tab %d", len(forward), len(backward))
	}

	// The status-move reason box lets Tab out too.
	for to, b := range s.moveButtons {
		if _, needsDialog := caseMoveLabel(s.record.Referral.Status, to); needsDialog {
			b.OnTapped()
			break
		}
	}
	if s.moving == nil {
		t.Fatal("no move opened a dialog")
	}
	c.Focus(s.moving.reason)
	if s.moving.reason.AcceptsTab() {
		t.Error("the reason box takes Tab: the keyboard is trapped there")
	}
	c.FocusNext()
	if c.Focused() == s.moving.reason {
		t.Error("Tab does not leave the reason box")
	}
	// Escape in the reason box cancels the move.
	status := s.record.Referral.Status
	c.Focus(s.moving.reason)
	pressKey(c, fyne.KeyEscape)
	if c.Overlays().Top() != nil || s.record.Referral.Status != status {
		t.Errorf("Escape in the reason box: dialog open %v, status %s", c.Overlays().Top() != nil, s.record.Referral.Status)
	}

	// Ctrl+Tab leaves the note too, and Ctrl+Shift+Tab goes back.
	c.Focus(s.contact.text)
	s.contact.text.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: fyne.KeyModifierControl})
	if c.Focused() != s.contact.save {
		t.Errorf("Ctrl+Tab in the note went to %s, want Add note", focusName(c.Focused()))
	}
	c.Focus(s.contact.text)
	s.contact.text.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyTab,
		Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift})
	if c.Focused() != s.contact.minutes {
		t.Errorf("Ctrl+Shift+Tab in the note went to %s, want Minutes", focusName(c.Focused()))
	}
}

// Each role lands on its work, not an empty form (issue 17).
func TestEachRoleLandsOnItsWork(t *testing.T) {
	a, store, _ := newTestApp(t)
	admin, rita := setUpStore(t, store)
	ctx := context.Background()
	users := map[data.Role]data.User{data.RoleReceptionist: rita}
	for _, u := range []data.NewUser{
		{Username: "nokafor", FullName: "Dr Ngozi Okafor", Role: data.RoleGP, Password: testPasswords["nokafor"]},
		{Username: "lowri", FullName: "Lowri Jones", Role: data.RoleLinkWorker, Password: testPasswords["lowri"]},
		{Username: "pm", FullName: "Priya Manager", Role: data.RolePracticeManager, Password: testPasswords["pm"]},
	} {
		made, err := store.CreateUser(ctx, as(t, store, admin), u)
		if err != nil {
			t.Fatal(err)
		}
		users[u.Role] = made
	}
	for role, want := range map[data.Role]string{
		data.RoleReceptionist:    "Today",
		data.RoleGP:              "Patients",
		data.RoleLinkWorker:      "Referrals",
		data.RolePracticeManager: "Dashboard",
	} {
		a.SignedIn(as(t, store, users[role]))
		if a.Current() != want {
			t.Errorf("%s lands on %q, want %q", role.Label(), a.Current(), want)
		}
		if role == data.RoleLinkWorker && (a.referrals == nil || !a.referrals.caseload.Checked) {
			t.Error("the link worker's Referrals do not open on My caseload")
		}
		a.ShowSignIn()
	}
}

// pressKey sends a key as the window would: to the focused widget, else
// to the window's own handler.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// "Discard changes?" answers the keyboard: Escape keeps the typing, Enter
// discards it; with the focus clicked away, the window still hears them
// (issue 17).
func TestDiscardDialogAnswersEnterAndEscape(t *testing.T) {
	a, store, w := newTestApp(t)
	setUpStore(t, store)
	a.SignedIn(sessionFor(t, store, data.OpEditPatient))
	a.Show("Patients")
	s := a.patients
	c := w.Canvas()
	type4 := func() {
		s.given.SetText("Margaret")
		s.NewPatient()
		if c.Overlays().Top() == nil {
			t.Fatal("no Discard changes? question")
		}
	}

	type4()
	pressKey(c, fyne.KeyEscape)
	if c.Overlays().Top() != nil || s.given.Text != "Margaret" {
		t.Fatalf("Escape: dialog still open %v, given name %q", c.Overlays().Top() != nil, s.given.Text)
	}
	type4()
	pressKey(c, fyne.KeyReturn)
	if c.Overlays().Top() != nil || s.given.Text != "" {
		t.Fatalf("Enter: dialog still open %v, given name %q", c.Overlays().Top() != nil, s.given.Text)
	}

	// With nothing focused (a click beside the buttons).
	type4()
	c.Unfocus()
	pressKey(c, fyne.KeyEscape)
	if c.Overlays().Top() != nil || s.given.Text != "Margaret" {
		t.Fatalf("Escape, unfocused: dialog open %v, given name %q", c.Overlays().Top() != nil, s.given.Text)
	}
	type4()
	c.Unfocus()
	pressKey(c, fyne.KeyEnter)
	if c.Overlays().Top() != nil || s.given.Text != "" {
		t.Fatalf("Enter, unfocused: dialog open %v, given name %q", c.Overlays().Top() != nil, s.given.Text)
	}
	if c.OnTypedKey() != nil {
		t.Error("the dialog's keys stay on the window after it closed")
	}
}

// A question about what cannot be undone defaults to No: Enter does not
// add a possible duplicate.
func TestDestructiveQuestionDefaultsToNo(t *testing.T) {
	_, _, w := newTestApp(t)
	c := w.Canvas()
	var got []bool
	askYesNo(w, "Anonymise?", "Removed for good. Go on?", false, func(yes bool) { got = append(got, yes) })
	pressKey(c, fyne.KeyReturn)
	askYesNo(w, "Discard?", "Discard?", true, func(yes bool) { got = append(got, yes) })
	pressKey(c, fyne.KeyReturn)
	if fmt.Sprint(got) != "[false true]" {
		t.Errorf("answers %v, want [false true]", got)
	}
}

// No screen traps the keyboard: on every screen of every role, Tab from the
// first control goes round every control the window can focus and back,
// and Shift+Tab goes round the same controls the other way (issue 17).
func TestEveryScreenTabWalk(t *testing.T) {
	eachScreen(t, func(a *App, who, screen string) {
		t.Logf("walking %s's %s", who, screen) // names the screen if the walk fails
		c := a.win.Canvas()
		c.Unfocus()
		c.FocusNext()
		if c.Focused() == nil {
			t.Errorf("%s's %s: Tab focuses nothing", who, screen)
			return
		}
		start := c.Focused()
		forward := tabWalk(t, c, false)
		c.Focus(start)
		backward := tabWalk(t, c, true)
		// The same controls both ways. Their order may differ where one
		// focusable holds others (a table and its header buttons): Fyne
		// meets the holder before its contents going forward and after them
		// going back.
		same := len(forward) == len(backward)
		onWalk := map[fyne.Focusable]bool{}
		for _, f := range forward {
			onWalk[f] = true
		}
		for _, f := range backward {
			same = same && onWalk[f]
		}
		if !same {
			t.Errorf("%s's %s: Shift+Tab reaches other controls than Tab (%d and %d)",
				who, screen, len(forward), len(backward))
		}
		if len(forward) < 3 {
			t.Errorf("%s's %s: Tab reaches only %d other controls", who, screen, len(forward))
		}
	})
}
