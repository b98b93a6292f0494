-- The manager's dashboard and monthly return by the period's rows. Four
-- of their figures read a whole table to find the period's: the status
-- moves (outcomes, closures, ONS4 change), first contacts (wait to first
-- contact), SNOMED CT coding dates (the incentive) and prescriptions (top
-- services). On 500,000 patients a month's dashboard took 432 ms, most of
-- it those reads (data/report.go).
CREATE INDEX referral_history_moves ON referral_history (kind, at);
CREATE INDEX referrals_first_contact ON referrals (first_contact_at, received_on) WHERE first_contact_at IS NOT NULL;
CREATE INDEX referrals_coded ON referrals (snomed_code, snomed_recorded_at, coded_in_gp_record) WHERE snomed_code IS NOT NULL;
CREATE INDEX prescriptions_issued ON prescriptions (issued_at);
