package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"time"
)

// How a big import publishes without holding the database (issue 11): its
// new services go into the services table hidden (import_batch names the
// import's batch, a row of import_batches), importChunk at a time, each
// chunk its own short write transaction, with a pause between them for
// other desks. One short last transaction applies the updates, publishes
// the batch (sets one flag) and writes the audit: from that commit every
// new row is seen at once, without rewriting any of them. Until then every
// read of the directory leaves them out (visibleService), so other desks
// see the old directory or the new one, never part of it. The rows keep
// their batch afterwards: it says which import brought them.
//
// An import that fails or is cancelled before publishing removes its hidden
// rows at once (removeBatch); one whose program died leaves them for
// removeDeadBatches, which Open and every import run.

// visibleService is the condition every read of the directory adds, for
// services aliased s: rows of an import still being written are not there
// yet. Its first test, made once per query, is true when no import is
// being written, and then SQLite reads nothing more for it (so a count can
// stay on an index). visibleRow is the same without the alias.
const (
	visibleService = `(NOT EXISTS (SELECT 1 FROM import_batches WHERE NOT published) OR s.import_batch IS NULL
		OR s.import_batch IN (SELECT id FROM import_batches WHERE published))`
	visibleRow = `(NOT EXISTS (SELECT 1 FROM import_batches WHERE NOT published) OR import_batch IS NULL
		OR import_batch IN (SELECT id FROM import_batches WHERE published))`
)

// importChunk is how many new services one write transaction of an import
// inserts at most (row, indexes, search index): ~0.1 s of SQLite's work on
// a quiet machine. A variable so tests can make chunks small.
var importChunk = 2500

// importChunkTarget is how long one chunk should hold the write lock. On a
// busy machine a chunk takes longer, so the next is made smaller
// (nextChunk).
var importChunkTarget = 150 * time.Millisecond

// nextChunk is the size of the chunk after one of size rows that took
// took: the size that would have taken importChunkTarget, but at least 100
// rows, at most twice the size and at most importChunk. (Doubling whatever
// took less than the target made chunks of twice the target: on
// PostgreSQL, where a row costs more, held locks up to ~0.45 s.)
func nextChunk(size int, took time.Duration) int {
	next := int(int64(size) * int64(importChunkTarget) / max(int64(took), 1))
	return max(min(next, 2*size, importChunk), min(100, importChunk))
}

// importPause is how long an import leaves the database to other desks
// between two of its write transactions. SQLite's busy handler makes a
// waiting desk look again every 100 ms at most, so a shorter pause could
// let the import take the lock back before a waiting desk looks, again and
// again.
var importPause = 100 * time.Millisecond

// batchStaleAfter: an unpublished batch that has not written for this long
// is treated as dead whoever runs it (its process id may have been reused,
// or it may have run on another computer).
const batchStaleAfter = 10 * time.Minute

// errBatchGone: the import's hidden rows were removed under it (it was
// taken for dead); nothing was imported.
var errBatchGone = errors.New("the import was interrupted (its unfinished rows were cleared), so nothing was imported; import the file again")

func thisHost() string {
	h, _ := os.Hostname()
	return h
}

// livenessStamp is the wall clock, not the store's (tests set that): it is
// compared with other processes' stamps.
func livenessStamp() string { return time.Now().UTC().Format(TimeLayout) }

// beginBatch records a new import batch in tx and returns its id.
func beginBatch(ctx context.Context, tx *sql.Tx) (int64, error) {
	now := livenessStamp()
	res, err := tx.ExecContext(ctx, `INSERT INTO import_batches (host, pid, started_at, alive_at) VALUES (?, ?, ?, ?)`,
		thisHost(), os.Getpid(), now, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// touchBatch says the batch's import is still alive; errBatchGone if the
// batch was cleared.
func touchBatch(ctx context.Context, tx *sql.Tx, batch int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE import_batches SET alive_at = ? WHERE id = ?`, livenessStamp(), batch)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errBatchGone
	}
	return nil
}

// removeBatch deletes the hidden rows of a batch not published, which also
// unindexes them for search (as slow as indexing), importChunk rows per
// transaction with a pause between, then the batch itself. Readers never
// saw the rows, so each chunk commits on its own. A published batch is
// left alone.
func removeBatch(ctx context.Context, db txStarter, batch int64) error {
	for {
		var n int64
		err := writeTx(ctx, db, func(tx *sql.Tx) error {
			n = 0
			var published bool
			err := tx.QueryRowContext(ctx, `SELECT published FROM import_batches WHERE id = ?`, batch).Scan(&published)
			if published || (err != nil && !errors.Is(err, sql.ErrNoRows)) {
				return err
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM services WHERE id IN
				(SELECT id FROM services WHERE import_batch = ? LIMIT ?)`, batch, importChunk)
			if err != nil {
				return err
			}
			if n, err = res.RowsAffected(); err != nil || n > 0 {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM import_batches WHERE id = ?`, batch)
			return err
		})
		if err != nil || n == 0 {
			return err
		}
		time.Sleep(importPause)
	}
}

// removeDeadBatches removes the hidden rows of every dead import
// (deadBatches). A live import's rows are left alone.
func removeDeadBatches(ctx context.Context, db interface {
	txStarter
	queryer
}) error {
	dead, err := deadBatches(ctx, db)
	if err != nil {
		return err
	}
	for _, id := range dead {
		if err := removeBatch(ctx, db, id); err != nil {
			return err
		}
	}
	return nil
}

// deadBatches lists the batches of the imports whose program died before
// publishing them: its process no longer runs on this computer, or it has
// not written for batchStaleAfter.
func deadBatches(ctx context.Context, q queryer) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, host, pid, alive_at FROM import_batches WHERE NOT published`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var dead []int64
	host, stale := thisHost(), time.Now().Add(-batchStaleAfter).UTC().Format(TimeLayout)
	for rows.Next() {
		var id int64
		var h, alive string
		var pid int
		if err := rows.Scan(&id, &h, &pid, &alive); err != nil {
			return nil, err
		}
		if alive < stale || (h == host && !processAlive(pid)) {
			dead = append(dead, id)
		}
	}
	return dead, rows.Err()
}
