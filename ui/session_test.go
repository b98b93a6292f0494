package ui

import (
	"testing"

	"linkwell/data"
	"linkwell/data/datatest"
)

// sessions signs the tests' users in: the users the screens' tests make,
// tried in this order when a test needs someone who may do something.
var sessions = &datatest.Sessions{
	Passwords: map[string]string{
		"admin": "admin password", "rita": "rita front desk", "nokafor": "gp password 1", "pm": "manager password",
		"lowri": "lowri password", "tom": "tom password 1", "lw0": "link worker 1", "lw1": "link worker 1",
	},
	Known: []string{"lowri", "lw0", "nokafor", "pm", "rita", "admin"},
}

// testPasswords are the passwords the tests give the users they make.
var testPasswords = sessions.Passwords

// as signs u in to store, as the sign-in screen would (once per test).
func as(t testing.TB, store *data.Store, u data.User) *data.Session {
	t.Helper()
	return sessions.As(t, store, u.Username)
}

func signInAs(t testing.TB, store *data.Store, username string) *data.Session {
	t.Helper()
	return sessions.As(t, store, username)
}

// sessionFor is a session of someone whose role may do op.
func sessionFor(t testing.TB, store *data.Store, op data.Operation) *data.Session {
	t.Helper()
	return sessions.For(t, store, op)
}

// userNamed is one user of the store, read by signing them in.
func userNamed(t testing.TB, store *data.Store, username string) (data.User, error) {
	t.Helper()
	return sessions.As(t, store, username).User(), nil
}
