-- Issue 12: a name's page in every sort order at any size.
--
-- 010 files each referral under the starts of its patient's names in
-- received order, so a name matching many is walked there. Sorted any
-- other way, a name matching a few thousand ("wil" on 500,000 patients:
-- 1,672) was read whole and sorted, a cost that grows with the register.
-- The starts now carry each referral's sort keys, with an index per
-- order, so that a name's page walks its start in the list's order and
-- stops at the page (data/referral_list.go, walkNameStart):
--   - the patient's name keys, and NHS number (none first, as the list
--     has it);
--   - source, and status as its place in the list (received 1 … unable to
--     contact 7);
--   - link worker (0: nobody; the list walks workers in name order, a
--     group each), and last activity;
--   - days waiting: the days of a wait that has ended (still_waiting 0)
--     are fixed; the few still waiting count up to today and are read and
--     sorted, as referrals_still_waiting has them.
-- The table is made afresh with the new columns; the triggers keep them:
-- 010's on referral_names (the names, the number, the received date), and
-- one on referrals for the rest.
DROP TRIGGER referral_name_starts_insert;
DROP TRIGGER referral_name_starts_update;
DROP TRIGGER referral_name_starts_delete;
DROP VIEW referral_name_start_rows;
DROP TABLE referral_name_starts;

CREATE TABLE referral_name_starts (
    start             TEXT    NOT NULL,
    received_on       TEXT    NOT NULL,
    referral_id       INTEGER NOT NULL,
    source            TEXT    NOT NULL,
    status_rank       INTEGER NOT NULL,
    worker            INTEGER NOT NULL,
    last_activity_at  TEXT    NOT NULL,
    still_waiting     INTEGER NOT NULL,
    waited            INTEGER,
    family_key        TEXT    NOT NULL,
    given_key         TEXT    NOT NULL,
    nhs_number        TEXT,
    PRIMARY KEY (start, received_on, referral_id)
) WITHOUT ROWID;
CREATE INDEX referral_name_starts_referral ON referral_name_starts (referral_id);
CREATE INDEX referral_name_starts_source ON referral_name_starts (start, source, referral_id);
CREATE INDEX referral_name_starts_status ON referral_name_starts (start, status_rank, referral_id);
CREATE INDEX referral_name_starts_worker ON referral_name_starts (start, worker, referral_id);
CREATE INDEX referral_name_starts_activity ON referral_name_starts (start, last_activity_at, referral_id);
CREATE INDEX referral_name_starts_waited ON referral_name_starts (start, still_waiting, waited, referral_id);
CREATE INDEX referral_name_starts_patient ON referral_name_starts (start, family_key, given_key, referral_id);
CREATE INDEX referral_name_starts_nhs ON referral_name_starts (start, nhs_number, referral_id);

-- A referral's sort keys, as the list sorts by them (data/referral_list.go:
-- sortTerms, waitedSQL).
CREATE VIEW referral_sort_keys AS
    SELECT r.id AS referral_id, r.source,
        CASE r.status WHEN 'received' THEN 1 WHEN 'contacted' THEN 2 WHEN 'accepted' THEN 3 WHEN 'active' THEN 4
            WHEN 'closed' THEN 5 WHEN 'declined' THEN 6 ELSE 7 END AS status_rank,
        coalesce(r.link_worker_id, 0) AS worker, r.last_activity_at,
        CASE WHEN r.first_contact_at IS NULL AND r.status IN ('received', 'contacted', 'accepted', 'active') THEN 1 ELSE 0 END
            AS still_waiting,
        CASE WHEN r.first_contact_at IS NULL AND r.status IN ('received', 'contacted', 'accepted', 'active') THEN NULL
            ELSE CAST(julianday(coalesce(substr(r.first_contact_at, 1, 10), substr(r.status_changed_at, 1, 10)))
                - julianday(r.received_on) AS INTEGER) END AS waited
    FROM referrals r;

