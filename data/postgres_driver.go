package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// The store's queries are written once, for SQLite, with ? placeholders,
// 0/1 flags and LastInsertId. On PostgreSQL they go through pgx's
// database/sql driver wrapped by pgConn below, which makes the three
// differences disappear in one place instead of in 160 queries:
//
//   - ? becomes $1, $2, … (rebind);
//   - a Go bool argument becomes 0 or 1, as SQLite stores it;
//   - an INSERT into a table with an id column gets RETURNING id, so that
//     Result.LastInsertId works as on SQLite (pgx has no LastInsertId);
//
// and every read-write transaction first takes Linkwell's write lock (an
// advisory lock), as BEGIN IMMEDIATE does on SQLite (see pgWriteLock).

// pgWriteLock is the key of the transaction-level advisory lock every
// read-write transaction takes first. With it, writers take turns exactly
// as on SQLite, so each check-then-write (a booking's clash check, the
// audit chain's next link, a save's version check) sees what the writer
// before it committed. Readers never wait for it. The number is Linkwell's
// mark, ApplicationID.
const pgWriteLock = int64(ApplicationID)

// pgLockTimeout bounds the wait for a lock as busy_timeout does on SQLite;
// a write that waited so long fails with 55P03, which writeTx retries and
// then reports as ErrBusy.
const pgLockTimeout = "10s"

// pgConnectTimeout bounds opening a connection to the server when the URL
// does not say (connect_timeout).
const pgConnectTimeout = 10 * time.Second

// openPostgres opens a database/sql handle on the server at url through
// the wrapper.
func openPostgres(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["lock_timeout"] = pgLockTimeout
	if cfg.ConnectTimeout == 0 {
		// Without it a server that is unreachable (not refusing) holds a
		// save for the system's TCP time-out, minutes; the user must hear
		// soon that it was not saved (ErrServerGone). connect_timeout in
		// the URL still wins.
		cfg.ConnectTimeout = pgConnectTimeout
	}
	cfg.RuntimeParams["application_name"] = "linkwell"
	// UTC on the server too, whatever its default: instants are stored as
	// UTC text, and any time the server computes must agree.
	cfg.RuntimeParams["timezone"] = "UTC"
	// A connection is pinged before each use, not only after a second
	// idle (pgx's default): after a server restart or a network blip the
	// next query gets a fresh connection instead of an error. One round
	// trip on the practice's network is cheap beside a failed save.
	alwaysPing := stdlib.OptionShouldPing(func(context.Context, stdlib.ShouldPingParams) bool { return true })
	return sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg, alwaysPing)}), nil
}

type pgConnector struct{ inner driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		if isConnLost(err) {
			// The driver's words name the socket, the host and the
			// database; the user needs to know that nothing happened.
			return nil, &serverGoneError{ErrServerUnreachable, err}
		}
		return nil, err
	}
	return &pgConn{Conn: conn.(*stdlib.Conn)}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is one connection: pgx's, with the store's SQL translated.
type pgConn struct {
	*stdlib.Conn
}

var (
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
)

// CheckNamedValue stores a bool as SQLite does, 0 or 1: the flag columns
// are integers on both engines. Everything else goes to pgx as it is.
func (c *pgConn) CheckNamedValue(v *driver.NamedValue) error {
	if b, ok := v.Value.(bool); ok {
		v.Value = int64(0)
		if b {
			v.Value = int64(1)
		}
	}
	return nil
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	q := rebind(query)
	if table := insertTable(q); table != "" {
		hasID, err := c.hasID(ctx, table)
		if err != nil {
			return nil, err
		}
		if hasID {
			return c.insertReturningID(ctx, q, args)
		}
	}
	return c.Conn.ExecContext(ctx, q, args)
}

