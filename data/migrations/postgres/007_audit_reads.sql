-- PostgreSQL's counterpart of ../007_audit_reads.sql.
CREATE INDEX audit_user ON audit_events (user_id);
CREATE INDEX audit_action ON audit_events (action);
