-- PostgreSQL's counterpart of ../005_referral_filter_counts.sql: the same
-- tables, kept exact by the same rules (PL/pgSQL triggers for SQLite's).

CREATE TABLE referral_month_counts (
    reason  text   NOT NULL,
    month   text   NOT NULL,
    status  text   NOT NULL,
    n       bigint NOT NULL,
    PRIMARY KEY (reason, month, status)
);
CREATE TABLE referral_day_counts (
    reason  text   NOT NULL,
    day     text   NOT NULL,
    status  text   NOT NULL,
    n       bigint NOT NULL,
    PRIMARY KEY (reason, day, status)
);

INSERT INTO referral_month_counts (reason, month, status, n)
    SELECT '', substr(received_on, 1, 7), status, count(*) FROM referrals GROUP BY 1, 2, 3
    UNION ALL
    SELECT rr.reason, substr(r.received_on, 1, 7), r.status, count(*)
        FROM referral_reasons rr JOIN referrals r ON r.id = rr.referral_id GROUP BY 1, 2, 3;
INSERT INTO referral_day_counts (reason, day, status, n)
    SELECT '', received_on, status, count(*) FROM referrals GROUP BY 1, 2, 3
    UNION ALL
    SELECT rr.reason, r.received_on, r.status, count(*)
        FROM referral_reasons rr JOIN referrals r ON r.id = rr.referral_id GROUP BY 1, 2, 3;

-- Counts one referral in (delta 1) or out (delta -1) of its month's and
-- day's rows, under each of the given reasons.
CREATE FUNCTION referral_filter_counts_add(p_reasons text[], p_received_on text, p_status text, p_delta bigint)
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_delta > 0 THEN
        INSERT INTO referral_month_counts AS c (reason, month, status, n)
            SELECT r, substr(p_received_on, 1, 7), p_status, p_delta FROM unnest(p_reasons) AS r
            ON CONFLICT (reason, month, status) DO UPDATE SET n = c.n + excluded.n;
        INSERT INTO referral_day_counts AS c (reason, day, status, n)
            SELECT r, p_received_on, p_status, p_delta FROM unnest(p_reasons) AS r
            ON CONFLICT (reason, day, status) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        UPDATE referral_month_counts c SET n = c.n + p_delta
            WHERE c.month = substr(p_received_on, 1, 7) AND c.status = p_status AND c.reason = ANY (p_reasons);
        UPDATE referral_day_counts c SET n = c.n + p_delta
            WHERE c.day = p_received_on AND c.status = p_status AND c.reason = ANY (p_reasons);
    END IF;
END $$;

-- A referral counts under '' and under each of its reasons.
CREATE FUNCTION referral_filter_reasons(referral bigint) RETURNS text[]
    LANGUAGE sql STABLE
    RETURN ARRAY(SELECT '' UNION ALL SELECT reason FROM referral_reasons WHERE referral_id = $1);

-- A new referral counts under ''; its reasons, inserted after it, count
-- under each reason. A deleted one is counted out BEFORE the delete, while
-- its reasons are still there (they go by ON DELETE CASCADE after it, when
-- the reasons' trigger finds no referral and so counts nothing).
CREATE FUNCTION referral_filter_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM referral_filter_counts_add(ARRAY['']::text[], NEW.received_on, NEW.status, 1);
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM referral_filter_counts_add(referral_filter_reasons(OLD.id), OLD.received_on, OLD.status, -1);
        RETURN OLD;
    END IF;
    PERFORM referral_filter_counts_add(referral_filter_reasons(OLD.id), OLD.received_on, OLD.status, -1);
    PERFORM referral_filter_counts_add(referral_filter_reasons(NEW.id), NEW.received_on, NEW.status, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER referral_filter_counts_insert AFTER INSERT ON referrals
    FOR EACH ROW EXECUTE FUNCTION referral_filter_counts_keep();
CREATE TRIGGER referral_filter_counts_delete BEFORE DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION referral_filter_counts_keep();
CREATE TRIGGER referral_filter_counts_update AFTER UPDATE OF status, received_on ON referrals
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.received_on IS DISTINCT FROM NEW.received_on)
    EXECUTE FUNCTION referral_filter_counts_keep();

-- A reason added to, taken off or changed on a referral that is there.
CREATE FUNCTION referral_filter_counts_reason_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r referrals%ROWTYPE;
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT * INTO r FROM referrals WHERE id = OLD.referral_id;
        IF FOUND THEN
            PERFORM referral_filter_counts_add(ARRAY[OLD.reason], r.received_on, r.status, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT * INTO r FROM referrals WHERE id = NEW.referral_id;
        IF FOUND THEN
            PERFORM referral_filter_counts_add(ARRAY[NEW.reason], r.received_on, r.status, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_filter_counts_reason_insert AFTER INSERT OR UPDATE OR DELETE ON referral_reasons
    FOR EACH ROW EXECUTE FUNCTION referral_filter_counts_reason_keep();

-- The referrals list's name filter (see the SQLite migration).
CREATE TABLE referral_names (
    referral_id  bigint PRIMARY KEY,
    patient_id   bigint NOT NULL,
    status       text   NOT NULL,
    given_key    text   NOT NULL,
    family_key   text   NOT NULL
);
INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key)
    SELECT r.id, r.patient_id, r.status, p.given_key, p.family_key FROM referrals r JOIN patients p ON p.id = r.patient_id;
CREATE INDEX referral_names_patient ON referral_names (patient_id);
CREATE INDEX referral_names_family ON referral_names (family_key, given_key, status);
CREATE INDEX referral_names_given ON referral_names (given_key, family_key, status);
CREATE INDEX referral_names_family_second ON referral_names ((substr(family_key, instr(family_key, ' ') + 1)), given_key, family_key, status)
    WHERE instr(family_key, ' ') > 0;
CREATE INDEX referral_names_given_second ON referral_names ((substr(given_key, instr(given_key, ' ') + 1)), given_key, family_key, status)
    WHERE instr(given_key, ' ') > 0;
CREATE INDEX referral_names_more_words ON referral_names (given_key, family_key, status)
    WHERE instr(substr(given_key, instr(given_key, ' ') + 1), ' ') > 0 AND instr(given_key, ' ') > 0
       OR instr(substr(family_key, instr(family_key, ' ') + 1), ' ') > 0 AND instr(family_key, ' ') > 0;

CREATE FUNCTION referral_names_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key)
            SELECT NEW.id, NEW.patient_id, NEW.status, p.given_key, p.family_key FROM patients p WHERE p.id = NEW.patient_id;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM referral_names WHERE referral_id = OLD.id;
    ELSE
        UPDATE referral_names SET patient_id = NEW.patient_id, status = NEW.status,
            given_key = (SELECT given_key FROM patients WHERE id = NEW.patient_id),
            family_key = (SELECT family_key FROM patients WHERE id = NEW.patient_id)
            WHERE referral_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_names_insert AFTER INSERT OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION referral_names_keep();
CREATE TRIGGER referral_names_update AFTER UPDATE OF patient_id, status ON referrals
    FOR EACH ROW WHEN (OLD.patient_id IS DISTINCT FROM NEW.patient_id OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION referral_names_keep();
CREATE FUNCTION referral_names_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE referral_names SET given_key = NEW.given_key, family_key = NEW.family_key WHERE patient_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_names_rename AFTER UPDATE OF given_key, family_key ON patients
    FOR EACH ROW WHEN (OLD.given_key IS DISTINCT FROM NEW.given_key OR OLD.family_key IS DISTINCT FROM NEW.family_key)
    EXECUTE FUNCTION referral_names_rename();

DROP INDEX patients_many_words;

CREATE INDEX appointments_dna ON appointments (referral_id, starts_at, status) WHERE status = 'dna';

CREATE INDEX referrals_open_waited ON referrals (link_worker_id, (CAST(julianday(coalesce(substr(first_contact_at, 1, 10),
    substr(status_changed_at, 1, 10))) - julianday(received_on) AS INTEGER)))
    WHERE first_contact_at IS NOT NULL AND status IN ('received', 'contacted', 'accepted', 'active');
