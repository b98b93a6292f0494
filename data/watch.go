package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// Live screens (issue 14): when another desk books, moves, cancels or
// marks an appointment, changes a referral or adds a patient, the open
// screens show it within a second.
//
// The audit log is the feed. Every change the store makes writes an audit
// event in its own transaction, so "what changed since I last looked" is
// the audit events after the last one seen. What wakes the watcher to
// look differs by engine:
//
//   - PostgreSQL: audit() sends NOTIFY on changeChannel inside the write
//     transaction (PostgreSQL delivers it on commit, and not at all on a
//     rollback), and the watcher LISTENs on a connection of its own.
//   - SQLite: the watcher asks PRAGMA data_version on a connection of its
//     own every watchEvery. The pragma reads no table; its number changes
//     only when another connection has committed, and only then are the
//     new audit events read.
//
// Reads are audited too (a case record opened, a search); they change
// nothing on screen and are left out, or two desks showing case records
// would wake each other for ever: each refresh is itself an audited read.
// The store's own writes come back as changes too. That is harmless (the
// screen that saved has refreshed already, and refreshes once more), and
// it keeps two copies signed in as the same user on one terminal server
// live, which a filter by user would not.

// changeChannel is the PostgreSQL NOTIFY channel of Linkwell's changes.
const changeChannel = "linkwell_changes"

// watchEvery is how often the SQLite watcher asks PRAGMA data_version:
// well within the second a change may take to show.
var watchEvery = 300 * time.Millisecond

// readActions are the audited reads and sign-ins: they change nothing a
// screen shows.
var readActions = map[string]bool{
	"view": true, "search": true, "export": true, "print": true, "subject_access": true,
	"sign_in": true, "sign_in_failed": true, "sign_out": true, "screen_lock": true, "screen_unlock": true,
}

// notifyChange tells the PostgreSQL desks that tx changes something (sent
// on commit); on SQLite data_version does it by itself.
func notifyChange(ctx context.Context, tx *sql.Tx, action string) error {
	if readActions[action] || engineOf(tx) != enginePostgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_notify('`+changeChannel+`', '')`)
	return err
}

// Change is one report from Watch: records another desk (or this one)
// changed, or the server connection going or coming back.
type Change struct {
	// Entities are the kinds of record changed, as the audit names them:
	// "appointment", "referral", "patient", "contact", "goal", …
	Entities []string
	// Lost: the connection to the server has gone and the watcher is
	// retrying. Restored: it is back; what changed meanwhile follows as
	// a change, but a screen should read itself again anyway (what it
	// tried to read while the server was away failed).
	Lost, Restored bool
}

// Has reports whether c includes a change to entity.
func (c Change) Has(entity string) bool {
	for _, e := range c.Entities {
		if e == entity {
			return true
		}
	}
	return false
}

// Watch reports changes to the database until ctx ends or the store is
// closed, when the channel is closed. A reader that is slow does not hold
// the watcher up: a report it has not taken yet is merged with the next.
func (s *Store) Watch(ctx context.Context) <-chan Change {
	out := make(chan Change, 1)
	ctx, cancel := context.WithCancel(ctx)
	unhook := context.AfterFunc(s.closingContext(), cancel)
	s.watchers.Add(1)
	go func() {
		defer s.watchers.Done()
		defer unhook()
		defer cancel()
		defer close(out)
		w := &watcher{s: s, out: out}
		w.last = s.lastAuditID(ctx)
		if s.engine == enginePostgres {
			w.server(ctx)
		} else {
			w.file(ctx)
		}
	}()
	return out
}

type watcher struct {
	s    *Store
	out  chan Change
	last int64 // the last audit event looked at; -1 not known yet
}

// send hands c over, merged with a report not yet taken, so a slow reader
// never blocks the watcher and never misses a lost or restored.
func (w *watcher) send(c Change) {
	for {
		select {
		case w.out <- c:
			return
		case old := <-w.out:
			seen := map[string]bool{}
			var merged []string
			for _, e := range append(old.Entities, c.Entities...) {
				if !seen[e] {
					seen[e] = true
					merged = append(merged, e)
				}
			}
			// The later state wins: lost then restored is restored.
			lost, restored := old.Lost || c.Lost, old.Restored || c.Restored
			if c.Lost {
				restored = false
			} else if c.Restored {
				lost = false
			}
			c = Change{Entities: merged, Lost: lost, Restored: restored}
		}
	}
}

// lastAuditID is the newest audit event's id, or -1 when it cannot be read
// (the server away): changes then starts from the newest when it can.
func (s *Store) lastAuditID(ctx context.Context) int64 {
	var id int64
	if s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_events`).Scan(&id) != nil {
		return -1
	}
	return id
}

