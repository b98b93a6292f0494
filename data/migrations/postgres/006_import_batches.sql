-- PostgreSQL's counterpart of ../006_import_batches.sql. published is a
-- boolean here: the store asks "WHERE NOT published", which PostgreSQL
-- reads only of a boolean (SQLite stores the same true as 1).

CREATE TABLE import_batches (
    id          bigint  PRIMARY KEY,
    host        text    NOT NULL,
    pid         bigint  NOT NULL,
    started_at  text    NOT NULL,
    alive_at    text    NOT NULL,
    published   boolean NOT NULL DEFAULT false
);
CREATE TRIGGER import_batches_next_id BEFORE INSERT ON import_batches
    FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION linkwell_next_id();
CREATE INDEX import_batches_unpublished ON import_batches (id) WHERE NOT published;

ALTER TABLE services ADD COLUMN import_batch bigint;
CREATE INDEX services_import_batch ON services (import_batch);

-- The directory's search is a generated column (001_schema.sql), which
-- follows its own four columns: nothing to change for the search.