// BeginTx takes Linkwell's write lock at the start of every read-write
// transaction (see pgWriteLock), as _txlock=immediate does on SQLite. BEGIN
// and the lock go to the server as one message, one round trip, not two.
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly || sql.IsolationLevel(opts.Isolation) != sql.LevelDefault {
		tx, err := c.Conn.BeginTx(ctx, opts)
		if err != nil || opts.ReadOnly {
			return tx, err
		}
		if _, err := c.Conn.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, []driver.NamedValue{{Ordinal: 1, Value: pgWriteLock}}); err != nil {
			tx.Rollback()
			return nil, err
		}
		return tx, nil
	}
	conn := c.Conn.Conn()
	if conn.IsClosed() {
		return nil, driver.ErrBadConn
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{BeginQuery: pgBeginWrite})
	if err != nil {
		// BEGIN went through and the lock did not (lock_timeout, which
		// writeTx retries): end the transaction it left open.
		if conn.PgConn().TxStatus() != 'I' {
			conn.Exec(ctx, "ROLLBACK")
		}
		return nil, err
	}
	return pgTx{ctx: ctx, tx: tx}, nil
}

// pgBeginWrite starts a read-write transaction and takes the write lock, in
// one simple-protocol message.
var pgBeginWrite = "BEGIN; SELECT pg_advisory_xact_lock(" + strconv.FormatInt(pgWriteLock, 10) + ")"

// pgTx is a transaction begun by pgConn.BeginTx, as pgx's stdlib wraps one.
type pgTx struct {
	ctx context.Context
	tx  pgx.Tx
}

func (t pgTx) Commit() error   { return t.tx.Commit(t.ctx) }
func (t pgTx) Rollback() error { return t.tx.Rollback(t.ctx) }

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// insertResult is an INSERT's result with the id of its last row, as
// SQLite's last_insert_rowid gives it.
type insertResult struct{ lastID, rows int64 }

func (r insertResult) LastInsertId() (int64, error) { return r.lastID, nil }
func (r insertResult) RowsAffected() (int64, error) { return r.rows, nil }

func (c *pgConn) insertReturningID(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	rows, err := c.Conn.QueryContext(ctx, q+" RETURNING id", args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var res insertResult
	dest := make([]driver.Value, 1)
	for {
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		res.rows++
		switch id := dest[0].(type) {
		case int64:
			res.lastID = id
		case int32:
			res.lastID = int64(id)
		}
	}
	return res, rows.Close()
}

// tablesWithID remembers which tables have an id column (true) or not, by
// name: the schema is Linkwell's, the same in every database it opens.
var tablesWithID sync.Map

func (c *pgConn) hasID(ctx context.Context, table string) (bool, error) {
	if v, ok := tablesWithID.Load(table); ok {
		return v.(bool), nil
	}
	rows, err := c.Conn.QueryContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_attribute
		WHERE attrelid = to_regclass($1) AND attname = 'id' AND NOT attisdropped)`,
		[]driver.NamedValue{{Ordinal: 1, Value: table}})
	if err != nil {
		return false, err
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return false, err
	}
	has, _ := dest[0].(bool)
	// A temporary table is one connection's own: not remembered.
	if !strings.Contains(table, ".") {
		tablesWithID.Store(table, has)
	}
	return has, nil
}

// insertRE finds the table of an INSERT that returns nothing yet. An
// upsert (ON CONFLICT) is left alone: SQLite's last_insert_rowid does not
// move when the row is updated instead.
var insertRE = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_.]*)`)

func insertTable(q string) string {
	m := insertRE.FindStringSubmatch(q)
	if m == nil {
		return ""
	}
	upper := strings.ToUpper(q)
	if strings.Contains(upper, "RETURNING") || strings.Contains(upper, "ON CONFLICT") {
		return ""
	}
	return m[1]
}

