package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// cursorShown says whether an entry draws its text cursor, which it does
// while it believes it has the focus, and which then blinks, redrawing the
// whole window, whether or not the entry is still on it. It looks for the
// cursor, the one rectangle of Fyne's entryContent, in the entry's renderers.
func cursorShown(t *testing.T, entry fyne.Widget) bool {
	t.Helper()
	var walk func(o fyne.CanvasObject) (shown, found bool)
	walk = func(o fyne.CanvasObject) (bool, bool) {
		var children []fyne.CanvasObject
		switch x := o.(type) {
		case fyne.Widget:
			children = test.WidgetRenderer(x).Objects()
			if fmt.Sprintf("%T", x) == "*widget.entryContent" {
				for _, c := range children {
					if r, ok := c.(*canvas.Rectangle); ok {
						return r.Visible(), true
					}
				}
			}
		case *fyne.Container:
			children = x.Objects
		}
		for _, c := range children {
			if shown, found := walk(c); found {
				return shown, true
			}
		}
		return false, false
	}
	shown, found := walk(entry)
	if !found {
		t.Fatal("no cursor in the entry's renderers: has Fyne's entry changed?")
	}
	return shown
}

// An entry taken off the window with the focus must lose it: Fyne does not
// do that itself, and its blinking cursor would redraw the window at rest.
func TestLeavingAScreenDropsTheFocus(t *testing.T) {
	a, store, w := newTestApp(t)
	setUpStore(t, store)
	a.Start()
	s := a.signIn
	s.username.SetText("rita")
	s.password.SetText("rita front desk")
	w.Canvas().Focus(s.password)
	if !cursorShown(t, s.password) {
		t.Fatal("the focused password entry shows no cursor")
	}
	s.SignIn()
	if a.User().Username != "rita" {
		t.Fatalf("not signed in: %q", s.message.Text)
	}
	if cursorShown(t, s.password) {
		t.Error("the sign-in's password entry keeps the focus after signing in")
	}

	if a.Current() != "Today" { // the receptionist's landing
		t.Fatalf("rita lands on %q", a.Current())
	}
	a.Show("Patients")
	search := a.patients.picker.search
	if a.Current() != "Patients" || !cursorShown(t, search) {
		t.Fatal("the patient search does not have the focus")
	}
	a.Show("Today")
	if cursorShown(t, search) {
		t.Error("the patient search keeps the focus on Today")
	}
	a.Show("Patients")
	search = a.patients.picker.search
	a.ShowSignIn()
	if cursorShown(t, search) {
		t.Error("the patient search keeps the focus after signing out")
	}
}
