package data

import (
	"context"
	"strings"
	"testing"
)

func TestPasswordPolicy(t *testing.T) {
	refused := map[string]string{
		"short":                          "at least 10 characters",
		"password12":                     "most common passwords",
		"1234567890":                     "too easy to guess",
		"          ":                     "one character repeated",
		"aaaaaaaaaa":                     "one character repeated",
		"qwertyuiop":                     "too easy to guess",
		"Password123":                    "too easy to guess",
		"liverpool1":                     "too easy to guess",
		strings.Repeat("long words ", 7): "at most 72 characters",
	}
	for pw, want := range refused {
		if got := passwordProblem(pw); !strings.Contains(got, want) {
			t.Errorf("%q: %q, want it to say %q", pw, got, want)
		}
	}
	for _, pw := range []string{"green kettle morning walk", "correct horse battery", "Tŷ Coch, Caerdydd"} {
		if got := passwordProblem(pw); got != "" {
			t.Errorf("%q was refused: %s", pw, got)
		}
	}
	// Built from the user's own name.
	if got := passwordProblem("lowrijones1", "ljones", "Lowri Jones"); !strings.Contains(got, "your name or username") {
		t.Errorf("a password from the user's name: %q", got)
	}
}

// Every way a password is set applies the policy.
func TestWeakPasswordsAreRefusedWhereverSet(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	_, err := s.SetUp(ctx, Practice{Name: "Riverside Medical Practice", ODSCode: "b86001"},
		NewUser{Username: "admin", FullName: "Ada Admin", Password: "password12"})
	if v, ok := FieldErrors(err); !ok || !strings.Contains(v.For("Password"), "too easy to guess") {
		t.Errorf("set-up: %v", err)
	}
	admin := setUpPractice(t, s)
	_, err = s.CreateUser(ctx, s.session(admin), NewUser{Username: "ljones", FullName: "Lowri Jones", Role: RoleLinkWorker, Password: "1234567890"})
	if v, ok := FieldErrors(err); !ok || v.For("Password") == "" {
		t.Errorf("new user: %v", err)
	}
	lw, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: "ljones", FullName: "Lowri Jones", Role: RoleLinkWorker, Password: "green kettle morning walk"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ResetPassword(ctx, s.session(admin), lw.ID, "qwertyuiop"); err == nil {
		t.Error("reset: qwertyuiop was accepted")
	}
	if err := s.ResetPassword(ctx, s.session(lw), lw.ID, "ljones12345"); err == nil {
		t.Error("reset: a password made of the user's name was accepted")
	}
}
