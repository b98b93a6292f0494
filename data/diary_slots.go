package data

// Free slots: the search for the next free times in the link workers'
// diaries.

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
)

// NextAvailable finds the first free slots from q.From (not in the past),
// in time order across workers. It reads the window's sessions, leave and
// live appointments in a few queries and works out the gaps in Go.
func (s *Store) NextAvailable(ctx context.Context, sess *Session, q SlotQuery) ([]Slot, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return nil, err
	}
	return s.findSlots(ctx, s.db, q, 0)
}

func (s *Store) findSlots(ctx context.Context, db queryer, q SlotQuery, excludeID int64) ([]Slot, error) {
	v := &ValidationError{}
	if q.Mode != "" && !validChoice(AppointmentModes, q.Mode) {
		v.add("Mode", "choose in person, phone, video or home visit")
	}
	minutes := q.Minutes
	if minutes == 0 {
		err := db.QueryRowContext(ctx, `SELECT default_minutes FROM appointment_types WHERE code = ?`, q.TypeCode).Scan(&minutes)
		if errors.Is(err, sql.ErrNoRows) {
			v.add("TypeCode", "choose the type of appointment")
		} else if err != nil {
			return nil, err
		}
	} else if minutes < 5 || minutes > 480 {
		v.add("Minutes", "an appointment lasts from 5 to 480 minutes")
	}
	if err := v.orNil(); err != nil {
		return nil, err
	}
	length := time.Duration(minutes) * time.Minute
	step := time.Duration(slotStep) * time.Minute
	if q.Step > 0 {
		step = time.Duration(q.Step) * time.Minute
	}
	days, limit := q.Days, q.Limit
	if days <= 0 {
		days = defaultDays
	}
	if limit <= 0 {
		limit = defaultLimit
	}
	from := q.From
	if now := s.now(); from.IsZero() || from.Before(now) {
		from = now
	}
	// Round up to the step (London is a whole number of hours from UTC, so
	// rounding the instant rounds the wall clock).
	if r := from.Truncate(step); r.Before(from) {
		from = r.Add(step)
	}
	siteID := q.SiteID
	if q.Mode != "" && q.Mode != ModeInPerson {
		siteID = 0 // a call or a visit can start from any site
	}

	var ids []int64
	if q.WorkerID != 0 {
		if _, err := workerName(ctx, db, q.WorkerID, true); err != nil {
			return nil, err
		}
		ids = []int64{q.WorkerID}
	}
	workers, err := diaryWorkers(ctx, db, ids)
	if err != nil || len(workers) == 0 {
		return nil, err
	}
	data, err := loadDiaryData(ctx, db, workers, from, days)
	if err != nil {
		return nil, err
	}

	// Live appointments by worker and London date, read a week at a time
	// so a short search stops early.
	type key struct {
		worker int64
		date   string
	}
	type span struct{ start, end time.Time }
	busy := map[key][]span{}
	marks, idArgs := idList(workerIDs(workers))
	loadBusy := func(first, last time.Time) error {
		lo, hi, _ := dayBounds(londonDate(first), londonDate(last))
		rows, err := db.QueryContext(ctx, `SELECT worker_id, starts_at, ends_at FROM appointments
			WHERE starts_at >= ? AND starts_at < ? AND status IN `+liveSQL+` AND id <> ? AND worker_id IN (`+marks+`)`,
			append([]any{lo, hi, excludeID}, idArgs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w int64
			var a, b string
			if err := rows.Scan(&w, &a, &b); err != nil {
				return err
			}
			st := parseInstant(a)
			k := key{w, londonDate(st)}
			busy[k] = append(busy[k], span{st, parseInstant(b)})
		}
		return rows.Err()
	}

	var out []Slot
	for i := 0; i < days && len(out) < limit; i++ {
		day := data.days[i]
		if i%7 == 0 {
			if err := loadBusy(day, data.days[min(i+6, days-1)]); err != nil {
				return nil, err
			}
		}
		date, wd := londonDate(day), isoWeekday(day)
		var today []Slot
		for _, w := range workers {
			if len(data.leaveOn(w.id, date)) > 0 {
				continue
			}
			taken := busy[key{w.id, date}]
			for _, sess := range data.sessionsOn(w.id, date, wd) {
				if siteID != 0 && sess.SiteID != siteID {
					continue
				}
				first, last := sess.bounds(day)
			candidates:
				for c := first; !c.Add(length).After(last); c = c.Add(step) {
					if c.Before(from) {
						continue
					}
					e := c.Add(length)
					for _, t := range taken {
						if t.start.Before(e) && c.Before(t.end) {
							continue candidates
						}
					}
					today = append(today, Slot{WorkerID: w.id, WorkerName: w.name, Start: c, End: e, SiteID: sess.SiteID, SiteName: sess.SiteName})
				}
			}
		}
		slices.SortStableFunc(today, func(a, b Slot) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return strings.Compare(a.WorkerName, b.WorkerName)
		})
		for _, sl := range today {
			if len(out) == limit {
				break
			}
			out = append(out, sl)
		}
	}
	return out, nil
}
