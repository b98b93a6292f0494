package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Retention. Once the practice manager has set a retention period
// (PracticeSettings.RetentionYears, off by default), AnonymiseClosedEpisodes
// removes what identifies a person or tells their story from episodes that
// closed longer ago than that, and keeps what the reports count.
//
// Removed (personal): case notes and contact notes, goal descriptions,
// "what matters to me", the priority reason, who gave consent, the named
// referrer (the organisation stays), the free-text reasons in the status
// history, appointment notes and cancellation reasons, the personal notes on
// prescriptions and the patient's details copied into them.
//
// Kept (statistical): every date, status and status move, the link worker,
// source, referral reasons, closing reason, SNOMED CT code, contact kinds
// and minutes, goal and ONS4 scores, appointment times, types and outcomes,
// the services prescribed. So every count and chart stays the same.
//
// A patient none of whose episodes is still held in full (every one
// anonymised, no live appointment ahead) loses their identifying details
// too: name, NHS number, address, postcode, phone and e-mail; the year of
// birth, sex, ethnic category and communication needs stay for equality
// monitoring. Linkwell is not the master record (the GP system is), so a
// returning patient is added again from it. See docs/ARCHITECTURE.md.
//
// Audit events are never changed (the audit is sealed); they hold ids and
// codes, not case notes.

// ErrRetentionOff: no retention period is set, so nothing is anonymised.
var ErrRetentionOff = errors.New("no retention period is set: closed episodes are kept in full")

// RetentionResult says what AnonymiseClosedEpisodes changed, or would change.
type RetentionResult struct {
	DryRun        bool
	Years         int
	ClosedBefore  string // instant: episodes closed before it qualify
	Episodes      int    // episodes anonymised
	Contacts      int    // contact notes emptied
	Goals         int    // goal descriptions removed
	Appointments  int    // appointments whose notes were emptied
	Prescriptions int    // prescriptions whose personal notes were removed
	Patients      int    // patients whose details were removed
}

// retentionBatch is how many episodes one write transaction anonymises,
// so other desks wait a moment at most.
const retentionBatch = 50

// removedGoal stands for a goal's description (the column may not be empty).
const removedGoal = "(removed after the retention period)"

