-- A large directory import publishes in short write transactions that
-- other desks never see until the end (issue 11): its new services go in
-- hidden, a few thousand per transaction, marked with the import's batch,
-- and one short last transaction publishes the batch, which shows them all
-- at once (data/import_batch.go). Every read of the directory leaves out
-- the rows of a batch not yet published.

-- One row per import. Who runs it (host and process id) and when it last
-- wrote tell a live import from one whose program died half-way: the
-- hidden rows of a dead batch are removed the next time the database is
-- opened for writing, or an import starts.
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    host        TEXT    NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  TEXT    NOT NULL,
    alive_at    TEXT    NOT NULL,
    published   INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1))
);
-- "Is an import being written?", asked by every read of the directory.
CREATE INDEX import_batches_unpublished ON import_batches (id) WHERE NOT published;

-- The import that brought the entry (NULL: typed here, or imported before
-- this migration). Seen only once that batch is published.
-- The index finds a batch's rows, and lets the directory's count read
-- only it (it holds every entry).
ALTER TABLE services ADD COLUMN import_batch INTEGER;
CREATE INDEX services_import_batch ON services (import_batch);

-- Hidden rows are indexed for search as they go in (the insert trigger),
-- and publishing does not touch them; the index follows only the columns
-- it holds, and only when they change.
DROP TRIGGER services_fts_update;
CREATE TRIGGER services_fts_update AFTER UPDATE OF name, organisation, description, categories ON services
WHEN old.name IS NOT new.name OR old.organisation IS NOT new.organisation
    OR old.description IS NOT new.description OR old.categories IS NOT new.categories
BEGIN
    INSERT INTO services_fts (services_fts, rowid, name, organisation, description, categories)
    VALUES ('delete', old.id, old.name, old.organisation, old.description, old.categories);
    INSERT INTO services_fts (rowid, name, organisation, description, categories)
    VALUES (new.id, new.name, new.organisation, new.description, new.categories);
END;
