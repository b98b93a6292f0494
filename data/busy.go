package data

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrBusy is what a write returns when another desk held the database for
// too long: SQLite's "database is locked (5) (SQLITE_BUSY)" is never shown.
// The transaction was rolled back.
var ErrBusy = errors.New("the database is busy with another desk's work, so nothing was changed; try again in a moment")

// busyRetryFor is how long a write transaction that hit a busy database is
// tried again, from the start, before ErrBusy. BEGIN IMMEDIATE already
// waits busy_timeout (10 s) for the write lock; this covers BUSY returned
// later, by a statement or the COMMIT. A variable so tests can shorten it.
var busyRetryFor = 3 * time.Second

// isBusy reports SQLite's SQLITE_BUSY and SQLITE_LOCKED, with any extended
// code (SQLITE_BUSY_SNAPSHOT, …).
// PostgreSQL's serialization failures, deadlocks and lock time-outs are
// the same kind of thing (see isPgBusy).
func isBusy(err error) bool {
	if isPgBusy(err) {
		return true
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff // the primary code; extended codes add bits above
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// txStarter is a *sql.DB or a *sql.Conn (an import writes on the
// connection that holds its TEMP table).
type txStarter interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// writeTx runs fn in one write transaction on db (BEGIN IMMEDIATE: the DSN
// sets _txlock=immediate). If SQLite says the database is busy, the whole
// transaction is rolled back and run again, with a short pause, for up to
// busyRetryFor; then the error is ErrBusy. So fn may run more than once:
// it must set, not add to, anything it hands back.
func writeTx(ctx context.Context, db txStarter, fn func(tx *sql.Tx) error) error {
	start, pause := time.Now(), 50*time.Millisecond
	for {
		err := writeOnce(ctx, db, fn)
		if !isBusy(err) {
			return err
		}
		if time.Since(start)+pause > busyRetryFor {
			return ErrBusy
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 500*time.Millisecond)
	}
}

func writeOnce(ctx context.Context, db txStarter, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		if engineOf(db) == enginePostgres && isConnLost(err) {
			return &serverGoneError{ErrServerGone, err}
		}
		return err
	}
	if e := engineOf(db); e != engineSQLite {
		// Let helpers that see only tx know the engine (engineOf).
		engines.Store(tx, e)
		defer engines.Delete(tx)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return serverGone(tx, err, ErrServerGone)
	}
	return serverGone(tx, tx.Commit(), ErrServerGoneAtSave)
}

// serverGone makes a lost server connection a plain error that says
// whether anything was saved (see ErrServerGone); other errors pass as
// they are. A connection that failed at COMMIT leaves it unknown.
func serverGone(tx *sql.Tx, err, gone error) error {
	if err == nil || engineOf(tx) != enginePostgres || !isConnLost(err) || isBusy(err) {
		return err
	}
	return &serverGoneError{gone, err}
}
