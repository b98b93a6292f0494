package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The audit is a hash chain: each event's hash is the SHA-256 of the hash
// before it and of the event's own columns, so changing, removing or
// inserting an event breaks every link from there on. audit_head holds the
// newest event's id and hash, so that removing the newest events shows
// too. The triggers of migrations 001 and 002 refuse UPDATE and DELETE;
// VerifyAudit checks that they are still there, unchanged.
//
// This makes tampering evident, not impossible: someone who can write the
// file and knows this code can rebuild the whole chain. The newest hash,
// noted elsewhere (`linkwell audit verify` prints it), shows even that.

// auditTriggers are the triggers that keep audit_events append-only, as the
// migrations leave them.
var auditTriggers = map[string]string{
	"audit_no_update": `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.id = OLD.id AND NEW.at IS OLD.at
    AND NEW.user_id IS OLD.user_id AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity
    AND NEW.entity_id IS OLD.entity_id AND NEW.detail IS OLD.detail)
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be changed');
END`,
	"audit_no_delete": `CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be deleted');
END`,
}

// auditEvent is one stored row, as the chain sees it.
type auditEvent struct {
	id               int64
	at               string
	userID, entityID sql.NullInt64
	action, entity   string
	detail           string
	hash             sql.NullString
}

// chainHash is the hash of e following prev ("" for the first event): SHA-256
// of a JSON array of prev and every column, in hex. JSON keeps the fields
// apart whatever they contain.
func chainHash(prev string, e auditEvent) string {
	nullable := func(n sql.NullInt64) any {
		if n.Valid {
			return n.Int64
		}
		return nil
	}
	b, _ := json.Marshal([]any{prev, e.id, e.at, nullable(e.userID), e.action, e.entity, nullable(e.entityID), e.detail})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// auditBatch is how many events are read at a time, so a long audit is never
// held in memory whole.
const auditBatch = 1000

// auditEventsAfter reads up to auditBatch events after id, in id order.
func auditEventsAfter(ctx context.Context, q queryer, id int64) ([]auditEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, user_id, action, entity, entity_id, detail, hash
		FROM audit_events WHERE id > ? ORDER BY id LIMIT ?`, id, auditBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auditEvent
	for rows.Next() {
		var e auditEvent
		if err := rows.Scan(&e.id, &e.at, &e.userID, &e.action, &e.entity, &e.entityID, &e.detail, &e.hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// auditHead is the newest sealed event's id and hash; 0 and "" before the
// first seal.
func auditHead(ctx context.Context, q queryer) (id int64, hash string, found bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT last_id, last_hash FROM audit_head WHERE id = 1`).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	return id, hash, err == nil, err
}

// sealAudit seals, in id order, the events added since the newest sealed
// one and moves audit_head on. audit calls it after each insert; an insert
// of many events at once calls it once after them. It runs inside the
// caller's write transaction, so no other writer can slip an event in
// between.
func sealAudit(ctx context.Context, tx *sql.Tx) error {
	lastID, lastHash, _, err := auditHead(ctx, tx)
	if err != nil {
		return err
	}
	moved := false
	for {
		events, err := auditEventsAfter(ctx, tx, lastID)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			break
		}
		seals := make([][2]any, len(events)) // [id, hash] pairs
		for i, e := range events {
			lastID, lastHash = e.id, chainHash(lastHash, e)
			seals[i] = [2]any{e.id, lastHash}
		}
		// One statement for the batch. An event that somehow has a hash
		// already keeps it (the trigger refuses a second); VerifyAudit
		// reports it.
		list, _ := json.Marshal(seals)
		seal := `UPDATE audit_events SET hash = s.value ->> 1
			FROM json_each(?) AS s
			WHERE audit_events.id = s.value ->> 0 AND audit_events.hash IS NULL`
		if engineOf(tx) == enginePostgres {
			seal = `UPDATE audit_events SET hash = s.value ->> 1
			FROM json_array_elements(?::json) AS s (value)
			WHERE audit_events.id = (s.value ->> 0)::bigint AND audit_events.hash IS NULL`
		}
		if _, err := tx.ExecContext(ctx, seal, string(list)); err != nil {
			return err
		}
		moved = true
	}
	if !moved {
		return nil
	}
	return setAuditHead(ctx, tx, lastID, lastHash)
}

