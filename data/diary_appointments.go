package data

// Appointments: reading them, the booking rules, and booking, moving,
// cancelling and marking them; missed-appointment counts.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

const appointmentSelect = `SELECT a.id, a.worker_id, w.full_name, a.patient_id, p.given_name || ' ' || p.family_name,
	coalesce(a.referral_id, 0), a.starts_at, a.ends_at, a.type, coalesce(t.name, a.type), a.mode, coalesce(a.site_id, 0),
	coalesce(st.name, ''), a.status, a.notes, a.cancel_reason, coalesce(b.full_name, ''), a.booked_at
	FROM appointments a
	JOIN users w ON w.id = a.worker_id
	JOIN patients p ON p.id = a.patient_id
	LEFT JOIN appointment_types t ON t.code = a.type
	LEFT JOIN sites st ON st.id = a.site_id
	LEFT JOIN users b ON b.id = a.booked_by
	WHERE `

func queryAppointments(ctx context.Context, q queryer, whereAndOrder string, args ...any) ([]Appointment, error) {
	rows, err := q.QueryContext(ctx, appointmentSelect+whereAndOrder, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Appointment
	for rows.Next() {
		var a Appointment
		var start, end, booked string
		if err := rows.Scan(&a.ID, &a.WorkerID, &a.WorkerName, &a.PatientID, &a.PatientName, &a.ReferralID, &start, &end,
			&a.Type, &a.TypeName, &a.Mode, &a.SiteID, &a.SiteName, &a.Status, &a.Notes, &a.CancelReason, &a.BookedBy, &booked); err != nil {
			return nil, err
		}
		a.Start, a.End, a.BookedAt = parseInstant(start), parseInstant(end), parseInstant(booked)
		out = append(out, a)
	}
	return out, rows.Err()
}

func readAppointment(ctx context.Context, q queryer, id int64) (Appointment, error) {
	list, err := queryAppointments(ctx, q, `a.id = ?`, id)
	if err != nil {
		return Appointment{}, err
	}
	if len(list) == 0 {
		return Appointment{}, ErrNotFound
	}
	return list[0], nil
}

// Appointment reads one appointment.
func (s *Store) Appointment(ctx context.Context, sess *Session, id int64) (Appointment, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return Appointment{}, err
	}
	return readAppointment(ctx, s.db, id)
}

// PatientAppointments lists a patient's appointments, newest first.
func (s *Store) PatientAppointments(ctx context.Context, sess *Session, patientID int64) ([]Appointment, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return nil, err
	}
	return queryAppointments(ctx, s.db, `a.patient_id = ? ORDER BY a.starts_at DESC`, patientID)
}

// WorkerAppointments lists a link worker's appointments of every status
// starting on the London dates of from to to (inclusive), by start: the
// calendar export.
func (s *Store) WorkerAppointments(ctx context.Context, sess *Session, workerID int64, from, to time.Time) ([]Appointment, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return nil, err
	}
	lo, hi, err := dayBounds(londonDate(from), londonDate(to))
	if err != nil {
		return nil, err
	}
	return queryAppointments(ctx, s.db, `a.worker_id = ? AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id`, workerID, lo, hi)
}

// normaliseBooking checks what can be checked without the database.
func (a *Appointment) normaliseBooking() error {
	v := &ValidationError{}
	a.Notes = strings.TrimSpace(a.Notes)
	if a.WorkerID == 0 {
		v.add("WorkerID", "choose a link worker")
	}
	if a.PatientID == 0 {
		v.add("PatientID", "choose a patient")
	}
	if a.Type == "" {
		v.add("Type", "choose the type of appointment")
	}
	if !validChoice(AppointmentModes, a.Mode) {
		v.add("Mode", "choose in person, phone, video or home visit")
	}
	if a.Start.IsZero() {
		v.add("Start", "choose a date and time")
	}
	// Whole minutes, London: what the diary shows is what is stored.
	a.Start = a.Start.Truncate(time.Minute).In(london())
	if !a.End.IsZero() {
		a.End = a.End.Truncate(time.Minute).In(london())
		if !a.End.After(a.Start) {
			v.add("End", "the end must be after the start")
		} else if a.End.Sub(a.Start) > 8*time.Hour {
			v.add("End", "an appointment lasts at most 8 hours")
		}
	}
	return v.orNil()
}