-- Each referral's starts, as 010 had them, with its sort keys.
CREATE VIEW referral_name_start_rows AS
    SELECT s.start, s.received_on, s.referral_id, k.source, k.status_rank, k.worker, k.last_activity_at, k.still_waiting, k.waited,
        s.family_key, s.given_key, s.nhs_number
    FROM (
        SELECT substr(w.value, 1, n.n) AS start, rn.received_on, rn.referral_id, rn.family_key, rn.given_key, rn.nhs_number
        FROM referral_names rn,
            json_each('["' || replace(replace(replace(replace(replace(rn.family_key || ' ' || rn.given_key, '\', '\\'), '"', '\"'),
                ' ', '","'), '-', '","'), '''', '","') || '"]') w,
            (SELECT 1 AS n UNION ALL SELECT 2) n
        WHERE w.value <> ''
        UNION ALL
        SELECT '#' || substr(rn.nhs_number, 1, n.n), rn.received_on, rn.referral_id, rn.family_key, rn.given_key, rn.nhs_number
        FROM referral_names rn, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) n
        WHERE rn.nhs_number IS NOT NULL
    ) s CROSS JOIN referral_sort_keys k ON k.referral_id = s.referral_id;

INSERT OR IGNORE INTO referral_name_starts SELECT * FROM referral_name_start_rows;

CREATE TRIGGER referral_name_starts_insert AFTER INSERT ON referral_names BEGIN
    INSERT OR IGNORE INTO referral_name_starts SELECT * FROM referral_name_start_rows WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER referral_name_starts_update AFTER UPDATE OF given_key, family_key, received_on, nhs_number ON referral_names
    WHEN old.given_key IS NOT new.given_key OR old.family_key IS NOT new.family_key OR old.received_on IS NOT new.received_on
        OR old.nhs_number IS NOT new.nhs_number
BEGIN
    DELETE FROM referral_name_starts WHERE referral_id = old.referral_id;
    INSERT OR IGNORE INTO referral_name_starts SELECT * FROM referral_name_start_rows WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER referral_name_starts_delete AFTER DELETE ON referral_names BEGIN
    DELETE FROM referral_name_starts WHERE referral_id = old.referral_id;
END;
-- A referral's keys, each by its own trigger when it changes: SQLite
-- rewrites an index's entries for every column an UPDATE sets, so one
-- trigger setting them all made reassigning a referral four times as slow.
CREATE TRIGGER referral_name_starts_source AFTER UPDATE OF source ON referrals WHEN old.source IS NOT new.source BEGIN
    UPDATE referral_name_starts SET source = new.source WHERE referral_id = new.id;
END;
CREATE TRIGGER referral_name_starts_worker AFTER UPDATE OF link_worker_id ON referrals
    WHEN old.link_worker_id IS NOT new.link_worker_id
BEGIN
    UPDATE referral_name_starts SET worker = coalesce(new.link_worker_id, 0) WHERE referral_id = new.id;
END;
CREATE TRIGGER referral_name_starts_activity AFTER UPDATE OF last_activity_at ON referrals
    WHEN old.last_activity_at IS NOT new.last_activity_at
BEGIN
    UPDATE referral_name_starts SET last_activity_at = new.last_activity_at WHERE referral_id = new.id;
END;
CREATE TRIGGER referral_name_starts_wait AFTER UPDATE OF status, first_contact_at, status_changed_at, received_on ON referrals
    WHEN old.status IS NOT new.status OR old.first_contact_at IS NOT new.first_contact_at
        OR old.status_changed_at IS NOT new.status_changed_at OR old.received_on IS NOT new.received_on
BEGIN
    UPDATE referral_name_starts SET (status_rank, still_waiting, waited) =
        (SELECT status_rank, still_waiting, waited FROM referral_sort_keys WHERE referral_id = new.id)
        WHERE referral_id = new.id;
END;
