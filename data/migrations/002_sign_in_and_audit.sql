-- Issue 13: sign-in lock-out (data/users.go) and the sealed audit
-- (data/audit_chain.go). Numbered 003 because 002 belongs to other work.

-- Failed sign-ins since the last good one; the fifth locks the account
-- until locked_until (an instant, like every other; NULL when not locked).
ALTER TABLE users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;

-- Each audit event is sealed with a SHA-256 of its content and of the seal
-- before it, so an edited, removed or inserted event breaks the chain. Go
-- computes the seals (SQLite has no SHA-256); events from before this
-- migration are sealed, in id order, when the app next opens the database.
ALTER TABLE audit_events ADD COLUMN hash TEXT;

-- The newest sealed event, so that removing the newest events shows too.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_id    INTEGER NOT NULL,
    last_hash  TEXT    NOT NULL
);

-- An event still cannot be changed, except to be sealed once.
DROP TRIGGER audit_no_update;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.id = OLD.id AND NEW.at IS OLD.at
    AND NEW.user_id IS OLD.user_id AND NEW.action IS OLD.action AND NEW.entity IS OLD.entity
    AND NEW.entity_id IS OLD.entity_id AND NEW.detail IS OLD.detail)
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be changed');
END;
