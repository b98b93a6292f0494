package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"linkwell/data"
)

// damagedPractice makes a practice database with patients in a temporary
// folder, optionally backs it up with AutoBackup (backedUp patients at that
// moment), adds one patient more, closes it, and overwrites two pages in the
// middle of the file. It returns the path and the number of patients in the
// backup.
func damagedPractice(t *testing.T, backUp bool) (path string, backedUp int) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "practice.db")
	store, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	setUpStore(t, store)
	rita := signInAs(t, store, "rita")
	add := func(i int) {
		_, err := store.SavePatient(ctx, rita, data.Patient{GivenName: "Pat", FamilyName: fmt.Sprintf("Number %d", i),
			DateOfBirth: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(data.DateLayout),
			Phone:       "07700 900123"}, data.SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 150; i++ {
		add(i)
	}
	if backUp {
		if _, err := store.AutoBackup(ctx, "", time.Now()); err != nil {
			t.Fatal(err)
		}
		backedUp = 150
	}
	add(150) // entered after the backup: lost by the restore
	store.Close()
	const pageSize = 4096 // SQLite's default

	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := st.Size() / pageSize
	if pages < 10 {
		t.Fatalf("only %d pages", pages)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 2*pageSize)
	for i := range junk {
		junk[i] = 0xA5
	}
	// A third of the way in: patients' rows, which nothing reads at start.
	if _, err := f.WriteAt(junk, (pages/3)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path, backedUp
}

// recoveryWindow is a test window for the recovery tests.
func recoveryWindow(t *testing.T) fyne.Window {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	return w
}

// restoreAndCheck taps Restore on the recovery screen and checks that the
// app is at sign-in on a healthy database holding the backup's rows, with
// the damaged file kept beside it.
func restoreAndCheck(t *testing.T, a *App, path string, backedUp int) {
	t.Helper()
	r := a.recovery
	if r == nil || r.restore == nil {
		t.Fatal("no recovery screen with a Restore button")
	}
	test.Tap(r.restore)
	t.Cleanup(func() {
		if a.store != nil {
			a.store.Close()
		}
	})
	if a.signIn == nil || a.recovery != nil || a.store == nil {
		t.Fatalf("after Restore: sign-in %v, recovery %v, message %q", a.signIn != nil, a.recovery != nil, r.message.Text)
	}
	ctx := context.Background()
	if err := a.store.CheckIntegrity(ctx); err != nil {
		t.Fatalf("the restored database: %v", err)
	}
	if n, err := a.store.CountPatients(ctx, sessionFor(t, a.store, data.OpViewPatient)); err != nil || n != backedUp {
		t.Errorf("the restored database has %d patients (%v), the backup %d", n, err, backedUp)
	}
	kept, _ := filepath.Glob(path + ".replaced-*")
	if len(kept) != 1 {
		t.Errorf("the damaged file was not kept beside the database: %v", kept)
	}
	// The restored practice works: sign in.
	test.Type(a.signIn.username, "rita")
	test.Type(a.signIn.password, "rita front desk")
	test.Tap(a.signIn.signIn)
	if a.User().Username != "rita" {
		t.Errorf("could not sign in after the restore: %q", a.signIn.message.Text)
	}
}

// Damage deep in the file: Open succeeds, the check after the window is up
// finds it, and the recovery screen restores the newest backup.
func TestRecoveryAfterTheBackgroundCheck(t *testing.T) {
	path, backedUp := damagedPractice(t, true)
	store, err := data.Open(path)
	if err != nil {
		t.Fatalf("Open read past the header and schema: %v", err)
	}
	a := New(recoveryWindow(t), store)
	a.Start()
	if a.signIn == nil {
		t.Fatal("no sign-in before the check")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.WindowShown(ctx)
	r := a.recovery
	if r == nil {
		t.Fatal("the damaged database did not bring up the recovery screen")
	}
	if !strings.Contains(r.problem.Text, "damage") {
		t.Errorf("problem: %q", r.problem.Text)
	}
	last, found, _ := data.LastGoodBackup(path, "")
	if !found || r.backup.Path != last.Path {
		t.Fatalf("names %q, the newest backup is %q", r.backup.Path, last.Path)
	}
	when := last.At.Format("15:04")
	if !strings.Contains(r.advice.Text, when) || !strings.Contains(r.advice.Text, last.Path) || !strings.Contains(r.restore.Text, when) {
		t.Errorf("the backup's date and time are not named: %q / %q", r.advice.Text, r.restore.Text)
	}
	if a.backups.store != nil {
		t.Error("backups would still be made of the damaged file")
	}
	restoreAndCheck(t, a, path, backedUp)
}

// Damage in the schema: Open refuses the file as damaged, and the window
// opens on the recovery screen.
func TestRecoveryWhenOpenFindsDamage(t *testing.T) {
	path, backedUp := damagedPractice(t, true)
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	f.WriteAt([]byte(strings.Repeat("\xa5", 4096-100)), 100) // page 1 after the header: the schema
	f.Close()
	_, err := data.Open(path)
	if !errors.Is(err, data.ErrDamaged) {
		t.Fatalf("Open = %v, want ErrDamaged", err)
	}
	a := NewDamaged(recoveryWindow(t), path, err)
	a.Start()
	a.WindowShown(context.Background())
	if a.recovery == nil || !strings.Contains(a.recovery.problem.Text, "damaged") {
		t.Fatal("no recovery screen")
	}
	restoreAndCheck(t, a, path, backedUp)
}

// With no backup the screen says who to call and where the file is.
func TestRecoveryWithoutABackup(t *testing.T) {
	path, _ := damagedPractice(t, false)
	store, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	a := New(recoveryWindow(t), store)
	a.Start()
	a.WindowShown(context.Background())
	r := a.recovery
	if r == nil {
		t.Fatal("no recovery screen")
	}
	if r.restore != nil {
		t.Error("a Restore button with no backup")
	}
	for _, want := range []string{"There is no backup in " + filepath.Join(filepath.Dir(path), "backups"), "practice manager", "IT service desk", path} {
		if !strings.Contains(r.advice.Text, want) {
			t.Errorf("advice does not say %q: %q", want, r.advice.Text)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "backups")); err == nil {
		t.Error("a backup was made of the damaged database")
	}
}
