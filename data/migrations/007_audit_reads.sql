-- Issue 13: the practice manager's Audit screen (data/audit_list.go) pages
-- the audit newest first, filtered by user or action. With these indexes
-- (each holds the event's id) a filtered page walks one index in id order
-- and stops when the page is full. Filters by record use audit_entity, by
-- date audit_at (001_schema.sql).
CREATE INDEX audit_user ON audit_events (user_id);
CREATE INDEX audit_action ON audit_events (action);
