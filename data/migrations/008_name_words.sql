-- Issue 17: name search that finds people by every part of a name.

-- ß is now folded to ss in the name keys (foldKey in data/validate.go), so
-- that "strauss" finds Strauß. A key was its name folded letter for letter,
-- ß to s (ẞ to ß), so the letter at each place of the name says what the
-- key's letter there becomes. (A name whose key is not as long as it, from
-- a combining mark with no precomposed letter, keeps its key: so rare
-- that it is left to its next save.)
UPDATE patients SET family_key = (
    WITH RECURSIVE c (i, out) AS (
        SELECT 1, ''
        UNION ALL
        SELECT i + 1, out || CASE WHEN substr(patients.family_name, i, 1) IN ('ß', 'ẞ') THEN 'ss'
            ELSE substr(patients.family_key, i, 1) END FROM c WHERE i <= length(patients.family_name))
    SELECT out FROM c ORDER BY i DESC LIMIT 1)
WHERE (instr(family_name, 'ß') > 0 OR instr(family_name, 'ẞ') > 0) AND length(family_name) = length(family_key);
UPDATE patients SET given_key = (
    WITH RECURSIVE c (i, out) AS (
        SELECT 1, ''
        UNION ALL
        SELECT i + 1, out || CASE WHEN substr(patients.given_name, i, 1) IN ('ß', 'ẞ') THEN 'ss'
            ELSE substr(patients.given_key, i, 1) END FROM c WHERE i <= length(patients.given_name))
    SELECT out FROM c ORDER BY i DESC LIMIT 1)
WHERE (instr(given_name, 'ß') > 0 OR instr(given_name, 'ẞ') > 0) AND length(given_name) = length(given_key);

-- The later words of each patient's names: every word of the given and
-- family keys after the first, words split at spaces, hyphens and
-- apostrophes ("van der berg": der, berg; "ellis-mason": mason;
-- "o'connell": connell). The name indexes find a name by its start; this
-- finds it by any later word. About one patient in twenty-five has one, so
-- the table is small. Each word carries the search's sort order (family,
-- given, date of birth, id), so that the patients of one word are read in
-- that order and a search stops at its page. The triggers keep it.
CREATE TABLE patient_name_words (
    word           TEXT    NOT NULL,
    family_key     TEXT    NOT NULL,
    given_key      TEXT    NOT NULL,
    date_of_birth  TEXT    NOT NULL,
    patient_id     INTEGER NOT NULL,
    PRIMARY KEY (word, family_key, given_key, date_of_birth, patient_id)
) WITHOUT ROWID;
CREATE INDEX patient_name_words_patient ON patient_name_words (patient_id);