// AnonymiseClosedEpisodes anonymises the episodes closed more than the
// practice's retention period ago (see the top of this file), in short
// transactions, each episode audited with what was removed. dryRun counts
// what would change and changes nothing.
func (s *Store) AnonymiseClosedEpisodes(ctx context.Context, sess *Session, dryRun bool) (RetentionResult, error) {
	actor, err := s.allow(ctx, sess, OpRetention)
	if err != nil {
		return RetentionResult{}, err
	}
	set, err := s.PracticeSettings(ctx)
	if err != nil {
		return RetentionResult{}, err
	}
	res := RetentionResult{DryRun: dryRun, Years: set.RetentionYears}
	if set.RetentionYears == 0 {
		return res, ErrRetentionOff
	}
	res.ClosedBefore = s.now().UTC().AddDate(-set.RetentionYears, 0, 0).Format(TimeLayout)
	if dryRun {
		return res, s.countRetention(ctx, &res)
	}
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		var batch RetentionResult
		done := false
		err := s.write(ctx, func(tx *sql.Tx) error {
			batch = RetentionResult{}
			ids, err := queryIDs(ctx, tx, `SELECT id FROM referrals WHERE anonymised_at IS NULL AND closed_at IS NOT NULL
				AND closed_at < ? AND status NOT IN ('received', 'contacted', 'accepted', 'active') ORDER BY closed_at LIMIT ?`,
				res.ClosedBefore, retentionBatch)
			if err != nil {
				return err
			}
			done = len(ids) < retentionBatch
			at := s.stamp()
			for _, id := range ids {
				if err := anonymiseEpisode(ctx, tx, at, actor.ID, id, &batch); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		res.add(batch)
		if done {
			return res, nil
		}
	}
}

func (r *RetentionResult) add(b RetentionResult) {
	r.Episodes += b.Episodes
	r.Contacts += b.Contacts
	r.Goals += b.Goals
	r.Appointments += b.Appointments
	r.Prescriptions += b.Prescriptions
	r.Patients += b.Patients
}

func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// anonymisePrescriptions removes the copy of the patient's details and the
// personal notes from what a prescription's reprint shows.
const anonymisePrescriptions = `UPDATE prescriptions SET content = json_set(content,
	'$.patient', json_object('full_name', 'Anonymised', 'date_of_birth', '', 'nhs_number', ''),
	'$.items', json((SELECT json_group_array(json_remove(value, '$.note')) FROM json_each(content, '$.items')))) WHERE `

// anonymisePrescriptionsPostgres is the same in PostgreSQL's JSON functions.
const anonymisePrescriptionsPostgres = `UPDATE prescriptions SET content = jsonb_set(jsonb_set(content::jsonb,
	'{patient}', jsonb_build_object('full_name', 'Anonymised', 'date_of_birth', '', 'nhs_number', '')),
	'{items}', coalesce((SELECT jsonb_agg(e.value - 'note' ORDER BY e.n)
		FROM jsonb_array_elements(content::jsonb -> 'items') WITH ORDINALITY AS e (value, n)), '[]'::jsonb))::text WHERE `

// anonymisePrescriptionsOn is anonymisePrescriptions in tx's engine.
func anonymisePrescriptionsOn(tx *sql.Tx) string {
	if engineOf(tx) == enginePostgres {
		return anonymisePrescriptionsPostgres
	}
	return anonymisePrescriptions
}

// What one episode's anonymising empties; countRetention counts the same.
const (
	retainedContacts      = `FROM contacts WHERE referral_id = ? AND text <> ''`
	retainedGoals         = `FROM goals WHERE referral_id = ? AND description <> '` + removedGoal + `'`
	retainedAppointments  = `FROM appointments WHERE referral_id = ? AND (notes <> '' OR cancel_reason <> '')`
	retainedPrescriptions = `FROM prescriptions WHERE referral_id = ?`
)

func anonymiseEpisode(ctx context.Context, tx *sql.Tx, at string, actorID, id int64, res *RetentionResult) error {
	count := func(from string) (int, error) {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) `+from, id).Scan(&n)
		return n, err
	}
	var c, g, a, p int
	var err error
	if c, err = count(retainedContacts); err != nil {
		return err
	}
	if g, err = count(retainedGoals); err != nil {
		return err
	}
	if a, err = count(retainedAppointments); err != nil {
		return err
	}
	if p, err = count(retainedPrescriptions); err != nil {
		return err
	}
	steps := []struct {
		q    string
		args []any
	}{
		{`UPDATE referrals SET what_matters = '', priority_reason = '', consent_by = '', referrer_name = '', anonymised_at = ? WHERE id = ?`, []any{at, id}},
		{`UPDATE referral_history SET reason = '' WHERE referral_id = ? AND reason <> ''`, []any{id}},
		{`UPDATE contacts SET text = '' WHERE referral_id = ? AND text <> ''`, []any{id}},
		{`UPDATE goals SET description = '` + removedGoal + `', updated_at = ? WHERE referral_id = ?`, []any{at, id}},
		{`UPDATE appointments SET notes = '', cancel_reason = '', updated_at = ? WHERE referral_id = ? AND (notes <> '' OR cancel_reason <> '')`, []any{at, id}},
		{`UPDATE prescription_items SET note = '' WHERE note <> '' AND prescription_id IN (SELECT id FROM prescriptions WHERE referral_id = ?)`, []any{id}},
		{anonymisePrescriptionsOn(tx) + `referral_id = ?`, []any{id}},
	}
	for _, step := range steps {
		if _, err := tx.ExecContext(ctx, step.q, step.args...); err != nil {
			return err
		}
	}
	res.Episodes++
	res.Contacts += c
	res.Goals += g
	res.Appointments += a
	res.Prescriptions += p
	detail := fmt.Sprintf("retention: free text removed from %d contacts, %d goals, %d appointments, %d prescriptions", c, g, a, p)
	if err := audit(ctx, tx, at, actorID, "anonymise", "referral", id, detail); err != nil {
		return err
	}
	var patientID int64
	if err := tx.QueryRowContext(ctx, `SELECT patient_id FROM referrals WHERE id = ?`, id).Scan(&patientID); err != nil {
		return err
	}
	return anonymisePatientIfDone(ctx, tx, at, actorID, patientID, res)
}

// anonymisePatientIfDone removes a patient's identifying details once
// nothing of theirs is held in full: every episode anonymised and no live
// appointment to come.
func anonymisePatientIfDone(ctx context.Context, tx *sql.Tx, at string, actorID, patientID int64, res *RetentionResult) error {
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM referrals WHERE patient_id = ? AND anonymised_at IS NULL)
		+ (SELECT count(*) FROM appointments WHERE patient_id = ? AND status IN ('booked', 'arrived') AND ends_at > ?)
		+ (SELECT count(*) FROM patients WHERE id = ? AND anonymised_at IS NOT NULL)`,
		patientID, patientID, at, patientID).Scan(&held); err != nil {
		return err
	}
	if held > 0 {
		return nil
	}
	// The year of birth stays (as 1 July, the middle of the year) for age
	// bands; the postcode goes with the address.
	if _, err := tx.ExecContext(ctx, `UPDATE patients SET nhs_number = NULL, given_name = 'Anonymised', family_name = 'Patient ' || id,
		given_key = 'anonymised', family_key = 'patient ' || id, date_of_birth = substr(date_of_birth, 1, 4) || '-07-01',
		address = '', postcode = '', phone = '', email = '', anonymised_at = ?, updated_at = ?, version = version + 1
		WHERE id = ?`, at, at, patientID); err != nil {
		return err
	}
	// Appointments and prescriptions outside any episode go with them.
	if _, err := tx.ExecContext(ctx, `UPDATE appointments SET notes = '', cancel_reason = '', updated_at = ?
		WHERE patient_id = ? AND (notes <> '' OR cancel_reason <> '')`, at, patientID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE prescription_items SET note = '' WHERE note <> ''
		AND prescription_id IN (SELECT id FROM prescriptions WHERE patient_id = ?)`, patientID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, anonymisePrescriptionsOn(tx)+`patient_id = ?`, patientID); err != nil {
		return err
	}
	res.Patients++
	return audit(ctx, tx, at, actorID, "anonymise", "patient", patientID,
		"retention: name, NHS number, address and contact details removed; every episode had been anonymised")
}

// countRetention counts what AnonymiseClosedEpisodes would change.
func (s *Store) countRetention(ctx context.Context, res *RetentionResult) error {
	const due = `SELECT id FROM referrals WHERE anonymised_at IS NULL AND closed_at IS NOT NULL AND closed_at < ?
		AND status NOT IN ('received', 'contacted', 'accepted', 'active')`
	counts := []struct {
		n *int
		q string
	}{
		{&res.Episodes, `SELECT count(*) FROM (` + due + `)`},
		{&res.Contacts, `SELECT count(*) FROM contacts WHERE text <> '' AND referral_id IN (` + due + `)`},
		{&res.Goals, `SELECT count(*) FROM goals WHERE description <> '` + removedGoal + `' AND referral_id IN (` + due + `)`},
		{&res.Appointments, `SELECT count(*) FROM appointments WHERE (notes <> '' OR cancel_reason <> '') AND referral_id IN (` + due + `)`},
		{&res.Prescriptions, `SELECT count(*) FROM prescriptions WHERE referral_id IN (` + due + `)`},
		// Patients whose every episode is anonymised or due, with no live
		// appointment ahead.
		{&res.Patients, `SELECT count(*) FROM patients p WHERE p.anonymised_at IS NULL
			AND EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id AND r.id IN (` + due + `))
			AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id AND r.anonymised_at IS NULL AND r.id NOT IN (` + due + `))
			AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id AND a.status IN ('booked', 'arrived') AND a.ends_at > ?)`},
	}
	now := s.stamp()
	for _, c := range counts {
		args := []any{res.ClosedBefore}
		if c.n == &res.Patients {
			args = []any{res.ClosedBefore, res.ClosedBefore, now}
		}
		if err := s.db.QueryRowContext(ctx, c.q, args...).Scan(c.n); err != nil {
			return err
		}
	}
	return nil
}

// Report says what a run changed, or would change, in words, for the
// command line and the Retention screen.
func (r RetentionResult) Report() string {
	verb := "anonymised"
	if r.DryRun {
		verb = "would be anonymised"
	}
	s := fmt.Sprintf("Retention period %d years: episodes closed before %s.\n", r.Years, FormatUKDateTime(r.ClosedBefore))
	s += fmt.Sprintf("%d episodes %s: %d case notes, %d goals, %d appointments' notes, %d prescriptions' notes.\n",
		r.Episodes, verb, r.Contacts, r.Goals, r.Appointments, r.Prescriptions)
	s += fmt.Sprintf("%d patients with nothing else held %s (name, NHS number, address and contact details).\n", r.Patients, verb)
	if r.DryRun {
		s += "Nothing was changed (--dry-run).\n"
	} else {
		s += "Dates, statuses, reasons, codes and scores are kept, so the reports count the same.\n"
	}
	return s
}
