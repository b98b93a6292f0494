package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The window locks after the idle time; the password takes the user back
// to what they were typing; someone else's sign-in signs the first out.
func TestIdleLock(t *testing.T) {
	a, store, w, q := newQueuedTestApp(t)
	_, rita := setUpStore(t, store)
	a.IdleLock = 40 * time.Millisecond
	a.Start()
	a.SignedIn(as(t, store, rita))
	a.Show("Patients") // rita lands on Today
	if a.Current() != "Patients" || a.patients == nil {
		t.Fatalf("showing %q", a.Current())
	}
	given := a.patients.given
	w.Canvas().Focus(given)
	test.Type(given, "Margaret")

	q.waitFor(t, a.Locked)
	if w.Canvas().Overlays().Top() != a.lock.Content() {
		t.Fatal("the lock is not on top of the window")
	}
	if a.frame.Visible() {
		t.Error("the screen shows under the lock")
	}
	if !strings.Contains(labelsText(a.lock.Content()), "Rita Patel") {
		t.Error("the lock does not say who is signed in")
	}

	test.Type(a.lock.password, "not her password")
	test.Tap(a.lock.unlock)
	if !a.Locked() || !a.lock.message.Visible() || !strings.Contains(a.lock.message.Text, "not your password") {
		t.Fatalf("a wrong password: locked %v, message %q", a.Locked(), a.lock.message.Text)
	}
	if a.lock.password.Text != "" {
		t.Error("the wrong password was left in the box")
	}
	test.Type(a.lock.password, testPasswords["rita"])
	test.Tap(a.lock.unlock)
	if a.Locked() || w.Canvas().Overlays().Top() != nil || !a.frame.Visible() {
		t.Fatal("the right password did not unlock")
	}
	if given.Text != "Margaret" {
		t.Errorf("typed text after unlocking: %q", given.Text)
	}
	if w.Canvas().Focused() != given {
		t.Errorf("focus after unlocking: %T", w.Canvas().Focused())
	}

	// Locks again after the idle time, over a dialog left open; now someone
	// else signs in, and the dialog goes with the first user.
	dialog.ShowInformation("Margaret Jones", "Something about Margaret", w)
	q.waitFor(t, a.Locked)
	if len(w.Canvas().Overlays().List()) != 2 {
		t.Fatalf("%d overlays, want the dialog and the lock", len(w.Canvas().Overlays().List()))
	}
	test.Tap(a.lock.other)
	if a.Locked() || a.signIn == nil || a.session != nil || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("someone else: locked %v, sign-in %v", a.Locked(), a.signIn != nil)
	}
	if w.Content() != a.signIn.Content() {
		t.Error("the sign-in screen is not showing")
	}
}

// labelsText is the text of every label in o, one per line.
func labelsText(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// While input keeps coming the window does not lock.
func TestIdleLockWaitsForInput(t *testing.T) {
	a, store, w, q := newQueuedTestApp(t)
	_, rita := setUpStore(t, store)
	a.IdleLock = 150 * time.Millisecond
	a.Start()
	a.SignedIn(as(t, store, rita))
	a.Show("Patients")
	given := a.patients.given
	w.Canvas().Focus(given)
	deadline := time.Now().Add(400 * time.Millisecond)
	for time.Now().Before(deadline) {
		q.drain()
		test.Type(given, "a")
		time.Sleep(20 * time.Millisecond)
	}
	q.drain()
	if a.Locked() {
		t.Fatal("locked while someone was typing")
	}
	q.waitFor(t, a.Locked)
}

// The administrator sets the lock time on the Staff screen; the store
// refuses what is out of range.
func TestStaffSetsIdleLock(t *testing.T) {
	a, store, _ := newTestApp(t)
	admin, _ := setUpStore(t, store)
	a.Start()
	a.SignedIn(as(t, store, admin))
	a.Show("Staff")
	s := a.staff
	if s.lockMinutes.Text != "10" {
		t.Fatalf("default shown: %q", s.lockMinutes.Text)
	}
	s.lockMinutes.SetText("0")
	test.Tap(s.saveLock)
	if !s.lockMessage.Visible() || !strings.Contains(s.lockMessage.Text, "cannot be switched off") {
		t.Fatalf("0 minutes: %q", s.lockMessage.Text)
	}
	s.lockMinutes.SetText("5")
	test.Tap(s.saveLock)
	if set, _ := store.PracticeSettings(context.Background()); set.IdleLockMinutes != 5 {
		t.Fatalf("saved: %+v", set)
	}
}
