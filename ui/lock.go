package ui

import (
	"context"
	"errors"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// The idle lock. After the practice's idle time without input the window
// covers everything it shows (screens, dialogs) with the LockScreen. The
// screens stay as they were underneath, hidden, so nothing typed is lost:
// the user's password removes the cover and gives the keyboard back to
// where it was. Someone else may sign in instead, which signs the first
// user out.
//
// Watching for input costs next to nothing while idle: no ticker, no
// redraw. Input only notes the time (idleWatch.last); one time.AfterFunc
// fires when the idle time could first be up, and if there was input since
// it is set again for the rest. Fyne has no window-wide input hook, so input
// is what the window can see cheaply:
//
//   - the pointer moving over any part of the window without a hover of its
//     own (activityCatcher, under the content: the gaps between widgets, so
//     moving to or between buttons counts),
//   - the window's shortcuts (addShortcut) and letters typed with nothing
//     focused,
//   - typing: the focused entry, its text and its cursor are compared when
//     the timer fires (inputPrint), so no entry type needs to report keys.

// idleWatch is the App's idle timer; UI goroutine only.
type idleWatch struct {
	after time.Duration // the idle time of this session
	last  time.Time     // the last input seen
	print inputPrint    // the focused entry as at the last check
	timer *time.Timer
	gen   int // bumped when the session ends or locks: older timers do nothing
}

// inputPrint is what typing changes: the focused object and, for an entry,
// its text and cursor.
type inputPrint struct {
	focused   fyne.Focusable
	text      string
	row, col  int
	selection string
}

func (a *App) currentInputPrint() inputPrint {
	f := a.win.Canvas().Focused()
	p := inputPrint{focused: f}
	if e := entryOf(f); e != nil {
		p.text, p.row, p.col, p.selection = e.Text, e.CursorRow, e.CursorColumn, e.SelectedText()
	}
	return p
}

// entryOf is the Entry inside Linkwell's entry types, or nil.
func entryOf(f fyne.Focusable) *widget.Entry {
	switch e := f.(type) {
	case *widget.Entry:
		return e
	case *keyEntry:
		return &e.Entry
	case *caseEntry:
		return &e.Entry
	case *widget.SelectEntry:
		return &e.Entry
	}
	return nil
}

// noteInput records input now. It is called on every pointer move over
// the window's gaps, so it only stores the time.
func (a *App) noteInput() { a.idle.last = time.Now() }

// idleTime is how long the window waits without input before it locks: the
// App's IdleLock (tests), else the practice setting.
func (a *App) idleTime() time.Duration {
	if a.IdleLock > 0 {
		return a.IdleLock
	}
	set, err := a.store.PracticeSettings(context.Background())
	if err != nil {
		return data.DefaultIdleLockMinutes * time.Minute
	}
	return set.IdleLock()
}

// startIdleWatch begins watching for a session that has just begun.
func (a *App) startIdleWatch() {
	a.stopIdleWatch()
	a.idle.after = a.idleTime()
	a.idle.last = time.Now()
	a.idle.print = a.currentInputPrint()
	a.armIdle(a.idle.after)
}

// stopIdleWatch stops the timer; one already firing does nothing.
func (a *App) stopIdleWatch() {
	a.idle.gen++
	if a.idle.timer != nil {
		a.idle.timer.Stop()
		a.idle.timer = nil
	}
}

func (a *App) armIdle(wait time.Duration) {
	// A window drawn in memory has no UI goroutine to come back to (see
	// background): there only a test that queues results watches.
	if runsAtOnce(a.win) {
		return
	}
	gen := a.idle.gen
	queue := queueOf(a.win)
	a.idle.timer = time.AfterFunc(wait, func() {
		check := func() { a.idleDue(gen) }
		if queue != nil {
			queue <- check
		} else {
			fyne.Do(check)
		}
	})
}

// idleDue runs when the idle time may be up: it locks the window, or, after
// input since, waits for the rest.
func (a *App) idleDue(gen int) {
	if gen != a.idle.gen || a.session == nil || a.lock != nil {
		return
	}
	if p := a.currentInputPrint(); p != a.idle.print {
		a.idle.print = p
		a.idle.last = time.Now()
	}
	if rest := a.idle.after - time.Since(a.idle.last); rest > 0 {
		a.armIdle(rest)
		return
	}
	a.Lock()
}

// Locked is true while the lock covers the window.
func (a *App) Locked() bool { return a.lock != nil }

// Lock covers the window now, keeping everything underneath as it is.
func (a *App) Lock() {
	if a.session == nil || a.lock != nil {
		return
	}
	a.stopIdleWatch()
	if err := a.store.LockScreen(context.Background(), a.session, a.idle.after); errors.Is(err, data.ErrSignedOut) {
		a.showError(err)
		return
	} // any other failure to audit must not keep the window open
	c := a.win.Canvas()
	a.lockedFocus = c.Focused()
	a.lockedKeys = c.OnTypedKey()
	c.SetOnTypedKey(nil) // a screen's Escape must not act behind the lock
	a.lock = NewLockScreen(a)
	if a.frame != nil {
		a.frame.Hide()
	}
	c.Overlays().Add(a.lock.Content())
	a.lock.Focus()
}

// unlocked removes the lock and gives back the keyboard.
func (a *App) unlocked() {
	a.removeLock()
	if a.frame != nil {
		a.frame.Show()
	}
	c := a.win.Canvas()
	c.SetOnTypedKey(a.lockedKeys)
	if a.lockedFocus != nil {
		c.Focus(a.lockedFocus)
	}
	a.lockedFocus, a.lockedKeys = nil, nil
	a.startIdleWatch()
	if a.livePending {
		a.refreshLive() // what other desks changed while it was locked
	}
}

// removeLock takes the lock off the window (and any overlay put above it
// while it was locked).
func (a *App) removeLock() {
	if a.lock == nil {
		return
	}
	a.win.Canvas().Overlays().Remove(a.lock.Content())
	a.lock = nil
}

// LockScreen covers a window left without input: who is signed in, their
// password to go on, or someone else's sign-in.
type LockScreen struct {
	app *App

	password *widget.Entry
	message  *widget.Label
	unlock   *widget.Button
	other    *widget.Button
	content  fyne.CanvasObject
}

// NewLockScreen builds the cover.
func NewLockScreen(a *App) *LockScreen {
	s := &LockScreen{app: a}
	u := a.user
	s.password = widget.NewPasswordEntry()
	s.password.OnSubmitted = func(string) { s.Unlock() }
	s.message = errorLabel()
	s.unlock = widget.NewButtonWithIcon("Unlock", theme.LoginIcon(), s.Unlock)
	s.unlock.Importance = widget.HighImportance
	s.other = widget.NewButtonWithIcon("Sign in as someone else", theme.AccountIcon(), s.SomeoneElse)

	// Short lines, not wrapped: a wrapped label in an overlay is laid out
	// before its width is known and would run under the card.
	who := widget.NewLabel("Signed in as " + u.FullName + " (" + u.Role.Label() + ").\n" +
		"Your password goes on where you left off: nothing typed is lost.")
	note := widget.NewLabel("Someone else signing in signs " + u.FullName + " out;\nwhat was not saved is not kept.")
	form := widget.NewForm(widget.NewFormItem("Password", s.password))
	box := container.NewVBox(heading("Linkwell is locked"), widget.NewLabel(a.practice.Name), who,
		widget.NewCard("", "", container.NewVBox(form, s.message, container.NewHBox(s.unlock))),
		container.NewHBox(s.other), note)
	cover := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	blocker := &lockBlocker{}
	blocker.ExtendBaseWidget(blocker)
	s.content = container.NewStack(cover, blocker, centred(520, box))
	return s
}

// Content is the cover, an overlay of the whole window.
func (s *LockScreen) Content() fyne.CanvasObject { return s.content }

// Focus puts the cursor in the password.
func (s *LockScreen) Focus() { focus(s.app.win, s.password) }

// Unlock checks the password through the store, as sign-in does: a wrong
// one counts toward the account's lock and is audited.
func (s *LockScreen) Unlock() {
	a := s.app
	err := a.store.UnlockScreen(context.Background(), a.session, s.password.Text)
	switch {
	case err == nil:
		a.unlocked()
		return
	case errors.Is(err, data.ErrSignedOut):
		a.showError(err)
		return
	case errors.Is(err, data.ErrBadSignIn):
		setError(s.message, "That is not your password, or your account is now locked after too many wrong ones. "+
			"Try again, or sign in as someone else.")
	default:
		setError(s.message, "The window could not be unlocked: "+err.Error())
	}
	s.password.SetText("")
	s.Focus()
}

// SomeoneElse signs the locked session's user out (audited) and shows the
// sign-in screen.
func (s *LockScreen) SomeoneElse() { s.app.SignOut() }

// lockBlocker takes every tap, scroll and hover that reaches the cover, so
// nothing beneath it reacts.
type lockBlocker struct{ widget.BaseWidget }

func (b *lockBlocker) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
func (b *lockBlocker) Tapped(*fyne.PointEvent)          {}
func (b *lockBlocker) Scrolled(*fyne.ScrollEvent)       {}
func (b *lockBlocker) MouseIn(*desktop.MouseEvent)      {}
func (b *lockBlocker) MouseMoved(*desktop.MouseEvent)   {}
func (b *lockBlocker) MouseOut()                        {}
func (b *lockBlocker) TappedSecondary(*fyne.PointEvent) {}

// activityCatcher lies under the signed-in window's content: the pointer
// moving where no widget hovers counts as input (see idleWatch).
type activityCatcher struct {
	widget.BaseWidget
	app *App
}

func newActivityCatcher(a *App) *activityCatcher {
	c := &activityCatcher{app: a}
	c.ExtendBaseWidget(c)
	return c
}

func (c *activityCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
func (c *activityCatcher) MouseIn(*desktop.MouseEvent)    { c.app.noteInput() }
func (c *activityCatcher) MouseMoved(*desktop.MouseEvent) { c.app.noteInput() }
func (c *activityCatcher) MouseOut()                      { c.app.noteInput() }