// changes reads the audit events after the last seen and reports the kinds
// of record they changed (reads left out). It says whether it could read.
func (w *watcher) changes(ctx context.Context) bool {
	if w.last < 0 {
		// Not known from where: start from now rather than read the
		// whole audit log. A screen reads itself again on Restored.
		w.last = w.s.lastAuditID(ctx)
		return w.last >= 0
	}
	rows, err := w.s.db.QueryContext(ctx, `SELECT id, action, entity FROM audit_events WHERE id > ? ORDER BY id`, w.last)
	if err != nil {
		return false
	}
	defer rows.Close()
	seen := map[string]bool{}
	var c Change
	for rows.Next() {
		var id int64
		var action, entity string
		if rows.Scan(&id, &action, &entity) != nil {
			return false
		}
		w.last = id
		if !readActions[action] && !seen[entity] {
			seen[entity] = true
			c.Entities = append(c.Entities, entity)
		}
	}
	if rows.Err() != nil {
		return false
	}
	if len(c.Entities) > 0 {
		w.send(c)
	}
	return true
}

// file watches a SQLite database: PRAGMA data_version on a connection of
// the watcher's own (the store's pool would answer for whichever
// connection it lent).
func (w *watcher) file(ctx context.Context) {
	db, err := sql.Open("sqlite", dsn(w.s.path, "WAL"))
	if err != nil {
		return
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	// Prepared once: compiling the pragma each time would cost more than
	// running it, and this runs all day.
	ask, err := conn.PrepareContext(ctx, `PRAGMA data_version`)
	if err != nil {
		return
	}
	defer ask.Close()
	version := func() int64 {
		var v int64
		if ask.QueryRowContext(ctx).Scan(&v) != nil {
			return -1
		}
		return v
	}
	was := version()
	tick := time.NewTicker(watchEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if v := version(); v != was && v != -1 {
			if w.changes(ctx) {
				was = v
			}
		}
	}
}

// server watches a PostgreSQL database: LISTEN on a connection of its own,
// opened again with a growing pause while the server is away.
func (w *watcher) server(ctx context.Context) {
	cfg, err := pgx.ParseConfig(w.s.serverURL)
	if err != nil {
		return
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "linkwell watch"
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = pgConnectTimeout
	}
	// A wait that times out (to ping, below) is a deadline on the socket,
	// not a cancel request to the server, so the connection stays usable.
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	lost, pause := false, 250*time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, `LISTEN `+changeChannel); err != nil {
				conn.Close(context.Background())
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !lost {
				lost = true
				w.send(Change{Lost: true})
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, 5*time.Second)
			continue
		}
		pause = 250 * time.Millisecond
		if lost {
			lost = false
			w.send(Change{Restored: true})
		}
		// Whatever was committed while not listening (or before the
		// first LISTEN) is read now.
		w.changes(ctx)
		w.listen(ctx, conn)
		conn.Close(context.Background())
		if ctx.Err() != nil {
			return
		}
		lost = true
		w.send(Change{Lost: true})
	}
}

// listenPing is how long the listener waits for a notification before it
// pings the server: a network that went away silently is found within it.
var listenPing = 15 * time.Second

// listen reports changes until the connection fails or ctx ends.
func (w *watcher) listen(ctx context.Context, conn *pgx.Conn) {
	for {
		wait, cancel := context.WithTimeout(ctx, listenPing)
		_, err := conn.WaitForNotification(wait)
		timedOut := wait.Err() != nil && ctx.Err() == nil
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			if !w.changes(ctx) {
				return
			}
		case timedOut && !conn.IsClosed():
			ping, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := conn.Ping(ping)
			cancel()
			if err != nil {
				return
			}
		default:
			return
		}
	}
}

// ErrServerGone is what a write returns when the connection to the server
// failed before anything was committed: nothing was saved.
var ErrServerGone = errors.New("lost connection to the server, so this was not saved; what you typed is still here — try again when the connection is back")

// ErrServerGoneAtSave is what a write returns when the connection failed
// while the server was committing it: it may or may not have been saved.
// It wraps ErrServerGone.
var ErrServerGoneAtSave error = goneAtSave{}

type goneAtSave struct{}

// ErrServerUnreachable is what any call returns when no connection to the
// server can be made (it is restarting, or the network is down): nothing
// was read or saved. It wraps ErrServerGone, so a save that meets it says
// plainly that it was not saved.
var ErrServerUnreachable error = unreachable{}

type unreachable struct{}

func (unreachable) Error() string {
	return "cannot reach the server just now, so nothing was saved or changed; what you typed is still here — try again in a moment"
}
func (unreachable) Is(target error) bool { return target == ErrServerGone }

func (goneAtSave) Error() string {
	return "lost connection to the server while saving, so Linkwell cannot tell whether this was saved; what you typed is still here — look again when the connection is back before you save it again"
}
func (goneAtSave) Is(target error) bool { return target == ErrServerGone }

// serverGoneError is ErrServerGone or ErrServerGoneAtSave in plain words,
// with the driver's error kept for errors.Is and As but not shown.
type serverGoneError struct{ plain, cause error }

func (e *serverGoneError) Error() string   { return e.plain.Error() }
func (e *serverGoneError) Unwrap() []error { return []error{e.plain, e.cause} }

// isConnLost reports a server connection that failed: closed, refused,
// reset or timed out, or the server shutting down (57P01, 57P02, 57P03).
func isConnLost(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.As(err, &ne) || errors.As(err, &ce) || pgconn.SafeToRetry(err)
}
