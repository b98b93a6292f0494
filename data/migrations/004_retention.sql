-- Issue 13, retention (data/retention.go). Numbered 007 because 004-006
-- belong to other work; renumber freely when merging.

-- When a closed episode's personal free text was removed after the
-- practice's retention period (NULL: never). Its dates, status history,
-- reasons, codes and scores stay, so the reports count it as before.
ALTER TABLE referrals ADD COLUMN anonymised_at TEXT;

-- When a patient's identifying details were removed, once every episode of
-- theirs was anonymised (NULL: never). The GP system keeps the real record.
ALTER TABLE patients ADD COLUMN anonymised_at TEXT;

-- The closed episodes not yet anonymised, by when they closed.
CREATE INDEX referrals_to_anonymise ON referrals (closed_at)
    WHERE anonymised_at IS NULL AND closed_at IS NOT NULL;
