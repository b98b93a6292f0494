// Package data holds Linkwell's domain types, their rules and the SQLite
// store. It is the only place SQL lives; screens and subcommands speak to it
// in domain types.
package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store owns the one database handle. All SQL lives in its methods.
type Store struct {
	db   *sql.DB
	path string // the file, or the server's URL without its password
	// serverURL is the server's URL as given, password and all, for the
	// watcher's own connection (watch.go); never shown.
	serverURL string
	// engine is SQLite or PostgreSQL; only the few statements that must
	// differ look at it (see server.go).
	engine engine
	// now is the clock; tests and the demo generator may replace it.
	now func() time.Time
	// readOnly is set by OpenReadOnly: nothing is migrated or written.
	readOnly bool
	// immutableFrom is the file as it was when OpenReadOnly opened it as
	// immutable (nil otherwise). SQLite then takes no locks, so reads are
	// trusted only while the file stays as it was (see changedSinceOpen).
	immutableFrom os.FileInfo
	// cleanup is the removal of a dead import's hidden rows that Open
	// started in the background; Close waits for it.
	cleanup sync.WaitGroup
	// closing ends when Close is called (closingContext); the watchers
	// (watch.go) stop with it, and Close waits for them, so that none
	// keeps a connection of its own to the file after it.
	closeMu  sync.Mutex
	closing  context.Context
	closeAll context.CancelFunc
	watchers sync.WaitGroup
}

// closingContext is a context that ends when the store is closed.
func (s *Store) closingContext() context.Context {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closing == nil {
		s.closing, s.closeAll = context.WithCancel(context.Background())
	}
	return s.closing
}

// ErrNewerDatabase is returned when the file was written by a newer Linkwell.
var ErrNewerDatabase = errors.New("newer database")

// ErrReadOnly is returned when Linkwell cannot write to the database: Open
// refuses it (OpenReadOnly can still read it), and a read-only store
// refuses every change.
var ErrReadOnly = errors.New("the database is open read-only")

// OpenError explains why a database file could not be opened, in words a
// user can act on.
type OpenError struct {
	Path   string
	Reason string
	Err    error
}

func (e *OpenError) Error() string { return fmt.Sprintf("cannot open %s: %s", e.Path, e.Reason) }
func (e *OpenError) Unwrap() error { return e.Err }

// dsn builds the connection string of a read-write connection. busy_timeout
// comes first so that the pragmas after it wait for a busy database rather
// than fail. journalMode is WAL for the app, DELETE while a new file is built
// so that it is complete in itself when it is moved into place.
func dsn(path, journalMode string) string {
	u := FileURL(path) // file:///C:/… on Windows, see FileURL
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode("+journalMode+")")
	q.Add("_pragma", "synchronous(NORMAL)")
	// 32 MB of page cache per connection (SQLite's default is 2 MB): a
	// list page on a large register reads rows scattered over the file.
	q.Add("_pragma", "cache_size(-32000)")
	q.Set("_txlock", "immediate")
	// url.Values.Encode sorts keys; _pragma order among themselves is kept,
	// and the driver runs busy_timeout first whatever the order.
	return u.String() + "?" + q.Encode()
}

// readDSN builds the connection string of a read-only connection that makes
// no file beside the database. SQLite makes -wal and -shm files even for a
// read-only connection to a WAL database, and leaves them behind; when no
// -wal exists nothing is waiting in one, so the file is opened immutable,
// which reads it without them. immutable says which was chosen.
func readDSN(path string) (dsn string, immutable bool) {
	u := FileURL(path) // file:///C:/… on Windows, see FileURL
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Set("mode", "ro")
	if _, err := os.Lstat(path + "-wal"); errors.Is(err, os.ErrNotExist) {
		q.Set("immutable", "1")
		immutable = true
	}
	return u.String() + "?" + q.Encode(), immutable
}

// openRead opens a read-only handle on path; see readDSN.
func openRead(path string) (db *sql.DB, immutable bool, err error) {
	d, immutable := readDSN(path)
	db, err = sql.Open("sqlite", d)
	return db, immutable, err
}

