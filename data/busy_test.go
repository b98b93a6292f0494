package data

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"
)

// impatientStore is a second desk on s's file that waits only 100 ms for
// the write lock and retries for retryFor, so a test need not sit out the
// real 10 s busy_timeout.
func impatientStore(t *testing.T, s *Store, retryFor time.Duration) *Store {
	t.Helper()
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	other.SetClock(s.now)
	other.db.SetMaxOpenConns(1) // so the setting below holds for every call
	wait := `PRAGMA busy_timeout = 100`
	if testEngine == enginePostgres {
		wait = `SET lock_timeout = '100ms'` // for the write lock (pgLockTimeout)
	}
	if _, err := other.db.Exec(wait); err != nil {
		t.Fatal(err)
	}
	old := busyRetryFor
	busyRetryFor = retryFor
	t.Cleanup(func() { busyRetryFor = old })
	return other
}

// holdWriteLock starts a write transaction on s, as a long import on
// another desk would, and returns its rollback.
func holdWriteLock(t *testing.T, s *Store) func() {
	t.Helper()
	tx, err := s.db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO settings (key, value) VALUES ('held', 'yes')`); err != nil {
		t.Fatal(err)
	}
	return func() { tx.Rollback() }
}

var busyPatient = Patient{GivenName: "Ada", FamilyName: "Lovelace", DateOfBirth: "10/12/1955", Phone: "07700 900001"}

func TestBusyDatabaseIsErrBusyNotRaw(t *testing.T) {
	sqliteOnly(t)
	s := newStore(t)
	setUpPractice(t, s)
	desk := impatientStore(t, s, 300*time.Millisecond)
	sess := desk.sessionFor(OpEditPatient)
	release := holdWriteLock(t, s)
	start := time.Now()
	_, err := desk.SavePatient(context.Background(), sess, busyPatient, SaveOptions{})
	release()
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("want ErrBusy, got %v", err)
	}
	if msg := err.Error(); strings.Contains(msg, "SQLITE") || strings.Contains(msg, "locked") || !strings.Contains(msg, "nothing was changed") {
		t.Errorf("message %q", msg)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond || waited > 2*time.Second {
		t.Errorf("gave up after %v, want busy_timeout and retries, about 300 ms", waited)
	}
	if p, err := desk.SavePatient(context.Background(), sess, busyPatient, SaveOptions{}); err != nil || p.ID == 0 {
		t.Errorf("once free: %+v %v", p, err)
	}
}

// A lock held for longer than busy_timeout but less than the retries is
// waited out: the write goes through.
func TestBusyDatabaseIsRetried(t *testing.T) {
	sqliteOnly(t)
	s := newStore(t)
	setUpPractice(t, s)
	desk := impatientStore(t, s, 3*time.Second)
	sess := desk.sessionFor(OpEditPatient)
	release := holdWriteLock(t, s)
	time.AfterFunc(500*time.Millisecond, release)
	p, err := desk.SavePatient(context.Background(), sess, busyPatient, SaveOptions{})
	if err != nil || p.ID == 0 || p.Version != 1 {
		t.Fatalf("%+v %v", p, err)
	}
}

// BUSY from a statement or the COMMIT rolls back and runs the whole
// transaction again.
func TestBusyMidTransactionRunsAgain(t *testing.T) {
	sqliteOnly(t)
	s := newStore(t)
	setUpPractice(t, s)
	desk := impatientStore(t, s, 3*time.Second)
	// A real SQLITE_BUSY error, to hand back from inside a transaction.
	release := holdWriteLock(t, s)
	busyErr := writeOnce(context.Background(), desk.db, func(tx *sql.Tx) error { return nil })
	release()
	if !isBusy(busyErr) {
		t.Fatalf("want SQLITE_BUSY, got %v", busyErr)
	}
	runs := 0
	err := desk.write(context.Background(), func(tx *sql.Tx) error {
		runs++
		if _, err := tx.Exec(`INSERT INTO settings (key, value) VALUES ('once', 'x')`); err != nil {
			return err // a second insert would fail unless the first was rolled back
		}
		if runs == 1 {
			return busyErr
		}
		return nil
	})
	if err != nil || runs != 2 {
		t.Errorf("runs %d, %v", runs, err)
	}
	if v, _ := s.Setting(context.Background(), "once"); v != "x" {
		t.Errorf("setting %q", v)
	}
}
