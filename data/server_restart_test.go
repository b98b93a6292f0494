package data

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
)

// The server is stopped and started under a running store (a restart, a
// server that goes away for a while): while it is away a save says plainly
// that nothing was saved, and once it is back the next save goes through
// without opening the store again (issue 14).
func TestSaveAcrossAServerRestart(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("a server's restart")
	}
	if os.Getenv("LINKWELL_PG_STATE") == "" {
		// A server someone else runs is not ours to stop.
		t.Skip("the server is not a throwaway one of .ci/postgres, which this test stops and starts")
	}
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	sess := s.sessionFor(OpEditPatient)
	save := func(given string) error {
		_, err := s.SavePatient(ctx, sess, Patient{GivenName: given, FamilyName: "Evans", DateOfBirth: "1960-01-01", Phone: "07700 900002"}, SaveOptions{AcceptSimilar: true})
		return err
	}
	if err := save("Before"); err != nil {
		t.Fatal(err)
	}
	back := serverAway(t)
	if err := save("Away"); !errors.Is(err, ErrServerGone) {
		t.Errorf("a save while the server is away: %v, want ErrServerGone", err)
	}
	back()
	if err := save("After"); err != nil {
		t.Fatalf("the first save after the server came back: %v", err)
	}
	got, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), "evans", 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.GivenName)
	}
	if len(names) != 2 || names[0] != "After" || names[1] != "Before" {
		t.Errorf("saved: %v, want After and Before", names)
	}
}

// serverAway stops the throwaway server (.ci/postgres down) and gives the
// function that starts it again, which also runs when the test ends.
func serverAway(t *testing.T) (back func()) {
	t.Helper()
	ctl := func(what string) {
		if out, err := exec.Command("../.ci/postgres", what).CombinedOutput(); err != nil {
			t.Fatalf(".ci/postgres %s: %v\n%s", what, err, out)
		}
	}
	ctl("down")
	up := false
	back = func() {
		if !up {
			up = true
			ctl("up")
		}
	}
	t.Cleanup(back)
	return back
}
