package main

import (
	"testing"

	"linkwell/data"
	"linkwell/data/datatest"
)

// sessions signs the tests' users in; "admin" is the user the tests'
// practices are set up with.
var sessions = &datatest.Sessions{
	Passwords: map[string]string{"admin": "correct horse battery"},
	Known:     []string{"admin"},
}

// as signs u in to store, as the sign-in screen would (once per test).
func as(t testing.TB, store *data.Store, u data.User) *data.Session {
	t.Helper()
	return sessions.As(t, store, u.Username)
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
