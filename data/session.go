package data

import (
	"context"
	"database/sql"
	"errors"
)

// ErrSignedOut: the session is not (or no longer) good: the account was
// switched off or removed, or the session belongs to another store. The app
// then shows sign-in.
var ErrSignedOut = errors.New("you have been signed out; sign in again")

// Session is a signed-in user of one store, made only by SignIn (or SetUp).
// Its fields are unexported so that no caller can make one up or change
// the role: the store reads the user's role and active flag afresh at
// every call (see allow).
type Session struct {
	store *Store
	id    int64
	user  User // as at sign-in, for display only
}

// User is the signed-in user as at sign-in, for display (the header, the
// screens' choices). The store never trusts it: it reads the users table.
func (sess *Session) User() User {
	if sess == nil {
		return User{}
	}
	return sess.user
}

// May reports whether the signed-in user's role (as at sign-in) may do op:
// for screens deciding what to show. The store checks again at each call.
func (sess *Session) May(op Operation) bool {
	return sess != nil && sess.user.Role.May(op)
}

// allow is the first thing every method that reads or writes practice data
// does: it reads the user behind the session from the users table and
// checks their role against the matrix. It returns the user to act as.
func (s *Store) allow(ctx context.Context, sess *Session, op Operation) (User, error) {
	return s.allowOn(ctx, s.db, sess, op)
}

// allowOn is allow reading through q: a write transaction checks the
// user in its own first statement (the diary's writes), which on the
// server saves taking a second connection from the pool, and its ping.
func (s *Store) allowOn(ctx context.Context, q queryer, sess *Session, op Operation) (User, error) {
	if sess == nil || sess.store != s || sess.id == 0 {
		return User{}, ErrSignedOut
	}
	// The check runs even under a cancelled ctx (it takes microseconds), so
	// a cancelled call reports its own cancellation, not a failed check.
	u, err := scanUser(q.QueryRowContext(context.WithoutCancel(ctx), `SELECT `+userColumns+` FROM users WHERE id = ?`, sess.id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !u.Active {
		return User{}, ErrSignedOut
	}
	if err != nil {
		return User{}, err
	}
	if !u.Role.May(op) {
		return u, ErrNotAllowed
	}
	return u, nil
}

func (s *Store) session(u User) *Session {
	return &Session{store: s, id: u.ID, user: u}
}
