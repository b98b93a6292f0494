-- Issue 12: the name and NHS number filters' pages and counts at any size.
--
-- The NHS number filter: "9", "99900" (the first digits typed) matched
-- the referrals of every patient whose number starts so, found through
-- patients in number order: thousands of patients read to count a few
-- hundred referrals, and a page that walked every referral to test each
-- one's patient (68 ms for "99900" on 500,000 patients). referral_names
-- now carries the number too: the matches, their statuses and received
-- dates come from one index, as a name's do, and a walk tests the copy.
ALTER TABLE referral_names ADD COLUMN nhs_number TEXT;
UPDATE referral_names SET nhs_number = (SELECT p.nhs_number FROM patients p WHERE p.id = referral_names.patient_id);
CREATE INDEX referral_names_nhs ON referral_names (nhs_number, status, received_on);
DROP TRIGGER referral_names_insert;
CREATE TRIGGER referral_names_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key, received_on, nhs_number)
        SELECT new.id, new.patient_id, new.status, p.given_key, p.family_key, new.received_on, p.nhs_number FROM patients p WHERE p.id = new.patient_id;
END;
DROP TRIGGER referral_names_update;
CREATE TRIGGER referral_names_update AFTER UPDATE OF patient_id, status, received_on ON referrals
    WHEN old.patient_id IS NOT new.patient_id OR old.status IS NOT new.status OR old.received_on IS NOT new.received_on
BEGIN
    UPDATE referral_names SET patient_id = new.patient_id, status = new.status, received_on = new.received_on,
        given_key = (SELECT given_key FROM patients WHERE id = new.patient_id),
        family_key = (SELECT family_key FROM patients WHERE id = new.patient_id),
        nhs_number = (SELECT nhs_number FROM patients WHERE id = new.patient_id)
        WHERE referral_id = new.id;
END;
DROP TRIGGER referral_names_rename;
CREATE TRIGGER referral_names_rename AFTER UPDATE OF given_key, family_key, nhs_number ON patients
    WHEN old.given_key IS NOT new.given_key OR old.family_key IS NOT new.family_key OR old.nhs_number IS NOT new.nhs_number
BEGIN
    UPDATE referral_names SET given_key = new.given_key, family_key = new.family_key, nhs_number = new.nhs_number WHERE patient_id = new.id;
END;

-- The pages, newest first. A name that matches many referrals ("s",
-- "wil") was read whole and sorted by received date for its page:
-- thousands of rows on a large network. Here each referral is filed, in
-- received order, under the first letter and the first two letters of
-- every word of its patient's names (split at spaces, hyphens and
-- apostrophes, as patient_name_words is), and under '#' and the first one
-- to four digits of the NHS number. The name filter walks the start its
-- longest word begins with, newest first, tests each referral's names,
-- and stops at the page; up to four digits of a number are a start whose
-- referrals all match (data/referral_list.go, walkNameStart). The
-- triggers keep it in step with referral_names, which follows referrals
-- and patients' names and numbers.
CREATE TABLE referral_name_starts (
    start        TEXT    NOT NULL,
    received_on  TEXT    NOT NULL,
    referral_id  INTEGER NOT NULL,
    PRIMARY KEY (start, received_on, referral_id)
) WITHOUT ROWID;
CREATE INDEX referral_name_starts_referral ON referral_name_starts (referral_id);

-- Each referral's starts: the words by json_each, as in 008
-- ('["van","der","berg","ann"]'), and the number's digits. The fill and
-- the triggers read it for one referral (referral_id = …).
CREATE VIEW referral_name_start_rows AS
    SELECT substr(w.value, 1, n.n) AS start, rn.received_on, rn.referral_id
    FROM referral_names rn,
        json_each('["' || replace(replace(replace(replace(replace(rn.family_key || ' ' || rn.given_key, '\', '\\'), '"', '\"'),
            ' ', '","'), '-', '","'), '''', '","') || '"]') w,
        (SELECT 1 AS n UNION ALL SELECT 2) n
    WHERE w.value <> ''
    UNION ALL
    SELECT '#' || substr(rn.nhs_number, 1, n.n), rn.received_on, rn.referral_id
    FROM referral_names rn, (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) n
    WHERE rn.nhs_number IS NOT NULL;

INSERT OR IGNORE INTO referral_name_starts (start, received_on, referral_id)
    SELECT start, received_on, referral_id FROM referral_name_start_rows;

CREATE TRIGGER referral_name_starts_insert AFTER INSERT ON referral_names BEGIN
    INSERT OR IGNORE INTO referral_name_starts (start, received_on, referral_id)
        SELECT start, received_on, referral_id FROM referral_name_start_rows WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER referral_name_starts_update AFTER UPDATE OF given_key, family_key, received_on, nhs_number ON referral_names
    WHEN old.given_key IS NOT new.given_key OR old.family_key IS NOT new.family_key OR old.received_on IS NOT new.received_on
        OR old.nhs_number IS NOT new.nhs_number
BEGIN
    DELETE FROM referral_name_starts WHERE referral_id = old.referral_id;
    INSERT OR IGNORE INTO referral_name_starts (start, received_on, referral_id)
        SELECT start, received_on, referral_id FROM referral_name_start_rows WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER referral_name_starts_delete AFTER DELETE ON referral_names BEGIN
    DELETE FROM referral_name_starts WHERE referral_id = old.referral_id;
END;
