package data

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDamaged marks an error that says the database file itself is damaged:
// SQLite read it and found it malformed, or its integrity check failed. The
// app offers to restore a backup rather than going on with it.
var ErrDamaged = errors.New("the database is damaged")

// CheckIntegrity runs SQLite's full integrity check (PRAGMA integrity_check)
// on the open database. Open checks only the header, the schema and the mark,
// which takes microseconds; this reads every page and every index, which on a
// large practice takes seconds, so the app runs it in the background once its
// window is up. The full check rather than quick_check: it also proves every
// index matches its table, so a damaged index (wrong search results, a
// double booking let through) is caught too, and off the UI goroutine the
// extra time costs nobody a wait. It returns an error wrapping ErrDamaged
// when the file is damaged, ctx's error when cancelled, and nil when healthy.
func (s *Store) CheckIntegrity(ctx context.Context) error {
	if s.engine == enginePostgres {
		return nil // the server keeps its own files whole (its write-ahead log)
	}
	rows, err := s.db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return damageOr(ctx, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return damageOr(ctx, err)
		}
		found = append(found, line)
	}
	if err := rows.Err(); err != nil {
		return damageOr(ctx, err)
	}
	if len(found) == 1 && found[0] == "ok" {
		return nil
	}
	return damagedError(found)
}

// damagedError says what SQLite's integrity check found, its first few
// complaints only: a badly damaged file has hundreds.
func damagedError(found []string) error {
	var lines []string
	for _, row := range found {
		for _, line := range strings.Split(row, "\n") {
			// "*** in database main ***" heads the list; it says nothing.
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "***") {
				lines = append(lines, line)
			}
		}
	}
	found = lines
	const shown = 3
	more := ""
	if len(found) > shown {
		more = fmt.Sprintf(" (and %d more problems)", len(found)-shown)
		found = found[:shown]
	}
	return fmt.Errorf("%w: SQLite's integrity check found: %s%s", ErrDamaged, strings.Join(found, "; "), more)
}

// damageOr is err marked as damage when SQLite says the file is malformed
// or not a database; a cancelled check is ctx's error, not damage.
func damageOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if isCorrupt(err) {
		return fmt.Errorf("%w: %s", ErrDamaged, err)
	}
	return err
}

// isCorrupt is true for SQLite's "database disk image is malformed" and
// "file is not a database".
func isCorrupt(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB
}
