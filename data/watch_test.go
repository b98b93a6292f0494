package data

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
)

// secondDesk opens the database s is on again, as another desk would.
func secondDesk(t *testing.T, s *Store) *Store {
	t.Helper()
	where := s.path
	if s.engine == enginePostgres {
		where = s.serverURL
	}
	other, err := Open(where)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// waitChange waits up to within for a report that ok accepts.
func waitChange(t *testing.T, ch <-chan Change, within time.Duration, what string, ok func(Change) bool) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case c, open := <-ch:
			if !open {
				t.Fatalf("watch ended before %s", what)
			}
			if ok(c) {
				return
			}
		case <-deadline:
			t.Fatalf("no %s within %v", what, within)
		}
	}
}

// A change made by another desk reaches this desk's watcher within a
// second; a read there (an audited search) does not.
func TestWatchSeesAnotherDesk(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	other := secondDesk(t, s)
	reader := other.sessionFor(OpViewPatient)
	other.sessionFor(OpEditPatient) // made now: a new user is a change
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := s.Watch(ctx)
	time.Sleep(100 * time.Millisecond) // the listener connects

	if _, err := other.SearchPatients(ctx, reader, "Lovelace", 10); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-ch:
		t.Fatalf("a search was reported as a change: %+v", c)
	case <-time.After(2 * watchEvery):
	}

	start := time.Now()
	addPatient(t, other, admin, 1)
	waitChange(t, ch, time.Second, "patient change", func(c Change) bool { return c.Has("patient") })
	t.Logf("seen after %v", time.Since(start))

	cancel()
	for range ch { // closed once ctx ends
	}
}

// Closing the store ends its watchers, and Close waits for them: none
// keeps a connection of its own to the database after it (a test's folder
// could not be removed while one did).
func TestCloseEndsTheWatchers(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ch := s.Watch(context.Background()) // never cancelled
	time.Sleep(2 * watchEvery)          // the watcher is running
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case _, open := <-ch:
			if !open {
				return
			}
		default:
			t.Fatal("the watcher was still running when Close returned")
		}
	}
}

// The listener's connection killed on the server (as by a restart) is
// reported lost, then restored, and changes still arrive after.
func TestWatchReconnects(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("the SQLite watcher has no connection to lose")
	}
	s := newStore(t)
	admin := setUpPractice(t, s)
	other := secondDesk(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := s.Watch(ctx)
	time.Sleep(200 * time.Millisecond)

	if _, err := s.db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'linkwell watch' AND datname = current_database()`); err != nil {
		t.Fatal(err)
	}
	waitChange(t, ch, 5*time.Second, "lost", func(c Change) bool { return c.Lost })
	waitChange(t, ch, 5*time.Second, "restored", func(c Change) bool { return c.Restored })
	addPatient(t, other, admin, 2)
	waitChange(t, ch, time.Second, "patient change after reconnecting", func(c Change) bool { return c.Has("patient") })
}

// A write whose server connection is gone says plainly that nothing was
// saved, not pgx's words.
func TestWriteWithServerGoneIsPlain(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("a file has no server to lose")
	}
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	engines.Store(conn, enginePostgres)
	defer engines.Delete(conn)
	var pid int64
	if err := conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`SELECT pg_terminate_backend(?)`, pid); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	err = writeTx(ctx, conn, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('gone', 'yes')`)
		return err
	})
	if !errors.Is(err, ErrServerGone) {
		t.Fatalf("want ErrServerGone, got %v", err)
	}
	if err.Error() != ErrServerGone.Error() {
		t.Errorf("message %q: want only the plain words", err)
	}
	if errors.Is(err, ErrServerGoneAtSave) {
		t.Errorf("nothing reached COMMIT, yet it says it may have been saved: %v", err)
	}
}
