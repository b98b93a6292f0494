package data

// Diary views: a day of the link workers' diaries, a week of one, and the
// day's list for reception.

import (
	"context"
	"sort"
	"time"
)

type diaryWorker struct {
	id   int64
	name string
}

// diaryWorkers are the given workers in the given order, or every active
// link worker by name.
func diaryWorkers(ctx context.Context, q queryer, ids []int64) ([]diaryWorker, error) {
	if len(ids) == 0 {
		rows, err := q.QueryContext(ctx, `SELECT id, full_name FROM users WHERE role = 'link_worker' AND active = 1 ORDER BY full_name, id`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []diaryWorker
		for rows.Next() {
			var w diaryWorker
			if err := rows.Scan(&w.id, &w.name); err != nil {
				return nil, err
			}
			out = append(out, w)
		}
		return out, rows.Err()
	}
	var out []diaryWorker
	for _, id := range ids {
		name, err := workerName(ctx, q, id, false)
		if err != nil {
			return nil, err
		}
		out = append(out, diaryWorker{id, name})
	}
	return out, nil
}

// diaryData is what the views and the slot search need for a run of days,
// read in a few queries.
type diaryData struct {
	days     []time.Time             // midnight, London, of each day in order
	sessions map[int64][]WorkSession // by worker
	leave    map[int64][]Leave       // by worker; 0 = closures
}

// loadDiaryData reads the workers' sessions and leave for n days (n >= 1)
// from the London date of first.
func loadDiaryData(ctx context.Context, q queryer, workers []diaryWorker, first time.Time, n int) (diaryData, error) {
	d := diaryData{sessions: map[int64][]WorkSession{}, leave: map[int64][]Leave{}}
	y, m, dd := londonMidnight(first).Date()
	for i := 0; i < n; i++ {
		d.days = append(d.days, time.Date(y, m, dd+i, 0, 0, 0, 0, london()))
	}
	if len(workers) == 0 {
		return d, nil
	}
	firstDate, lastDate := londonDate(d.days[0]), londonDate(d.days[n-1])
	marks, args := idList(workerIDs(workers))
	sessions, err := querySessions(ctx, q, `ws.worker_id IN (`+marks+`) AND ws.valid_from <= ? AND (ws.valid_to IS NULL OR ws.valid_to >= ?)`,
		append(args, lastDate, firstDate)...)
	if err != nil {
		return d, err
	}
	for _, w := range sessions {
		d.sessions[w.WorkerID] = append(d.sessions[w.WorkerID], w)
	}
	for _, list := range d.sessions {
		sort.SliceStable(list, func(i, j int) bool { return list[i].Start < list[j].Start })
	}
	leave, err := queryLeave(ctx, q, `l.first_day <= ? AND l.last_day >= ? AND (l.worker_id IS NULL OR l.worker_id IN (`+marks+`))`,
		append([]any{lastDate, firstDate}, args...)...)
	if err != nil {
		return d, err
	}
	for _, l := range leave {
		d.leave[l.WorkerID] = append(d.leave[l.WorkerID], l)
	}
	return d, nil
}

// leaveOn is the closures and the worker's leave covering a date.
func (d diaryData) leaveOn(workerID int64, date string) []Leave {
	var out []Leave
	for _, id := range []int64{0, workerID} {
		for _, l := range d.leave[id] {
			if l.covers(date) {
				out = append(out, l)
			}
		}
	}
	return out
}

// sessionsOn is the worker's sessions on a date, by start time.
func (d diaryData) sessionsOn(workerID int64, date string, weekday int) []WorkSession {
	var out []WorkSession
	for _, w := range d.sessions[workerID] {
		if w.Weekday == weekday && w.validOn(date) {
			out = append(out, w)
		}
	}
	return out
}

// workerDays builds n days of diary from first (any time that day) for
// the workers, in three or four queries.
func (s *Store) workerDays(ctx context.Context, ids []int64, first time.Time, n int) ([]WorkerDay, error) {
	workers, err := diaryWorkers(ctx, s.db, ids)
	if err != nil || len(workers) == 0 {
		return nil, err
	}
	data, err := loadDiaryData(ctx, s.db, workers, first, n)
	if err != nil {
		return nil, err
	}
	lo, hi, _ := dayBounds(londonDate(data.days[0]), londonDate(data.days[n-1]))
	marks, args := idList(workerIDs(workers))
	appts, err := queryAppointments(ctx, s.db, `a.worker_id IN (`+marks+`) AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id`,
		append(args, lo, hi)...)
	if err != nil {
		return nil, err
	}
	type key struct {
		worker int64
		date   string
	}
	byDay := map[key][]Appointment{}
	for _, a := range appts {
		k := key{a.WorkerID, londonDate(a.Start)}
		byDay[k] = append(byDay[k], a)
	}
	var out []WorkerDay
	for _, day := range data.days {
		date, wd := londonDate(day), isoWeekday(day)
		for _, w := range workers {
			out = append(out, WorkerDay{WorkerID: w.id, WorkerName: w.name, Day: day,
				Sessions: data.sessionsOn(w.id, date, wd), Leave: data.leaveOn(w.id, date), Appointments: byDay[key{w.id, date}]})
		}
	}
	return out, nil
}

func workerIDs(ws []diaryWorker) []int64 {
	ids := make([]int64, len(ws))
	for i, w := range ws {
		ids[i] = w.id
	}
	return ids
}

// Now is the store's clock in London time. Screens ask it what "today" is,
// so they agree with the booking rules (and tests can fix it with SetClock).
func (s *Store) Now() time.Time { return s.now().In(london()) }

// DiaryDay is one day of the diary for the given workers (every active link
// worker when none are given): their sessions with sites, leave and
// closures, and appointments of every status.
func (s *Store) DiaryDay(ctx context.Context, sess *Session, day time.Time, workerIDs []int64) ([]WorkerDay, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return nil, err
	}
	return s.workerDays(ctx, workerIDs, day, 1)
}

// DiaryWeek is seven days of one worker's diary from weekStart's date.
func (s *Store) DiaryWeek(ctx context.Context, sess *Session, workerID int64, weekStart time.Time) ([]WorkerDay, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return nil, err
	}
	return s.workerDays(ctx, []int64{workerID}, weekStart, 7)
}

// TodayAppointments lists every worker's appointments on a day (all
// statuses, so reception sees cancellations too), by time then worker.
func (s *Store) TodayAppointments(ctx context.Context, sess *Session, day time.Time) ([]Appointment, error) {
	if _, err := s.allow(ctx, sess, OpViewDiary); err != nil {
		return nil, err
	}
	date := londonDate(day)
	lo, hi, _ := dayBounds(date, date)
	return queryAppointments(ctx, s.db, `a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, w.full_name, a.id`, lo, hi)
}
