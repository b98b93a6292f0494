// Package datatest signs test users in to a store, once per store and
// user, for the tests of the packages that use data (the app's CLI and its
// screens). Only tests import it, so it is not in the release binary.
package datatest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"linkwell/data"
)

// Sessions signs users in with the passwords the tests gave them; a demo
// practice's are "demo-pass-" and the username (data.DemoAccounts).
type Sessions struct {
	// Passwords of the tests' own users, by username. For adds a
	// "tester-<role>" user here when it has to make one.
	Passwords map[string]string
	// Known are the tests' own usernames For tries first, in order.
	Known []string

	mu     sync.Mutex
	signed map[*data.Store]map[string]*data.Session
	absent map[*data.Store]map[string]bool // usernames that did not sign in
}

// As signs username in to store, as the sign-in screen would, or gives
// the session it signed in before.
func (s *Sessions) As(t testing.TB, store *data.Store, username string) *data.Session {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess := s.signed[store][username]; sess != nil {
		return sess
	}
	pw, ok := s.Passwords[username]
	if p, _ := store.Practice(context.Background()); p.IsDemo || !ok {
		pw = "demo-pass-" + username
	}
	sess, err := store.SignIn(context.Background(), username, pw)
	if err != nil {
		t.Fatalf("sign in as %s: %v", username, err)
	}
	s.remember(store, username, sess)
	return sess
}

// For is a session of someone whose role may do op: a demo practice's
// staff, or the tests' own users (a "tester-<role>" made when missing).
func (s *Sessions) For(t testing.TB, store *data.Store, op data.Operation) *data.Session {
	t.Helper()
	ctx := context.Background()
	if p, _ := store.Practice(ctx); p.IsDemo {
		for _, name := range []string{"linkworker1", "gp1", "manager", "reception1", "admin"} {
			for _, acc := range data.DemoAccounts() {
				if acc.Username == name && acc.Role.May(op) {
					return s.As(t, store, name)
				}
			}
		}
		t.Fatalf("no demo account may %s", op)
	}
	for _, name := range s.Known {
		if sess := s.Try(store, name); sess != nil && sess.May(op) {
			return sess
		}
	}
	admin := s.As(t, store, "admin")
	for _, r := range []data.Role{data.RoleLinkWorker, data.RoleGP, data.RolePracticeManager, data.RoleReceptionist} {
		if !r.May(op) {
			continue
		}
		name := "tester-" + string(r)
		s.mu.Lock()
		if _, ok := s.Passwords[name]; !ok {
			s.Passwords[name] = "a tester's password 1"
		}
		pw := s.Passwords[name]
		s.mu.Unlock()
		_, err := store.CreateUser(ctx, admin, data.NewUser{Username: name, FullName: "Tester " + r.Label(), Role: r, Password: pw})
		var taken *data.ValidationError
		if err != nil && !errors.As(err, &taken) {
			t.Fatal(err)
		}
		return s.As(t, store, name)
	}
	t.Fatalf("no role may %s", op)
	return nil
}

// Try is a session of username if the tests know their password and it
// signs in; nil otherwise (and it is not tried again on that store).
func (s *Sessions) Try(store *data.Store, username string) *data.Session {
	s.mu.Lock()
	sess := s.signed[store][username]
	pw, known := s.Passwords[username]
	tried := s.absent[store][username]
	s.mu.Unlock()
	if sess != nil {
		return sess
	}
	if !known || tried {
		return nil
	}
	sess, err := store.SignIn(context.Background(), username, pw)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if s.absent == nil {
			s.absent = map[*data.Store]map[string]bool{}
		}
		if s.absent[store] == nil {
			s.absent[store] = map[string]bool{}
		}
		s.absent[store][username] = true
		return nil
	}
	s.remember(store, username, sess)
	return sess
}

// remember keeps sess for username on store; s.mu is held.
func (s *Sessions) remember(store *data.Store, username string, sess *data.Session) {
	if s.signed == nil {
		s.signed = map[*data.Store]map[string]*data.Session{}
	}
	if s.signed[store] == nil {
		s.signed[store] = map[string]*data.Session{}
	}
	s.signed[store][username] = sess
}
