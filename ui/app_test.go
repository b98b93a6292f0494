package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// newTestApp opens a real database in a temporary folder and a test window.
func newTestApp(t *testing.T) (*App, *data.Store, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	store, err := data.Open(filepath.Join(t.TempDir(), "ui.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	return New(w, store), store, w
}

// setUpStore records a practice, its administrator and a receptionist.
func setUpStore(t *testing.T, store *data.Store) (admin, reception data.User) {
	t.Helper()
	ctx := context.Background()
	sess, err := store.SetUp(ctx, data.Practice{Name: "Riverside Medical Practice", ODSCode: "B86001"},
		data.NewUser{Username: "admin", FullName: "Ada Admin", Password: "admin password"})
	if err != nil {
		t.Fatal(err)
	}
	admin = sess.User()
	reception, err = store.CreateUser(ctx, as(t, store, admin), data.NewUser{Username: "rita", FullName: "Rita Patel", Role: data.RoleReceptionist, Password: "rita front desk"})
	if err != nil {
		t.Fatal(err)
	}
	return admin, reception
}

func TestFirstRunSetUp(t *testing.T) {
	a, store, _ := newTestApp(t)
	a.Start()
	s := a.setUp
	if s == nil {
		t.Fatal("a new database did not show set-up")
	}
	test.Type(s.name, "Riverside Medical Practice")
	test.Type(s.ods, "b86001")
	test.Type(s.listSize, "12,500")
	test.Type(s.adminName, "Ada Admin")
	test.Type(s.username, "admin")
	test.Type(s.password, "too short")
	test.Type(s.confirm, "too short")
	test.Tap(s.create)
	if msg := s.fields[8].err.Text; !strings.Contains(msg, "10 characters") || !s.fields[8].err.Visible() {
		t.Fatalf("short password: %q", msg)
	}
	if s.name.Text != "Riverside Medical Practice" {
		t.Error("typing lost after an error")
	}
	s.password.SetText("password12")
	s.confirm.SetText("password12")
	test.Tap(s.create)
	if msg := s.fields[8].err.Text; !strings.Contains(msg, "too easy to guess") {
		t.Fatalf("common password: %q", msg)
	}
	s.password.SetText("admin password")
	s.confirm.SetText("admin password")
	test.Tap(s.create)

	p, err := store.Practice(context.Background())
	if err != nil || p.ODSCode != "B86001" || p.ListSize != 12500 {
		t.Fatalf("practice %+v %v", p, err)
	}
	if a.User().Username != "admin" || a.Current() != "Staff" {
		t.Errorf("after set-up: user %q on %q", a.User().Username, a.Current())
	}
}

func TestSignInAndOut(t *testing.T) {
	a, store, _ := newTestApp(t)
	setUpStore(t, store)
	a.Start()
	s := a.signIn
	test.Type(s.username, "rita")
	test.Type(s.password, "wrong password")
	test.Tap(s.signIn)
	if !s.message.Visible() || !strings.Contains(s.message.Text, "do not match, or the account is locked or switched off") {
		t.Fatalf("wrong password message: %q", s.message.Text)
	}
	test.Type(s.password, "rita front desk")
	s.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if a.User().Username != "rita" {
		t.Fatal("Enter did not sign in")
	}
	// A receptionist sees Patients but not Staff.
	if _, ok := a.navItems["Patients"]; !ok {
		t.Error("no Patients in the navigation")
	}
	if _, ok := a.navItems["Staff"]; ok {
		t.Error("a receptionist sees the Staff screen")
	}
	a.Show("Staff")
	if a.Current() == "Staff" {
		t.Error("a receptionist opened Staff")
	}
	before, _ := store.VerifyAudit(context.Background())
	a.SignOut()
	if a.User().ID != 0 || a.signIn == nil {
		t.Error("sign out did not return to sign-in")
	}
	if after, _ := store.VerifyAudit(context.Background()); after.Events != before.Events+1 || !after.Intact() {
		t.Errorf("sign-out: %d audit events, then %d; want one more", before.Events, after.Events)
	}
}

func TestPatientsScreenCreateSearchEdit(t *testing.T) {
	a, store, _ := newTestApp(t)
	setUpStore(t, store)
	a.SignedIn(sessionFor(t, a.store, data.OpEditPatient))
	a.Show("Patients")
	s := a.patients

	// Bad input: each message beside its field, nothing typed lost.
	test.Tap(s.newButton)
	test.Type(s.nhs, "943 476 5918")
	test.Type(s.given, "Łukasz")
	test.Type(s.family, "Wiśniewski")
	test.Type(s.dob, "31/02/1985")
	test.Type(s.phone, "07700 900123")
	test.Tap(s.save)
	if !s.fields[0].err.Visible() || !strings.Contains(s.fields[0].err.Text, "NHS number") {
		t.Errorf("NHS number error: %q", s.fields[0].err.Text)
	}
	if !s.fields[3].err.Visible() {
		t.Error("no date of birth error")
	}
	if s.given.Text != "Łukasz" || s.nhs.Text != "943 476 5918" {
		t.Error("typing lost after an error")
	}
	if n, _ := store.CountPatients(context.Background(), sessionFor(t, store, data.OpViewPatient)); n != 0 {
		t.Fatal("a bad patient was saved")
	}

	// Corrected and saved with Enter.
	s.nhs.SetText("")
	test.Type(s.nhs, "9434765919")
	s.dob.SetText("")
	test.Type(s.dob, "28/02/1985")
	s.postcode.SetText("ls11 5ab")
	s.dob.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.fields[0].err.Visible() || s.loaded.ID == 0 {
		t.Fatalf("not saved: %q / %q", s.message.Text, s.fields[0].err.Text)
	}
	if s.postcode.Text != "LS11 5AB" || s.nhs.Text != "943 476 5919" {
		t.Errorf("form not tidied after save: %q %q", s.postcode.Text, s.nhs.Text)
	}

	// Find as you type, accent-insensitive.
	test.Type(s.picker.search, "wisn")
	waitFor(t, func() bool { return len(s.picker.Results()) == 1 })
	if s.picker.Results()[0].FamilyName != "Wiśniewski" {
		t.Errorf("found %+v", s.picker.Results())
	}
	s.picker.table.Select(widget.TableCellID{Row: 0, Col: 0})

	// Edit and save.
	s.email.SetText("lukasz@example.org")
	test.Tap(s.save)
	got, _ := store.Patient(context.Background(), sessionFor(t, store, data.OpViewPatient), s.loaded.ID)
	if got.Email != "lukasz@example.org" {
		t.Errorf("edit not saved: %+v (%s)", got, s.message.Text)
	}

	// The same NHS number again is refused with a pointer to the record.
	test.Tap(s.newButton)
	test.Type(s.nhs, "943 476 5919")
	test.Type(s.given, "Other")
	test.Type(s.family, "Person")
	test.Type(s.dob, "01/01/1970")
	test.Type(s.phone, "07700 900124")
	test.Tap(s.save)
	if !strings.Contains(s.fields[0].err.Text, "Łukasz Wiśniewski") {
		t.Errorf("duplicate NHS number: %q", s.fields[0].err.Text)
	}
	if n, _ := store.CountPatients(context.Background(), sessionFor(t, store, data.OpViewPatient)); n != 1 {
		t.Errorf("%d patients, want 1", n)
	}
}

func TestStaffScreenAddsUser(t *testing.T) {
	a, store, _ := newTestApp(t)
	admin, _ := setUpStore(t, store)
	a.SignedIn(as(t, a.store, admin))
	a.Show("Staff")
	s := a.staff
	if s == nil {
		t.Fatal("the administrator cannot open Staff")
	}
	test.Type(s.fullName, "Lowri Jones")
	test.Type(s.username, "ljones")
	s.role.SetSelected(data.RoleLinkWorker.Label())
	test.Type(s.password, "link worker 1")
	test.Type(s.confirm, "link worker 1")
	test.Tap(s.add)
	if _, err := store.SignIn(context.Background(), "ljones", "link worker 1"); err != nil {
		t.Fatalf("the new user cannot sign in: %v (%s)", err, s.message.Text)
	}
	if len(s.users) != 3 {
		t.Errorf("list shows %d users, want 3", len(s.users))
	}
	for i, u := range s.users {
		if u.Username == "ljones" {
			s.table.Select(widget.TableCellID{Row: i})
			if err := s.ResetPassword(u.ID, "reset password 2"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := store.SignIn(context.Background(), "ljones", "reset password 2"); err != nil {
		t.Errorf("reset password: %v", err)
	}
}

func TestStaffScreenUnlocksALockedAccount(t *testing.T) {
	a, store, _ := newTestApp(t)
	admin, _ := setUpStore(t, store)
	ctx := context.Background()
	for range data.MaxFailedSignIns {
		store.SignIn(ctx, "rita", "wrong password")
	}
	a.SignedIn(as(t, a.store, admin))
	a.Show("Staff")
	s := a.staff
	row := -1
	for i, u := range s.users {
		if u.Username == "rita" {
			row = i
		}
	}
	if row < 0 || staffCell(s.users[row], 3) != "Locked" {
		t.Fatalf("the locked account is not shown locked: %+v", s.users)
	}
	s.table.Select(widget.TableCellID{Row: row})
	if !s.unlock.Visible() {
		t.Fatal("no Unlock button for a locked account")
	}
	test.Tap(s.unlock)
	if _, err := store.SignIn(ctx, "rita", "rita front desk"); err != nil {
		t.Errorf("after Unlock: %v (%s)", err, s.message.Text)
	}
	for i, u := range s.users {
		if u.Username == "rita" {
			s.table.Select(widget.TableCellID{Row: i})
		}
	}
	if s.unlock.Visible() {
		t.Error("Unlock is still shown for an unlocked account")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("timed out waiting")
}

func TestPatientShortcutsWorkWhileTyping(t *testing.T) {
	a, store, w := newTestApp(t)
	setUpStore(t, store)
	a.SignedIn(sessionFor(t, a.store, data.OpEditPatient))
	a.Show("Patients")
	s := a.patients
	ctrl := func(k fyne.KeyName) fyne.Shortcut {
		return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	w.Canvas().Focus(s.given)
	test.Type(s.given, "Rhys")
	test.Type(s.family, "ap Dafydd")
	test.Type(s.dob, "05/05/1975")
	test.Type(s.phone, "07700 900555")
	s.phone.TypedShortcut(ctrl(fyne.KeyS)) // Ctrl+S while typing in an entry
	if n, _ := store.CountPatients(context.Background(), sessionFor(t, store, data.OpViewPatient)); n != 1 {
		t.Fatalf("Ctrl+S in an entry did not save (%s)", s.message.Text)
	}
	s.phone.TypedShortcut(ctrl(fyne.KeyF))
	if w.Canvas().Focused() != s.picker.search {
		t.Error("Ctrl+F in an entry did not move to the search box")
	}
	s.picker.search.TypedShortcut(ctrl(fyne.KeyN))
	if s.loaded.ID != 0 || s.given.Text != "" {
		t.Error("Ctrl+N did not start a new patient")
	}
	// The entry's own shortcuts still work: select all.
	s.given.SetText("Rhys")
	s.given.TypedShortcut(&fyne.ShortcutSelectAll{})
	if s.given.SelectedText() != "Rhys" {
		t.Errorf("select all: %q", s.given.SelectedText())
	}
}

// TestSetUpTabOrder walks the first-run form with Tab alone: the multi-line
// address must not swallow Tab.
func TestSetUpTabOrder(t *testing.T) {
	a, _, w := newTestApp(t)
	a.Start()
	s := a.setUp
	w.Canvas().Focus(s.name)
	want := []fyne.Focusable{s.ods, s.address, s.postcode, s.phone, s.listSize, s.adminName, s.username, s.password, s.confirm}
	for i, next := range want {
		// The window moves focus on Tab unless the focused widget takes Tab
		// itself, as Fyne's multi-line entry does.
		if tb, ok := w.Canvas().Focused().(fyne.Tabbable); ok && tb.AcceptsTab() {
			t.Fatalf("field %d swallows Tab", i)
		}
		w.Canvas().FocusNext()
		if w.Canvas().Focused() != next {
			t.Fatalf("Tab %d went to %T, want field %d", i+1, w.Canvas().Focused(), i+1)
		}
	}
}

// TestPatientToReferral: "Refer…" on a patient's record opens the new
// referral with that patient chosen.
func TestPatientToReferral(t *testing.T) {
	a, store, _ := newTestApp(t)
	setUpStore(t, store)
	p, err := store.SavePatient(context.Background(), sessionFor(t, store, data.OpEditPatient), data.Patient{GivenName: "Niamh", FamilyName: "Ó Briain", DateOfBirth: "1980-04-04", Phone: "07700 900321"}, data.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a.SignedIn(sessionFor(t, a.store, data.OpRefer))
	a.Show("Patients")
	s := a.patients
	if !s.refer.Disabled() {
		t.Error("Refer is enabled with no patient")
	}
	s.Open(p)
	test.Tap(s.refer)
	if a.Current() != "New referral" || a.newReferral == nil || a.newReferral.patient.ID != p.ID {
		t.Fatalf("Refer opened %q", a.Current())
	}
}