// rebind turns the store's SQLite statement into PostgreSQL's, leaving
// alone string literals, quoted names and comments:
//
//   - ? becomes $1, $2, …, and ?NNN (a numbered parameter) $NNN;
//   - temp.x (SQLite's name for the connection's own temporary tables)
//     becomes pg_temp.x, PostgreSQL's;
//   - INDEXED BY name and NOT INDEXED, hints to SQLite's planner that say
//     nothing about the result, are dropped;
//   - PRAGMA data_version becomes the next transaction id (see below);
//   - a subquery in FROM or JOIN without a name gets one (PostgreSQL 15
//     asks for it; SQLite and PostgreSQL 16 do not);
//   - CROSS JOIN t ON … (SQLite's inner join that keeps the tables in the
//     order written) becomes JOIN t ON …, PostgreSQL's inner join.
//
// Anything else must already mean the same on both engines; where it
// cannot, the store branches on its engine next to the query.
func rebind(q string) string {
	if strings.EqualFold(strings.TrimSpace(q), "PRAGMA data_version") {
		// SQLite's count of other connections' commits, which the store
		// compares to learn whether anyone wrote meanwhile. PostgreSQL's
		// next transaction id likewise moves whenever anyone writes.
		return `SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint`
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	isWord := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	word := func(i int) int { // the end of the word at i
		for i < len(q) && isWord(q[i]) {
			i++
		}
		return i
	}
	space := func(i int) int {
		for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
			i++
		}
		return i
	}
	// A subquery in FROM or JOIN needs a name on PostgreSQL before 16:
	// parens records, for each open parenthesis, whether it opened one.
	var parens []bool
	lastWord, wordBefore := "", ""
	for i := 0; i < len(q); i++ {
		ch := q[i]
		switch {
		case ch == '(':
			parens = append(parens, lastWord == "JOIN" || lastWord == "FROM" && wordBefore != "DISTINCT")
			b.WriteByte(ch)
			lastWord = ""
		case ch == ')':
			b.WriteByte(ch)
			if len(parens) > 0 {
				opened := parens[len(parens)-1]
				parens = parens[:len(parens)-1]
				if opened && !aliasFollows(q, i+1) {
					b.WriteString(" AS subquery")
				}
			}
			lastWord = ""
		case ch == '\'' || ch == '"':
			end := i + 1
			for end < len(q) {
				if q[end] == ch {
					if end+1 < len(q) && q[end+1] == ch { // '' or "" inside
						end += 2
						continue
					}
					break
				}
				end++
			}
			if end >= len(q) {
				end = len(q) - 1
			}
			b.WriteString(q[i : end+1])
			i = end
		case ch == '-' && i+1 < len(q) && q[i+1] == '-':
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i - 1
			}
			b.WriteString(q[i : i+end+1])
			i += end
		case ch == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+2+end+2])
			i += 2 + end + 1
		case ch == '+' && i+1 < len(q) && isWord(q[i+1]) && !(q[i+1] >= '0' && q[i+1] <= '9') && unaryPlus(b.String(), lastWord):
			// SQLite's +column, a hint not to use an index for the term:
			// PostgreSQL has no unary + for text, and needs no such hint.
		case ch == '?' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			// ?NNN, SQLite's numbered parameter, is PostgreSQL's $NNN.
			b.WriteByte('$')
		case ch == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		case ch == '$' && i+1 < len(q) && q[i+1] == '$':
			// A dollar-quoted body (a migration's function): as it is.
			end := strings.Index(q[i+2:], "$$")
			if end < 0 {
				b.WriteString(q[i:])
				return b.String()
			}
			b.WriteString(q[i : i+2+end+2])
			i += 2 + end + 1
		case isWord(ch) && (i == 0 || !isWord(q[i-1])):
			end := word(i)
			w := q[i:end]
			switch {
			case strings.EqualFold(w, "temp") && end < len(q) && q[end] == '.':
				b.WriteString("pg_temp")
			case strings.EqualFold(w, "CROSS") && crossJoinOn(q, end):
				// The JOIN that follows is written as it is.
			case strings.EqualFold(w, "NOT") && strings.EqualFold(q[space(end):word(space(end))], "INDEXED"):
				// NOT INDEXED, SQLite's hint to read the table itself.
				end = word(space(end))
				w = "INDEXED"
			case strings.EqualFold(w, "INDEXED"):
				by := space(end)
				if byEnd := word(by); strings.EqualFold(q[by:byEnd], "BY") {
					if name := space(byEnd); name > byEnd {
						end = word(name)
						break
					}
				}
				b.WriteString(w)
			default:
				b.WriteString(w)
			}
			lastWord, wordBefore = strings.ToUpper(w), lastWord
			i = end - 1
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
			lastWord = ""
		}
	}
	return b.String()
}

