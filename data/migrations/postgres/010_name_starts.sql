-- PostgreSQL's counterpart of ../010_name_starts.sql (see there): each
-- referral filed under the first one and two letters of every word of its
-- patient's names, in received order, for the name filter's page.
CREATE TABLE referral_name_starts (
    start        text   NOT NULL,
    received_on  text   NOT NULL,
    referral_id  bigint NOT NULL,
    PRIMARY KEY (start, received_on, referral_id)
);
CREATE INDEX referral_name_starts_referral ON referral_name_starts (referral_id);

-- The starts of the words of a patient's two name keys.
CREATE FUNCTION linkwell_name_starts(family_key text, given_key text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT DISTINCT substr(w, 1, n) FROM regexp_split_to_table($1 || ' ' || $2, '[ ''-]') AS w, (VALUES (1), (2)) AS n (n)
    WHERE w <> ''
$$;

INSERT INTO referral_name_starts (start, received_on, referral_id)
    SELECT s, rn.received_on, rn.referral_id FROM referral_names rn, linkwell_name_starts(rn.family_key, rn.given_key) AS s;

CREATE FUNCTION referral_name_starts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM referral_name_starts WHERE referral_id = OLD.referral_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO referral_name_starts (start, received_on, referral_id)
            SELECT s, NEW.received_on, NEW.referral_id FROM linkwell_name_starts(NEW.family_key, NEW.given_key) AS s;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_name_starts_insert AFTER INSERT OR DELETE ON referral_names
    FOR EACH ROW EXECUTE FUNCTION referral_name_starts_keep();
CREATE TRIGGER referral_name_starts_update AFTER UPDATE OF given_key, family_key, received_on ON referral_names
    FOR EACH ROW WHEN (OLD.given_key IS DISTINCT FROM NEW.given_key OR OLD.family_key IS DISTINCT FROM NEW.family_key
        OR OLD.received_on IS DISTINCT FROM NEW.received_on)
    EXECUTE FUNCTION referral_name_starts_keep();
