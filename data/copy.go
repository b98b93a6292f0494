package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// Copying a whole practice from one engine to the other: a practice moving
// to the server edition (`linkwell migrate --from practice.db --to
// postgres://…`) and the way back, or a portable copy of the server's
// database (`--to copy.db`). Every row goes over as it is, ids, instants
// and the audit's hashes included, so the copy's audit chain verifies and
// its exports are the same.

// copiedTables are the tables copied, parents before children, with the
// order their rows go over in. The tables kept by triggers are not among
// them (derivedTables): the target's triggers fill them as the referrals
// arrive.
var copiedTables = []struct{ name, order string }{
	{"practice", "id"}, {"settings", "key"}, {"sites", "id"}, {"users", "id"},
	{"work_sessions", "id"}, {"leave", "id"}, {"appointment_types", "rowid"},
	{"patients", "id"}, {"referrals", "id"}, {"referral_reasons", "referral_id, reason"},
	{"referral_history", "id"}, {"appointments", "id"}, {"import_batches", "id"}, {"services", "id"},
	{"prescriptions", "id"}, {"prescription_items", "id"}, {"prescription_prints", "id"},
	{"contacts", "id"}, {"goals", "id"}, {"wellbeing_measures", "id"},
	{"audit_events", "id"}, {"audit_head", "id"},
}

// derivedTables are kept by the triggers; the copy's must match the
// original's. A count's row stays, at 0, when its last referral leaves it,
// which a fresh copy never makes: the rows that count something are
// compared, and the sums (countCheck).
var derivedTables = []struct {
	name, count string
	counts      bool // a table of counts (n): their sums are compared too
}{
	{"referral_counts", `count(*) FILTER (WHERE n <> 0)`, true},
	{"referral_month_counts", `count(*) FILTER (WHERE n <> 0)`, true},
	{"referral_day_counts", `count(*) FILTER (WHERE n <> 0)`, true},
	{"referral_names", `count(*)`, false},
	{"patient_name_words", `count(*)`, false},
	{"referral_name_starts", `count(*)`, false},
}

// CopyCount is one table's rows in the source and in the copy.
type CopyCount struct {
	Table    string
	From, To int
}

// ErrNotEmpty: the target of a copy already holds a practice.
var ErrNotEmpty = errors.New("the target already holds a practice; copy only into a new file or an empty database")

// CopyDatabase copies the practice at from (a file or a server URL) into to,
// which must be a new file or an empty server database (InitServer makes
// its schema first; that needs the database owner's login). Both must be
// of this Linkwell's schema. It returns each table's rows on both sides,
// counted after the copy: they must be equal, and an error says so when
// they are not.
func CopyDatabase(ctx context.Context, from, to string) ([]CopyCount, error) {
	if !IsServerURL(to) {
		if _, err := os.Lstat(to); err == nil {
			return nil, fmt.Errorf("%s already exists; copy into a new file", to)
		}
	} else if _, _, err := InitServer(ctx, to); err != nil {
		return nil, err
	}
	src, err := OpenReadOnly(from)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if err := checkServerVersionOf(ctx, src); err != nil {
		return nil, err
	}
	return src.copyInto(ctx, to)
}

