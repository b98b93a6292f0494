package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// NewDamaged builds the app for the database at path that data.Open
// refused as damaged (err wraps data.ErrDamaged): Start shows the recovery
// screen, which can restore a backup and go on to sign-in.
func NewDamaged(win fyne.Window, path string, err error) *App {
	return &App{win: win, dbPath: path, damage: err}
}

// WindowShown is called by main once the window is up. Open read only the
// file's header and schema, so the full integrity check runs now, in the
// background; when it passes, the automatic backups start. ctx ends when
// the app closes.
func (a *App) WindowShown(ctx context.Context) {
	ctx, a.stopBackground = context.WithCancel(ctx)
	a.backgroundCtx = ctx
	if a.store == nil {
		return // already on the recovery screen
	}
	store := a.store
	background(a.win, 0, func() func() {
		err := store.CheckIntegrity(ctx)
		return func() {
			switch {
			case ctx.Err() != nil || store != a.store:
				// Closing, or the database was replaced meanwhile.
			case errors.Is(err, data.ErrDamaged):
				a.ShowRecovery(err)
			default:
				// Healthy, or the check could not run (it is tried
				// again next start); the backups check their copies.
				a.startBackups()
			}
		}
	})
}

// startBackups starts the automatic backups once (WindowShown or a restore).
func (a *App) startBackups() {
	if a.backgroundCtx == nil || a.backupsStarted {
		return
	}
	if a.store != nil && a.store.IsServer() {
		// A server database is backed up on the server (README: Several
		// PCs); no desk keeps copies of the whole practice on its disk.
		return
	}
	a.backupsStarted = true
	a.keepBackups(a.backgroundCtx)
}

// ShowRecovery replaces whatever is on show with the recovery screen:
// damage (from Open or the background check) says what is wrong. Nothing
// more is written to the damaged file, and no backup is made of it.
func (a *App) ShowRecovery(damage error) {
	if a.store != nil {
		a.dbPath = a.store.Path()
	}
	a.damage = damage
	a.backups.setStore(nil)
	a.user = data.User{}
	a.backupStatus = nil
	a.clearShortcuts()
	a.leaveScreen()
	a.recovery = NewRecoveryScreen(a, a.dbPath, damage)
	a.win.SetTitle("Linkwell — the practice database is damaged")
	a.win.SetContent(a.recovery.Content())
}

// RecoveryScreen says plainly that the practice database is damaged, names
// the newest good backup and restores it in one click, or, when there is
// none, says who to call and where the file is.
type RecoveryScreen struct {
	app    *App
	path   string
	backup data.BackupInfo // the newest good backup
	found  bool            // false: there is none

	problem *widget.Label
	advice  *widget.Label
	restore *widget.Button // nil when there is no backup
	message *widget.Label
	content fyne.CanvasObject
}

// NewRecoveryScreen builds the screen for the damaged database at path.
func NewRecoveryScreen(a *App, path string, damage error) *RecoveryScreen {
	r := &RecoveryScreen{app: a, path: path}
	r.problem = wrapped("Linkwell found damage in the practice database and has stopped using it, so nothing more " +
		"is written to it. What SQLite found: " + plainDamage(damage))
	file := wrapped("The database is " + path)
	file.Selectable = true
	r.message = errorLabel()
	box := container.NewVBox(heading("The practice database is damaged"), r.problem, file)

	// Reading the folder's names takes well under a millisecond, and the
	// database cannot be used meanwhile anyway.
	var err error
	r.backup, r.found, err = data.LastGoodBackup(path, "")
	switch {
	case r.found:
		at := r.backup.At.In(time.Local)
		r.advice = wrapped(fmt.Sprintf("The newest good backup was made on %s at %s:\n%s\n\n"+
			"Restoring it puts it in place of the damaged file, which is kept beside it: nothing is deleted. "+
			"Anything entered after %s on %s will need entering again.",
			at.Format("Monday 2 January 2006"), at.Format("15:04"), r.backup.Path, at.Format("15:04"), at.Format("2 January")))
		r.restore = widget.NewButtonWithIcon("Restore the backup from "+at.Format("2 January 2006 15:04"), theme.HistoryIcon(), r.Restore)
		r.restore.Importance = widget.HighImportance
		box.Add(r.advice)
		box.Add(container.NewHBox(r.restore))
	default:
		why := "There is no backup in " + data.BackupFolderOf(path) + "."
		if err != nil {
			why = "The backup folder " + data.BackupFolderOf(path) + " cannot be read (" + err.Error() + ")."
		}
		r.advice = wrapped(why + "\n\nDo not delete, move or copy over the database file. Call your practice manager or " +
			"your GP IT service desk: tell them Linkwell's database is damaged, and where it is (above). " +
			"They can see what is wrong with: linkwell check --db \"" + path + "\"")
		r.advice.Selectable = true
		box.Add(r.advice)
	}
	box.Add(r.message)
	r.content = centred(640, box)
	return r
}

// Content is the screen's root object.
func (r *RecoveryScreen) Content() fyne.CanvasObject { return r.content }

// Restore puts the newest good backup in place of the damaged database
// (data.Restore keeps the damaged file beside it), opens it and goes to
// sign-in. The copy and its check take a few seconds on a large practice, so
// they run off the UI goroutine.
func (r *RecoveryScreen) Restore() {
	if !r.found {
		return
	}
	a := r.app
	r.restore.Disable()
	r.message.Importance = widget.MediumImportance
	setError(r.message, "Restoring the backup…")
	// The damaged store must be closed before its file is moved aside.
	damaged := a.store
	a.store = nil
	path, from := r.path, r.backup.Path
	background(a.win, 0, func() func() {
		if damaged != nil {
			damaged.Close()
		}
		info, err := data.Restore(context.Background(), path, from, "", time.Now())
		var store *data.Store
		if err == nil {
			store, err = data.Open(path)
		}
		return func() {
			if err != nil {
				r.message.Importance = widget.DangerImportance
				setError(r.message, "The backup could not be restored: "+err.Error())
				r.restore.Enable()
				return
			}
			r.restored(store, info)
		}
	})
}

// restored goes on with the restored database: sign-in, with a note of
// what was done.
func (r *RecoveryScreen) restored(store *data.Store, info data.RestoreInfo) {
	a := r.app
	a.store, a.damage, a.recovery = store, nil, nil
	a.backups.setStore(store)
	a.Start()
	a.startBackups()
	at := r.backup.At.In(time.Local)
	note := fmt.Sprintf("The backup from %s at %s has been restored. Anything entered after then needs entering again.",
		at.Format("2 January 2006"), at.Format("15:04"))
	if info.Replaced != "" {
		note += "\n\nThe damaged file is kept as " + info.Replaced + " in case your IT support need it."
	}
	dialog.ShowInformation("Backup restored", note, a.win)
}

// plainDamage is what was found wrong, without the words the screen's
// heading already says.
func plainDamage(err error) string {
	var oe *data.OpenError
	switch {
	case err == nil:
		return "no details"
	case errors.As(err, &oe):
		return oe.Reason
	}
	return strings.TrimPrefix(err.Error(), data.ErrDamaged.Error()+": ")
}
