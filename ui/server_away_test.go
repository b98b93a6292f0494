package ui

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"linkwell/data"
)

// A save on a screen while the server is away says plainly that nothing
// was saved and keeps every field as typed; the banner says the app is
// retrying; once the server is back the same Save goes through, once,
// without restarting the app (issue 14). It runs on the throwaway server
// make test starts (.ci/postgres), which it stops and starts.
func TestSaveWhileTheServerIsAway(t *testing.T) {
	server, state := os.Getenv("LINKWELL_TEST_PG"), os.Getenv("LINKWELL_PG_STATE")
	if server == "" || state == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no throwaway PostgreSQL (make test starts one with .ci/postgres)")
		}
		t.Skip("no throwaway PostgreSQL: LINKWELL_TEST_PG and LINKWELL_PG_STATE are not set (make test sets them)")
	}
	store := newServerStore(t, server)
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1366, 768))
	a := New(w, store)
	q := make(uiQueue, 10000) // the live banner's reports wait here for the test
	a.win = queuedWindow{Window: w, queue: q}
	_, reception := setUpStore(t, store)
	a.SignedIn(as(t, store, reception))
	a.Show("Patients")
	s := a.patients
	s.NewPatient()
	test.Type(s.given, "Gwen")
	test.Type(s.family, "Pritchard")
	test.Type(s.dob, "03/04/1955")
	test.Type(s.phone, "07700 900456")

	ctl := func(what string) {
		if out, err := exec.Command("../.ci/postgres", what).CombinedOutput(); err != nil {
			t.Fatalf(".ci/postgres %s: %v\n%s", what, err, out)
		}
	}
	ctl("down")
	up := false
	t.Cleanup(func() {
		if !up {
			ctl("up")
		}
	})
	s.Save()
	if !s.message.Visible() || !strings.Contains(s.message.Text, "nothing was saved") {
		t.Errorf("the message while the server is away: %q", s.message.Text)
	}
	if strings.Contains(s.message.Text, "dial") || strings.Contains(s.message.Text, "linkwell-pg") {
		t.Errorf("the driver's words reached the screen: %q", s.message.Text)
	}
	if s.given.Text != "Gwen" || s.family.Text != "Pritchard" || s.dob.Text != "03/04/1955" || s.phone.Text != "07700 900456" {
		t.Error("typing lost")
	}
	q.waitFor(t, a.lostBanner.Visible)

	ctl("up")
	up = true
	s.Save()
	if !strings.HasPrefix(s.message.Text, "Saved") {
		t.Fatalf("the save after the server came back: %q", s.message.Text)
	}
	found, err := store.SearchPatients(context.Background(), as(t, store, reception), "pritchard", 10)
	if err != nil || len(found) != 1 {
		t.Errorf("saved %d times (%v), want once", len(found), err)
	}
	q.waitFor(t, func() bool { return !a.lostBanner.Visible() })
}

// newServerStore is a store on a new database of its own on server, with
// the schema made as `linkwell server init` makes it; dropped at the end.
func newServerStore(t *testing.T, server string) *data.Store {
	t.Helper()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("lw_ui_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	if _, _, err := data.InitServer(context.Background(), u.String()); err != nil {
		t.Fatal(err)
	}
	store, err := data.Open(u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		store.Close()
		if db, err := sql.Open("pgx", server); err == nil {
			db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			db.Close()
		}
	})
	return store
}