// copyInto copies the store's practice into to (a new file, or a server
// database with the schema and no practice), reading one snapshot of it,
// so desks may go on writing meanwhile.
func (src *Store) copyInto(ctx context.Context, to string) ([]CopyCount, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if src.engine == enginePostgres {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every table
	}
	snapshot, err := src.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer snapshot.Rollback()
	dst, err := Open(to)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	var practices int
	if err := dst.db.QueryRowContext(ctx, `SELECT count(*) FROM practice`).Scan(&practices); err != nil {
		return nil, err
	}
	if practices > 0 {
		return nil, ErrNotEmpty
	}
	err = dst.write(ctx, func(tx *sql.Tx) error {
		// The migration's own rows make way for the practice's.
		if _, err := tx.ExecContext(ctx, `DELETE FROM appointment_types`); err != nil {
			return err
		}
		for _, t := range copiedTables {
			if err := copyTable(ctx, snapshot, tx, t.name, t.order); err != nil {
				return fmt.Errorf("copying %s: %w", t.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if dst.engine == enginePostgres {
		// The planner's statistics of the new tables: without them the
		// first queries are planned blind until autovacuum gets round to
		// it (a minute or more after a big copy).
		if _, err := dst.db.ExecContext(ctx, `ANALYZE`); err != nil {
			return nil, fmt.Errorf("analyzing the copy: %w", err)
		}
	}
	counts, err := compareCounts(ctx, snapshot, dst.db)
	if err != nil {
		return counts, err
	}
	if c, err := dst.VerifyAudit(ctx); err != nil || !c.Intact() {
		return counts, fmt.Errorf("the copy's audit does not verify: %v %v", c, err)
	}
	return counts, nil
}

// checkServerVersionOf refuses a source whose schema is not this Linkwell's:
// the columns would not match.
func checkServerVersionOf(ctx context.Context, s *Store) error {
	h, err := s.health(ctx, false)
	if err != nil {
		return err
	}
	if h.SchemaVersion != SchemaVersion() {
		return fmt.Errorf("%s has schema %d and this Linkwell %d: open it once with this Linkwell (or run linkwell server init) first",
			s.path, h.SchemaVersion, SchemaVersion())
	}
	return nil
}

// columnsOf names the columns of table as db sees them.
func columnsOf(ctx context.Context, q queryer, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// copyTable copies every row of table from src into tx, the columns both
// engines have (not PostgreSQL's generated search column, nor its rowid).
func copyTable(ctx context.Context, src queryer, tx *sql.Tx, table, order string) error {
	from, err := columnsOf(ctx, src, table)
	if err != nil {
		return err
	}
	to, err := columnsOf(ctx, tx, table)
	if err != nil {
		return err
	}
	var cols []string
	for _, c := range from {
		if c != "search" && c != "rowid" && slices.Contains(to, c) {
			cols = append(cols, c)
		}
	}
	list := strings.Join(cols, ", ")
	// A flag that PostgreSQL keeps as a boolean (import_batches.published)
	// is 0 or 1 on SQLite: it goes over as pgx's own bool, which the driver
	// wrapper leaves alone (a Go bool it makes 0 or 1, for the integer
	// flags). SQLite stores a bool from the server as 0 or 1 itself.
	boolean, err := booleanColumns(ctx, tx, table, list)
	if err != nil {
		return err
	}
	insert, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+list+`) VALUES (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+`)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	rows, err := src.QueryContext(ctx, `SELECT `+list+` FROM `+table+` ORDER BY `+order)
	if err != nil {
		return err
	}
	defer rows.Close()
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range values {
			if n, ok := v.(int64); ok && boolean[i] {
				values[i] = pgtype.Bool{Bool: n != 0, Valid: true}
			}
		}
		if _, err := insert.ExecContext(ctx, values...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// booleanColumns tells which of the columns in list are booleans in q's
// table.
func booleanColumns(ctx context.Context, q queryer, table, list string) ([]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+list+` FROM `+table+` LIMIT 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(types))
	for i, t := range types {
		out[i] = strings.EqualFold(t.DatabaseTypeName(), "BOOL") || strings.EqualFold(t.DatabaseTypeName(), "BOOLEAN")
	}
	return out, nil
}

// compareCounts counts every copied table on both sides.
func compareCounts(ctx context.Context, a, b queryer) ([]CopyCount, error) {
	var out []CopyCount
	var differ []string
	type counted struct{ name, count string }
	var tables []counted
	for _, t := range copiedTables {
		tables = append(tables, counted{t.name, `count(*)`})
	}
	for _, t := range derivedTables {
		tables = append(tables, counted{t.name, t.count})
		if t.counts {
			// The sum of the counts too: every referral counted as often.
			tables = append(tables, counted{t.name + " (sum)", `CAST(coalesce(sum(n), 0) AS BIGINT)`})
		}
	}
	for _, t := range tables {
		c := CopyCount{Table: t.name}
		table, _, _ := strings.Cut(t.name, " ")
		if err := a.QueryRowContext(ctx, `SELECT `+t.count+` FROM `+table).Scan(&c.From); err != nil {
			return out, err
		}
		if err := b.QueryRowContext(ctx, `SELECT `+t.count+` FROM `+table).Scan(&c.To); err != nil {
			return out, err
		}
		if c.From != c.To {
			differ = append(differ, fmt.Sprintf("%s (%d, copied %d)", t.name, c.From, c.To))
		}
		out = append(out, c)
	}
	if len(differ) > 0 {
		return out, fmt.Errorf("the copy's rows differ from the original's: %s", strings.Join(differ, ", "))
	}
	return out, nil
}

// serverBackup is a backup of a server database: a portable Linkwell file
// (SQLite), made under a temporary name beside abs, checked (every table's
// rows, the audit) and only then given its name.
func (s *Store) serverBackup(ctx context.Context, abs string, actorID int64, kind string) (BackupInfo, error) {
	tmpDir, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".partial-*")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup failed: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, filepath.Base(abs))
	counts, err := s.copyInto(ctx, tmp)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup failed: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("backup failed: %w", err)
	}
	// Recorded as on SQLite (backup.go): once the copy is good, before it
	// takes its name. (The copy itself, one snapshot, does not hold it.)
	if err := s.recordIfWritable(ctx, actorID, "backup", "database", 0, kind+"backup to "+abs); err != nil {
		return BackupInfo{}, err
	}
	if err := linkIntoPlace(tmp, abs); err != nil {
		return BackupInfo{}, backupPlaceError(abs, err)
	}
	info := BackupInfo{Path: abs, At: s.now(), SchemaVersion: SchemaVersion()}
	if st, err := os.Stat(abs); err == nil {
		info.Size = st.Size()
	}
	for _, c := range counts {
		if slices.Contains(countedTables, c.Table) {
			info.Counts = append(info.Counts, TableCount{Table: c.Table, Rows: c.To})
		}
	}
	return info, nil
}
