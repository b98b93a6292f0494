package data

// The practice manager's figures (issue 16): one function per figure,
// shared by the dashboard (Dashboard), the monthly return (MonthlyReturn,
// its CSV in report_csv.go, its PDF in pdf/report.go), so they cannot
// disagree. Definitions are in the comment of each type and in README.md.

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Count is one row of a breakdown: a stored code, its label and how many.
type Count struct {
	Code  string
	Label string
	N     int
}

// AgeBands are the monthly return's bands of age at referral.
var AgeBands = []Choice{{"0-17", "0–17"}, {"18-24", "18–24"}, {"25-49", "25–49"}, {"50-64", "50–64"}, {"65-74", "65–74"}, {"75+", "75+"}}

// ageBand is the band of someone born on dob on the given day (both dates).
func ageBand(dob, on string) string {
	b, err1 := time.Parse(DateLayout, dob)
	d, err2 := time.Parse(DateLayout, on)
	if err1 != nil || err2 != nil {
		return ""
	}
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || d.Month() == b.Month() && d.Day() < b.Day() {
		age--
	}
	switch {
	case age < 18:
		return "0-17"
	case age < 25:
		return "18-24"
	case age < 50:
		return "25-49"
	case age < 65:
		return "50-64"
	case age < 75:
		return "65-74"
	}
	return "75+"
}

// Outcomes counts the referrals that moved, during the period, to accepted,
// declined or unable to contact (each referral once per status).
type Outcomes struct {
	Accepted, Declined, UnableToContact int
}

// Wait is a spread of waits in whole days: how many, the median (the mean
// of the middle two when N is even) and the 90th percentile (nearest rank).
type Wait struct {
	N      int
	Median float64
	P90    int
}

// WaitingList is the accepted referrals with no live appointment (booked,
// arrived or attended) at the report's "as at" moment, and the longest wait
// since the referral was received, in days.
type WaitingList struct {
	N           int
	LongestDays int
}

// WorkerFigures are one link worker's caseload and appointments.
type WorkerFigures struct {
	WorkerID int64
	Name     string
	// Caseload: referrals open (received, contacted, accepted or active) and
	// assigned to the worker at the caseload moment.
	Caseload int
	// Appointments starting in the period: all of them (Booked), attended
	// (arrived counts: the patient came), did not attend, cancelled by
	// either side. A DNA that is rebooked is one DNA and one new booking; a
	// moved appointment counts once, where it now is.
	Booked, Attended, DNA, Cancelled int
}

// DNARate is DNAs as a percentage of appointments that were due and not
// cancelled (attended + DNA); 0 when there were none.
func DNARate(dna, attended int) float64 {
	if dna+attended == 0 {
		return 0
	}
	return 100 * float64(dna) / float64(dna+attended)
}

// ONS4Change is the mean change on one ONS4 question from baseline to the
// latest later measure (review or closure), over the N episodes closed in
// the period that have both. Anxiety: a fall is an improvement.
type ONS4Change struct {
	Question                 string
	Label                    string
	N                        int
	Baseline, Latest, Change float64
}

// ons4Codes name the four ONS4 columns, in ONS4Short's order.
var ons4Codes = []string{"life_satisfaction", "worthwhile", "happiness", "anxiety"}

// Incentive is the incentive indicator: referrals coded 871731000000106
// (recorded when accepted) in the 12 months to the period's end, as a
// percentage of the registered list size, against 1.2 % and 1.6 %.
type Incentive struct {
	From, To     string // the 12 months (dates, inclusive)
	Coded        int    // referrals with the code recorded in those months
	InGPRecord   int    // of which marked as entered in the GP record
	ListSize     int    // 0: not set, no percentage
	Percent      float64
	Lower, Upper float64 // the thresholds, 1.2 and 1.6
}

// MonthPoint is one month of the charts.
type MonthPoint struct {
	Month     string // YYYY-MM
	Referrals int
	Attended  int
	DNA       int
}

// DNARate of the month (see DNARate).
func (m MonthPoint) DNARate() float64 { return DNARate(m.DNA, m.Attended) }

