-- PostgreSQL's counterpart of ../003_list_indexes.sql.

DROP INDEX patients_family;
CREATE INDEX patients_family ON patients (family_key, given_key, date_of_birth);
DROP INDEX patients_given;
CREATE INDEX patients_given ON patients (given_key, family_key, date_of_birth);

CREATE INDEX patients_many_words ON patients (given_key, family_key)
    WHERE instr(given_key, ' ') > 0 OR instr(family_key, ' ') > 0;

CREATE INDEX patients_no_nhs ON patients (id) WHERE nhs_number IS NULL;

CREATE INDEX referrals_source_order ON referrals (source);
CREATE INDEX referrals_worker_order ON referrals (coalesce(link_worker_id, 0));
CREATE INDEX referrals_status_order ON referrals ((CASE status WHEN 'received' THEN 1 WHEN 'contacted' THEN 2
    WHEN 'accepted' THEN 3 WHEN 'active' THEN 4 WHEN 'closed' THEN 5 WHEN 'declined' THEN 6 ELSE 7 END));

CREATE INDEX referrals_narrow ON referrals (id, status, received_on, link_worker_id, source, patient_id);

CREATE INDEX referrals_waited ON referrals ((CAST(julianday(coalesce(substr(first_contact_at, 1, 10),
    substr(status_changed_at, 1, 10))) - julianday(received_on) AS INTEGER)))
    WHERE first_contact_at IS NOT NULL OR status NOT IN ('received', 'contacted', 'accepted', 'active');
CREATE INDEX referrals_still_waiting ON referrals (received_on)
    WHERE first_contact_at IS NULL AND status IN ('received', 'contacted', 'accepted', 'active');

-- Kept by a trigger, as on SQLite.
CREATE TABLE referral_counts (
    status          text NOT NULL,
    link_worker_id  bigint NOT NULL,
    source          text NOT NULL,
    n               bigint NOT NULL,
    PRIMARY KEY (status, link_worker_id, source)
);
INSERT INTO referral_counts (status, link_worker_id, source, n)
    SELECT status, coalesce(link_worker_id, 0), source, count(*) FROM referrals GROUP BY 1, 2, 3;
CREATE FUNCTION referral_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE referral_counts SET n = n - 1
            WHERE status = OLD.status AND link_worker_id = coalesce(OLD.link_worker_id, 0) AND source = OLD.source;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO referral_counts AS c (status, link_worker_id, source, n)
            VALUES (NEW.status, coalesce(NEW.link_worker_id, 0), NEW.source, 1)
            ON CONFLICT (status, link_worker_id, source) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_counts_insert AFTER INSERT OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION referral_counts_keep();
CREATE TRIGGER referral_counts_update AFTER UPDATE OF status, link_worker_id, source ON referrals
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.link_worker_id IS DISTINCT FROM NEW.link_worker_id
        OR OLD.source IS DISTINCT FROM NEW.source)
    EXECUTE FUNCTION referral_counts_keep();