// setAuditHead records the newest sealed event.
func setAuditHead(ctx context.Context, tx *sql.Tx, lastID int64, lastHash string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash`, lastID, lastHash)
	return err
}

// sealOnOpen seals events that are not sealed yet: those written before
// migration 002, once.
func (s *Store) sealOnOpen(ctx context.Context) error {
	var waiting bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_events
		WHERE id > coalesce((SELECT last_id FROM audit_head WHERE id = 1), 0))`).Scan(&waiting)
	if err != nil || !waiting {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error { return sealAudit(ctx, tx) })
	if err != nil {
		return &OpenError{Path: s.path, Reason: "its audit could not be sealed: " + err.Error(), Err: err}
	}
	return nil
}

// AuditCheck is what VerifyAudit found.
type AuditCheck struct {
	Events   int    // events checked
	LastID   int64  // the newest event
	LastHash string // its hash: noted elsewhere, it shows later whether anything up to it changed
	BrokenAt int64  // the first event that fails, when the problem is one event's
	Problem  string // what is wrong, in plain words; "" when intact
	// NotSealed: an earlier Linkwell's database, read before the app
	// updated it, has no hashes yet (so Problem is set: nothing is proved).
	NotSealed bool
}

// Intact is true when the chain, its head and the triggers are as Linkwell
// left them.
func (c AuditCheck) Intact() bool { return c.Problem == "" }

func (c AuditCheck) String() string {
	if c.Intact() {
		if c.Events == 0 {
			return "intact (no events yet)"
		}
		return fmt.Sprintf("intact (%d events; the newest, %d, has hash %s)", c.Events, c.LastID, c.LastHash)
	}
	if c.NotSealed {
		return "not sealed yet: " + c.Problem
	}
	if c.BrokenAt != 0 {
		return fmt.Sprintf("broken at event %d: %s", c.BrokenAt, c.Problem)
	}
	return "broken: " + c.Problem
}

