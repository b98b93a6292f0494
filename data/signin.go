package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Five failed sign-ins in a row lock an account for 15 minutes, or until an
// administrator unlocks it: room for typing mistakes, too few tries to
// guess a password.
const (
	MaxFailedSignIns = 5
	LockFor          = 15 * time.Minute
)

// SignIn checks a username and password, records the sign-in and returns
// the session every other call is made under. Every
// failure gets ErrBadSignIn and takes the same time: one bcrypt comparison
// at the real cost and one write, whether the username is unknown, the
// password wrong, or the account locked or switched off. Every failure is
// audited ("sign_in_failed", with the username tried and why), and so is the
// lock the fifth one in a row sets.
func (s *Store) SignIn(ctx context.Context, username, password string) (*Session, error) {
	username = strings.TrimSpace(username)
	var u User
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = ?`, username).Scan(
		&u.ID, &u.Username, &u.FullName, &u.Role, &u.JobTitle, &u.Email, &u.Phone, &u.Active, &hash)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if !known {
		hash = dummyHash()
	}
	matches := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil && known
	if s.readOnly {
		// A read-only database (a backup, read-only media) records
		// nothing: the password, the lock and the switch are checked, and
		// the sign-in is not audited.
		var until sql.NullString
		if matches {
			s.db.QueryRowContext(ctx, `SELECT locked_until FROM users WHERE id = ?`, u.ID).Scan(&until)
		}
		if !matches || !u.Active || until.Valid && until.String > s.stamp() {
			return nil, ErrBadSignIn
		}
		return s.session(u), nil
	}

	if !known {
		err := s.write(ctx, func(tx *sql.Tx) error {
			return audit(ctx, tx, s.stamp(), 0, "sign_in_failed", "user", 0, triedAs(username, "no such username"))
		})
		if err != nil {
			return nil, err
		}
		return nil, ErrBadSignIn
	}
	err = s.passwordAttempt(ctx, u.ID, username, matches, func(tx *sql.Tx, at string) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_sign_in = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?`, at, u.ID); err != nil {
			return err
		}
		return audit(ctx, tx, at, u.ID, "sign_in", "user", u.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return s.session(u), nil
}

// passwordAttempt records one try of a known user's password (matches: it
// was right), for SignIn and UnlockScreen alike, in one write: a locked or
// switched-off account fails whatever was typed, a wrong password counts
// toward the lock (failedPassword), and every failure is audited as
// "sign_in_failed" and returns ErrBadSignIn. On success ok runs in the same
// transaction to record it.
func (s *Store) passwordAttempt(ctx context.Context, userID int64, username string, matches bool, ok func(tx *sql.Tx, at string) error) error {
	succeeded := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		at := s.stamp()
		succeeded = false
		// Read again under the write lock: another desk may have locked or
		// unlocked the account since.
		var failed int
		var until sql.NullString
		var active bool
		if err := tx.QueryRowContext(ctx, `SELECT failed_attempts, locked_until, active FROM users WHERE id = ?`, userID).Scan(&failed, &until, &active); err != nil {
			return err
		}
		switch {
		case until.Valid && until.String > at:
			return audit(ctx, tx, at, userID, "sign_in_failed", "user", userID, triedAs(username, "the account is locked until "+until.String))
		case !matches:
			return s.failedPassword(ctx, tx, at, userID, username, failed+1)
		case !active:
			return audit(ctx, tx, at, userID, "sign_in_failed", "user", userID, triedAs(username, "the account is switched off"))
		}
		succeeded = true
		return ok(tx, at)
	})
	if err != nil {
		return err
	}
	if !succeeded {
		return ErrBadSignIn
	}
	return nil
}

// LockScreen records that the window locked itself after a time without
// input. The session goes on: UnlockScreen continues it.
func (s *Store) LockScreen(ctx context.Context, sess *Session, idle time.Duration) error {
	u, err := s.allow(ctx, sess, OpOwnAccount)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.stamp(), u.ID, "screen_lock", "user", u.ID, fmt.Sprintf("no input for %s", idle.Round(time.Second)))
	})
}

// UnlockScreen continues a locked session when its own user types their
// password. It is checked as at sign-in: a wrong password counts toward the
// account's lock and is audited, and a locked or switched-off account
// cannot unlock (ErrBadSignIn). Success resets the count and is audited.
func (s *Store) UnlockScreen(ctx context.Context, sess *Session, password string) error {
	u, err := s.allow(ctx, sess, OpOwnAccount)
	if err != nil {
		return err
	}
	var hash string
	if err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
		return err
	}
	matches := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	return s.passwordAttempt(ctx, u.ID, u.Username, matches, func(tx *sql.Tx, at string) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = 0 WHERE id = ?`, u.ID); err != nil {
			return err
		}
		return audit(ctx, tx, at, u.ID, "screen_unlock", "user", u.ID, "")
	})
}

// failedPassword counts a wrong password for a user (the failed-th in a row)
// and locks the account at the fifth.
func (s *Store) failedPassword(ctx context.Context, tx *sql.Tx, at string, userID int64, username string, failed int) error {
	detail := triedAs(username, fmt.Sprintf("wrong password (%d of %d)", failed, MaxFailedSignIns))
	if err := audit(ctx, tx, at, userID, "sign_in_failed", "user", userID, detail); err != nil {
		return err
	}
	if failed < MaxFailedSignIns {
		_, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = ? WHERE id = ?`, failed, userID)
		return err
	}
	// The count starts again, so the account gets five more tries once
	// the lock ends.
	until := s.now().Add(LockFor).UTC().Format(TimeLayout)
	if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = 0, locked_until = ? WHERE id = ?`, until, userID); err != nil {
		return err
	}
	return audit(ctx, tx, at, 0, "lock", "user", userID, fmt.Sprintf("%d failed sign-ins in a row; locked until %s", failed, until))
}

// triedAs is a failed sign-in's audit detail: the username typed (cleaned
// and cut short, as it is whatever was typed) and why it failed.
func triedAs(username, why string) string {
	name := []rune(CleanText(username))
	if len(name) > 64 {
		name = append(name[:64], '…')
	}
	return fmt.Sprintf("username %q: %s", string(name), why)
}

// dummy is the stand-in hash an unknown username is compared with, made at
// bcryptCost (the cost real hashes are made at) when first needed, so that
// an unknown username takes as long as a known one.
var dummy struct {
	sync.Mutex
	cost int
	hash string
}

func dummyHash() string {
	dummy.Lock()
	defer dummy.Unlock()
	if dummy.cost != bcryptCost {
		h, _ := bcrypt.GenerateFromPassword([]byte("not anyone's password"), bcryptCost)
		dummy.hash, dummy.cost = string(h), bcryptCost
	}
	return dummy.hash
}

// UnlockUser ends a lock set by failed sign-ins at once, for those who
// manage users.
func (s *Store) UnlockUser(ctx context.Context, sess *Session, userID int64) error {
	actor, err := s.allow(ctx, sess, OpManageUsers)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ?, updated_by = ? WHERE id = ?`, at, actor.ID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, at, actor.ID, "unlock", "user", userID, "")
	})
}

// SignOut records that the session's user signed out.
func (s *Store) SignOut(ctx context.Context, sess *Session) error {
	u, err := s.allow(ctx, sess, OpOwnAccount)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.stamp(), u.ID, "sign_out", "user", u.ID, "")
	})
}
