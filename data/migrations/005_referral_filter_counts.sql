-- The referrals list's counts for a reason or a date range, read from a few
-- maintained rows rather than counted over every matching referral
-- (issue 12). data/referral_list.go reads them.
--
-- How many referrals were received in each month (YYYY-MM) and on each day
-- (YYYY-MM-DD) in each status, for each reason ('' counts every referral
-- once, whatever its reasons). A range of dates reads its whole months from
-- the first table and the days at either end from the second, so "since
-- 2020" reads a few hundred rows however many referrals there are. The
-- triggers below keep both exact.
CREATE TABLE referral_month_counts (
    reason  TEXT    NOT NULL,
    month   TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (reason, month, status)
) WITHOUT ROWID;
CREATE TABLE referral_day_counts (
    reason  TEXT    NOT NULL,
    day     TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (reason, day, status)
) WITHOUT ROWID;

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

-- A new referral counts under ''; its reasons, inserted after it, count
-- under each reason.
CREATE TRIGGER referral_filter_counts_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_month_counts (reason, month, status, n)
        VALUES ('', substr(new.received_on, 1, 7), new.status, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO referral_day_counts (reason, day, status, n)
        VALUES ('', new.received_on, new.status, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER referral_filter_counts_reason_insert AFTER INSERT ON referral_reasons BEGIN
    INSERT INTO referral_month_counts (reason, month, status, n)
        SELECT new.reason, substr(r.received_on, 1, 7), r.status, 1 FROM referrals r WHERE r.id = new.referral_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO referral_day_counts (reason, day, status, n)
        SELECT new.reason, r.received_on, r.status, 1 FROM referrals r WHERE r.id = new.referral_id
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- A reason taken off a referral that is still there. (When the referral
-- itself is deleted, its reasons go by ON DELETE CASCADE after it has gone:
-- the trigger below has already counted them out.)
CREATE TRIGGER referral_filter_counts_reason_delete AFTER DELETE ON referral_reasons BEGIN
    UPDATE referral_month_counts SET n = n - 1
        WHERE reason = old.reason
          AND (month, status) IN (SELECT substr(r.received_on, 1, 7), r.status FROM referrals r WHERE r.id = old.referral_id);
    UPDATE referral_day_counts SET n = n - 1
        WHERE reason = old.reason
          AND (day, status) IN (SELECT r.received_on, r.status FROM referrals r WHERE r.id = old.referral_id);
END;
CREATE TRIGGER referral_filter_counts_reason_update AFTER UPDATE ON referral_reasons BEGIN
    UPDATE referral_month_counts SET n = n - 1
        WHERE reason = old.reason
          AND (month, status) IN (SELECT substr(r.received_on, 1, 7), r.status FROM referrals r WHERE r.id = old.referral_id);
    UPDATE referral_day_counts SET n = n - 1
        WHERE reason = old.reason
          AND (day, status) IN (SELECT r.received_on, r.status FROM referrals r WHERE r.id = old.referral_id);
    INSERT INTO referral_month_counts (reason, month, status, n)
        SELECT new.reason, substr(r.received_on, 1, 7), r.status, 1 FROM referrals r WHERE r.id = new.referral_id
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO referral_day_counts (reason, day, status, n)
        SELECT new.reason, r.received_on, r.status, 1 FROM referrals r WHERE r.id = new.referral_id
        ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- BEFORE, while the referral's reasons are still there.
CREATE TRIGGER referral_filter_counts_delete BEFORE DELETE ON referrals BEGIN
    UPDATE referral_month_counts SET n = n - 1
        WHERE month = substr(old.received_on, 1, 7) AND status = old.status
          AND reason IN (SELECT '' UNION ALL SELECT reason FROM referral_reasons WHERE referral_id = old.id);
    UPDATE referral_day_counts SET n = n - 1
        WHERE day = old.received_on AND status = old.status
          AND reason IN (SELECT '' UNION ALL SELECT reason FROM referral_reasons WHERE referral_id = old.id);
END;
CREATE TRIGGER referral_filter_counts_update AFTER UPDATE OF status, received_on ON referrals
    WHEN old.status IS NOT new.status OR old.received_on IS NOT new.received_on
BEGIN
    UPDATE referral_month_counts SET n = n - 1
        WHERE month = substr(old.received_on, 1, 7) AND status = old.status
          AND reason IN (SELECT '' UNION ALL SELECT reason FROM referral_reasons WHERE referral_id = old.id);
    UPDATE referral_day_counts SET n = n - 1
        WHERE day = old.received_on AND status = old.status
          AND reason IN (SELECT '' UNION ALL SELECT reason FROM referral_reasons WHERE referral_id = old.id);
    INSERT INTO referral_month_counts (reason, month, status, n)
        SELECT reason, substr(new.received_on, 1, 7), new.status, 1
        FROM (SELECT '' AS reason UNION ALL SELECT reason FROM referral_reasons WHERE referral_id = new.id) WHERE true
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO referral_day_counts (reason, day, status, n)
        SELECT reason, new.received_on, new.status, 1
        FROM (SELECT '' AS reason UNION ALL SELECT reason FROM referral_reasons WHERE referral_id = new.id) WHERE true
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The referrals list's name filter: each referral with its status and its
-- patient's name keys, so that a name finds the referrals it matches, and
-- counts them by status, from an index alone, without first reading every
-- patient of that name (most have never been referred). A typed word
-- starts the given or the family name, or a later word of one: the second
-- word has its own indexes; names of three words or more are few, kept in
-- a partial index read whole. The triggers keep the copy in step with
-- referrals and with patients' names.
CREATE TABLE referral_names (
    referral_id  INTEGER PRIMARY KEY,
    patient_id   INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    given_key    TEXT    NOT NULL,
    family_key   TEXT    NOT NULL
);
INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key)
    SELECT r.id, r.patient_id, r.status, p.given_key, p.family_key FROM referrals r JOIN patients p ON p.id = r.patient_id;
CREATE INDEX referral_names_patient ON referral_names (patient_id);
CREATE INDEX referral_names_family ON referral_names (family_key, given_key, status);
CREATE INDEX referral_names_given ON referral_names (given_key, family_key, status);
CREATE INDEX referral_names_family_second ON referral_names (substr(family_key, instr(family_key, ' ') + 1), given_key, family_key, status)
    WHERE instr(family_key, ' ') > 0;
CREATE INDEX referral_names_given_second ON referral_names (substr(given_key, instr(given_key, ' ') + 1), given_key, family_key, status)
    WHERE instr(given_key, ' ') > 0;
CREATE INDEX referral_names_more_words ON referral_names (given_key, family_key, status)
    WHERE instr(substr(given_key, instr(given_key, ' ') + 1), ' ') > 0 AND instr(given_key, ' ') > 0
       OR instr(substr(family_key, instr(family_key, ' ') + 1), ' ') > 0 AND instr(family_key, ' ') > 0;

CREATE TRIGGER referral_names_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key)
        SELECT new.id, new.patient_id, new.status, p.given_key, p.family_key FROM patients p WHERE p.id = new.patient_id;