// VerifyAudit checks the audit: the triggers that refuse changes are there
// and unchanged, the ids run 1, 2, 3, … without a gap, every event's hash
// matches its content and the hash before it, and the newest event is the
// one audit_head names. It reports the first problem. It only reads, from
// one snapshot, so it may run while the app writes.
func (s *Store) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	var c AuditCheck
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return c, err
	}
	defer tx.Rollback()

	sealed := s.engine == enginePostgres // sealed from its first migration
	if !sealed {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('audit_events') WHERE name = 'hash'`).Scan(&sealed); err != nil {
			return c, err
		}
	}
	if !sealed {
		c.NotSealed = true
		c.Problem = "the database is from an earlier Linkwell; the app seals its audit when it next opens it"
		return c, nil
	}
	check := checkAuditTriggers
	if s.engine == enginePostgres {
		check = checkAuditTriggersPostgres
	}
	if c.Problem, err = check(ctx, tx); err != nil || c.Problem != "" {
		return c, err
	}

	prevHash := ""
	for {
		events, err := auditEventsAfter(ctx, tx, c.LastID)
		if err != nil {
			return c, err
		}
		if len(events) == 0 {
			break
		}
		for _, e := range events {
			switch want := c.LastID + 1; {
			case e.id != want:
				c.BrokenAt = want
				c.Problem = missingEvents(want, e.id-1) + " (removed)"
			case !e.hash.Valid:
				c.BrokenAt = e.id
				c.Problem = "it has no hash (it was written outside Linkwell)"
			case e.hash.String != chainHash(prevHash, e):
				c.BrokenAt = e.id
				c.Problem = "its content does not match its hash: it was changed, or written outside Linkwell, or an event before it was changed"
			}
			if c.Problem != "" {
				return c, nil
			}
			c.Events++
			c.LastID, prevHash = e.id, e.hash.String
		}
	}
	c.LastHash = prevHash

	headID, headHash, found, err := auditHead(ctx, tx)
	switch {
	case err != nil:
		return c, err
	case !found && c.Events > 0:
		c.Problem = "the record of the newest event (audit_head) is missing"
	case headID > c.LastID:
		c.BrokenAt = c.LastID + 1
		c.Problem = missingEvents(c.LastID+1, headID) + " (removed from the end)"
	case headID < c.LastID:
		c.BrokenAt = headID + 1
		c.Problem = "it was added after the newest sealed event (written outside Linkwell)"
	case headHash != c.LastHash:
		c.BrokenAt = c.LastID
		c.Problem = "the newest event does not match the hash recorded for it"
	}
	return c, nil
}

// missingEvents names the missing events from to to.
func missingEvents(from, to int64) string {
	if from == to {
		return fmt.Sprintf("event %d is missing", from)
	}
	return fmt.Sprintf("events %d to %d are missing", from, to)
}

// checkAuditTriggers says which of auditTriggers is missing or changed, or
// which other trigger has been put on the audit table; "" when none.
func checkAuditTriggers(ctx context.Context, q queryer) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit_events'`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	found := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return "", err
		}
		found[name] = text
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	same := func(a, b string) bool {
		return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	}
	for _, name := range []string{"audit_no_update", "audit_no_delete"} {
		text, ok := found[name]
		switch {
		case !ok:
			return "the trigger " + name + ", which stops audit events being changed or removed, has been dropped", nil
		case !same(text, auditTriggers[name]):
			return "the trigger " + name + ", which stops audit events being changed or removed, has been altered", nil
		}
	}
	for name := range found {
		if _, ok := auditTriggers[name]; !ok {
			return "an unexpected trigger, " + name + ", has been put on the audit table", nil
		}
	}
	return "", nil
}

// auditTriggersPostgres are the triggers of migrations/postgres that keep
// audit_events append-only: each one's definition and its function's body.
var auditTriggersPostgres = map[string][2]string{
	"audit_no_update": {"BEFORE UPDATE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_refuse_update()", `
BEGIN
    IF OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.id = OLD.id
        AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id
        AND NEW.action IS NOT DISTINCT FROM OLD.action AND NEW.entity IS NOT DISTINCT FROM OLD.entity
        AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.detail IS NOT DISTINCT FROM OLD.detail THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events cannot be changed';
END `},
	"audit_no_delete": {"BEFORE DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_refuse_delete()", `
BEGIN
    RAISE EXCEPTION 'audit events cannot be deleted';
END `},
	// Numbers the events as SQLite does (migration 001).
	"audit_events_next_id": {"BEFORE INSERT ON audit_events FOR EACH ROW WHEN ((new.id IS NULL)) EXECUTE FUNCTION linkwell_next_id()", `
BEGIN
    EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO NEW.id;
    RETURN NEW;
END `},
	"audit_no_truncate": {"BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_delete()", `
BEGIN
    RAISE EXCEPTION 'audit events cannot be deleted';
END `},
}

