package data

import (
	"context"
	"strings"
)

// ReferralExportRow is one referral as `linkwell export referrals` writes it.
type ReferralExportRow struct {
	ReferralRow
	ReferrerName    string // the referrer as the referral names them
	ReferrerOrg     string // their organisation (surgery, team, charity), if recorded
	ClosingReason   string
	SNOMEDCode      string
	CodedInGPRecord bool
	Baseline        *[4]int // ONS4 at baseline, if taken
	Latest          *[4]int // the latest review or closure ONS4, if taken
}

// ExportReferrals calls fn for every referral received between from and to
// (YYYY-MM-DD, inclusive; "" for no bound), oldest first, reading one row
// at a time. The export is recorded in the audit before the first row is
// read; an export that cannot be recorded is refused (see audit_reads.go).
func (s *Store) ExportReferrals(ctx context.Context, sess *Session, from, to string, fn func(ReferralExportRow) error) error {
	actor, err := s.allow(ctx, sess, OpExport)
	if err != nil {
		return err
	}
	if err := s.recordRead(ctx, actor, "export", "referral", 0, "referrals "+dateSpan(from, to)); err != nil {
		return err
	}
	return s.exportReferrals(ctx, ReferralFilter{From: from, To: to}, fn)
}

// dateSpan is a from–to pair of dates ("" for no bound) in words, for the audit.
func dateSpan(from, to string) string {
	switch {
	case from == "" && to == "":
		return "of every date"
	case from == "":
		return "up to " + to
	case to == "":
		return "from " + from
	}
	return "from " + from + " to " + to
}

// exportReferrals is ExportReferrals without the check and the record.
func (s *Store) exportReferrals(ctx context.Context, f ReferralFilter, fn func(ReferralExportRow) error) error {
	where, args := f.where(false)
	today := s.now().In(london()).Format(DateLayout)
	ons := func(cond, order string) string {
		return `(SELECT life_satisfaction || ';' || worthwhile || ';' || happiness || ';' || anxiety FROM wellbeing_measures w
			WHERE w.referral_id = r.id AND ` + cond + ` ORDER BY ` + order + ` LIMIT 1)`
	}
	q := `SELECT r.id, r.patient_id, p.family_name || ', ' || p.given_name, coalesce(p.nhs_number, ''), r.received_on, r.source,
			(SELECT group_concat(reason, ';') FROM referral_reasons rr WHERE rr.referral_id = r.id),
			r.status, coalesce(u.full_name, ''), ` + strings.ReplaceAll(daysWaitingSQL, ":today", "?") + `, r.last_activity_at, r.priority,
			r.referrer_name, r.referrer_org, coalesce(r.closing_reason, ''), coalesce(r.snomed_code, ''), r.coded_in_gp_record,
			` + ons("w.stage = 'baseline'", "w.taken_on, w.id") + `,
			` + ons("w.stage <> 'baseline'", "w.taken_on DESC, w.id DESC") + `
		FROM referrals r JOIN patients p ON p.id = r.patient_id LEFT JOIN users u ON u.id = r.link_worker_id` + where + `
		ORDER BY r.received_on, r.id`
	rows, err := s.db.QueryContext(ctx, q, append([]any{today}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ReferralExportRow
		var reasons, base, latest *string
		if err := rows.Scan(&r.ID, &r.PatientID, &r.PatientName, &r.NHSNumber, &r.ReceivedOn, &r.Source, &reasons, &r.Status,
			&r.LinkWorker, &r.DaysWaiting, &r.LastActivityAt, &r.Priority, &r.ReferrerName, &r.ReferrerOrg, &r.ClosingReason, &r.SNOMEDCode,
			&r.CodedInGPRecord, &base, &latest); err != nil {
			return err
		}
		if reasons != nil {
			r.Reasons = strings.Split(*reasons, ";")
			sortByChoices(r.Reasons, ReferralReasons)
		}
		r.Baseline, r.Latest = parseScores(base), parseScores(latest)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func parseScores(s *string) *[4]int {
	if s == nil {
		return nil
	}
	var out [4]int
	for i, part := range strings.SplitN(*s, ";", 4) {
		n := 0
		for _, c := range part {
			n = n*10 + int(c-'0')
		}
		out[i] = n
	}
	return &out
}
