// Package data holds Linkwell's domain types, their rules and the SQLite
// store. It is the only place SQL lives; screens and subcommands speak to it
// in domain types.
package data

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store owns the one database handle. All SQL lives in its methods.
type Store struct {
	db   *sql.DB
	path string
	// now is the clock; tests and the demo generator may replace it.
	now func() time.Time
}

// ErrNewerDatabase is returned when the file was written by a newer Linkwell.
var ErrNewerDatabase = errors.New("newer database")

// OpenError explains why a database file could not be opened, in words a
// user can act on.
type OpenError struct {
	Path   string
	Reason string
	Err    error
}

func (e *OpenError) Error() string { return fmt.Sprintf("cannot open %s: %s", e.Path, e.Reason) }
func (e *OpenError) Unwrap() error { return e.Err }

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// dsn builds the connection string. busy_timeout comes first so that the
// pragmas after it wait for a busy database rather than fail.
func dsn(path string, readOnly bool) string {
	u := url.URL{Scheme: "file", Path: path}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
	}
	// url.Values.Encode sorts keys; _pragma order among themselves is kept,
	// and the driver runs busy_timeout first whatever the order.
	return u.String() + "?" + q.Encode()
}

// Open opens the database at path, creating it if it does not exist, and
// brings its schema up to date. A file that is not a Linkwell database, is
// damaged, or comes from a newer Linkwell is refused and left untouched.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &OpenError{Path: path, Reason: "the path is not valid", Err: err}
	}
	if kind := networkShare(abs); kind != "" {
		// WAL keeps its shared memory on one host, so copies of the app on
		// several PCs would corrupt a shared file: refuse rather than risk it.
		return nil, &OpenError{Path: abs, Reason: "it is on a network share (" + kind + "). Several PCs writing one SQLite file over the network can corrupt it. Keep the database on this computer's own disk (or on the terminal server everyone uses)."}
	}
	if err := inspectExisting(abs); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(abs); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, &OpenError{Path: abs, Reason: "its folder cannot be created: " + err.Error(), Err: err}
		}
	}
	db, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return nil, &OpenError{Path: abs, Reason: err.Error(), Err: err}
	}
	s := &Store{db: db, path: abs, now: time.Now}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, &OpenError{Path: abs, Reason: "SQLite could not open it: " + err.Error(), Err: err}
	}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// inspectExisting checks an existing file read-only before anything writes
// to it: it must be SQLite, pass quick_check, and not be from a newer Linkwell.
func inspectExisting(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &OpenError{Path: path, Reason: "it cannot be read: " + err.Error(), Err: err}
	}
	head := make([]byte, len(sqliteHeader))
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == 0 {
		return nil // an empty file becomes a new database
	}
	if n < len(sqliteHeader) || !bytes.Equal(head, sqliteHeader) {
		return &OpenError{Path: path, Reason: "it is not a Linkwell database (not an SQLite file). Choose another file, or restore a backup."}
	}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return &OpenError{Path: path, Reason: err.Error(), Err: err}
	}
	defer db.Close()
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return &OpenError{Path: path, Reason: "it is damaged and cannot be read (" + err.Error() + "). Restore a backup.", Err: err}
	}
	if version > len(migrationNames()) {
		return &OpenError{Path: path, Err: ErrNewerDatabase, Reason: fmt.Sprintf(
			"it was written by a newer version of Linkwell (schema %d; this version knows up to %d). Install the newer Linkwell; the file has not been changed.",
			version, len(migrationNames()))}
	}
	var result string
	if err := db.QueryRow("PRAGMA quick_check").Scan(&result); err != nil || result != "ok" {
		if err != nil {
			result = err.Error()
		}
		return &OpenError{Path: path, Reason: "it failed SQLite's integrity check (" + result + "). Restore a backup.", Err: err}
	}
	return nil
}

func migrationNames() []string {
	entries, _ := migrationFiles.ReadDir("migrations")
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// SchemaVersion is the number of migrations this Linkwell knows.
func SchemaVersion() int { return len(migrationNames()) }

// migrate applies each migration past user_version in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	names := migrationNames()
	for {
		var version int
		if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return &OpenError{Path: s.path, Reason: "it cannot be read: " + err.Error(), Err: err}
		}
		if version > len(names) {
			return &OpenError{Path: s.path, Err: ErrNewerDatabase, Reason: "it was written by a newer version of Linkwell; the file has not been changed."}
		}
		if version == len(names) {
			return nil
		}
		body, err := migrationFiles.ReadFile("migrations/" + names[version])
		if err != nil {
			return err
		}
		err = s.write(ctx, func(tx *sql.Tx) error {
			// Re-read inside the write lock: another copy of the app may
			// have migrated in the meantime.
			var v int
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
				return err
			}
			if v != version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", names[version], err)
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1))
			return err
		})
		if err != nil {
			return &OpenError{Path: s.path, Reason: "its schema could not be updated: " + err.Error(), Err: err}
		}
	}
}

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// SetClock replaces the store's clock (tests, demo data).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// write runs fn in one immediate write transaction (the DSN sets
// _txlock=immediate), so two copies of the app never interleave writes.
// A busy database is retried, then reported as ErrBusy (see writeTx in
// busy.go), so fn may run more than once.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return writeTx(ctx, s.db, fn)
}

// stamp is the store's clock as a stored instant.
func (s *Store) stamp() string { return s.now().UTC().Format(TimeLayout) }

// TimeLayout is how instants are stored: UTC, sortable as text.
const TimeLayout = "2006-01-02T15:04:05Z"

// DateLayout is how dates are stored (and typed on the command line).
const DateLayout = "2006-01-02"

// audit appends an audit event inside tx.
func audit(ctx context.Context, tx *sql.Tx, at string, userID int64, action, entity string, entityID int64, detail string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO audit_events (at, user_id, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		at, nullID(userID), action, entity, entityID, detail)
	return err
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