// checkAuditTriggersPostgres is checkAuditTriggers on PostgreSQL, where a
// trigger can also be switched off (ALTER TABLE … DISABLE TRIGGER) or its
// function replaced.
func checkAuditTriggersPostgres(ctx context.Context, q queryer) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid), p.prosrc
		FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
		WHERE t.tgrelid = 'audit_events'::regclass AND NOT t.tgisinternal`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	type trigger struct{ enabled, def, body string }
	found := map[string]trigger{}
	for rows.Next() {
		var name string
		var t trigger
		if err := rows.Scan(&name, &t.enabled, &t.def, &t.body); err != nil {
			return "", err
		}
		// "CREATE TRIGGER name … ON public.audit_events …": the schema is the
		// database's affair.
		t.def = strings.TrimPrefix(t.def, "CREATE TRIGGER "+name+" ")
		if i, j := strings.Index(t.def, " ON "), strings.Index(t.def, "audit_events"); i >= 0 && j > i {
			t.def = t.def[:i+4] + t.def[j:]
		}
		found[name] = t
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	same := func(a, b string) bool {
		return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	}
	for _, name := range []string{"audit_no_update", "audit_no_delete", "audit_no_truncate", "audit_events_next_id"} {
		t, ok := found[name]
		want := auditTriggersPostgres[name]
		switch {
		case !ok:
			return "the trigger " + name + ", which stops audit events being changed or removed, has been dropped", nil
		case t.enabled == "D":
			return "the trigger " + name + ", which stops audit events being changed or removed, has been switched off", nil
		case !same(t.def, want[0]) || !same(t.body, want[1]):
			return "the trigger " + name + ", which stops audit events being changed or removed, has been altered", nil
		}
	}
	for name := range found {
		if _, ok := auditTriggersPostgres[name]; !ok {
			return "an unexpected trigger, " + name + ", has been put on the audit table", nil
		}
	}
	return "", nil
}

// audit appends an audit event inside tx and seals it onto the chain. The
// write lock is held, so no other event can come between it and the one
// before: when every event is sealed (always, but for an earlier
// Linkwell's or one written outside it), the new one is the head's id + 1
// and its hash is known before it is written, so it goes in sealed, with
// the head moved on, in one statement on PostgreSQL (each statement there
// is a round trip to the server) and two on SQLite. Otherwise it is
// inserted as it is and sealAudit seals everything waiting, in id order.
func audit(ctx context.Context, tx *sql.Tx, at string, userID int64, action, entity string, entityID int64, detail string) error {
	var lastID, newest int64
	var lastHash string
	err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT last_id FROM audit_head WHERE id = 1), 0),
		coalesce((SELECT last_hash FROM audit_head WHERE id = 1), ''), coalesce((SELECT max(id) FROM audit_events), 0)`).Scan(&lastID, &lastHash, &newest)
	if err != nil {
		return err
	}
	if newest != lastID {
		if _, err := tx.ExecContext(ctx, auditInsert, at, nullID(userID), action, entity, entityID, detail); err != nil {
			return err
		}
		if err := notifyChange(ctx, tx, action); err != nil {
			return err
		}
		return sealAudit(ctx, tx)
	}
	e := auditEvent{id: lastID + 1, at: at, userID: sql.NullInt64{Int64: userID, Valid: userID != 0},
		action: action, entity: entity, entityID: sql.NullInt64{Int64: entityID, Valid: true}, detail: detail}
	hash := chainHash(lastHash, e)
	args := []any{e.id, at, nullID(userID), action, entity, entityID, detail, hash}
	if engineOf(tx) == enginePostgres {
		// The notice to the other desks (watch.go) rides along when the
		// event is a change; a WITH query runs only if it is used.
		notify, from := "", "e"
		if !readActions[action] {
			notify, from = `, n AS (SELECT pg_notify('`+changeChannel+`', ''))`, "e, n"
		}
		_, err := tx.ExecContext(ctx, `WITH e AS (`+auditInsertSealed+` RETURNING id, hash)`+notify+`
			INSERT INTO audit_head (id, last_id, last_hash) SELECT 1, e.id, e.hash FROM `+from+`
			ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash`, args...)
		return err
	}
	if _, err := tx.ExecContext(ctx, auditInsertSealed, args...); err != nil {
		return err
	}
	return setAuditHead(ctx, tx, e.id, hash)
}

// auditInsertSealed writes an event with its hash.
const auditInsertSealed = `INSERT INTO audit_events (id, at, user_id, action, entity, entity_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
