-- PostgreSQL's counterpart of ../010_name_starts.sql (see there): the NHS
-- number in referral_names for its filter, and each referral filed in
-- received order under the first one and two letters of every word of its
-- patient's names and '#' with the first one to four digits of the number.

ALTER TABLE referral_names ADD COLUMN nhs_number text;
UPDATE referral_names SET nhs_number = p.nhs_number FROM patients p WHERE p.id = referral_names.patient_id;
CREATE INDEX referral_names_nhs ON referral_names (nhs_number, status, received_on);
CREATE OR REPLACE FUNCTION referral_names_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO referral_names (referral_id, patient_id, status, given_key, family_key, received_on, nhs_number)
            SELECT NEW.id, NEW.patient_id, NEW.status, p.given_key, p.family_key, NEW.received_on, p.nhs_number
            FROM patients p WHERE p.id = NEW.patient_id;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM referral_names WHERE referral_id = OLD.id;
    ELSE
        UPDATE referral_names SET patient_id = NEW.patient_id, status = NEW.status, received_on = NEW.received_on,
            given_key = p.given_key, family_key = p.family_key, nhs_number = p.nhs_number
            FROM patients p WHERE p.id = NEW.patient_id AND referral_names.referral_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION referral_names_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE referral_names SET given_key = NEW.given_key, family_key = NEW.family_key, nhs_number = NEW.nhs_number
        WHERE patient_id = NEW.id;
    RETURN NULL;
END $$;
DROP TRIGGER referral_names_rename ON patients;
CREATE TRIGGER referral_names_rename AFTER UPDATE OF given_key, family_key, nhs_number ON patients
    FOR EACH ROW WHEN (OLD.given_key IS DISTINCT FROM NEW.given_key OR OLD.family_key IS DISTINCT FROM NEW.family_key
        OR OLD.nhs_number IS DISTINCT FROM NEW.nhs_number)
    EXECUTE FUNCTION referral_names_rename();

CREATE TABLE referral_name_starts (
    start        text   NOT NULL,
    received_on  text   NOT NULL,
    referral_id  bigint NOT NULL,
    PRIMARY KEY (start, received_on, referral_id)
);
CREATE INDEX referral_name_starts_referral ON referral_name_starts (referral_id);

-- The starts of a referral's patient's name keys and NHS number.
CREATE FUNCTION linkwell_name_starts(family_key text, given_key text, nhs_number text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT substr(w, 1, n) FROM regexp_split_to_table($1 || ' ' || $2, '[ ''-]') AS w, (VALUES (1), (2)) AS n (n)
    WHERE w <> ''
    UNION ALL
    SELECT '#' || substr($3, 1, n) FROM (VALUES (1), (2), (3), (4)) AS n (n) WHERE $3 IS NOT NULL
$$;

INSERT INTO referral_name_starts (start, received_on, referral_id)
    SELECT DISTINCT s, rn.received_on, rn.referral_id
    FROM referral_names rn, linkwell_name_starts(rn.family_key, rn.given_key, rn.nhs_number) AS s;

CREATE FUNCTION referral_name_starts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM referral_name_starts WHERE referral_id = OLD.referral_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO referral_name_starts (start, received_on, referral_id)
            SELECT DISTINCT s, NEW.received_on, NEW.referral_id
            FROM linkwell_name_starts(NEW.family_key, NEW.given_key, NEW.nhs_number) AS s;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_name_starts_insert AFTER INSERT OR DELETE ON referral_names
    FOR EACH ROW EXECUTE FUNCTION referral_name_starts_keep();
CREATE TRIGGER referral_name_starts_update AFTER UPDATE OF given_key, family_key, received_on, nhs_number ON referral_names
    FOR EACH ROW WHEN (OLD.given_key IS DISTINCT FROM NEW.given_key OR OLD.family_key IS DISTINCT FROM NEW.family_key
        OR OLD.received_on IS DISTINCT FROM NEW.received_on OR OLD.nhs_number IS DISTINCT FROM NEW.nhs_number)
    EXECUTE FUNCTION referral_name_starts_keep();
