package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// Automatic backups: one when the app closes, and one whenever a day has
// passed since the last while it runs. They run off the UI goroutine; a
// failure never stops the app and is shown on the practice manager's and
// the administrator's status line.

// backupKeeper makes the automatic backups. Its mutex lets one backup run
// at a time and keeps the store from being closed or swapped under one.
type backupKeeper struct {
	mu       sync.Mutex
	store    *data.Store // nil: no backups (damaged, being restored, closed)
	failed   error       // the last automatic backup's failure, until one succeeds
	failedAt time.Time
}

// backupState is what the status line shows.
type backupState struct {
	last     data.BackupInfo
	found    bool // false: there is no backup yet
	folder   string
	failed   error
	failedAt time.Time
}

// setStore gives the keeper the store to back up (nil: stop backing up). It
// waits for a backup that is running to finish.
func (k *backupKeeper) setStore(s *data.Store) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.store = s
}

// backUp makes an automatic backup, if one is due or always is set, and
// returns what the status line is to show. A practice not yet set up has
// nothing to keep.
func (k *backupKeeper) backUp(ctx context.Context, now time.Time, always bool) backupState {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.store == nil {
		return backupState{}
	}
	st := k.state()
	if !always && !data.BackupDue(st.last.At, st.found, now) {
		return st
	}
	if empty, err := k.store.NeedsSetUp(ctx); err != nil || empty {
		return st
	}
	// Backups are named to the second: a second one within the same second
	// (closing just after the first) waits for the next.
	if next := st.last.At.Add(time.Second); st.found && now.Before(next) {
		time.Sleep(next.Sub(now))
		now = next
	}
	_, err := k.store.AutoBackup(ctx, "", now)
	if ctx.Err() != nil {
		return st // closing: the closing backup follows
	}
	k.failed, k.failedAt = err, now
	st = k.state()
	if err != nil && st.found && st.last.At.Equal(now.Truncate(time.Second)) {
		// Another copy of Linkwell on this database (a terminal server)
		// made a good backup in the same second: nothing is missing.
		k.failed, st.failed = nil, nil
	}
	return st
}

// state reads the last good backup from the backup folder; k.mu is held.
func (k *backupKeeper) state() backupState {
	st := backupState{folder: k.store.BackupFolder(), failed: k.failed, failedAt: k.failedAt}
	last, found, err := k.store.LastGoodBackup("")
	if err != nil && st.failed == nil {
		st.failed, st.failedAt = fmt.Errorf("the backup folder cannot be read: %w", err), time.Now()
	}
	st.last, st.found = last, found
	return st
}

// current is what the status line is to show now, without backing up.
func (k *backupKeeper) current() backupState {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.store == nil {
		return backupState{}
	}
	return k.state()
}

// keepBackups makes a backup now if one is due, then asks again every
// data.BackupCheckEvery until ctx ends: a cheap wake-up once an hour, which
// also moves "today" to "yesterday" on the status line.
func (a *App) keepBackups(ctx context.Context) {
	a.backUpIfDue(ctx)
	if runsAtOnce(a.win) {
		return // a window drawn in memory: tests call backUpIfDue themselves
	}
	go func() {
		tick := time.NewTicker(data.BackupCheckEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				a.backUpIfDue(ctx)
			}
		}
	}()
}

// backUpIfDue makes an automatic backup off the UI goroutine if a day has
// passed since the last, then updates the status line.
func (a *App) backUpIfDue(ctx context.Context) {
	background(a.win, 0, func() func() {
		st := a.backups.backUp(ctx, time.Now(), false)
		return func() { a.showBackupState(st) }
	})
}

// Close is called by main once the window has closed: it makes the closing
// backup, waiting for one already running, and closes the database. The
// backup runs even when ctx (the session) has ended: it takes a second or
// two, and the practice would rather keep today's work.
func (a *App) Close() error {
	if a.stopBackground != nil {
		a.stopBackground()
	}
	// Closing the window signs out: the audit shows when the session ended.
	if a.store != nil && a.user.ID != 0 {
		a.store.SignOut(context.Background(), a.session)
	}
	st := a.backups.backUp(context.Background(), time.Now(), true)
	a.backups.setStore(nil)
	if a.store != nil {
		a.store.Close()
		a.store = nil
	}
	if st.failed != nil {
		return fmt.Errorf("the backup on closing failed: %w", st.failed)
	}
	return nil
}

// BackupStatus is the line at the bottom of the main window that tells the
// practice manager and the administrator when the last good backup was
// made, in the theme's error colour when it is too old, missing or failing.
type BackupStatus struct {
	app     *App
	label   *widget.Label
	content fyne.CanvasObject
}

// newBackupStatus builds the status line for the signed-in user, or returns
// nil for a role that does not look after backups.
func newBackupStatus(a *App) *BackupStatus {
	if !a.user.Role.SeesBackupStatus() {
		return nil
	}
	b := &BackupStatus{app: a, label: widget.NewLabel("")}
	b.label.Truncation = fyne.TextTruncateEllipsis // a long folder never widens the window
	b.content = container.NewVBox(widget.NewSeparator(), b.label)
	return b
}

// Content is the status line's root object.
func (b *BackupStatus) Content() fyne.CanvasObject { return b.content }

// Reload reads the backup folder off the UI goroutine and shows the result.
func (b *BackupStatus) Reload() {
	a := b.app
	background(a.win, 0, func() func() {
		st := a.backups.current()
		return func() { a.showBackupState(st) }
	})
}

// show puts st on the line, touching the label only when it changes.
func (b *BackupStatus) show(st backupState, now time.Time) {
	text, warn := backupStatusText(st, now)
	importance := widget.MediumImportance
	if warn {
		importance = widget.DangerImportance
	}
	if text == b.label.Text && importance == b.label.Importance {
		return
	}
	b.label.Text, b.label.Importance = text, importance
	b.label.Refresh()
}

// showBackupState shows st on the status line, if one is on show.
func (a *App) showBackupState(st backupState) {
	if a.backupStatus != nil && st.folder != "" {
		a.backupStatus.show(st, time.Now())
	}
}

// backupStatusText is the status line's text, and whether it warns.
func backupStatusText(st backupState, now time.Time) (text string, warn bool) {
	check := " — check the backup folder (" + st.folder + ")"
	switch {
	case !st.found:
		text, warn = "Last backup: none yet"+check, true
	case data.BackupOverdue(st.last.At, true, now):
		text, warn = "Last backup: "+whenText(st.last.At, now)+check, true
	default:
		text = "Last backup: " + whenText(st.last.At, now)
	}
	if st.failed != nil {
		text += fmt.Sprintf(". The backup at %s failed: %v", st.failedAt.Format("15:04"), st.failed)
		warn = true
	}
	return text, warn
}

// whenText says when, from now: "today 12:04", "yesterday 18:30",
// "3 days ago".
func whenText(t, now time.Time) string {
	t, now = t.In(time.Local), now.In(time.Local)
	day := func(x time.Time) time.Time { return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.Local) }
	days := int(day(now).Sub(day(t)).Hours()+12) / 24 // +12: a day of 23 or 25 hours still counts one
	switch {
	case days == 0:
		return "today " + t.Format("15:04")
	case days == 1:
		return "yesterday " + t.Format("15:04")
	case days > 1:
		return fmt.Sprintf("%d days ago", days)
	}
	return t.Format("2 January 2006 15:04") // later than now: the clock was changed
}
