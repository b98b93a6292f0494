-- PostgreSQL's counterpart of ../004_retention.sql.

ALTER TABLE referrals ADD COLUMN anonymised_at text;
ALTER TABLE patients ADD COLUMN anonymised_at text;

CREATE INDEX referrals_to_anonymise ON referrals (closed_at)
    WHERE anonymised_at IS NULL AND closed_at IS NOT NULL;
