package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The server edition: the same store on PostgreSQL, for practices whose
// desks share one database over the network. Open takes a postgres:// URL
// where it takes a path; every method then works as on SQLite (see
// postgres_driver.go for how the same SQL runs on both).

// engine is the database a store speaks to.
type engine int

const (
	engineSQLite engine = iota
	enginePostgres
)

//go:embed migrations/postgres/*.sql
var postgresMigrationFiles embed.FS

// IsServerURL reports whether db names a PostgreSQL server rather than a
// file: postgres://… or postgresql://….
func IsServerURL(db string) bool {
	lower := strings.ToLower(db)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// RedactURL is a server URL fit to show or log: the password, in the URL
// or its query, is replaced by xxxxx. Anything that is not a server URL
// is returned as it is.
func RedactURL(db string) string {
	if !IsServerURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://(a URL that cannot be read)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// IsServer is true for a store on a PostgreSQL server (the server edition).
func (s *Store) IsServer() bool { return s.engine == enginePostgres }

// errServerBackups: a desk does not back a server database up by itself,
// which would leave a copy of the whole practice on every desk's disk. The
// server is backed up with pg_dump on the server or `linkwell backup`
// (README: Several PCs).
var errServerBackups = errors.New("a server database is backed up on the server (pg_dump) or with linkwell backup, not automatically by each desk")

// pgSchemaTable holds the mark and the schema version of a Linkwell
// database on PostgreSQL: what PRAGMA application_id and user_version hold
// on SQLite.
const pgSchemaTable = "linkwell_schema"

func postgresMigrationNames() []string {
	return sqlFiles(postgresMigrationFiles, "migrations/postgres")
}

// ErrNoSchema is returned when a PostgreSQL database has no Linkwell schema
// yet: `linkwell server init` makes it.
var ErrNoSchema = errors.New("no Linkwell schema")

// serverVersion reads the schema version and mark of the database on the
// server. An empty database has version 0; one with other tables but not
// Linkwell's is refused.
func serverVersion(ctx context.Context, q queryer, shown string) (int, error) {
	var hasSchema bool
	if err := q.QueryRowContext(ctx, `SELECT to_regclass('`+pgSchemaTable+`') IS NOT NULL`).Scan(&hasSchema); err != nil {
		return 0, &OpenError{Path: shown, Reason: "the server could not be asked: " + err.Error(), Err: err}
	}
	if !hasSchema {
		var tables int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables); err != nil {
			return 0, &OpenError{Path: shown, Reason: "the server could not be asked: " + err.Error(), Err: err}
		}
		if tables > 0 {
			return 0, &OpenError{Path: shown, Reason: "that database holds another program's tables, not Linkwell's. Create an empty database for Linkwell (README: Several PCs)."}
		}
		return 0, nil
	}
	var id int64
	var version int
	if err := q.QueryRowContext(ctx, `SELECT application_id, version FROM `+pgSchemaTable+` WHERE id = 1`).Scan(&id, &version); err != nil {
		return 0, &OpenError{Path: shown, Reason: "its schema version cannot be read: " + err.Error(), Err: err}
	}
	if id != int64(ApplicationID) {
		return 0, &OpenError{Path: shown, Reason: "that database is not Linkwell's (its mark is wrong)."}
	}
	return version, nil
}

// openServer opens the Linkwell database on the PostgreSQL server at
// dbURL. It changes no schema: the login the desks use may not (README:
// Several PCs), so an empty or older database is refused with the command
// that makes or updates it, and a newer one with ErrNewerDatabase.
func openServer(dbURL string, readOnly bool) (*Store, error) {
	shown := RedactURL(dbURL)
	db, err := openPostgres(dbURL)
	if err != nil {
		return nil, &OpenError{Path: shown, Reason: "the server address cannot be read: " + redactErr(err, dbURL), Err: err}
	}
	s := &Store{db: db, path: shown, serverURL: dbURL, now: time.Now, engine: enginePostgres, readOnly: readOnly}
	engines.Store(db, enginePostgres)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, &OpenError{Path: shown, Reason: "the server cannot be reached: " + redactErr(err, dbURL), Err: err}
	}
	version, err := serverVersion(ctx, db, shown)
	if err == nil {
		err = checkServerVersion(version, shown)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if readOnly {
		return s, nil // read as it is: `linkwell check` must see an unsealed event
	}
	if err := s.sealOnOpen(ctx); err != nil {
		db.Close()
		return nil, err
	}
	s.removeDeadImports()
	return s, nil
}

func checkServerVersion(version int, shown string) error {
	switch {
	case version == 0:
		return &OpenError{Path: shown, Err: ErrNoSchema, Reason: "the database has no Linkwell schema yet. Make it once with: linkwell server init --db " + shown}
	case version > SchemaVersion():
		return &OpenError{Path: shown, Err: ErrNewerDatabase, Reason: fmt.Sprintf(
			"it was written by a newer version of Linkwell (schema %d; this version knows up to %d). Install the newer Linkwell on this PC; nothing has been changed.",
			version, SchemaVersion())}
	case version < SchemaVersion():
		return &OpenError{Path: shown, Reason: fmt.Sprintf(
			"its schema is from an earlier Linkwell (%d; this version needs %d). Update it once with: linkwell server init --db %s", version, SchemaVersion(), shown)}
	}
	return nil
}

// InitServer makes or updates Linkwell's schema in the PostgreSQL database
// at dbURL: an empty database gets every migration, an earlier Linkwell's
// the ones it lacks. It needs a login that may create tables (the
// database's owner); the desks then use one that may not. An update gives
// the desks' login the same rights on a new table as on referrals
// (keepDeskRights). It returns the schema version before and after.
func InitServer(ctx context.Context, dbURL string) (before, after int, err error) {
	return initServerTo(ctx, dbURL, len(postgresMigrationNames()))
}

// initServerTo is InitServer up to schema version upTo (a test makes an
// earlier Linkwell's schema with it).
func initServerTo(ctx context.Context, dbURL string, upTo int) (before, after int, err error) {
	shown := RedactURL(dbURL)
	db, err := openPostgres(dbURL)
	if err != nil {
		return 0, 0, &OpenError{Path: shown, Reason: "the server address cannot be read: " + redactErr(err, dbURL), Err: err}
	}
	defer db.Close()
	s := &Store{db: db, path: shown, now: time.Now, engine: enginePostgres}
	before = -1
	names := postgresMigrationNames()[:upTo]
	for {
		var version int
		var applied bool
		err := s.write(ctx, func(tx *sql.Tx) error {
			// Under the write lock: two inits, or an init and a desk, take
			// turns.
			v, err := serverVersion(ctx, tx, shown)
			if err != nil {
				return err
			}
			version, applied = v, false
			if v > len(names) {
				return checkServerVersion(v, shown)
			}
			if v == len(names) {
				return nil
			}
			if v == 0 {
				// Text must sort as on SQLite, by code point, or lists and
				// searches would differ between the engines.
				var collate string
				if err := tx.QueryRowContext(ctx, `SELECT datcollate FROM pg_database WHERE datname = current_database()`).Scan(&collate); err != nil {
					return err
				}
				switch strings.ToLower(collate) {
				case "c", "posix", "c.utf-8", "c.utf8":
				default:
					return &OpenError{Path: shown, Reason: "the database sorts text by the " + collate +
						" locale; Linkwell needs code-point order. Create it with: CREATE DATABASE … TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' (README: Several PCs)"}
				}
				if _, err := tx.ExecContext(ctx, `CREATE TABLE `+pgSchemaTable+` (
					id              integer PRIMARY KEY CHECK (id = 1),
					application_id  bigint  NOT NULL,
					version         integer NOT NULL)`); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO `+pgSchemaTable+` (id, application_id, version) VALUES (1, ?, 0)`, int64(ApplicationID)); err != nil {
					return err
				}
			}
			body, err := postgresMigrationFiles.ReadFile("migrations/postgres/" + names[v])
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", names[v], err)
			}
			if err := keepDeskRights(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: the desks' rights: %w", names[v], err)
			}
			applied = true
			_, err = tx.ExecContext(ctx, `UPDATE `+pgSchemaTable+` SET version = ? WHERE id = 1`, v+1)
			return err
		})
		if before < 0 {
			before = version
		}
		if err != nil {
			var oe *OpenError
			if errors.As(err, &oe) {
				return before, version, err
			}
			return before, version, &OpenError{Path: shown, Reason: "its schema could not be made: " + err.Error(), Err: err}
		}
		if !applied {
			return before, version, nil
		}
	}
}

// keepDeskRights gives each login that may read referrals, other than the
// one updating the schema, the rights it has on referrals on every table
// and view it has none on: those a migration made (a new table, or one
// made afresh). The triggers a desk's save fires write such tables as the
// desk, so without this every new referral failed after an update until
// the README's GRANT was run again.
func keepDeskRights(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT grantee, string_agg(privilege_type, ', ' ORDER BY privilege_type)
		FROM information_schema.role_table_grants
		WHERE table_schema = current_schema() AND table_name = 'referrals' AND grantee NOT IN (current_user, 'PUBLIC')
			AND privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')
		GROUP BY grantee`)
	if err != nil {
		return err
	}
	rights := map[string]string{}
	for rows.Next() {
		var grantee, privileges string
		if err := rows.Scan(&grantee, &privileges); err != nil {
			rows.Close()
			return err
		}
		rights[grantee] = privileges
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	quote := func(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
	for grantee, privileges := range rights {
		rows, err := tx.QueryContext(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p')
				AND NOT has_table_privilege(?, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
			ORDER BY c.relname`, grantee)
		if err != nil {
			return err
		}
		var tables []string
		for rows.Next() {
			var table string
			if err := rows.Scan(&table); err != nil {
				rows.Close()
				return err
			}
			tables = append(tables, table)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, table := range tables {
			if _, err := tx.ExecContext(ctx, `GRANT `+privileges+` ON `+quote(table)+` TO `+quote(grantee)); err != nil {
				return err
			}
		}
	}
	return nil
}

// redactErr is err's message with dbURL's password taken out: a driver may
// repeat the address it was given.
func redactErr(err error, dbURL string) string {
	var gone *serverGoneError
	if errors.As(err, &gone) {
		// Opening the store, the driver's words (which host, refused or
		// timed out) are what practice IT needs.
		err = gone.cause
	}
	msg := err.Error()
	if u, perr := url.Parse(dbURL); perr == nil {
		if pw, has := u.User.Password(); has && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
		if pw := u.Query().Get("password"); pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// engines remembers which engine each open handle (*sql.DB, or a *sql.Conn
// the store holds) and each running write transaction speaks to, so that a helper given only a *sql.DB or *sql.Tx
// (audit, the seal) can choose its engine's statement (engineOf).
var engines sync.Map

// engineOf is the engine q speaks to: a store's *sql.DB, a *sql.Conn it
// registered, or a *sql.Tx that writeTx began on one. Anything else is
// SQLite's.
func engineOf(q any) engine {
	if e, ok := engines.Load(q); ok {
		return e.(engine)
	}
	return engineSQLite
}
