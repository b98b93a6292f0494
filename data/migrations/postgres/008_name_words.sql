-- PostgreSQL's counterpart of ../008_name_words.sql (see there).

-- ß folded to ss in the name keys: each letter of the name says what the
-- key's letter at its place becomes.
UPDATE patients SET family_key = (
    SELECT string_agg(CASE WHEN substr(family_name, i, 1) IN ('ß', 'ẞ') THEN 'ss' ELSE substr(family_key, i, 1) END, '' ORDER BY i)
    FROM generate_series(1, length(family_name)) AS i)
WHERE (strpos(family_name, 'ß') > 0 OR strpos(family_name, 'ẞ') > 0) AND length(family_name) = length(family_key);
UPDATE patients SET given_key = (
    SELECT string_agg(CASE WHEN substr(given_name, i, 1) IN ('ß', 'ẞ') THEN 'ss' ELSE substr(given_key, i, 1) END, '' ORDER BY i)
    FROM generate_series(1, length(given_name)) AS i)
WHERE (strpos(given_name, 'ß') > 0 OR strpos(given_name, 'ẞ') > 0) AND length(given_name) = length(given_key);

-- The later words of each patient's names, split at spaces, hyphens and
-- apostrophes, with the search's sort order.
CREATE TABLE patient_name_words (
    word           text   NOT NULL,
    family_key     text   NOT NULL,
    given_key      text   NOT NULL,
    date_of_birth  text   NOT NULL,
    patient_id     bigint NOT NULL,
    PRIMARY KEY (word, family_key, given_key, date_of_birth, patient_id)
);
CREATE INDEX patient_name_words_patient ON patient_name_words (patient_id);

-- The later words of one key (its first word is the key's own start).
CREATE FUNCTION linkwell_later_words(text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT w FROM unnest(regexp_split_to_array($1, '[ ''-]')) WITH ORDINALITY AS t (w, i) WHERE i > 1 AND w <> ''
$$;

INSERT INTO patient_name_words (word, family_key, given_key, date_of_birth, patient_id)
    SELECT w, family_key, given_key, date_of_birth, id
    FROM patients, LATERAL (SELECT linkwell_later_words(family_key) UNION SELECT linkwell_later_words(given_key)) AS words (w);

CREATE FUNCTION patient_name_words_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM patient_name_words WHERE patient_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO patient_name_words (word, family_key, given_key, date_of_birth, patient_id)
            SELECT w, NEW.family_key, NEW.given_key, NEW.date_of_birth, NEW.id
            FROM (SELECT linkwell_later_words(NEW.family_key) UNION SELECT linkwell_later_words(NEW.given_key)) AS words (w);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER patient_name_words_insert AFTER INSERT OR DELETE ON patients
    FOR EACH ROW EXECUTE FUNCTION patient_name_words_keep();
CREATE TRIGGER patient_name_words_update AFTER UPDATE OF given_key, family_key, date_of_birth ON patients
    FOR EACH ROW WHEN (OLD.given_key IS DISTINCT FROM NEW.given_key OR OLD.family_key IS DISTINCT FROM NEW.family_key
        OR OLD.date_of_birth IS DISTINCT FROM NEW.date_of_birth)
    EXECUTE FUNCTION patient_name_words_keep();

DROP INDEX referral_names_family_second;
DROP INDEX referral_names_given_second;
DROP INDEX referral_names_more_words;

-- Each referral's received date in referral_names too (see the SQLite
-- migration).
ALTER TABLE referral_names ADD COLUMN received_on text NOT NULL DEFAULT '';
UPDATE referral_names SET received_on = r.received_on FROM referrals r WHERE r.id = referral_names.referral_id;
DROP INDEX referral_names_family;
CREATE INDEX referral_names_family ON referral_names (family_key, given_key, status, received_on);
DROP INDEX referral_names_given;
CREATE INDEX referral_names_given ON referral_names (given_key, family_key, status, received_on);
CREATE OR REPLACE FUNCTION referral_names_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key, received_on)
            SELECT NEW.id, NEW.patient_id, NEW.status, p.given_key, p.family_key, NEW.received_on FROM patients p WHERE p.id = NEW.patient_id;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM referral_names WHERE referral_id = OLD.id;
    ELSE
        UPDATE referral_names SET patient_id = NEW.patient_id, status = NEW.status, received_on = NEW.received_on,
            given_key = (SELECT given_key FROM patients WHERE id = NEW.patient_id),
            family_key = (SELECT family_key FROM patients WHERE id = NEW.patient_id)
            WHERE referral_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER referral_names_update ON referrals;
CREATE TRIGGER referral_names_update AFTER UPDATE OF patient_id, status, received_on ON referrals
    FOR EACH ROW WHEN (OLD.patient_id IS DISTINCT FROM NEW.patient_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.received_on IS DISTINCT FROM NEW.received_on)
    EXECUTE FUNCTION referral_names_keep();
