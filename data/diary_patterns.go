package data

// Sites, appointment types, and the link workers' weekly working patterns.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Sites lists the practice's sites by name.
func (s *Store) Sites(ctx context.Context, sess *Session) ([]Site, error) {
	if _, err := s.allow(ctx, sess, OpViewRotas); err != nil {
		return nil, err
	}
	return querySites(ctx, s.db)
}

func querySites(ctx context.Context, q queryer) ([]Site, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, address, postcode, phone FROM sites ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		var x Site
		if err := rows.Scan(&x.ID, &x.Name, &x.Address, &x.Postcode, &x.Phone); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// AppointmentTypes lists the types in the order the practice set them up.
func (s *Store) AppointmentTypes(ctx context.Context, sess *Session) ([]AppointmentType, error) {
	if _, err := s.allow(ctx, sess, OpViewRotas); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, default_minutes FROM appointment_types ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AppointmentType
	for rows.Next() {
		var t AppointmentType
		if err := rows.Scan(&t.Code, &t.Name, &t.DefaultMinutes); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SetAppointmentTypeMinutes changes a type's usual length (5–480 minutes).
// Booked appointments keep their length.
func (s *Store) SetAppointmentTypeMinutes(ctx context.Context, sess *Session, code string, minutes int) error {
	actor, err := s.allow(ctx, sess, OpManageWorkingPatterns)
	if err != nil {
		return err
	}
	if minutes < 5 || minutes > 480 {
		return &ValidationError{Fields: []FieldError{{"DefaultMinutes", "an appointment lasts from 5 to 480 minutes"}}}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `UPDATE appointment_types SET default_minutes = ? WHERE code = ?`, minutes, code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, at, actor.ID, "set_minutes", "appointment_type", 0, fmt.Sprintf("%s: %d minutes", code, minutes))
	})
}

const sessionColumns = `ws.id, ws.worker_id, ws.weekday, ws.start_min, ws.end_min, coalesce(ws.site_id, 0), coalesce(st.name, ''),
	ws.valid_from, coalesce(ws.valid_to, '')`

const sessionFrom = ` FROM work_sessions ws LEFT JOIN sites st ON st.id = ws.site_id `

func querySessions(ctx context.Context, q queryer, where string, args ...any) ([]WorkSession, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sessionColumns+sessionFrom+`WHERE `+where+
		` ORDER BY ws.valid_from, ws.weekday, ws.start_min`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WorkSession
	for rows.Next() {
		var w WorkSession
		if err := rows.Scan(&w.ID, &w.WorkerID, &w.Weekday, &w.Start, &w.End, &w.SiteID, &w.SiteName, &w.ValidFrom, &w.ValidTo); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// WorkSessions lists a worker's sessions that have not ended: the current
// pattern and any change already set for a later date.
func (s *Store) WorkSessions(ctx context.Context, sess *Session, workerID int64) ([]WorkSession, error) {
	if _, err := s.allow(ctx, sess, OpViewRotas); err != nil {
		return nil, err
	}
	return querySessions(ctx, s.db, `ws.worker_id = ? AND (ws.valid_to IS NULL OR ws.valid_to >= ?)`, workerID, londonDate(s.now()))
}

// checkPattern validates a weekly pattern. Fields are named
// "Sessions[i].Start" and so on, so a screen can mark the row.
func checkPattern(sessions []WorkSession, siteOK func(int64) bool) error {
	v := &ValidationError{}
	for i, w := range sessions {
		field := func(name string) string { return fmt.Sprintf("Sessions[%d].%s", i, name) }
		n := i + 1
		if w.Weekday < 1 || w.Weekday > 7 {
			v.add(field("Weekday"), "session %d: choose a day of the week", n)
		}
		startOK := w.Start >= 0 && w.Start < 1440 && w.Start%5 == 0
		endOK := w.End > 0 && w.End <= 1440 && w.End%5 == 0
		if !startOK {
			v.add(field("Start"), "session %d: the start is a time of day on a 5-minute mark, e.g. 09:00", n)
		}
		if !endOK {
			v.add(field("End"), "session %d: the end is a time of day on a 5-minute mark, e.g. 12:30", n)
		}
		if startOK && endOK && w.End <= w.Start {
			v.add(field("End"), "session %d: the end must be after the start", n)
		}
		if w.SiteID == 0 || !siteOK(w.SiteID) {
			v.add(field("SiteID"), "session %d: choose the site", n)
		}
		for j := 0; j < i; j++ {
			o := sessions[j]
			if o.Weekday == w.Weekday && w.Start < o.End && o.Start < w.End {
				v.add(field("Start"), "session %d overlaps session %d on %s (%s–%s)", n, j+1, WeekdayLabel(w.Weekday), FormatMinutes(o.Start), FormatMinutes(o.End))
				break
			}
		}
	}
	return v.orNil()
}

// SetWorkPattern replaces a worker's weekly pattern from validFrom (a date,
// today or later) on: the old sessions end the day before, the new ones run
// open-ended. Booked appointments are never changed; the live ones from
// validFrom on that no longer fall inside a session are returned, for
// reception to move. Only a practice manager or administrator may.
func (s *Store) SetWorkPattern(ctx context.Context, sess *Session, workerID int64, sessions []WorkSession, validFrom string) ([]Appointment, error) {
	actor, err := s.allow(ctx, sess, OpManageWorkingPatterns)
	if err != nil {
		return nil, err
	}
	from, err := ParseUKDate(validFrom)
	if err != nil {
		return nil, &ValidationError{Fields: []FieldError{{"ValidFrom", err.Error()}}}
	}
	start := from.Format(DateLayout)
	if start < londonDate(s.now()) {
		return nil, &ValidationError{Fields: []FieldError{{"ValidFrom", "a new pattern starts today or later; past diaries stay as they were"}}}
	}
	dayBefore := from.AddDate(0, 0, -1).Format(DateLayout)
	var outside []Appointment
	err = s.write(ctx, func(tx *sql.Tx) error {
		outside = nil // a busy database may run this again
		if err := checkWorker(ctx, tx, workerID, false); err != nil {
			return err
		}
		sites := map[int64]bool{}
		all, err := querySites(ctx, tx)
		if err != nil {
			return err
		}
		for _, x := range all {
			sites[x.ID] = true
		}
		if err := checkPattern(sessions, func(id int64) bool { return sites[id] }); err != nil {
			return err
		}
		at := s.stamp()
		// Sessions that would only have started on or after validFrom never
		// took effect: drop them. Running ones end the day before.
		if _, err := tx.ExecContext(ctx, `DELETE FROM work_sessions WHERE worker_id = ? AND valid_from >= ?`, workerID, start); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE work_sessions SET valid_to = ? WHERE worker_id = ? AND (valid_to IS NULL OR valid_to > ?)`,
			dayBefore, workerID, dayBefore); err != nil {
			return err
		}
		newRows := make([]WorkSession, len(sessions))
		for i, w := range sessions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO work_sessions (worker_id, weekday, start_min, end_min, site_id, valid_from, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, workerID, w.Weekday, w.Start, w.End, w.SiteID, start, at, actor.ID); err != nil {
				return err
			}
			w.WorkerID, w.ValidFrom, w.ValidTo = workerID, start, ""
			newRows[i] = w
		}
		if err := audit(ctx, tx, at, actor.ID, "set_pattern", "user", workerID, fmt.Sprintf("from %s: %d sessions", start, len(sessions))); err != nil {
			return err
		}
		// Live appointments from validFrom (and from now) that no session holds.
		lo, _, _ := dayBounds(start, start)
		if now := ts(s.now()); now > lo {
			lo = now
		}
		appts, err := queryAppointments(ctx, tx, `a.worker_id = ? AND a.starts_at >= ? AND a.status IN `+liveSQL+` ORDER BY a.starts_at`, workerID, lo)
		if err != nil {
			return err
		}
		for _, a := range appts {
			if _, ok := sessionHolding(newRows, a.Start, a.End); !ok {
				outside = append(outside, a)
			}
		}
		return nil
	})
	return outside, err
}

// checkWorker returns the worker's name, or a validation error on WorkerID
// unless the user is a link worker (and active, when activeOnly).
func checkWorker(ctx context.Context, q queryer, id int64, activeOnly bool) error {
	_, err := workerName(ctx, q, id, activeOnly)
	return err
}

func workerName(ctx context.Context, q queryer, id int64, activeOnly bool) (string, error) {
	var name, role string
	var active bool
	err := q.QueryRowContext(ctx, `SELECT full_name, role, active FROM users WHERE id = ?`, id).Scan(&name, &role, &active)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !Role(role).HasCaseload() {
		return "", &ValidationError{Fields: []FieldError{{"WorkerID", "choose a link worker from the list"}}}
	}
	if err != nil {
		return "", err
	}
	if activeOnly && !active {
		return "", &ValidationError{Fields: []FieldError{{"WorkerID", name + " no longer works here; choose another link worker"}}}
	}
	return name, nil
}

// sessionHolding finds the session that wholly holds [start, end).
func sessionHolding(sessions []WorkSession, start, end time.Time) (WorkSession, bool) {
	date, wd := londonDate(start), isoWeekday(start)
	for _, w := range sessions {
		if w.Weekday != wd || !w.validOn(date) {
			continue
		}
		from, to := w.bounds(start)
		if !start.Before(from) && !end.After(to) {
			return w, true
		}
	}
	return WorkSession{}, false
}
