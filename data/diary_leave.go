package data

// Leave: a link worker's time away, and days the whole practice is closed.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

const leaveColumns = `l.id, coalesce(l.worker_id, 0), coalesce(u.full_name, ''), l.first_day, l.last_day, l.reason`

func queryLeave(ctx context.Context, q queryer, where string, args ...any) ([]Leave, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+leaveColumns+` FROM leave l LEFT JOIN users u ON u.id = l.worker_id WHERE `+where+
		` ORDER BY l.first_day, l.worker_id IS NOT NULL, u.full_name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Leave
	for rows.Next() {
		var l Leave
		if err := rows.Scan(&l.ID, &l.WorkerID, &l.WorkerName, &l.FirstDay, &l.LastDay, &l.Reason); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Leave lists leave that touches the dates from–to (YYYY-MM-DD, inclusive;
// "" = unbounded). For a worker it is their leave and the practice
// closures; for workerID 0, everyone's leave and the closures.
func (s *Store) Leave(ctx context.Context, sess *Session, workerID int64, from, to string) ([]Leave, error) {
	if _, err := s.allow(ctx, sess, OpViewRotas); err != nil {
		return nil, err
	}
	if from == "" {
		from = "0000-01-01"
	}
	if to == "" {
		to = "9999-12-31"
	}
	where := `l.first_day <= ? AND l.last_day >= ?`
	args := []any{to, from}
	if workerID != 0 {
		where += ` AND (l.worker_id = ? OR l.worker_id IS NULL)`
		args = append(args, workerID)
	}
	return queryLeave(ctx, s.db, where, args...)
}

// AddLeave records leave for a worker, or a practice closure (WorkerID 0).
// It returns the live appointments the leave now covers, for reception to
// move. Only a practice manager or administrator may.
func (s *Store) AddLeave(ctx context.Context, sess *Session, in Leave) (Leave, []Appointment, error) {
	actor, err := s.allow(ctx, sess, OpManageWorkingPatterns)
	if err != nil {
		return Leave{}, nil, err
	}
	l := in
	l.Reason = strings.TrimSpace(l.Reason)
	v := &ValidationError{}
	if first, err := ParseUKDate(l.FirstDay); err != nil {
		v.add("FirstDay", "%s", err.Error())
	} else {
		l.FirstDay = first.Format(DateLayout)
	}
	if strings.TrimSpace(l.LastDay) == "" {
		l.LastDay = l.FirstDay
	} else if last, err := ParseUKDate(l.LastDay); err != nil {
		v.add("LastDay", "%s", err.Error())
	} else {
		l.LastDay = last.Format(DateLayout)
	}
	if v.For("FirstDay") == "" && v.For("LastDay") == "" && l.LastDay < l.FirstDay {
		v.add("LastDay", "the last day cannot be before the first day")
	}
	if l.WorkerID == 0 && l.Reason == "" {
		v.add("Reason", "say why the practice is closed, e.g. Bank holiday: Christmas Day")
	}
	if err := v.orNil(); err != nil {
		return in, nil, err
	}
	var covered []Appointment
	err = s.write(ctx, func(tx *sql.Tx) error {
		if l.WorkerID != 0 {
			name, err := workerName(ctx, tx, l.WorkerID, false)
			if err != nil {
				return err
			}
			l.WorkerName = name
		}
		// The same worker's leave (or closures) must not overlap: a second
		// entry for the same days is almost always a typing slip.
		same, err := queryLeave(ctx, tx, `l.first_day <= ? AND l.last_day >= ? AND l.worker_id IS NOT DISTINCT FROM ?`, l.LastDay, l.FirstDay, nullID(l.WorkerID))
		if err != nil {
			return err
		}
		if len(same) > 0 {
			o := same[0]
			return &ValidationError{Fields: []FieldError{{"FirstDay", fmt.Sprintf("this overlaps leave already recorded (%s to %s, %s); change that entry instead",
				FormatUKDate(o.FirstDay), FormatUKDate(o.LastDay), orNobody(o.Reason))}}}
		}
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO leave (worker_id, first_day, last_day, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
			nullID(l.WorkerID), l.FirstDay, l.LastDay, l.Reason, at, actor.ID)
		if err != nil {
			return err
		}
		l.ID, _ = res.LastInsertId()
		if err := audit(ctx, tx, at, actor.ID, "add_leave", "leave", l.ID, fmt.Sprintf("%s to %s: %s", l.FirstDay, l.LastDay, l.Reason)); err != nil {
			return err
		}
		lo, hi, _ := dayBounds(l.FirstDay, l.LastDay)
		where := `a.starts_at >= ? AND a.starts_at < ? AND a.status IN ` + liveSQL
		args := []any{lo, hi}
		if l.WorkerID != 0 {
			where += ` AND a.worker_id = ?`
			args = append(args, l.WorkerID)
		}
		covered, err = queryAppointments(ctx, tx, where+` ORDER BY a.starts_at, w.full_name`, args...)
		return err
	})
	if err != nil {
		return in, nil, err
	}
	return l, covered, nil
}

// DeleteLeave removes a leave entry (booked in error, or cancelled).
func (s *Store) DeleteLeave(ctx context.Context, sess *Session, id int64) error {
	actor, err := s.allow(ctx, sess, OpManageWorkingPatterns)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var detail string
		err := tx.QueryRowContext(ctx, `SELECT first_day || ' to ' || last_day || ': ' || reason FROM leave WHERE id = ?`, id).Scan(&detail)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM leave WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, s.stamp(), actor.ID, "delete_leave", "leave", id, detail)
	})
}
