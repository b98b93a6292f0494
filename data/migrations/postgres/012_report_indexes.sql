-- PostgreSQL's counterpart of ../012_report_indexes.sql (see there): the
-- manager's figures by the period's rows.
CREATE INDEX referral_history_moves ON referral_history (kind, at);
CREATE INDEX referrals_first_contact ON referrals (first_contact_at, received_on) WHERE first_contact_at IS NOT NULL;
CREATE INDEX referrals_coded ON referrals (snomed_code, snomed_recorded_at, coded_in_gp_record) WHERE snomed_code IS NOT NULL;
CREATE INDEX prescriptions_issued ON prescriptions (issued_at);