-- The words of a key, by json_each: '["van","der","berg"]' (a backslash or
-- a double quote in a name escaped first). Its key column is the word's
-- place, 0 the first.
INSERT OR IGNORE INTO patient_name_words (word, family_key, given_key, date_of_birth, patient_id)
    SELECT w.value, p.family_key, p.given_key, p.date_of_birth, p.id
    FROM patients p, json_each('["' || replace(replace(replace(replace(replace(p.family_key, '\', '\\'), '"', '\"'),
        ' ', '","'), '-', '","'), '''', '","') || '"]') w
    WHERE (instr(p.family_key, ' ') > 0 OR instr(p.family_key, '-') > 0 OR instr(p.family_key, '''') > 0)
      AND w.key > 0 AND w.value <> ''
    UNION ALL
    SELECT w.value, p.family_key, p.given_key, p.date_of_birth, p.id
    FROM patients p, json_each('["' || replace(replace(replace(replace(replace(p.given_key, '\', '\\'), '"', '\"'),
        ' ', '","'), '-', '","'), '''', '","') || '"]') w
    WHERE (instr(p.given_key, ' ') > 0 OR instr(p.given_key, '-') > 0 OR instr(p.given_key, '''') > 0)
      AND w.key > 0 AND w.value <> '';

CREATE TRIGGER patient_name_words_insert AFTER INSERT ON patients BEGIN
    INSERT OR IGNORE INTO patient_name_words (word, family_key, given_key, date_of_birth, patient_id)
        SELECT value, new.family_key, new.given_key, new.date_of_birth, new.id
        FROM json_each('["' || replace(replace(replace(replace(replace(new.family_key, '\', '\\'), '"', '\"'),
            ' ', '","'), '-', '","'), '''', '","') || '"]')
        WHERE key > 0 AND value <> ''
        UNION ALL
        SELECT value, new.family_key, new.given_key, new.date_of_birth, new.id
        FROM json_each('["' || replace(replace(replace(replace(replace(new.given_key, '\', '\\'), '"', '\"'),
            ' ', '","'), '-', '","'), '''', '","') || '"]')
        WHERE key > 0 AND value <> '';
END;
CREATE TRIGGER patient_name_words_update AFTER UPDATE OF given_key, family_key, date_of_birth ON patients
    WHEN old.given_key IS NOT new.given_key OR old.family_key IS NOT new.family_key OR old.date_of_birth IS NOT new.date_of_birth
BEGIN
    DELETE FROM patient_name_words WHERE patient_id = old.id;
    INSERT OR IGNORE INTO patient_name_words (word, family_key, given_key, date_of_birth, patient_id)
        SELECT value, new.family_key, new.given_key, new.date_of_birth, new.id
        FROM json_each('["' || replace(replace(replace(replace(replace(new.family_key, '\', '\\'), '"', '\"'),
            ' ', '","'), '-', '","'), '''', '","') || '"]')
        WHERE key > 0 AND value <> ''
        UNION ALL
        SELECT value, new.family_key, new.given_key, new.date_of_birth, new.id
        FROM json_each('["' || replace(replace(replace(replace(replace(new.given_key, '\', '\\'), '"', '\"'),
            ' ', '","'), '-', '","'), '''', '","') || '"]')
        WHERE key > 0 AND value <> '';
END;
CREATE TRIGGER patient_name_words_delete AFTER DELETE ON patients BEGIN
    DELETE FROM patient_name_words WHERE patient_id = old.id;
END;

-- The referrals list's name filter finds later words through the table
-- above now (data/referral_list.go, textTerm); these read only the second
-- word, or names of three words or more whole.
DROP INDEX referral_names_family_second;
DROP INDEX referral_names_given_second;
DROP INDEX referral_names_more_words;

-- Issue 12: the name filter's first page, in the list's default order
-- (received), and its counts from referral_names' indexes alone: each
-- referral's received date is copied there too, so that the few hundred
-- matches of a name are sorted from the index and only the page's
-- referrals are read.
ALTER TABLE referral_names ADD COLUMN received_on TEXT NOT NULL DEFAULT '';
UPDATE referral_names SET received_on = (SELECT r.received_on FROM referrals r WHERE r.id = referral_names.referral_id);
DROP INDEX referral_names_family;
CREATE INDEX referral_names_family ON referral_names (family_key, given_key, status, received_on);
DROP INDEX referral_names_given;
CREATE INDEX referral_names_given ON referral_names (given_key, family_key, status, received_on);
DROP TRIGGER referral_names_insert;
CREATE TRIGGER referral_names_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key, received_on)
        SELECT new.id, new.patient_id, new.status, p.given_key, p.family_key, new.received_on FROM patients p WHERE p.id = new.patient_id;
END;
DROP TRIGGER referral_names_update;
CREATE TRIGGER referral_names_update AFTER UPDATE OF patient_id, status, received_on ON referrals
    WHEN old.patient_id IS NOT new.patient_id OR old.status IS NOT new.status OR old.received_on IS NOT new.received_on
BEGIN
    UPDATE referral_names SET patient_id = new.patient_id, status = new.status, received_on = new.received_on,
        given_key = (SELECT given_key FROM patients WHERE id = new.patient_id),
        family_key = (SELECT family_key FROM patients WHERE id = new.patient_id)
        WHERE referral_id = new.id;
END;
