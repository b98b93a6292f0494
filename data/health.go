package data

import (
	"context"
	"database/sql"
	"errors"
)

// Health is what `linkwell check` reports.
type Health struct {
	SchemaVersion int
	Marked        bool   // carries Linkwell's mark (false: made by an earlier Linkwell, marked when the app next opens it)
	Integrity     string // "ok" or SQLite's first complaint
	Counts        []TableCount
	Audit         AuditCheck // the audit's hash chain and triggers (Check only)
}

// TableCount is the number of rows in one table.
type TableCount struct {
	Table string
	Rows  int
}

// countedTables are the tables `check` counts, in the order it prints them.
var countedTables = []string{"users", "patients", "referrals", "appointments", "services", "prescriptions",
	"contacts", "goals", "wellbeing_measures", "audit_events"}

// Check runs SQLite's full integrity and foreign-key checks, counts rows
// and verifies the audit (VerifyAudit).
func (s *Store) Check(ctx context.Context) (Health, error) {
	h, err := s.health(ctx, true)
	if err == nil {
		h.Audit, err = s.VerifyAudit(ctx)
	}
	if err == nil && s.changedSinceOpen() {
		err = errors.New("the database was changed while it was checked (Linkwell started writing to it); run the check again")
	}
	return h, err
}

// health reads the schema version and the mark, runs SQLite's full
// integrity check (and the foreign-key check when asked) and counts rows.
func (s *Store) health(ctx context.Context, foreignKeys bool) (Health, error) {
	h := Health{}
	if s.engine == enginePostgres {
		// The server keeps its own files whole (its write-ahead log) and
		// enforces every foreign key, always; what is Linkwell's to check is
		// the mark, the schema version and the rows.
		version, err := serverVersion(ctx, s.db, s.path)
		if err != nil {
			return h, err
		}
		h.SchemaVersion, h.Marked, h.Integrity = version, true, "ok"
		h.Counts, err = countRows(ctx, s.db)
		return h, err
	}
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&h.SchemaVersion); err != nil {
		return h, err
	}
	marked, err := s.marked(ctx)
	if err != nil {
		return h, err
	}
	h.Marked = marked
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&h.Integrity); err != nil {
		return h, err
	}
	if h.Integrity == "ok" && foreignKeys {
		rows, err := s.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
		if err != nil {
			return h, err
		}
		if rows.Next() {
			h.Integrity = "a record points at another that does not exist (foreign key check failed)"
		}
		rows.Close()
	}
	h.Counts, err = countRows(ctx, s.db)
	return h, err
}

// countRows counts the rows of countedTables through db, a handle or one
// connection of it.
func countRows(ctx context.Context, db interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) ([]TableCount, error) {
	var counts []TableCount
	// Services of an import still being written (or of one that died, until
	// the next open removes them) are not in the directory. An older
	// schema (a backup's) has no such rows.
	var batches int
	hasBatch := `SELECT count(*) FROM pragma_table_info('services') WHERE name = 'import_batch'`
	if engineOf(db) == enginePostgres {
		hasBatch = `SELECT count(*) FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = 'services' AND column_name = 'import_batch'`
	}
	if err := db.QueryRowContext(ctx, hasBatch).Scan(&batches); err != nil {
		return nil, err
	}
	for _, t := range countedTables {
		c := TableCount{Table: t}
		query := `SELECT count(*) FROM ` + t
		if t == "services" && batches > 0 {
			query += ` WHERE ` + visibleRow
		}
		if err := db.QueryRowContext(ctx, query).Scan(&c.Rows); err != nil {
			return nil, err
		}
		counts = append(counts, c)
	}
	return counts, nil
}

// Older is true for a sound database an earlier Linkwell made: the schema
// is older than this Linkwell's, which upgrades it when it next opens it
// (not a reason to restore a backup).
func (h Health) Older() bool {
	return h.Integrity == "ok" && h.SchemaVersion < SchemaVersion() && h.Audit.Intact()
}

// Healthy is true when the schema is current, the integrity check passed
// and the audit is intact. (A backup's check does not verify the audit: a
// copy of a tampered database is still worth keeping.)
func (h Health) Healthy() bool {
	return h.Integrity == "ok" && h.SchemaVersion == SchemaVersion() && h.Audit.Intact()
}