// checkBooking applies every booking rule inside the write transaction, so
// the answer cannot go stale before the insert. It fills in the end (from
// the type's length), the site (from the session) and the names. selfID is
// the appointment being moved, which must not clash with itself.
//
// What it needs is read in two queries, not one per rule: on PostgreSQL
// each query is a round trip to the server (docs/benchmarks.md). The
// rules then apply in Go in the order they always have, so the first
// broken rule is still the one reported.
func (s *Store) checkBooking(ctx context.Context, tx *sql.Tx, a *Appointment, selfID int64) error {
	// The worker, the patient, the type and the referral, by key; a row
	// that is not there reads as NULLs.
	var wName, workerRole, patientName, typeName, refStatus sql.NullString
	var workerActive, patientID, minutes, refPatient sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT w.full_name, w.role, w.active, p.id, p.given_name || ' ' || p.family_name,
		t.name, t.default_minutes, r.patient_id, r.status
		FROM (SELECT 1 AS one) one
		LEFT JOIN users w ON w.id = ?
		LEFT JOIN patients p ON p.id = ?
		LEFT JOIN appointment_types t ON t.code = ?
		LEFT JOIN referrals r ON r.id = ?`, a.WorkerID, a.PatientID, a.Type, a.ReferralID).Scan(
		&wName, &workerRole, &workerActive, &patientID, &patientName, &typeName, &minutes, &refPatient, &refStatus)
	if err != nil {
		return err
	}
	// As workerName (diary_patterns.go) says it.
	if !wName.Valid || !Role(workerRole.String).HasCaseload() {
		return &ValidationError{Fields: []FieldError{{"WorkerID", "choose a link worker from the list"}}}
	}
	if workerActive.Int64 == 0 {
		return &ValidationError{Fields: []FieldError{{"WorkerID", wName.String + " no longer works here; choose another link worker"}}}
	}
	a.WorkerName = wName.String
	v := &ValidationError{}
	if !patientID.Valid {
		v.add("PatientID", "choose a patient")
	}
	a.PatientName = patientName.String
	if !typeName.Valid {
		v.add("Type", "choose the type of appointment")
	}
	a.TypeName = typeName.String
	if a.End.IsZero() {
		a.End = a.Start.Add(time.Duration(minutes.Int64) * time.Minute)
	}
	if a.ReferralID != 0 {
		status := ReferralStatus(refStatus.String)
		switch {
		case !refPatient.Valid:
			v.add("ReferralID", "this referral no longer exists")
		case refPatient.Int64 != a.PatientID:
			v.add("ReferralID", "this referral belongs to another patient")
		case !status.Open():
			v.add("ReferralID", "this referral is %s; reopen it, or book without linking it", strings.ToLower(status.Label()))
		}
	}
	if err := v.orNil(); err != nil {
		return err
	}
	if a.Start.Before(s.now().Add(-pastGrace)) {
		return &ValidationError{Fields: []FieldError{{"Start", "this time has passed; choose a time from now on"}}}
	}

	// The worker's sessions that day, the first leave or closure on it,
	// and the first of the worker's and of the patient's live appointments
	// that overlap (half-open intervals, so back-to-back is fine; the lower
	// bound on starts_at lets the (worker|patient, starts_at) index do the
	// work), in one query: kind 1, 2, 3 and 4.
	date := londonDate(a.Start)
	dayText := a.Start.Format("Monday 02/01/2006")
	start, end, lookBack := ts(a.Start), ts(a.End), ts(a.Start.Add(-maxAppointment))
	rows, err := tx.QueryContext(ctx, `SELECT * FROM (SELECT 1 AS kind, ws.id AS n1, ws.worker_id AS n2, ws.weekday AS n3,
			ws.start_min AS n4, ws.end_min AS n5, coalesce(ws.site_id, 0) AS n6,
			coalesce(st.name, '') AS t1, ws.valid_from AS t2, coalesce(ws.valid_to, '') AS t3
		FROM work_sessions ws LEFT JOIN sites st ON st.id = ws.site_id
		WHERE ws.worker_id = ? AND ws.weekday = ? AND ws.valid_from <= ? AND (ws.valid_to IS NULL OR ws.valid_to >= ?))
	UNION ALL SELECT * FROM (SELECT 2, l.id, coalesce(l.worker_id, 0), 0, 0, 0, 0, l.reason, '', ''
		FROM leave l LEFT JOIN users u ON u.id = l.worker_id
		WHERE (l.worker_id = ? OR l.worker_id IS NULL) AND l.first_day <= ? AND l.last_day >= ?
		ORDER BY l.first_day, l.worker_id IS NOT NULL, u.full_name LIMIT 1)
	UNION ALL SELECT * FROM (SELECT 3, a.id, 0, 0, 0, 0, 0, '', '', '' FROM appointments a
		WHERE a.worker_id = ? AND a.starts_at < ? AND a.starts_at > ? AND a.ends_at > ?
		AND a.status IN `+liveSQL+` AND a.id <> ? ORDER BY a.starts_at LIMIT 1)
	UNION ALL SELECT * FROM (SELECT 4, a.id, 0, 0, 0, 0, 0, '', '', '' FROM appointments a
		WHERE a.patient_id = ? AND a.starts_at < ? AND a.starts_at > ? AND a.ends_at > ?
		AND a.status IN `+liveSQL+` AND a.id <> ? ORDER BY a.starts_at LIMIT 1)
	ORDER BY 1, 9, 4, 5`,
		a.WorkerID, isoWeekday(a.Start), date, date,
		a.WorkerID, date, date,
		a.WorkerID, end, lookBack, start, selfID,
		a.PatientID, end, lookBack, start, selfID)
	if err != nil {
		return err
	}
	var sessions []WorkSession
	var leave []Leave
	var workerClash, patientClash int64
	for rows.Next() {
		var kind int
		var n [6]int64
		var t [3]string
		if err := rows.Scan(&kind, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &t[0], &t[1], &t[2]); err != nil {
			rows.Close()
			return err
		}
		switch kind {
		case 1:
			sessions = append(sessions, WorkSession{ID: n[0], WorkerID: n[1], Weekday: int(n[2]), Start: int(n[3]), End: int(n[4]),
				SiteID: n[5], SiteName: t[0], ValidFrom: t[1], ValidTo: t[2]})
		case 2:
			leave = append(leave, Leave{ID: n[0], WorkerID: n[1], Reason: t[0]})
		case 3:
			workerClash = n[0]
		case 4:
			patientClash = n[0]
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}

	// Inside one of the worker's sessions that day, not on leave.
	session, ok := sessionHolding(sessions, a.Start, a.End)
	if !ok {
		msg := fmt.Sprintf("%s does not work on %s", a.WorkerName, dayText)
		if len(sessions) > 0 {
			var hours []string
			for _, w := range sessions {
				hours = append(hours, FormatMinutes(w.Start)+"–"+FormatMinutes(w.End))
			}
			msg = fmt.Sprintf("%s to %s is outside %s's sessions that day (%s); choose a time inside one session",
				a.Start.Format("15:04"), a.End.Format("15:04"), a.WorkerName, strings.Join(hours, ", "))
		}
		return &ValidationError{Fields: []FieldError{{"Start", msg}}}
	}
	if len(leave) > 0 {
		l := leave[0]
		if l.WorkerID == 0 {
			return &ValidationError{Fields: []FieldError{{"Start", fmt.Sprintf("the practice is closed on %s (%s)", dayText, l.Reason)}}}
		}
		return &ValidationError{Fields: []FieldError{{"Start", fmt.Sprintf("%s is on leave on %s (%s)", a.WorkerName, dayText, orNobody(l.Reason))}}}
	}
	switch {
	case a.Mode != ModeInPerson:
		a.SiteID, a.SiteName = 0, ""
	case a.SiteID != 0 && a.SiteID != session.SiteID:
		return &ValidationError{Fields: []FieldError{{"SiteID", fmt.Sprintf("%s is at %s at that time", a.WorkerName, session.SiteName)}}}
	default:
		a.SiteID, a.SiteName = session.SiteID, session.SiteName
	}

	if workerClash != 0 {
		clash, err := readAppointment(ctx, tx, workerClash)
		if err != nil {
			return err
		}
		next, err := s.findSlots(ctx, tx, SlotQuery{WorkerID: a.WorkerID, Minutes: int(a.End.Sub(a.Start) / time.Minute),
			Mode: a.Mode, From: a.Start, Limit: 5}, selfID)
		if err != nil {
			return err
		}
		return &SlotTakenError{Clash: clash, Next: next}
	}
	if patientClash != 0 {
		clash, err := readAppointment(ctx, tx, patientClash)
		if err != nil {
			return err
		}
		return &PatientBusyError{Clash: clash}
	}
	return nil
}

// ReferralWorker is the link worker of the patient's open referral: whom
// their bookings should be with, so the diary offers that worker first and
// asks before booking anyone else (issue 17). The zero User when the
// patient has no open referral or it has no link worker yet.
func (s *Store) ReferralWorker(ctx context.Context, sess *Session, patientID int64) (User, error) {
	if _, err := s.allow(ctx, sess, OpBook); err != nil {
		return User{}, err
	}
	var u User
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.full_name FROM referrals r JOIN users u ON u.id = r.link_worker_id
		WHERE r.patient_id = ? AND r.status IN ('received', 'contacted', 'accepted', 'active')`, patientID).Scan(&u.ID, &u.FullName)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, nil
	}
	return u, err
}