// unaryPlus reports whether a + after the statement so far (out) is the
// unary plus: it follows no operand, only an operator, an opening
// parenthesis, a comma or a keyword (lastWord, upper case, the word just
// before when nothing else came between).
func unaryPlus(out, lastWord string) bool {
	out = strings.TrimRight(out, " \t\r\n")
	if out == "" {
		return true
	}
	switch c := out[len(out)-1]; {
	case strings.IndexByte("(,=<>!*/|-+", c) >= 0:
		return true
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		switch lastWord {
		case "SELECT", "WHERE", "AND", "OR", "NOT", "BY", "ON", "WHEN", "THEN", "ELSE", "HAVING":
			return true
		}
	}
	return false
}

// aliasFollows reports whether a name (AS x, or x) follows position i, after
// a subquery's closing parenthesis.
func aliasFollows(q string, i int) bool {
	for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
		i++
	}
	start := i
	for i < len(q) && (q[i] == '_' || q[i] >= 'a' && q[i] <= 'z' || q[i] >= 'A' && q[i] <= 'Z' || q[i] >= '0' && q[i] <= '9') {
		i++
	}
	if i == start {
		return start < len(q) && q[start] == '"'
	}
	switch strings.ToUpper(q[start:i]) {
	case "WHERE", "ORDER", "GROUP", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "JOIN", "LEFT", "RIGHT",
		"INNER", "CROSS", "FULL", "NATURAL", "ON", "HAVING", "WINDOW", "RETURNING", "USING", "FOR":
		return false
	}
	return true
}

// crossJoinOn reports whether the CROSS ending at i begins CROSS JOIN table
// [alias] [INDEXED BY name] ON: an inner join with a condition.
func crossJoinOn(q string, i int) bool {
	var words []string
	for len(words) < 7 {
		for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
			i++
		}
		start := i
		for i < len(q) && (q[i] == '_' || q[i] == '.' || q[i] >= 'a' && q[i] <= 'z' || q[i] >= 'A' && q[i] <= 'Z' || q[i] >= '0' && q[i] <= '9') {
			i++
		}
		if i == start {
			return false
		}
		w := strings.ToUpper(q[start:i])
		words = append(words, w)
		switch {
		case len(words) == 1 && w != "JOIN":
			return false
		case w == "ON":
			return len(words) >= 3
		case w == "WHERE" || w == "ORDER" || w == "GROUP" || w == "LIMIT" || w == "JOIN" && len(words) > 1:
			return false
		}
	}
	return false
}

// PostgreSQL's SQLSTATE codes that the store acts on.
const (
	pgSerializationFailure = "40001"
	pgDeadlock             = "40P01"
	pgLockNotAvailable     = "55P03"
	pgUniqueViolation      = "23505"
	pgExclusionViolation   = "23P01"
	pgUndefinedTable       = "42P01"
)

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isPgBusy: PostgreSQL's equivalents of SQLITE_BUSY, after which the whole
// transaction may simply be run again.
func isPgBusy(err error) bool {
	switch pgCode(err) {
	case pgSerializationFailure, pgDeadlock, pgLockNotAvailable:
		return true
	}
	return false
}