// Open opens the database at path for the app and brings its schema up to
// date. A new database is made only where nothing exists yet. A file that is
// not Linkwell's (an empty file, another program's SQLite file, anything
// else), whose header or schema is damaged (the error wraps ErrDamaged), or
// that comes from a newer Linkwell is refused and left exactly as it was. A
// database Linkwell cannot write to is refused with ErrReadOnly;
// OpenReadOnly can still read it.
//
// Open reads only the header, the schema, the schema version and the mark,
// which takes microseconds whatever the file's size, so the window opens at
// once. Damage deeper in the file is found by CheckIntegrity, which the app
// runs in the background.
//
// A postgres:// URL opens the server edition's database instead (see
// server.go); the file checks above do not apply to it.
func Open(path string) (*Store, error) {
	if IsServerURL(path) {
		return openServer(path, false)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &OpenError{Path: path, Reason: "the path is not valid", Err: err}
	}
	if kind := networkShare(abs); kind != "" {
		// WAL keeps its shared memory on one host, so copies of the app on
		// several PCs would corrupt a shared file: refuse rather than risk it.
		return nil, &OpenError{Path: abs, Reason: networkShareReason(kind)}
	}
	found, err := inspect(abs)
	if err != nil {
		return nil, err
	}
	if found == foundNothing {
		if err := create(abs); err != nil {
			return nil, err
		}
		// Look again: another copy of Linkwell may have made it first.
		if _, err := inspect(abs); err != nil {
			return nil, err
		}
	}
	if why := CannotWrite(abs); why != "" {
		return nil, &OpenError{Path: abs, Err: ErrReadOnly, Reason: "Linkwell cannot write to it (" + why + "). " +
			"It may be on read-only media such as a CD or a write-protected USB stick, or you may not have permission. " +
			"Copy it to this computer's own disk to work on it; linkwell check and linkwell backup can read it where it is."}
	}
	closeToOthers(abs)
	db, err := sql.Open("sqlite", dsn(abs, "WAL"))
	if err != nil {
		return nil, &OpenError{Path: abs, Reason: err.Error(), Err: err}
	}
	s := &Store{db: db, path: abs, now: time.Now}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, markDamage(&OpenError{Path: abs, Reason: "SQLite could not open it: " + err.Error(), Err: err})
	}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, markDamage(err)
	}
	s.removeDeadImports()
	return s, nil
}

// removeDeadImports: an import whose program died half-way left hidden
// rows that nobody sees. Finding them is quick; removing them (after a
// crash during a big import) takes seconds, in short transactions, so it
// goes on in the background and the window opens at once. If it fails they
// stay hidden, and the next open or import tries again. Close waits for it.
func (s *Store) removeDeadImports() {
	db := s.db
	if dead, err := deadBatches(context.Background(), db); err == nil && len(dead) > 0 {
		s.cleanup.Add(1)
		go func() {
			defer s.cleanup.Done()
			for _, id := range dead {
				if removeBatch(context.Background(), db, id) != nil {
					return
				}
			}
		}()
	}
}

// markDamage makes an OpenError whose cause is SQLite finding the file
// malformed wrap ErrDamaged too, so the app knows to offer a backup.
func markDamage(err error) error {
	var oe *OpenError
	if errors.As(err, &oe) && isCorrupt(oe.Err) && !errors.Is(oe.Err, ErrDamaged) {
		oe.Err = fmt.Errorf("%w: %w", ErrDamaged, oe.Err)
	}
	return err
}

// OpenReadOnly opens an existing Linkwell database for reading only: for
// `linkwell check`, backups and exports, and for a database on read-only
// media. Nothing is migrated or written, no -wal or -shm file is made beside
// it, and the file is left byte for byte as it was. A database from an
// earlier Linkwell is read as it is (Open would update it).
func OpenReadOnly(path string) (*Store, error) {
	if IsServerURL(path) {
		// The login decides what may be written on a server; the store
		// refuses every change itself, as for a file.
		return openServer(path, true)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &OpenError{Path: path, Reason: "the path is not valid", Err: err}
	}
	found, err := inspect(abs)
	if err != nil {
		return nil, err
	}
	if found == foundNothing {
		return nil, &OpenError{Path: abs, Err: os.ErrNotExist, Reason: "it does not exist; check the path"}
	}
	before, err := os.Stat(abs)
	if err != nil {
		return nil, &OpenError{Path: abs, Reason: "it cannot be read: " + err.Error(), Err: err}
	}
	db, immutable, err := openRead(abs)
	if err != nil {
		return nil, &OpenError{Path: abs, Reason: err.Error(), Err: err}
	}
	s := &Store{db: db, path: abs, now: time.Now, readOnly: true}
	if immutable {
		s.immutableFrom = before
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, &OpenError{Path: abs, Reason: "SQLite could not open it: " + err.Error(), Err: err}
	}
	return s, nil
}

