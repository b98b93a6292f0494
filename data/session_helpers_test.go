package data

import (
	"context"
	"database/sql"
	"testing"
)

// sessionFor is a test's session for a user whose role may do op: the first
// such user, preferring the clinical roles (they see whole records), made
// with a test password when the store has none.
func (s *Store) sessionFor(op Operation) *Session {
	ctx := context.Background()
	prefer := []Role{RoleLinkWorker, RoleGP, RolePracticeManager, RoleReceptionist, RoleAdministrator}
	for _, r := range prefer {
		if !r.May(op) {
			continue
		}
		u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE role = ? AND active = 1 ORDER BY id LIMIT 1`, string(r)))
		if err == nil {
			return s.session(u)
		}
	}
	for _, r := range prefer {
		if !r.May(op) {
			continue
		}
		var u User
		err := s.write(ctx, func(tx *sql.Tx) error {
			var err error
			u, err = insertUser(ctx, tx, s.stamp(), 0, NewUser{Username: "test-" + string(r), FullName: "Test " + r.Label(),
				Role: r, Password: "a test password 12"})
			return err
		})
		if err != nil {
			panic(err)
		}
		return s.session(u)
	}
	panic("no role may " + string(op))
}

// userNamed reads one user by username.
func userNamed(t testing.TB, s *Store, username string) User {
	t.Helper()
	u, err := scanUser(s.db.QueryRow(`SELECT `+userColumns+` FROM users WHERE username = ?`, username))
	if err != nil {
		t.Fatal(err)
	}
	return u
}
