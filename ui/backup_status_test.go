package ui

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// onWindow is true when o is drawn somewhere in the window's content.
func onWindow(w fyne.Window, o fyne.CanvasObject) bool {
	var walk func(fyne.CanvasObject) bool
	walk = func(c fyne.CanvasObject) bool {
		if c == o {
			return true
		}
		if box, ok := c.(*fyne.Container); ok {
			for _, child := range box.Objects {
				if walk(child) {
					return true
				}
			}
		}
		return false
	}
	return walk(w.Content())
}

func TestBackupStatusLine(t *testing.T) {
	a, store, w := newTestApp(t)
	admin, rita := setUpStore(t, store)
	ctx := context.Background()
	manager, err := store.CreateUser(ctx, as(t, store, admin), data.NewUser{Username: "pm", FullName: "Priya Manager", Role: data.RolePracticeManager, Password: "manager password"})
	if err != nil {
		t.Fatal(err)
	}

	a.SignedIn(as(t, a.store, manager))
	line := a.backupStatus
	if line == nil || !onWindow(w, line.label) {
		t.Fatal("the practice manager sees no backup status line")
	}
	if !strings.HasPrefix(line.label.Text, "Last backup: none yet — check the backup folder") || line.label.Importance != widget.DangerImportance {
		t.Errorf("with no backup: %q, importance %v; want a red warning", line.label.Text, line.label.Importance)
	}

	if _, err := store.AutoBackup(ctx, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	line.Reload()
	if !strings.HasPrefix(line.label.Text, "Last backup: today ") || line.label.Importance == widget.DangerImportance {
		t.Errorf("after a backup: %q, importance %v", line.label.Text, line.label.Importance)
	}

	a.SignedIn(as(t, a.store, rita))
	if a.backupStatus != nil {
		t.Error("a receptionist sees the backup status line")
	}
	a.SignedIn(as(t, a.store, admin))
	if a.backupStatus == nil {
		t.Error("the administrator sees no backup status line")
	}
}

// Once the window is up the app makes a backup when none is recent, and
// another when it closes, with what was entered meanwhile.
func TestAutomaticBackups(t *testing.T) {
	a, store, _ := newTestApp(t)
	admin, _ := setUpStore(t, store)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.Start()
	a.WindowShown(ctx)
	first, found, err := store.LastGoodBackup("")
	if err != nil || !found {
		t.Fatalf("no backup once the window was up: %v", err)
	}
	a.backUpIfDue(ctx)
	if again, _, _ := store.LastGoodBackup(""); again.Path != first.Path {
		t.Error("a second backup was made within the day")
	}

	if _, err := store.SavePatient(context.Background(), sessionFor(t, store, data.OpEditPatient), data.Patient{GivenName: "Siân", FamilyName: "Llewellyn",
		DateOfBirth: "1950-03-01", Phone: "07700 900123"}, data.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	path := store.Path()
	a.SignedIn(as(t, a.store, admin))
	if err := a.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	last, found, err := data.LastGoodBackup(path, "")
	if err != nil || !found || !last.At.After(first.At) {
		t.Fatalf("no backup on closing: %+v %v", last, err)
	}
	kept, err := data.OpenReadOnly(last.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if n, _ := kept.CountPatients(context.Background(), sessionFor(t, kept, data.OpViewPatient)); n != 1 {
		t.Errorf("the closing backup has %d patients, want 1", n)
	}
	// Closing the window signed the user out, and the backup holds it.
	db, err := sql.Open("sqlite", "file:"+last.Path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var signOuts int
	if err := db.QueryRow(`SELECT count(*) FROM audit_events WHERE action = 'sign_out'`).Scan(&signOuts); err != nil || signOuts != 1 {
		t.Errorf("%d sign-outs audited on closing, want 1 (%v)", signOuts, err)
	}
}

func TestBackupStatusText(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 30, 0, 0, time.Local)
	folder := "/practice/backups"
	for _, c := range []struct {
		at   time.Time
		want string
		warn bool
	}{
		{time.Date(2026, 11, 25, 12, 4, 0, 0, time.Local), "Last backup: today 12:04", false},
		{time.Date(2026, 11, 24, 18, 30, 0, 0, time.Local), "Last backup: yesterday 18:30", false},
		{time.Date(2026, 11, 23, 17, 0, 0, 0, time.Local), "Last backup: 2 days ago", false}, // 43½ hours
		{time.Date(2026, 11, 23, 12, 0, 0, 0, time.Local), "Last backup: 2 days ago — check the backup folder (/practice/backups)", true},
		{time.Date(2026, 11, 22, 17, 0, 0, 0, time.Local), "Last backup: 3 days ago — check the backup folder (/practice/backups)", true},
	} {
		text, warn := backupStatusText(backupState{last: data.BackupInfo{At: c.at}, found: true, folder: folder}, now)
		if text != c.want || warn != c.warn {
			t.Errorf("%v: %q %v, want %q %v", c.at, text, warn, c.want, c.warn)
		}
	}
	text, warn := backupStatusText(backupState{folder: folder}, now)
	if text != "Last backup: none yet — check the backup folder (/practice/backups)" || !warn {
		t.Errorf("none: %q %v", text, warn)
	}
	text, warn = backupStatusText(backupState{last: data.BackupInfo{At: now.Add(-time.Hour)}, found: true, folder: folder,
		failed: context.DeadlineExceeded, failedAt: now}, now)
	if !strings.Contains(text, "The backup at 12:30 failed") || !warn {
		t.Errorf("failed: %q %v", text, warn)
	}
}