// ReadOnly is true for a store from OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// changedSinceOpen is true when a database opened immutable has been
// written since (another copy of Linkwell started): what was read from it
// may mix old and new pages and must not be trusted.
func (s *Store) changedSinceOpen() bool {
	if s.immutableFrom == nil {
		return false
	}
	now, err := os.Stat(s.path)
	return err != nil || now.Size() != s.immutableFrom.Size() || !now.ModTime().Equal(s.immutableFrom.ModTime())
}

// CannotWrite says why Linkwell cannot write the database at path, or ""
// when it can. It tries rather than reading permission bits, which say
// nothing about read-only media and do not stop an administrator: the file
// must open for writing, and the folder must take a new file (SQLite keeps
// its -wal and -shm files there).
func CannotWrite(path string) string {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return "the file cannot be opened for writing: " + plainError(err)
	}
	f.Close()
	if err := tryNewFile(filepath.Dir(path)); err != nil {
		return "its folder does not accept new files: " + plainError(err)
	}
	return ""
}

// tryNewFile makes and removes a file in dir, to learn whether it can.
func tryNewFile(dir string) error {
	probe, err := os.CreateTemp(dir, ".linkwell-write-check-*")
	if err != nil {
		return err
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// plainError is an error from the file system without the path, which the
// message around it already names.
func plainError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// create makes a new, empty Linkwell database at path, where nothing exists.
// It is built under a temporary name beside path and linked into place only
// when its schema and mark are complete, so an interrupted first run never
// leaves a half-made file under the real name. If another copy of Linkwell
// made the file meanwhile, create leaves that one be.
func create(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &OpenError{Path: path, Reason: "its folder cannot be created: " + plainError(err), Err: err}
	}
	tmpDir, err := os.MkdirTemp(dir, "."+filepath.Base(path)+".new-*")
	if err != nil {
		return &OpenError{Path: path, Reason: "a new database cannot be made in its folder: " + plainError(err), Err: err}
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, filepath.Base(path))
	// Case notes are for their owner only; SQLite would make the file
	// readable by everyone, and gives its -wal and -shm the file's mode.
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return &OpenError{Path: path, Reason: "a new database cannot be made in its folder: " + plainError(err), Err: err}
	}
	f.Close()
	db, err := sql.Open("sqlite", dsn(tmp, "DELETE"))
	if err != nil {
		return &OpenError{Path: path, Reason: err.Error(), Err: err}
	}
	s := &Store{db: db, path: tmp, now: time.Now}
	err = s.migrate(context.Background())
	if closeErr := db.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = linkIntoPlace(tmp, path)
	}
	if err != nil && !errors.Is(err, errAlreadyThere) {
		// reasonOf: the reason without the temporary file's name.
		return &OpenError{Path: path, Reason: "a new database could not be made: " + reasonOf(err), Err: err}
	}
	return nil
}

// What inspect found at a path.
type found int

const (
	foundNothing     found = iota // nothing there: a new database may be made
	foundLinkwell                 // a database carrying Linkwell's mark
	foundOldLinkwell              // an earlier Linkwell's database, made before the mark
)

