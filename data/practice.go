package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Practice is the GP practice (or PCN) that owns the database.
type Practice struct {
	Name     string
	ODSCode  string
	Address  string
	Postcode string
	Phone    string
	ListSize int
	IsDemo   bool
}

var odsPattern = func(s string) bool {
	if len(s) < 3 || len(s) > 6 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func (p *Practice) validate() error {
	v := &ValidationError{}
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.ODSCode = strings.ToUpper(strings.TrimSpace(p.ODSCode))
	p.Address = strings.TrimSpace(p.Address)
	if p.Name == "" {
		v.add("Name", "the practice name is required")
	}
	if p.ODSCode == "" {
		v.add("ODSCode", "the ODS code is required (e.g. B86001)")
	} else if !odsPattern(p.ODSCode) {
		v.add("ODSCode", "an ODS code has 3 to 6 letters and digits (e.g. B86001)")
	}
	if strings.TrimSpace(p.Postcode) != "" {
		if pc, err := NormalisePostcode(p.Postcode); err != nil {
			v.add("Postcode", "%s", err.Error())
		} else {
			p.Postcode = pc
		}
	}
	if strings.TrimSpace(p.Phone) != "" {
		if ph, err := NormalisePhone(p.Phone); err != nil {
			v.add("Phone", "%s", err.Error())
		} else {
			p.Phone = ph
		}
	}
	if p.ListSize < 0 || p.ListSize > 2_000_000 {
		v.add("ListSize", "the list size is the number of registered patients (0 to 2,000,000)")
	}
	return v.orNil()
}

// Practice returns the practice, or ErrNotFound before first-run set-up.
func (s *Store) Practice(ctx context.Context) (Practice, error) {
	var p Practice
	err := s.db.QueryRowContext(ctx, `SELECT name, ods_code, address, postcode, phone, list_size, is_demo FROM practice WHERE id = 1`).
		Scan(&p.Name, &p.ODSCode, &p.Address, &p.Postcode, &p.Phone, &p.ListSize, &p.IsDemo)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// NeedsSetUp is true for a new database: no practice and no users yet.
func (s *Store) NeedsSetUp(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM practice) + (SELECT count(*) FROM users)`).Scan(&n)
	return n == 0, err
}

// SetUp records the practice and its first administrator on a new
// database, in one transaction, and returns the administrator's session.
func (s *Store) SetUp(ctx context.Context, p Practice, admin NewUser) (*Session, error) {
	admin.Role = RoleAdministrator
	v := &ValidationError{}
	if err := p.validate(); err != nil {
		v.Fields = append(v.Fields, err.(*ValidationError).Fields...)
	}
	if err := admin.validate(); err != nil {
		v.Fields = append(v.Fields, err.(*ValidationError).Fields...)
	}
	if err := v.orNil(); err != nil {
		return nil, err
	}
	var created User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM practice) + (SELECT count(*) FROM users)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		at := s.stamp()
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice (id, name, ods_code, address, postcode, phone, list_size, is_demo, created_at, updated_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Name, p.ODSCode, p.Address, p.Postcode, p.Phone, p.ListSize, p.IsDemo, at, at); err != nil {
			return err
		}
		var err error
		created, err = insertUser(ctx, tx, at, 0, admin)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.session(created), nil
}

// Setting reads one practice setting, "" when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// The screen lock: the window locks after this many minutes without input.
// It cannot be switched off, and an hour is the longest a signed-in desk may
// stand open; a minute is the shortest that still lets anyone read a page.
const (
	DefaultIdleLockMinutes = 10
	MinIdleLockMinutes     = 1
	MaxIdleLockMinutes     = 60
)

// Retention: closed episodes older than this many years may be anonymised
// (0, the default, is off). Two years is the least, so that a returning
// patient's recent history is kept; 30 the most anyone could mean.
const (
	MinRetentionYears = 2
	MaxRetentionYears = 30
)

// Setting keys in the settings table.
const (
	settingIdleLock  = "idle_lock_minutes"
	settingRetention = "retention_years"
)

// PracticeSettings change how Linkwell behaves for everyone at the practice.
type PracticeSettings struct {
	IdleLockMinutes int // the screen locks after this long without input
	RetentionYears  int // closed episodes older than this may be anonymised; 0: off
}

// IdleLock is the idle time as a duration.
func (p PracticeSettings) IdleLock() time.Duration {
	return time.Duration(p.IdleLockMinutes) * time.Minute
}

// PracticeSettings reads the settings, with their defaults where unset.
// It takes no session: the window needs the lock time for every user, and
// the settings hold no one's data.
func (s *Store) PracticeSettings(ctx context.Context) (PracticeSettings, error) {
	out := PracticeSettings{IdleLockMinutes: DefaultIdleLockMinutes}
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM settings WHERE key IN (?, ?)`, settingIdleLock, settingRetention)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return out, err
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			continue // a damaged value: the default stands
		}
		switch k {
		case settingIdleLock:
			if n >= MinIdleLockMinutes && n <= MaxIdleLockMinutes {
				out.IdleLockMinutes = n
			}
		case settingRetention:
			if n == 0 || n >= MinRetentionYears && n <= MaxRetentionYears {
				out.RetentionYears = n
			}
		}
	}
	return out, rows.Err()
}

// SetIdleLock sets the minutes without input after which the window locks,
// for the administrator.
func (s *Store) SetIdleLock(ctx context.Context, sess *Session, minutes int) error {
	actor, err := s.allow(ctx, sess, OpPracticeSettings)
	if err != nil {
		return err
	}
	if minutes < MinIdleLockMinutes || minutes > MaxIdleLockMinutes {
		v := &ValidationError{}
		v.add("IdleLockMinutes", "the screen locks after %d to %d minutes without input; it cannot be switched off", MinIdleLockMinutes, MaxIdleLockMinutes)
		return v
	}
	return s.setSetting(ctx, actor, settingIdleLock, minutes)
}

// SetRetentionYears sets after how many years closed episodes may be
// anonymised (0: never), for the practice manager.
func (s *Store) SetRetentionYears(ctx context.Context, sess *Session, years int) error {
	actor, err := s.allow(ctx, sess, OpRetention)
	if err != nil {
		return err
	}
	if years != 0 && (years < MinRetentionYears || years > MaxRetentionYears) {
		v := &ValidationError{}
		v.add("RetentionYears", "keep closed episodes for %d to %d years, or 0 to keep them all", MinRetentionYears, MaxRetentionYears)
		return v
	}
	return s.setSetting(ctx, actor, settingRetention, years)
}

func (s *Store) setSetting(ctx context.Context, actor User, key string, value int) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			key, strconv.Itoa(value)); err != nil {
			return err
		}
		return audit(ctx, tx, s.stamp(), actor.ID, "setting", "settings", 0, fmt.Sprintf("%s = %d", key, value))
	})
}
