-- PostgreSQL's counterpart of ../011_name_start_orders.sql (see there):
-- each referral's sort keys in referral_name_starts, an index per order,
-- kept by 010's trigger function on referral_names and one on referrals.
DROP TABLE referral_name_starts;
CREATE TABLE referral_name_starts (
    start             text    NOT NULL,
    received_on       text    NOT NULL,
    referral_id       bigint  NOT NULL,
    source            text    NOT NULL,
    status_rank       integer NOT NULL,
    worker            bigint  NOT NULL,
    last_activity_at  text    NOT NULL,
    still_waiting     integer NOT NULL,
    waited            integer,
    family_key        text    NOT NULL,
    given_key         text    NOT NULL,
    nhs_number        text,
    PRIMARY KEY (start, received_on, referral_id)
);

-- A referral's sort keys, as the list sorts by them (data/referral_list.go:
-- sortTerms, pgWaitedSQL).
CREATE VIEW referral_sort_keys AS
    SELECT r.id AS referral_id, r.source,
        CASE r.status WHEN 'received' THEN 1 WHEN 'contacted' THEN 2 WHEN 'accepted' THEN 3 WHEN 'active' THEN 4
            WHEN 'closed' THEN 5 WHEN 'declined' THEN 6 ELSE 7 END AS status_rank,
        coalesce(r.link_worker_id, 0) AS worker, r.last_activity_at,
        CASE WHEN r.first_contact_at IS NULL AND r.status IN ('received', 'contacted', 'accepted', 'active') THEN 1 ELSE 0 END
            AS still_waiting,
        CASE WHEN r.first_contact_at IS NULL AND r.status IN ('received', 'contacted', 'accepted', 'active') THEN NULL
            ELSE linkwell_day_diff(coalesce(substr(r.first_contact_at, 1, 10), substr(r.status_changed_at, 1, 10)), r.received_on) END
            AS waited
    FROM referrals r;

INSERT INTO referral_name_starts
    SELECT DISTINCT s, rn.received_on, rn.referral_id, k.source, k.status_rank, k.worker, k.last_activity_at, k.still_waiting, k.waited,
        rn.family_key, rn.given_key, rn.nhs_number
    FROM referral_names rn CROSS JOIN linkwell_name_starts(rn.family_key, rn.given_key, rn.nhs_number) AS s
        JOIN referral_sort_keys k ON k.referral_id = rn.referral_id;
CREATE INDEX referral_name_starts_referral ON referral_name_starts (referral_id);
CREATE INDEX referral_name_starts_source ON referral_name_starts (start, source, referral_id);
CREATE INDEX referral_name_starts_status ON referral_name_starts (start, status_rank, referral_id);
CREATE INDEX referral_name_starts_worker ON referral_name_starts (start, worker, referral_id);
CREATE INDEX referral_name_starts_activity ON referral_name_starts (start, last_activity_at, referral_id);
CREATE INDEX referral_name_starts_waited ON referral_name_starts (start, still_waiting, waited, referral_id);
CREATE INDEX referral_name_starts_patient ON referral_name_starts (start, family_key, given_key, referral_id);
CREATE INDEX referral_name_starts_nhs ON referral_name_starts (start, nhs_number, referral_id);
-- Those without a number by id: PostgreSQL does not take IS NULL as
-- fixing nhs_number for the order, as SQLite does.
CREATE INDEX referral_name_starts_no_nhs ON referral_name_starts (start, referral_id) WHERE nhs_number IS NULL;

CREATE OR REPLACE FUNCTION referral_name_starts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM referral_name_starts WHERE referral_id = OLD.referral_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO referral_name_starts
            SELECT DISTINCT s, NEW.received_on, NEW.referral_id, k.source, k.status_rank, k.worker, k.last_activity_at,
                k.still_waiting, k.waited, NEW.family_key, NEW.given_key, NEW.nhs_number
            FROM linkwell_name_starts(NEW.family_key, NEW.given_key, NEW.nhs_number) AS s
                CROSS JOIN referral_sort_keys k WHERE k.referral_id = NEW.referral_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION referral_name_starts_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE referral_name_starts SET (source, status_rank, worker, last_activity_at, still_waiting, waited) =
        (SELECT source, status_rank, worker, last_activity_at, still_waiting, waited FROM referral_sort_keys WHERE referral_id = NEW.id)
        WHERE referral_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_name_starts_keys AFTER UPDATE OF source, status, link_worker_id, last_activity_at, first_contact_at,
    status_changed_at, received_on ON referrals
    FOR EACH ROW WHEN (OLD.source IS DISTINCT FROM NEW.source OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.link_worker_id IS DISTINCT FROM NEW.link_worker_id OR OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at
        OR OLD.first_contact_at IS DISTINCT FROM NEW.first_contact_at OR OLD.status_changed_at IS DISTINCT FROM NEW.status_changed_at
        OR OLD.received_on IS DISTINCT FROM NEW.received_on)
    EXECUTE FUNCTION referral_name_starts_keys();