END;
CREATE TRIGGER referral_names_delete AFTER DELETE ON referrals BEGIN
    DELETE FROM referral_names WHERE referral_id = old.id;
END;
CREATE TRIGGER referral_names_update AFTER UPDATE OF patient_id, status ON referrals
    WHEN old.patient_id IS NOT new.patient_id OR old.status IS NOT new.status
BEGIN
    UPDATE referral_names SET patient_id = new.patient_id, status = new.status,
        given_key = (SELECT given_key FROM patients WHERE id = new.patient_id),
        family_key = (SELECT family_key FROM patients WHERE id = new.patient_id)
        WHERE referral_id = new.id;
END;
CREATE TRIGGER referral_names_rename AFTER UPDATE OF given_key, family_key ON patients
    WHEN old.given_key IS NOT new.given_key OR old.family_key IS NOT new.family_key
BEGIN
    UPDATE referral_names SET given_key = new.given_key, family_key = new.family_key WHERE patient_id = new.id;
END;

-- The name filter read patients_many_words before referral_names.
DROP INDEX patients_many_words;

-- A caseload's missed-appointment warning counts each open referral's DNAs
-- from this index alone, without reading its other appointments.
CREATE INDEX appointments_dna ON appointments (referral_id, starts_at, status) WHERE status = 'dna';

-- A link worker's caseload by days waiting: the open referrals whose wait
-- has ended (first contact made), by link worker then wait, so that the
-- walk stops at the page; the few still waiting come from
-- referrals_still_waiting as before.
CREATE INDEX referrals_open_waited ON referrals (link_worker_id, CAST(julianday(coalesce(substr(first_contact_at, 1, 10),
    substr(status_changed_at, 1, 10))) - julianday(received_on) AS INTEGER))
    WHERE first_contact_at IS NOT NULL AND status IN ('received', 'contacted', 'accepted', 'active');