// Report is every figure for one period. Dashboard and MonthlyReturn fill
// it with the same functions.
type Report struct {
	Practice string
	Period   Period
	// AsAt is when the "now" figures (pipeline, waiting list) were read.
	AsAt time.Time
	// CaseloadAt is the moment the caseload is counted: the period's end,
	// or AsAt if that is sooner.
	CaseloadAt time.Time
	// SuppressSmall: the practice asks for 1–4 to be shown as "<5" in the
	// monthly return's files.
	SuppressSmall bool

	Received int
	// ReceivedLastYear counts the same days a year before (LastYear): for
	// a period not yet over, only up to today's date a year ago.
	ReceivedLastYear int
	LastYear         Period

	BySource, ByReason, ByAge, BySex, ByEthnicity []Count
	Pipeline                                      []Count
	Outcomes                                      Outcomes
	ToFirstContact, ToFirstAppointment            Wait
	Waiting                                       WaitingList
	Workers                                       []WorkerFigures
	Closures                                      []Count
	ONS4                                          []ONS4Change
	TopServices                                   []Count
	StaleServices                                 int
	Incentive                                     Incentive
	// Months are the 12 months ending with the period's last month, or with
	// this month for a period not yet over.
	Months []MonthPoint
}

// AppointmentTotals adds up the workers' appointments.
func (r *Report) AppointmentTotals() WorkerFigures {
	t := WorkerFigures{Name: "All link workers"}
	for _, w := range r.Workers {
		t.Caseload += w.Caseload
		t.Booked += w.Booked
		t.Attended += w.Attended
		t.DNA += w.DNA
		t.Cancelled += w.Cancelled
	}
	return t
}

// ClosedTotal is how many episodes closed in the period.
func (r *Report) ClosedTotal() int {
	n := 0
	for _, c := range r.Closures {
		n += c.N
	}
	return n
}

// Show is a count as the return's files print it: "<5" for 1–4 when the
// practice asks for small numbers to be suppressed.
func (r *Report) Show(n int) string {
	if r.SuppressSmall && n >= 1 && n <= 4 {
		return "<5"
	}
	return strconv.Itoa(n)
}

// Hidden reports whether a figure drawn from n people (a mean, a rate)
// should be left out: the practice suppresses small numbers and n is 1–4.
func (r *Report) Hidden(n int) bool { return r.SuppressSmall && n >= 1 && n <= 4 }

// SettingSuppressSmall is the practice setting ("1" or "0") that makes the
// monthly return show counts of 1–4 as "<5".
const SettingSuppressSmall = "report.suppress_small"

// Dashboard is every figure for the period, with the caseload, pipeline and
// waiting list as they are now.
func (s *Store) Dashboard(ctx context.Context, sess *Session, p Period) (*Report, error) {
	if _, err := s.allow(ctx, sess, OpViewReports); err != nil {
		return nil, err
	}
	return s.report(ctx, p)
}

// MonthlyReturn is the figures for one London month (see ParseMonth), with
// the caseload counted at the month's end.
func (s *Store) MonthlyReturn(ctx context.Context, sess *Session, month Period) (*Report, error) {
	if _, err := s.allow(ctx, sess, OpViewReports); err != nil {
		return nil, err
	}
	return s.report(ctx, month)
}

// SetSuppressSmall records whether the monthly return shows 1–4 as "<5".
func (s *Store) SetSuppressSmall(ctx context.Context, sess *Session, on bool) error {
	actor, err := s.allow(ctx, sess, OpViewReports)
	if err != nil {
		return err
	}
	v := "0"
	if on {
		v = "1"
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, SettingSuppressSmall, v); err != nil {
			return err
		}
		return audit(ctx, tx, s.stamp(), actor.ID, "setting", "settings", 0, SettingSuppressSmall+"="+v)
	})
}

// SetListSize records the practice's registered list size, which the
// incentive indicator divides by (it changes every quarter; set-up asks
// for it first).
func (s *Store) SetListSize(ctx context.Context, sess *Session, n int) error {
	actor, err := s.allow(ctx, sess, OpViewReports)
	if err != nil {
		return err
	}
	if n < 0 || n > 2_000_000 {
		return &ValidationError{Fields: []FieldError{{"ListSize", "the list size is the number of registered patients (0 to 2,000,000)"}}}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `UPDATE practice SET list_size = ?, updated_at = ? WHERE id = 1`, n, at)
		if err != nil {
			return err
		}
		if changed, _ := res.RowsAffected(); changed == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, at, actor.ID, "list_size", "practice", 1, strconv.Itoa(n))
	})
}

