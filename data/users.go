package data

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// User is a member of staff who signs in.
type User struct {
	ID       int64
	Username string
	FullName string
	Role     Role
	JobTitle string
	Email    string
	Phone    string
	Active   bool
	// Locked: too many failed sign-ins (see SignIn). Only Users fills it
	// in, for the Staff screen.
	Locked bool
}

// NewUser is what an administrator types to add a user.
type NewUser struct {
	Username string
	FullName string
	Role     Role
	JobTitle string
	Email    string
	Password string
}

// Errors a screen can recognise.
var (
	// ErrBadSignIn is the one answer to every failed sign-in: an unknown
	// username, a wrong password, a locked or a switched-off account. A
	// different answer would tell a guesser which usernames exist.
	ErrBadSignIn    = errors.New("that username and password do not match, or the account is locked or switched off")
	ErrNotAllowed   = errors.New("your role does not allow this")
	ErrNotFound     = errors.New("not found")
	ErrAlreadySetUp = errors.New("this database is already set up")
)

// bcryptCost is bcrypt's work factor; tests lower it to run quickly.
// SignIn's stand-in hash for an unknown username uses it too.
var bcryptCost = bcrypt.DefaultCost + 2

func hashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcryptCost)
	return string(h), err
}

func (u *NewUser) validate() error {
	v := &ValidationError{}
	u.Username = strings.TrimSpace(u.Username)
	u.FullName = CleanText(u.FullName)
	u.Email = strings.TrimSpace(u.Email)
	if u.Username == "" {
		v.add("Username", "a username is required")
	} else if strings.ContainsAny(u.Username, " \t") {
		v.add("Username", "a username has no spaces")
	}
	if u.FullName == "" {
		v.add("FullName", "the full name is required")
	}
	if !u.Role.valid() {
		v.add("Role", "choose a role")
	}
	if u.Email != "" {
		if e, err := NormaliseEmail(u.Email); err != nil {
			v.add("Email", "%s", err.Error())
		} else {
			u.Email = e
		}
	}
	checkPassword("Password", u.Password, v, u.Username, u.FullName)
	return v.orNil()
}

const userColumns = `id, username, full_name, role, job_title, email, phone, active`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &u.JobTitle, &u.Email, &u.Phone, &u.Active)
	return u, err
}

func insertUser(ctx context.Context, tx *sql.Tx, at string, actorID int64, u NewUser) (User, error) {
	hash, err := hashPassword(u.Password)
	if err != nil {
		return User{}, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO users (username, full_name, role, job_title, email, password_hash, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.FullName, string(u.Role), u.JobTitle, u.Email, hash, at, nullID(actorID), at, nullID(actorID))
	if err != nil {
		if isUniqueViolation(err) {
			return User{}, &ValidationError{Fields: []FieldError{{"Username", "the username " + u.Username + " is taken; choose another"}}}
		}
		return User{}, err
	}
	id, _ := res.LastInsertId()
	if actorID == 0 {
		actorID = id // the first administrator creates themself
	}
	if err := audit(ctx, tx, at, actorID, "create", "user", id, string(u.Role)); err != nil {
		return User{}, err
	}
	return User{ID: id, Username: u.Username, FullName: u.FullName, Role: u.Role, JobTitle: u.JobTitle, Email: u.Email, Active: true}, nil
}

// CreateUser adds a user, for those who manage users.
func (s *Store) CreateUser(ctx context.Context, sess *Session, u NewUser) (User, error) {
	actor, err := s.allow(ctx, sess, OpManageUsers)
	if err != nil {
		return User{}, err
	}
	if err := u.validate(); err != nil {
		return User{}, err
	}
	var created User
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		created, err = insertUser(ctx, tx, s.stamp(), actor.ID, u)
		return err
	})
	return created, err
}

// ResetPassword sets a new password for a user. Whoever manages users may
// reset anyone's; any user may change their own.
func (s *Store) ResetPassword(ctx context.Context, sess *Session, userID int64, password string) error {
	actor, err := s.allow(ctx, sess, OpOwnAccount)
	if err != nil {
		return err
	}
	if !actor.Role.May(OpManageUsers) && actor.ID != userID {
		return ErrNotAllowed
	}
	var username, fullName string
	err = s.db.QueryRowContext(ctx, `SELECT username, full_name FROM users WHERE id = ?`, userID).Scan(&username, &fullName)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	v := &ValidationError{}
	checkPassword("Password", password, v, username, fullName)
	if err := v.orNil(); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ?, updated_by = ? WHERE id = ?`, hash, at, actor.ID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, at, actor.ID, "reset_password", "user", userID, "")
	})
}

// SetUserActive turns a user's sign-in on or off (for those who manage
// users).
// Users are never deleted: records keep pointing at them.
func (s *Store) SetUserActive(ctx context.Context, sess *Session, userID int64, active bool) error {
	actor, err := s.allow(ctx, sess, OpManageUsers)
	if err != nil {
		return err
	}
	if actor.ID == userID && !active {
		return errors.New("you cannot switch off your own account")
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		at := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET active = ?, updated_at = ?, updated_by = ? WHERE id = ?`, active, at, actor.ID, userID); err != nil {
			return err
		}
		action := "deactivate"
		if active {
			action = "activate"
		}
		return audit(ctx, tx, at, actor.ID, action, "user", userID, "")
	})
}

// Users lists every user, active first, by name, with whether each is
// locked now.
func (s *Store) Users(ctx context.Context, sess *Session) ([]User, error) {
	if _, err := s.allow(ctx, sess, OpManageUsers); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+`, CASE WHEN locked_until > ? THEN 1 ELSE 0 END FROM users ORDER BY active DESC, full_name`, s.stamp())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Username, &u.FullName, &u.Role, &u.JobTitle, &u.Email, &u.Phone, &u.Active, &u.Locked); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UsersWithRole lists the active users of one role, by name.
func (s *Store) UsersWithRole(ctx context.Context, sess *Session, role Role) ([]User, error) {
	if _, err := s.allow(ctx, sess, OpListStaff); err != nil {
		return nil, err
	}
	return s.queryUsers(ctx, `SELECT `+userColumns+` FROM users WHERE role = ? AND active = 1 ORDER BY full_name`, string(role))
}

func (s *Store) queryUsers(ctx context.Context, q string, args ...any) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func isUniqueViolation(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || pgCode(err) == pgUniqueViolation)
}
