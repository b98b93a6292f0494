-- Issue 12: the name filter's first page, newest first, at any size.
--
-- A name that matches many referrals ("s", "wil") was read whole and
-- sorted by received date for its page: thousands of rows on a large
-- network. Here each referral is filed under the first letter and the
-- first two letters of every word of its patient's names (split at
-- spaces, hyphens and apostrophes, as patient_name_words is), in received
-- order: the filter walks the one start its longest word begins with,
-- newest first, tests each referral's names, and stops at the page
-- (data/referral_list.go, walkNameStart). The triggers keep it in step
-- with referral_names, which follows referrals and patients' names.
CREATE TABLE referral_name_starts (
    start        TEXT    NOT NULL,
    received_on  TEXT    NOT NULL,
    referral_id  INTEGER NOT NULL,
    PRIMARY KEY (start, received_on, referral_id)
) WITHOUT ROWID;
CREATE INDEX referral_name_starts_referral ON referral_name_starts (referral_id);

-- The words by json_each, as in 008: '["van","der","berg","ann"]'.
INSERT OR IGNORE INTO referral_name_starts (start, received_on, referral_id)
    SELECT substr(w.value, 1, n.n), rn.received_on, rn.referral_id
    FROM referral_names rn,
        json_each('["' || replace(replace(replace(replace(replace(rn.family_key || ' ' || rn.given_key, '\', '\\'), '"', '\"'),
            ' ', '","'), '-', '","'), '''', '","') || '"]') w,
        (SELECT 1 AS n UNION ALL SELECT 2) n
    WHERE w.value <> '';

CREATE TRIGGER referral_name_starts_insert AFTER INSERT ON referral_names BEGIN
    INSERT OR IGNORE INTO referral_name_starts (start, received_on, referral_id)
        SELECT substr(w.value, 1, n.n), new.received_on, new.referral_id
        FROM json_each('["' || replace(replace(replace(replace(replace(new.family_key || ' ' || new.given_key, '\', '\\'), '"', '\"'),
                ' ', '","'), '-', '","'), '''', '","') || '"]') w,
            (SELECT 1 AS n UNION ALL SELECT 2) n
        WHERE w.value <> '';
END;
CREATE TRIGGER referral_name_starts_update AFTER UPDATE OF given_key, family_key, received_on ON referral_names
    WHEN old.given_key IS NOT new.given_key OR old.family_key IS NOT new.family_key OR old.received_on IS NOT new.received_on
BEGIN
    DELETE FROM referral_name_starts WHERE referral_id = old.referral_id;
    INSERT OR IGNORE INTO referral_name_starts (start, received_on, referral_id)
        SELECT substr(w.value, 1, n.n), new.received_on, new.referral_id
        FROM json_each('["' || replace(replace(replace(replace(replace(new.family_key || ' ' || new.given_key, '\', '\\'), '"', '\"'),
                ' ', '","'), '-', '","'), '''', '","') || '"]') w,
            (SELECT 1 AS n UNION ALL SELECT 2) n
        WHERE w.value <> '';
END;
CREATE TRIGGER referral_name_starts_delete AFTER DELETE ON referral_names BEGIN
    DELETE FROM referral_name_starts WHERE referral_id = old.referral_id;
END;
