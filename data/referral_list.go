package data

import (
	"context"
	"strings"
	"sync"
	"time"
)

// ReferralFilter narrows the referrals list. Zero values do not filter.
type ReferralFilter struct {
	Statuses     []ReferralStatus
	LinkWorkerID int64  // a link worker's caseload
	Source       string // a ReferralSources code
	Reason       string // a ReferralReasons code
	From, To     string // received between these dates, YYYY-MM-DD, inclusive
	Text         string // patient name prefix, NHS number or referrer
}

// Sort columns of the referrals list.
const (
	SortPatient    = "patient"
	SortNHSNumber  = "nhs"
	SortReceived   = "received"
	SortSource     = "source"
	SortStatus     = "status"
	SortLinkWorker = "worker"
	SortWaiting    = "waiting"
	SortActivity   = "activity"
)

// ReferralSort orders the list; the default is newest received first.
type ReferralSort struct {
	Column string
	Desc   bool
}

// ReferralRow is one line of the referrals list.
type ReferralRow struct {
	ID             int64
	PatientID      int64
	PatientName    string // family, given
	NHSNumber      string
	ReceivedOn     string
	Source         string
	Reasons        []string
	Status         ReferralStatus
	LinkWorker     string
	DaysWaiting    int // received → first contact, or → today while waiting, or → the end
	LastActivityAt string
	Priority       string
}

// daysWaiting is in SQL so the list can sort by it; today is a date.
// An episode that ended without a first contact (unable to contact) stops
// waiting when it ended.
const daysWaitingSQL = `CAST(julianday(coalesce(substr(r.first_contact_at, 1, 10),
	CASE WHEN r.status IN ('received', 'contacted', 'accepted', 'active') THEN :today ELSE substr(r.status_changed_at, 1, 10) END))
	- julianday(r.received_on) AS INTEGER)`

// sortTerms are the ORDER BY terms of each sort column.
var sortTerms = map[string][]string{
	SortPatient:    {`p.family_key`, `p.given_key`},
	SortNHSNumber:  {`p.nhs_number`},
	SortReceived:   {`r.received_on`},
	SortSource:     {`r.source`},
	SortStatus:     {`CASE r.status WHEN 'received' THEN 1 WHEN 'contacted' THEN 2 WHEN 'accepted' THEN 3 WHEN 'active' THEN 4 WHEN 'closed' THEN 5 WHEN 'declined' THEN 6 ELSE 7 END`},
	SortLinkWorker: {`coalesce(u.full_name, '')`},
	SortWaiting:    {daysWaitingSQL},
	SortActivity:   {`r.last_activity_at`},
}