func (s *Store) report(ctx context.Context, p Period) (*Report, error) {
	if !p.Valid() {
		return nil, &ValidationError{Fields: []FieldError{{"Period", "choose a period: a first and a last day, in order"}}}
	}
	now := s.now()
	r := &Report{Period: p, AsAt: now, CaseloadAt: p.end()}
	if now.Before(r.CaseloadAt) {
		r.CaseloadAt = now
	}
	sofar := p
	if today := londonDate(now); today < p.Last && today >= p.First {
		sofar.Last = today
	}
	r.LastYear = sofar.LastYear()
	if pr, err := s.Practice(ctx); err == nil {
		r.Practice = pr.Name
		r.Incentive.ListSize = pr.ListSize
	} else if err != ErrNotFound {
		return nil, err
	}
	if v, err := s.Setting(ctx, SettingSuppressSmall); err != nil {
		return nil, err
	} else {
		r.SuppressSmall = v == "1"
	}
	q := s.db
	steps := []func() error{
		func() (err error) { r.Received, err = receivedCount(ctx, q, p); return },
		func() (err error) { r.ReceivedLastYear, err = receivedCount(ctx, q, r.LastYear); return },
		func() (err error) {
			r.BySource, r.ByAge, r.BySex, r.ByEthnicity, err = receivedBreakdown(ctx, q, p)
			return
		},
		func() (err error) { r.ByReason, err = receivedByReason(ctx, q, p); return },
		func() (err error) { r.Pipeline, err = pipelineNow(ctx, q); return },
		func() (err error) { r.Outcomes, err = outcomes(ctx, q, p); return },
		func() (err error) { r.ToFirstContact, err = waitToFirstContact(ctx, q, p); return },
		func() (err error) { r.ToFirstAppointment, err = waitToFirstAppointment(ctx, q, p); return },
		func() (err error) { r.Waiting, err = waitingList(ctx, q, now); return },
		func() (err error) { r.Workers, err = workerFigures(ctx, q, p, r.CaseloadAt); return },
		func() (err error) { r.Closures, err = closures(ctx, q, p); return },
		func() (err error) { r.ONS4, err = ons4Change(ctx, q, p); return },
		func() (err error) { r.TopServices, err = topServices(ctx, q, p, 10); return },
		func() (err error) { r.StaleServices, err = staleServiceCount(ctx, q, now); return },
		func() (err error) { r.Incentive, err = incentive(ctx, q, p, r.Incentive.ListSize); return },
		func() (err error) { r.Months, err = months(ctx, q, sofar); return },
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// receivedCount: referrals received (by received date) in the period.
func receivedCount(ctx context.Context, q queryer, p Period) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM referrals WHERE received_on BETWEEN ? AND ?`, p.First, p.Last).Scan(&n)
	return n, err
}

// counts makes a breakdown in the order of its choices, every choice
// present (zeros too), then any code not in the list.
func counts(choices []Choice, n map[string]int) []Count {
	out := make([]Count, 0, len(choices))
	seen := map[string]bool{}
	for _, c := range choices {
		out = append(out, Count{c.Code, c.Label, n[c.Code]})
		seen[c.Code] = true
	}
	var extra []string
	for code := range n {
		if !seen[code] {
			extra = append(extra, code)
		}
	}
	sort.Strings(extra)
	for _, code := range extra {
		out = append(out, Count{code, code, n[code]})
	}
	return out
}

func sexChoices() []Choice {
	var out []Choice
	for _, x := range Sexes {
		out = append(out, Choice{string(x), x.Label()})
	}
	return out
}

func ethnicChoices() []Choice {
	var out []Choice
	for _, e := range EthnicCategories {
		code := e.Code
		if code == "" {
			code = "-"
		}
		out = append(out, Choice{code, e.Label})
	}
	return out
}

// receivedBreakdown: referrals received in the period by source, age band
// (age on the received date), sex and ethnic category.
func receivedBreakdown(ctx context.Context, q queryer, p Period) (source, age, sex, ethnic []Count, err error) {
	rows, err := q.QueryContext(ctx, `SELECT r.source, r.received_on, p.date_of_birth, p.sex, p.ethnic_category
		FROM referrals r JOIN patients p ON p.id = r.patient_id WHERE r.received_on BETWEEN ? AND ?`, p.First, p.Last)
	if err != nil {
		return
	}
	defer rows.Close()
	ns, na, nx, ne := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for rows.Next() {
		var src, on, dob, sx, eth string
		if err = rows.Scan(&src, &on, &dob, &sx, &eth); err != nil {
			return
		}
		if eth == "" {
			eth = "-"
		}
		ns[src]++
		na[ageBand(dob, on)]++
		nx[sx]++
		ne[eth]++
	}
	if err = rows.Err(); err != nil {
		return
	}
	return counts(ReferralSources, ns), counts(AgeBands, na), counts(sexChoices(), nx), counts(ethnicChoices(), ne), nil
}

// receivedByReason: referrals received in the period by reason; a referral
// with two reasons counts under each.
func receivedByReason(ctx context.Context, q queryer, p Period) ([]Count, error) {
	n, err := codeCounts(ctx, q, `SELECT rr.reason, count(*) FROM referrals r JOIN referral_reasons rr ON rr.referral_id = r.id
		WHERE r.received_on BETWEEN ? AND ? GROUP BY rr.reason`, p.First, p.Last)
	return counts(ReferralReasons, n), err
}

func codeCounts(ctx context.Context, q queryer, query string, args ...any) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := map[string]int{}
	for rows.Next() {
		var code string
		var c int
		if err := rows.Scan(&code, &c); err != nil {
			return nil, err
		}
		n[code] += c
	}
	return n, rows.Err()
}

func statusChoices() []Choice {
	var out []Choice
	for _, st := range ReferralStatuses {
		out = append(out, Choice{string(st), st.Label()})
	}
	return out
}

// pipelineNow: how many referrals are in each status now.
func pipelineNow(ctx context.Context, q queryer) ([]Count, error) {
	// From the counts the triggers keep (migration 003), not every referral.
	n, err := codeCounts(ctx, q, `SELECT status, sum(n) FROM referral_counts GROUP BY status`)
	return counts(statusChoices(), n), err
}

// statusMove is one status move from a referral's history.
type statusMove struct {
	referral      int64
	to            string
	closingReason string
}

// movesIn are the status moves made in the period, in time order.
func movesIn(ctx context.Context, q queryer, p Period, to ...string) ([]statusMove, error) {
	from, until := p.bounds()
	in := "'" + strings.Join(to, "', '") + "'"
	rows, err := q.QueryContext(ctx, `SELECT referral_id, to_status, coalesce(closing_reason, '') FROM referral_history
		WHERE kind = 'status' AND at >= ? AND at < ? AND to_status IN (`+in+`) ORDER BY at, id`, from, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []statusMove
	for rows.Next() {
		var m statusMove
		if err := rows.Scan(&m.referral, &m.to, &m.closingReason); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// outcomes: referrals accepted, declined and found unable to contact in
// the period (the day of the move, London time).
func outcomes(ctx context.Context, q queryer, p Period) (Outcomes, error) {
	moves, err := movesIn(ctx, q, p, string(StatusAccepted), string(StatusDeclined), string(StatusUnableToContact))
	var o Outcomes
	seen := map[statusMove]bool{}
	for _, m := range moves {
		key := statusMove{referral: m.referral, to: m.to}
		if seen[key] {
			continue
		}
		seen[key] = true
		switch ReferralStatus(m.to) {
		case StatusAccepted:
			o.Accepted++
		case StatusDeclined:
			o.Declined++
		case StatusUnableToContact:
			o.UnableToContact++
		}
	}
	return o, err
}

// closedIn are the episodes closed in the period, each once, with the
// reason of its last closure in the period (a case closed, reopened and
// closed again in one month is one closure).
func closedIn(ctx context.Context, q queryer, p Period) (map[int64]string, error) {
	moves, err := movesIn(ctx, q, p, string(StatusClosed))
	out := map[int64]string{}
	for _, m := range moves {
		out[m.referral] = m.closingReason
	}
	return out, err
}

// closures: episodes closed in the period by closing reason.
func closures(ctx context.Context, q queryer, p Period) ([]Count, error) {
	closed, err := closedIn(ctx, q, p)
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for _, reason := range closed {
		n[reason]++
	}
	return counts(ClosingReasons, n), nil
}

// spread summarises waits in days.
func spread(days []int) Wait {
	if len(days) == 0 {
		return Wait{}
	}
	sort.Ints(days)
	n := len(days)
	w := Wait{N: n}
	if n%2 == 1 {
		w.Median = float64(days[n/2])
	} else {
		w.Median = float64(days[n/2-1]+days[n/2]) / 2
	}
	w.P90 = days[int(math.Ceil(0.9*float64(n)))-1]
	return w
}

// waitToFirstContact: for referrals first contacted in the period, days
// from the received date to the London day of first contact.
func waitToFirstContact(ctx context.Context, q queryer, p Period) (Wait, error) {
	from, until := p.bounds()
	rows, err := q.QueryContext(ctx, `SELECT received_on, first_contact_at FROM referrals
		WHERE first_contact_at >= ? AND first_contact_at < ?`, from, until)
	if err != nil {
		return Wait{}, err
	}
	return waits(rows)
}

// waitToFirstAppointment: for referrals whose first attended appointment
// (attended or arrived) started in the period, days from the received date
// to the London day of that appointment. DNAs and cancellations do not
// count as a first appointment.
func waitToFirstAppointment(ctx context.Context, q queryer, p Period) (Wait, error) {
	from, until := p.bounds()
	rows, err := q.QueryContext(ctx, `SELECT r.received_on, min(a.starts_at) FROM appointments a JOIN referrals r ON r.id = a.referral_id
		WHERE a.status IN ('attended', 'arrived') AND a.referral_id IN (
			SELECT referral_id FROM appointments WHERE starts_at >= ? AND starts_at < ? AND status IN ('attended', 'arrived') AND referral_id IS NOT NULL)
		GROUP BY a.referral_id, r.received_on HAVING min(a.starts_at) >= ?`, from, until, from)
	if err != nil {
		return Wait{}, err
	}
	return waits(rows)
}

func waits(rows *sql.Rows) (Wait, error) {
	defer rows.Close()
	var days []int
	for rows.Next() {
		var received, at string
		if err := rows.Scan(&received, &at); err != nil {
			return Wait{}, err
		}
		days = append(days, daysBetween(received, londonDate(parseInstant(at))))
	}
	return spread(days), rows.Err()
}

// waitingList: accepted referrals with no live appointment now, and the
// longest wait since received.
func waitingList(ctx context.Context, q queryer, now time.Time) (WaitingList, error) {
	var w WaitingList
	var oldest sql.NullString
	err := q.QueryRowContext(ctx, `SELECT count(*), min(received_on) FROM referrals r WHERE r.status = 'accepted'
		AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.referral_id = r.id AND a.status IN `+liveSQL+`)`).Scan(&w.N, &oldest)
	if oldest.Valid {
		w.LongestDays = daysBetween(oldest.String, londonDate(now))
	}
	return w, err
}

// workerFigures: per link worker, the caseload at the moment at (the status
// and worker each referral had then, from its history) and the
// appointments starting in the period. Workers with neither are left out.
func workerFigures(ctx context.Context, q queryer, p Period, at time.Time) ([]WorkerFigures, error) {
	byID := map[int64]*WorkerFigures{}
	get := func(id int64) *WorkerFigures {
		if byID[id] == nil {
			byID[id] = &WorkerFigures{WorkerID: id}
		}
		return byID[id]
	}
	caseload, err := caseloadAt(ctx, q, at)
	if err != nil {
		return nil, err
	}
	for id, n := range caseload {
		get(id).Caseload = n
	}
	from, until := p.bounds()
	rows, err := q.QueryContext(ctx, `SELECT worker_id, status, count(*) FROM appointments
		WHERE starts_at >= ? AND starts_at < ? GROUP BY worker_id, status`, from, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return nil, err
		}
		w := get(id)
		w.Booked += n
		switch status {
		case AppointmentAttended, AppointmentArrived:
			w.Attended += n
		case AppointmentDNA:
			w.DNA += n
		case AppointmentCancelledPatient, AppointmentCancelledPractice:
			w.Cancelled += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	var out []WorkerFigures
	for _, w := range byID {
		if err := q.QueryRowContext(ctx, `SELECT full_name FROM users WHERE id = ?`, w.WorkerID).Scan(&w.Name); err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].WorkerID < out[j].WorkerID
	})
	return out, nil
}

// caseloadAt counts, per link worker, the referrals open at the moment at.
// A referral's status then is its last status move before at (received if
// it has none yet, as for a referral recorded later than received); its
// worker then is the last reassignment's before at, else the first later
// reassignment's "from", else its worker now.
func caseloadAt(ctx context.Context, q queryer, at time.Time) (map[int64]int, error) {
	t := ts(at)
	day := londonDate(at.Add(-time.Nanosecond))
	rows, err := q.QueryContext(ctx, `SELECT coalesce(r.link_worker_id, 0),
		coalesce((SELECT h.to_status FROM referral_history h WHERE h.referral_id = r.id AND h.kind = 'status' AND h.at < ?1
			ORDER BY h.at DESC, h.id DESC LIMIT 1), 'received'),
		(SELECT coalesce(h.to_worker_id, 0) FROM referral_history h WHERE h.referral_id = r.id AND h.kind = 'reassigned' AND h.at < ?1
			ORDER BY h.at DESC, h.id DESC LIMIT 1),
		(SELECT coalesce(h.from_worker_id, 0) FROM referral_history h WHERE h.referral_id = r.id AND h.kind = 'reassigned' AND h.at >= ?1
			ORDER BY h.at, h.id LIMIT 1)
		FROM referrals r
		WHERE r.received_on <= ?2 AND (r.status IN ('received', 'contacted', 'accepted', 'active') OR r.closed_at >= ?1)`, t, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var now int64
		var status string
		var before, after sql.NullInt64
		if err := rows.Scan(&now, &status, &before, &after); err != nil {
			return nil, err
		}
		if !ReferralStatus(status).Open() {
			continue
		}
		worker := now
		if before.Valid {
			worker = before.Int64
		} else if after.Valid {
			worker = after.Int64
		}
		if worker != 0 {
			out[worker]++
		}
	}
	return out, rows.Err()
}

// ons4Change: for episodes closed in the period with a baseline and a later
// measure taken by the period's end, the mean of each ONS4 answer at baseline and at the latest
// measure, and the mean change.
func ons4Change(ctx context.Context, q queryer, p Period) ([]ONS4Change, error) {
	closed, err := closedIn(ctx, q, p)
	if err != nil {
		return nil, err
	}
	from, until := p.bounds()
	rows, err := q.QueryContext(ctx, `SELECT referral_id, stage, life_satisfaction, worthwhile, happiness, anxiety
		FROM wellbeing_measures WHERE taken_on <= ? AND referral_id IN (SELECT referral_id FROM referral_history
			WHERE kind = 'status' AND to_status = 'closed' AND at >= ? AND at < ?)
		ORDER BY referral_id, taken_on, id`, p.Last, from, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type pair struct{ base, latest *[4]int }
	cases := map[int64]*pair{}
	for rows.Next() {
		var id int64
		var stage string
		var v [4]int
		if err := rows.Scan(&id, &stage, &v[0], &v[1], &v[2], &v[3]); err != nil {
			return nil, err
		}
		if _, ok := closed[id]; !ok {
			continue
		}
		c := cases[id]
		if c == nil {
			c = &pair{}
			cases[id] = c
		}
		if stage == "baseline" {
			if c.base == nil {
				c.base = &v
			}
		} else if c.base != nil {
			c.latest = &v
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var sumBase, sumLatest [4]int
	n := 0
	for _, c := range cases {
		if c.base == nil || c.latest == nil {
			continue
		}
		n++
		for i := range sumBase {
			sumBase[i] += c.base[i]
			sumLatest[i] += c.latest[i]
		}
	}
	out := make([]ONS4Change, len(ons4Codes))
	for i, code := range ons4Codes {
		out[i] = ONS4Change{Question: code, Label: ONS4Short[i], N: n}
		if n > 0 {
			out[i].Baseline = float64(sumBase[i]) / float64(n)
			out[i].Latest = float64(sumLatest[i]) / float64(n)
			out[i].Change = float64(sumLatest[i]-sumBase[i]) / float64(n)
		}
	}
	return out, nil
}

// topServices: the services most often on social prescriptions issued in
// the period (a directory entry by its current name; a service typed in by
// name), most first, at most limit.
func topServices(ctx context.Context, q queryer, p Period, limit int) ([]Count, error) {
	from, until := p.bounds()
	// A directory entry by its id, a typed-in service by its name.
	rows, err := q.QueryContext(ctx, `SELECT coalesce(i.service_id, 0), coalesce(s.name, min(i.service_name)), count(*) AS n
		FROM prescriptions x JOIN prescription_items i ON i.prescription_id = x.id LEFT JOIN services s ON s.id = i.service_id
		WHERE x.issued_at >= ? AND x.issued_at < ?
		GROUP BY i.service_id, s.id, CASE WHEN i.service_id IS NULL THEN i.service_name END
		ORDER BY n DESC, coalesce(s.name, min(i.service_name)) COLLATE NOCASE LIMIT ?`, from, until, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var id int64
		var c Count
		if err := rows.Scan(&id, &c.Label, &c.N); err != nil {
			return nil, err
		}
		if id != 0 {
			c.Code = strconv.FormatInt(id, 10)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// staleServiceCount: directory entries not closed and not verified for a
// year (the directory's own rule, staleCutoff); an import's unpublished
// rows are not in the directory yet.
func staleServiceCount(ctx context.Context, q queryer, now time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE status <> 'closed'
		AND (last_verified_on IS NULL OR last_verified_on <= ?) AND `+visibleRow, staleCutoff(now)).Scan(&n)
	return n, err
}

