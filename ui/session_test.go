package ui

import (
	"context"
	"errors"
	"sync"
	"testing"

	"linkwell/data"
)

// testPasswords are the passwords the tests give the users they make; a
// demo practice's are "demo-pass-" and the username (data.DemoAccounts).
var testPasswords = map[string]string{
	"admin": "admin password", "rita": "rita front desk", "nokafor": "gp password 1", "pm": "manager password",
	"lowri": "lowri password", "tom": "tom password 1", "lw0": "link worker 1", "lw1": "link worker 1",
}

var sessions struct {
	sync.Mutex
	m      map[*data.Store]map[string]*data.Session
	absent map[*data.Store]map[string]bool // usernames that did not sign in
}

// as signs u in to store, as the sign-in screen would (once per test).
func as(t testing.TB, store *data.Store, u data.User) *data.Session {
	t.Helper()
	return signInAs(t, store, u.Username)
}

func signInAs(t testing.TB, store *data.Store, username string) *data.Session {
	t.Helper()
	sessions.Lock()
	defer sessions.Unlock()
	if sessions.m == nil {
		sessions.m = map[*data.Store]map[string]*data.Session{}
	}
	if s := sessions.m[store][username]; s != nil {
		return s
	}
	pw, ok := testPasswords[username]
	if p, _ := store.Practice(context.Background()); p.IsDemo || !ok {
		pw = "demo-pass-" + username
	}
	sess, err := store.SignIn(context.Background(), username, pw)
	if err != nil {
		t.Fatalf("sign in as %s: %v", username, err)
	}
	if sessions.m[store] == nil {
		sessions.m[store] = map[string]*data.Session{}
	}
	sessions.m[store][username] = sess
	return sess
}

// sessionFor is a session of someone whose role may do op: a demo
// practice's staff, or the tests' own users (made when missing).
func sessionFor(t testing.TB, store *data.Store, op data.Operation) *data.Session {
	t.Helper()
	ctx := context.Background()
	if p, _ := store.Practice(ctx); p.IsDemo {
		for _, name := range []string{"linkworker1", "gp1", "manager", "reception1", "admin"} {
			for _, acc := range data.DemoAccounts() {
				if acc.Username == name && acc.Role.May(op) {
					return signInAs(t, store, name)
				}
			}
		}
		t.Fatalf("no demo account may %s", op)
	}
	for _, name := range []string{"lowri", "lw0", "nokafor", "pm", "rita", "admin"} {
		if sess := trySignIn(store, name); sess != nil && sess.May(op) {
			return sess
		}
	}
	admin := signInAs(t, store, "admin")
	for _, r := range []data.Role{data.RoleLinkWorker, data.RoleGP, data.RolePracticeManager, data.RoleReceptionist} {
		if !r.May(op) {
			continue
		}
		name := "tester-" + string(r)
		if _, ok := testPasswords[name]; !ok {
			testPasswords[name] = "a tester's password 1"
		}
		if _, err := store.CreateUser(ctx, admin, data.NewUser{Username: name, FullName: "Tester " + r.Label(), Role: r,
			Password: testPasswords[name]}); err != nil && !isTaken(err) {
			t.Fatal(err)
		}
		return signInAs(t, store, name)
	}
	t.Fatalf("no role may %s", op)
	return nil
}

func isTaken(err error) bool {
	var v *data.ValidationError
	return errors.As(err, &v)
}

// trySignIn is a session of username if the tests know their password.
func trySignIn(store *data.Store, username string) *data.Session {
	sessions.Lock()
	if s := sessions.m[store][username]; s != nil {
		sessions.Unlock()
		return s
	}
	sessions.Unlock()
	pw, ok := testPasswords[username]
	sessions.Lock()
	tried := sessions.absent[store][username]
	sessions.Unlock()
	if !ok || tried {
		return nil
	}
	sess, err := store.SignIn(context.Background(), username, pw)
	sessions.Lock()
	defer sessions.Unlock()
	if err != nil {
		if sessions.absent == nil {
			sessions.absent = map[*data.Store]map[string]bool{}
		}
		if sessions.absent[store] == nil {
			sessions.absent[store] = map[string]bool{}
		}
		sessions.absent[store][username] = true
		return nil
	}
	if sessions.m == nil {
		sessions.m = map[*data.Store]map[string]*data.Session{}
	}
	if sessions.m[store] == nil {
		sessions.m[store] = map[string]*data.Session{}
	}
	sessions.m[store][username] = sess
	return sess
}

// userNamed is one user of the store, read by signing them in.
func userNamed(t testing.TB, store *data.Store, username string) (data.User, error) {
	t.Helper()
	return signInAs(t, store, username).User(), nil
}