// inspect looks at the file at path, read-only and without leaving anything
// beside it, before anything writes to it: it must be a Linkwell database
// and not from a newer Linkwell, with a header and schema SQLite can read.
// Anything else is refused. It reads a few pages only, never the whole file.
func inspect(path string) (found, error) {
	refuse := func(reason string) (found, error) {
		return foundNothing, &OpenError{Path: path, Reason: reason}
	}
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return foundNothing, nil
	}
	if err != nil {
		return foundNothing, &OpenError{Path: path, Reason: "it cannot be read: " + plainError(err), Err: err}
	}
	if info.IsDir() {
		return refuse("it is a folder, not a Linkwell database.")
	}
	if info.Size() == 0 {
		return refuse("it is an empty file, not a Linkwell database. Choose another file, or restore a backup. (A new database is made only where no file exists yet.)")
	}
	head, err := readHeader(path)
	if err != nil {
		return foundNothing, &OpenError{Path: path, Reason: "it cannot be read: " + plainError(err), Err: err}
	}
	if head == nil {
		return refuse("it is not a Linkwell database (not an SQLite file). Choose another file, or restore a backup.")
	}
	if head.applicationID != ApplicationID && head.applicationID != 0 {
		return refuse(fmt.Sprintf("it is not a Linkwell database (an SQLite file belonging to another program, application id %#x). Choose another file, or restore a backup.", head.applicationID))
	}

	damaged := func(err error) (found, error) {
		return foundNothing, markDamage(&OpenError{Path: path, Reason: "it is damaged and cannot be read (" + err.Error() + "). Restore a backup.", Err: err})
	}
	db, _, err := openRead(path)
	if err != nil {
		return foundNothing, &OpenError{Path: path, Reason: err.Error(), Err: err}
	}
	defer db.Close()
	var version, tables int
	var id uint32
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return damaged(err)
	}
	if err := db.QueryRow("PRAGMA application_id").Scan(&id); err != nil {
		return damaged(err)
	}
	// Reading the schema's few pages (SQLite parses them all to run any
	// query) finds a damaged schema now; without it every screen would fail.
	if err := db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return damaged(err)
	}
	kind := foundLinkwell
	if id != ApplicationID {
		old, err := isOldLinkwell(db, version)
		if err != nil {
			return damaged(err)
		}
		if !old {
			return refuse("it is not a Linkwell database (an SQLite file without Linkwell's tables). Choose another file, or restore a backup.")
		}
		kind = foundOldLinkwell
	}
	if version > SchemaVersion() {
		return foundNothing, &OpenError{Path: path, Err: ErrNewerDatabase, Reason: fmt.Sprintf(
			"it was written by a newer version of Linkwell (schema %d; this version knows up to %d). Install the newer Linkwell; the file has not been changed.",
			version, SchemaVersion())}
	}
	return kind, nil
}

func migrationNames() []string { return sqlFiles(migrationFiles, "migrations") }

// sqlFiles are the names of the .sql files in dir of files, in order: a
// migration's number is its place in that order, on both engines.
func sqlFiles(files embed.FS, dir string) []string {
	entries, _ := files.ReadDir(dir)
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
			if err := s.stampMark(ctx); err != nil {
				return err
			}
			return s.sealOnOpen(ctx)
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
			// The mark goes in with the first write, so no file is ever
			// Linkwell's without it.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID)); err != nil {
				return err
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
func (s *Store) Close() error {
	s.closingContext()
	s.closeAll()
	s.watchers.Wait()
	s.cleanup.Wait()
	engines.Delete(s.db)
	return s.db.Close()
}

// Path is the absolute path of the database file, or the server's URL
// without its password.
func (s *Store) Path() string { return s.path }

// SetClock replaces the store's clock (tests, demo data).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// write runs fn in one immediate write transaction (the DSN sets
// _txlock=immediate), so two copies of the app never interleave writes.
// A busy database is retried, then reported as ErrBusy (see writeTx in
// busy.go), so fn may run more than once.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return writeTx(ctx, s.db, fn)
}

// stamp is the store's clock as a stored instant.
func (s *Store) stamp() string { return s.now().UTC().Format(TimeLayout) }

// TimeLayout is how instants are stored: UTC, sortable as text.
const TimeLayout = "2006-01-02T15:04:05Z"

// DateLayout is how dates are stored (and typed on the command line).
const DateLayout = "2006-01-02"

// auditInsert is how audit writes an event (the demo generator writes the
// same columns with the seal at once: demo_audit.go).
const auditInsert = `INSERT INTO audit_events (at, user_id, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)`

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