// incentive: see Incentive. The 12 months end with the period's last day.
func incentive(ctx context.Context, q queryer, p Period, listSize int) (Incentive, error) {
	l, _ := time.Parse(DateLayout, p.Last)
	year := Period{l.AddDate(-1, 0, 1).Format(DateLayout), p.Last}
	from, until := year.bounds()
	in := Incentive{From: year.First, To: year.Last, ListSize: listSize, Lower: 1.2, Upper: 1.6}
	err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(coded_in_gp_record), 0) FROM referrals
		WHERE snomed_code = ? AND snomed_recorded_at >= ? AND snomed_recorded_at < ?`, SNOMEDReferred, from, until).Scan(&in.Coded, &in.InGPRecord)
	if listSize > 0 {
		in.Percent = 100 * float64(in.Coded) / float64(listSize)
	}
	return in, err
}

// months: referrals received and appointments attended / DNA in each of
// the 12 months ending with the period's last month, for the charts.
func months(ctx context.Context, q queryer, p Period) ([]MonthPoint, error) {
	ms := p.lastMonths(12)
	span := Period{ms[0].First, ms[len(ms)-1].Last}
	out := make([]MonthPoint, len(ms))
	idx := map[string]int{}
	for i, m := range ms {
		out[i].Month = m.Month()
		idx[m.Month()] = i
	}
	n, err := codeCounts(ctx, q, `SELECT substr(received_on, 1, 7), count(*) FROM referrals
		WHERE received_on BETWEEN ? AND ? GROUP BY 1`, span.First, span.Last)
	if err != nil {
		return nil, err
	}
	for m, c := range n {
		if i, ok := idx[m]; ok {
			out[i].Referrals = c
		}
	}
	from, until := span.bounds()
	rows, err := q.QueryContext(ctx, `SELECT starts_at, status FROM appointments
		WHERE starts_at >= ? AND starts_at < ? AND status IN ('attended', 'arrived', 'dna')`, from, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var at, status string
		if err := rows.Scan(&at, &status); err != nil {
			return nil, err
		}
		i, ok := idx[londonDate(parseInstant(at))[:7]]
		if !ok {
			continue
		}
		if status == AppointmentDNA {
			out[i].DNA++
		} else {
			out[i].Attended++
		}
	}
	return out, rows.Err()
}

// ChartScale is a chart's axis: a top at or above max (and at least minTop)
// with about five round steps, 1, 2 or 5 times a power of ten. One function
// for the dashboard's charts and the monthly return's, so that both draw
// the same axis for the same figures.
func ChartScale(max, minTop float64) (top, step float64) {
	if max < minTop {
		max = minTop
	}
	if max <= 0 {
		max = 1
	}
	raw := max / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	return math.Ceil(max/step) * step, step
}
