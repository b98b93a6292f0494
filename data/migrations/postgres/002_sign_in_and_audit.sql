-- PostgreSQL's counterpart of ../002_sign_in_and_audit.sql.

ALTER TABLE users ADD COLUMN failed_attempts bigint NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until text;

-- Go computes the seals, as on SQLite, so both engines seal alike.
ALTER TABLE audit_events ADD COLUMN hash text;

CREATE TABLE audit_head (
    id         bigint PRIMARY KEY CHECK (id = 1),
    last_id    bigint NOT NULL,
    last_hash  text NOT NULL
);

CREATE TRIGGER audit_head_next_id BEFORE INSERT ON audit_head
    FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION linkwell_next_id();

-- An event still cannot be changed, except to be sealed once.
CREATE OR REPLACE FUNCTION audit_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.id = OLD.id
        AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id
        AND NEW.action IS NOT DISTINCT FROM OLD.action AND NEW.entity IS NOT DISTINCT FROM OLD.entity
        AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.detail IS NOT DISTINCT FROM OLD.detail THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events cannot be changed';
END $$;