// where builds the WHERE clause and named arguments of a filter. When
// skipStatus is set the status filter is left out (for the pipeline counts).
func (f ReferralFilter) where(skipStatus bool) (string, []any) {
	var conds []string
	var args []any
	if len(f.Statuses) > 0 && !skipStatus {
		var marks []string
		for _, s := range f.Statuses {
			marks = append(marks, "?")
			args = append(args, string(s))
		}
		conds = append(conds, `r.status IN (`+strings.Join(marks, ", ")+`)`)
	}
	if f.LinkWorkerID != 0 {
		conds = append(conds, `r.link_worker_id = ?`)
		args = append(args, f.LinkWorkerID)
	}
	if f.Source != "" {
		conds = append(conds, `r.source = ?`)
		args = append(args, f.Source)
	}
	if f.Reason != "" {
		conds = append(conds, `r.id IN (SELECT referral_id FROM referral_reasons WHERE reason = ?)`)
		args = append(args, f.Reason)
	}
	if f.From != "" {
		conds = append(conds, `r.received_on >= ?`)
		args = append(args, f.From)
	}
	if f.To != "" {
		conds = append(conds, `r.received_on <= ?`)
		args = append(args, f.To)
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		compact := strings.NewReplacer(" ", "", "-", "").Replace(text)
		if allDigits(compact) {
			conds = append(conds, `p.nhs_number >= ? AND p.nhs_number < ?`)
			args = append(args, compact, prefixEnd(compact))
		} else {
			words := strings.Fields(foldKey(strings.ReplaceAll(text, ",", " ")))
			for _, w := range words {
				// Each word typed starts some word of the patient's names
				// ("o bri" finds Pádraig Ó Briain).
				conds = append(conds, `(' ' || p.given_key || ' ' || p.family_key) LIKE ? ESCAPE '\'`)
				args = append(args, "% "+likeEscaper.Replace(w)+"%")
			}
		}
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// ListReferrals returns one page of the referrals list. Only the page's
// rows are read, so the list stays quick on a large database.
func (s *Store) ListReferrals(ctx context.Context, sess *Session, f ReferralFilter, sort ReferralSort, offset, limit int) ([]ReferralRow, error) {
	actor, err := s.allow(ctx, sess, OpViewReferralList)
	if err != nil {
		return nil, err
	}
	// Why a patient was referred is part of the case record.
	showReasons := actor.Role.May(OpViewCaseRecord)
	terms, ok := sortTerms[sort.Column]
	if !ok {
		terms, sort.Desc = sortTerms[SortReceived], true
	}
	dir := " ASC"
	if sort.Desc {
		dir = " DESC"
	}
	order := strings.Join(append(terms, "r.id"), dir+", ") + dir
	where, args := f.where(false)
	today := s.now().In(london()).Format(DateLayout)
	q := `SELECT r.id, r.patient_id, p.family_name || ', ' || p.given_name, coalesce(p.nhs_number, ''), r.received_on, r.source,
			(SELECT group_concat(reason, ';') FROM referral_reasons rr WHERE rr.referral_id = r.id),
			r.status, coalesce(u.full_name, ''), ` + strings.ReplaceAll(daysWaitingSQL, ":today", "?") + `, r.last_activity_at, r.priority
		FROM referrals r
		JOIN patients p ON p.id = r.patient_id
		LEFT JOIN users u ON u.id = r.link_worker_id
		WHERE r.id IN (SELECT r.id FROM referrals r JOIN patients p ON p.id = r.patient_id LEFT JOIN users u ON u.id = r.link_worker_id` +
		where + ` ORDER BY ` + strings.ReplaceAll(order, ":today", "?") + ` LIMIT ? OFFSET ?)
		ORDER BY ` + strings.ReplaceAll(order, ":today", "?")
	var all []any
	all = append(all, today)
	all = append(all, args...)
	if sort.Column == SortWaiting {
		all = append(all, today)
	}
	all = append(all, limit, offset)
	if sort.Column == SortWaiting {
		all = append(all, today)
	}
	rows, err := s.db.QueryContext(ctx, q, all...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReferralRow
	for rows.Next() {
		var r ReferralRow
		var reasons *string
		if err := rows.Scan(&r.ID, &r.PatientID, &r.PatientName, &r.NHSNumber, &r.ReceivedOn, &r.Source, &reasons, &r.Status,
			&r.LinkWorker, &r.DaysWaiting, &r.LastActivityAt, &r.Priority); err != nil {
			return nil, err
		}
		if reasons != nil && showReasons {
			r.Reasons = strings.Split(*reasons, ";")
			sortByChoices(r.Reasons, ReferralReasons)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountReferrals is the number of referrals matching the filter.
func (s *Store) CountReferrals(ctx context.Context, sess *Session, f ReferralFilter) (int, error) {
	if _, err := s.allow(ctx, sess, OpViewReferralList); err != nil {
		return 0, err
	}
	where, args := f.where(false)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM referrals r JOIN patients p ON p.id = r.patient_id`+where, args...).Scan(&n)
	return n, err
}

// StatusCounts counts the referrals matching the filter in each status,
// ignoring the filter's own statuses: the pipeline above the list.
func (s *Store) StatusCounts(ctx context.Context, sess *Session, f ReferralFilter) (map[ReferralStatus]int, error) {
	if _, err := s.allow(ctx, sess, OpViewReferralList); err != nil {
		return nil, err
	}
	where, args := f.where(true)
	from := `referrals r`
	if strings.Contains(where, "p.") {
		from += ` JOIN patients p ON p.id = r.patient_id`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.status, count(*) FROM `+from+where+` GROUP BY r.status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[ReferralStatus]int{}
	for rows.Next() {
		var st ReferralStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// London is the practice's time zone.
func London() *time.Location { return london() }

// london is Europe/London, where every date on screen is (time/tzdata is
// embedded, so it loads on every system).
var london = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
})