// Book books an appointment. Every rule is checked in the one write
// transaction that inserts it: the worker is an active link worker; the
// time lies wholly inside one of their sessions that day and not on leave
// or a practice-closed day; it overlaps none of the worker's or the
// patient's live appointments (*SlotTakenError, *PatientBusyError); the
// referral, if given, is the patient's and open; it is not in the past.
// End may be left zero for the type's usual length.
func (s *Store) Book(ctx context.Context, sess *Session, in Appointment) (Appointment, error) {
	var a Appointment
	err := s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.mayBookIn(ctx, tx, sess)
		if err != nil {
			return err
		}
		a = in
		if err := a.normaliseBooking(); err != nil {
			return err
		}
		if err := s.checkBooking(ctx, tx, &a, 0); err != nil {
			return err
		}
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO appointments (worker_id, patient_id, referral_id, starts_at, ends_at, type, mode, site_id,
			status, notes, booked_at, booked_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, ?)`,
			a.WorkerID, a.PatientID, nullID(a.ReferralID), ts(a.Start), ts(a.End), a.Type, a.Mode, nullID(a.SiteID),
			a.Notes, at, actor.ID, at, actor.ID)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if err := logAppointment(ctx, tx, at, actor, "book", id, a.ReferralID, ts(a.Start)); err != nil {
			return err
		}
		// Everything readAppointment would read back is known here
		// (TestBookReturnsWhatIsStored).
		a.ID, a.Status, a.CancelReason, a.BookedBy = id, AppointmentBooked, "", actor.FullName
		a.Start, a.End, a.BookedAt = parseInstant(ts(a.Start)), parseInstant(ts(a.End)), parseInstant(at)
		return nil
	})
	if errors.Is(err, ErrSignedOut) {
		return Appointment{}, err
	}
	if err != nil {
		return in, err
	}
	return a, nil
}

// mayBookIn checks, in the write transaction tx, that the session's user
// may book (allowOn) and that their role books for patients (mayBook).
func (s *Store) mayBookIn(ctx context.Context, tx *sql.Tx, sess *Session) (User, error) {
	actor, err := s.allowOn(ctx, tx, sess, OpBook)
	if err != nil {
		return actor, err
	}
	if !mayBook(actor) {
		return actor, ErrNotAllowed
	}
	return actor, nil
}

// Reschedule moves a booked appointment to a new start (same length), and
// to another worker when newWorkerID is not 0, under the same rules as
// Book.
func (s *Store) Reschedule(ctx context.Context, sess *Session, id int64, newStart time.Time, newWorkerID int64) (Appointment, error) {
	actor, err := s.allow(ctx, sess, OpBook)
	if err != nil {
		return Appointment{}, err
	}
	if !mayBook(actor) {
		return Appointment{}, ErrNotAllowed
	}
	var out Appointment
	err = s.write(ctx, func(tx *sql.Tx) error {
		old, err := readAppointment(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Status != AppointmentBooked {
			return fmt.Errorf("only a booked appointment can be moved; this one is %s", strings.ToLower(LabelOf(AppointmentStatuses, old.Status)))
		}
		a := old
		a.Start = newStart
		a.End = time.Time{}
		if newWorkerID != 0 {
			a.WorkerID = newWorkerID
		}
		a.SiteID = 0 // the new session decides
		if err := a.normaliseBooking(); err != nil {
			return err
		}
		a.End = a.Start.Add(old.End.Sub(old.Start))
		if err := s.checkBooking(ctx, tx, &a, id); err != nil {
			return err
		}
		at := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE appointments SET worker_id = ?, starts_at = ?, ends_at = ?, site_id = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, a.WorkerID, ts(a.Start), ts(a.End), nullID(a.SiteID), at, actor.ID, id); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s (%s) to %s (%s)", ts(old.Start), old.WorkerName, ts(a.Start), a.WorkerName)
		if err := logAppointment(ctx, tx, at, actor, "reschedule", id, a.ReferralID, detail); err != nil {
			return err
		}
		out, err = readAppointment(ctx, tx, id)
		return err
	})
	return out, err
}

// Cancel cancels a booked (or arrived) appointment, by the patient or by
// the practice; the reason is required. The slot becomes free.
func (s *Store) Cancel(ctx context.Context, sess *Session, id int64, byPatient bool, reason string) error {
	reason = strings.TrimSpace(reason)
	var bad error // said once the user may cancel at all
	if reason == "" {
		bad = &ValidationError{Fields: []FieldError{{"CancelReason", "say why the appointment is cancelled"}}}
	}
	status := AppointmentCancelledPractice
	if byPatient {
		status = AppointmentCancelledPatient
	}
	return s.changeAppointment(ctx, sess, bad, id, "cancel", func(a Appointment) error {
		if a.Status != AppointmentBooked && a.Status != AppointmentArrived {
			return fmt.Errorf("this appointment is %s and cannot be cancelled", strings.ToLower(LabelOf(AppointmentStatuses, a.Status)))
		}
		return nil
	}, `status = ?, cancel_reason = ?`, status, reason)
}

// appointmentMoves are the status changes SetAppointmentStatus allows.
var appointmentMoves = map[string][]string{
	AppointmentBooked:  {AppointmentArrived, AppointmentAttended, AppointmentDNA},
	AppointmentArrived: {AppointmentAttended, AppointmentDNA},
}

// SetAppointmentStatus marks an appointment arrived, attended or did not
// attend, from its day on: booked → arrived, attended or DNA; arrived →
// attended or DNA.
func (s *Store) SetAppointmentStatus(ctx context.Context, sess *Session, id int64, status string) error {
	var bad error // said once the user may mark appointments at all
	if status != AppointmentArrived && status != AppointmentAttended && status != AppointmentDNA {
		bad = &ValidationError{Fields: []FieldError{{"Status", "mark the appointment arrived, attended or did not attend"}}}
	}
	today := londonDate(s.now())
	return s.changeAppointment(ctx, sess, bad, id, "status", func(a Appointment) error {
		from := strings.ToLower(LabelOf(AppointmentStatuses, a.Status))
		allowed := false
		for _, to := range appointmentMoves[a.Status] {
			allowed = allowed || to == status
		}
		if !allowed {
			return fmt.Errorf("this appointment is %s; it cannot be marked %s", from, strings.ToLower(LabelOf(AppointmentStatuses, status)))
		}
		if londonDate(a.Start) > today {
			return fmt.Errorf("this appointment is on %s; it can be marked %s on the day", a.Start.Format("02/01/2006"), strings.ToLower(LabelOf(AppointmentStatuses, status)))
		}
		return nil
	}, `status = ?`, status)
}

// changeAppointment updates one appointment after check allows it, stamps
// updated_at/by, and logs the change. The user's right to book is checked
// in its transaction first; then bad, the caller's verdict on its own
// input, if any.
func (s *Store) changeAppointment(ctx context.Context, sess *Session, bad error, id int64, action string, check func(Appointment) error, set string, args ...any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		actor, err := s.mayBookIn(ctx, tx, sess)
		if err != nil {
			return err
		}
		if bad != nil {
			return bad
		}
		a, err := readAppointment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := check(a); err != nil {
			return err
		}
		at := s.stamp()
		args := append(args[:len(args):len(args)], at, actor.ID, id) // a retry starts from the caller's
		if _, err := tx.ExecContext(ctx, `UPDATE appointments SET `+set+`, updated_at = ?, updated_by = ? WHERE id = ?`, args...); err != nil {
			return err
		}
		return logAppointment(ctx, tx, at, actor, action, id, a.ReferralID, fmt.Sprint(args[0]))
	})
}

// logAppointment audits a change to an appointment and, when it belongs to
// an episode, counts it as activity on the referral.
func logAppointment(ctx context.Context, tx *sql.Tx, at string, actor User, action string, id, referralID int64, detail string) error {
	if err := audit(ctx, tx, at, actor.ID, action, "appointment", id, detail); err != nil {
		return err
	}
	if referralID == 0 {
		return nil
	}
	return touchReferral(ctx, tx, referralID, at)
}

// DNACount counts the patient's missed appointments: in one episode when
// referralID is not 0, otherwise overall.
func (s *Store) DNACount(ctx context.Context, sess *Session, patientID, referralID int64) (int, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return 0, err
	}
	q := `SELECT count(*) FROM appointments WHERE patient_id = ? AND status = 'dna'`
	args := []any{patientID}
	if referralID != 0 {
		q += ` AND referral_id = ?`
		args = append(args, referralID)
	}
	var n int
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// ReferralsWithDNAs lists a worker's open referrals (every worker's when
// workerID is 0) with at least atLeast missed appointments in the episode, most
// missed first: the caseload warning.
func (s *Store) ReferralsWithDNAs(ctx context.Context, sess *Session, workerID int64, atLeast int) ([]DNAWarning, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return nil, err
	}
	if atLeast < 1 {
		atLeast = 1
	}
	// The missed appointments of each open referral come from
	// appointments_dna (migration 005) alone; only the few referrals with enough of
	// them are then read, with their patient's name.
	q := `SELECT r.id, r.patient_id, p.given_name || ' ' || p.family_name, d.n, d.last
		FROM (SELECT r.id, count(*) AS n, max(a.starts_at) AS last
			FROM referrals r JOIN appointments a INDEXED BY appointments_dna ON a.referral_id = r.id AND a.status = 'dna'
			WHERE r.status IN ('received', 'contacted', 'accepted', 'active')`
	var args []any
	if workerID != 0 {
		q += ` AND r.link_worker_id = ?`
		args = append(args, workerID)
	}
	q += ` GROUP BY r.id HAVING count(*) >= ?) d
		CROSS JOIN referrals r ON r.id = d.id CROSS JOIN patients p ON p.id = r.patient_id
		ORDER BY d.n DESC, d.last DESC`
	args = append(args, atLeast)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DNAWarning
	for rows.Next() {
		var w DNAWarning
		var last string
		if err := rows.Scan(&w.ReferralID, &w.PatientID, &w.PatientName, &w.DNAs, &last); err != nil {
			return nil, err
		}
		w.LastDNA = parseInstant(last)
		out = append(out, w)
	}
	return out, rows.Err()
}
