package data

// The link-worker diary: working patterns, leave, appointment types and the
// appointments themselves, with the rules that keep a diary honest (DESIGN.md
// §3: two live appointments of one link worker never overlap, even when two
// copies of the app book at the same moment).
//
// Times: sessions are London wall-clock minutes; appointments are stored as
// UTC instants (TimeLayout) and handed out as time.Time in London.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Appointment modes and statuses as stored.
const (
	ModeInPerson  = "in_person"
	ModePhone     = "phone"
	ModeVideo     = "video"
	ModeHomeVisit = "home_visit"

	AppointmentBooked            = "booked"
	AppointmentArrived           = "arrived"
	AppointmentAttended          = "attended"
	AppointmentDNA               = "dna"
	AppointmentCancelledPatient  = "cancelled_patient"
	AppointmentCancelledPractice = "cancelled_practice"
)

var (
	AppointmentModes = []Choice{
		{ModeInPerson, "In person"}, {ModePhone, "Phone"}, {ModeVideo, "Video"}, {ModeHomeVisit, "Home visit"},
	}
	AppointmentStatuses = []Choice{
		{AppointmentBooked, "Booked"}, {AppointmentArrived, "Arrived"}, {AppointmentAttended, "Attended"},
		{AppointmentDNA, "Did not attend"}, {AppointmentCancelledPatient, "Cancelled by patient"},
		{AppointmentCancelledPractice, "Cancelled by practice"},
	}
)

// liveSQL is the SQL list of statuses that hold a slot in the diary.
const liveSQL = `('booked', 'arrived', 'attended')`

// AppointmentLive is true for the statuses that hold a slot: booked,
// arrived and attended. DNA and cancelled appointments free their slot.
func AppointmentLive(status string) bool {
	return status == AppointmentBooked || status == AppointmentArrived || status == AppointmentAttended
}

// Booking rules.
const (
	// pastGrace lets reception book an appointment that started a moment
	// ago (the patient is at the desk).
	pastGrace = 5 * time.Minute
	// maxAppointment bounds an appointment's length; it is also the window
	// the clash queries look back over, so they can use the start index.
	maxAppointment = 24 * time.Hour
	slotStep       = 5 // minutes between candidate starts by default
	defaultDays    = 28
	defaultLimit   = 10
)

// Site is a place where link workers see people.
type Site struct {
	ID       int64
	Name     string
	Address  string
	Postcode string
	Phone    string
}

// WorkSession is one session of a link worker's weekly pattern.
type WorkSession struct {
	ID         int64
	WorkerID   int64
	Weekday    int // 1 = Monday … 7 = Sunday
	Start, End int // minutes after midnight, London wall clock
	SiteID     int64
	SiteName   string // read only
	ValidFrom  string // YYYY-MM-DD
	ValidTo    string // YYYY-MM-DD; "" = open-ended
}

// validOn reports whether the session applies on a YYYY-MM-DD date.
func (w WorkSession) validOn(date string) bool {
	return w.ValidFrom <= date && (w.ValidTo == "" || w.ValidTo >= date)
}

// bounds is the session on one London day as instants. Computing them with
// time.Date in London keeps a 09:00 session at 09:00 in summer and winter.
func (w WorkSession) bounds(day time.Time) (time.Time, time.Time) {
	y, m, d := day.In(london()).Date()
	return time.Date(y, m, d, w.Start/60, w.Start%60, 0, 0, london()),
		time.Date(y, m, d, w.End/60, w.End%60, 0, 0, london())
}

// Leave is time a link worker is away, or (WorkerID 0) a day the whole
// practice is closed, such as a bank holiday.
type Leave struct {
	ID         int64
	WorkerID   int64  // 0 = the practice is closed
	WorkerName string // read only; "" for a closure
	FirstDay   string // YYYY-MM-DD; may be typed DD/MM/YYYY
	LastDay    string // YYYY-MM-DD; "" = the first day only
	Reason     string
}

func (l Leave) covers(date string) bool { return l.FirstDay <= date && date <= l.LastDay }

// AppointmentType is a kind of appointment with its usual length.
type AppointmentType struct {
	Code           string
	Name           string
	DefaultMinutes int
}

// Appointment is a link-worker appointment.
type Appointment struct {
	ID           int64
	WorkerID     int64
	WorkerName   string // read only
	PatientID    int64
	PatientName  string // read only
	ReferralID   int64  // 0: not linked to an episode
	Start, End   time.Time
	Type         string // an appointment type code
	TypeName     string // read only
	Mode         string // an AppointmentModes code
	SiteID       int64  // set from the worker's session for in-person appointments
	SiteName     string // read only
	Status       string // an AppointmentStatuses code
	Notes        string
	CancelReason string
	BookedBy     string // read only: who booked it
	BookedAt     time.Time
}

// Live is true while the appointment holds its slot.
func (a Appointment) Live() bool { return AppointmentLive(a.Status) }

// Slot is a free time in a link worker's diary.
type Slot struct {
	WorkerID   int64
	WorkerName string
	Start, End time.Time
	SiteID     int64
	SiteName   string
}

// SlotQuery asks for the first free slots. Zero values mean "any" or the
// default.
type SlotQuery struct {
	TypeCode string
	Minutes  int // 0 = the type's default length
	WorkerID int64
	SiteID   int64 // sessions at this site only (in-person; ignored for phone, video and home visits)
	Mode     string
	From     time.Time // 0 or past = now
	Limit    int       // default 10
	Days     int       // how far to look; default 28
	Step     int       // minutes between candidate starts; default 5
}

// SlotTakenError refuses a booking that overlaps another live appointment
// of the same link worker. Next holds the worker's next free slots of the
// same length, for the screen to offer instead.
type SlotTakenError struct {
	Clash Appointment
	Next  []Slot
}

func (e *SlotTakenError) Error() string {
	at := e.Clash.Start.In(london()).Format("15:04")
	if len(e.Next) == 0 {
		return fmt.Sprintf("That slot was just taken by another booking at %s, and %s has no free slot of that length in the next four weeks", at, e.Clash.WorkerName)
	}
	return fmt.Sprintf("That slot was just taken by another booking at %s — here are the next free slots", at)
}

// PatientBusyError refuses a booking that overlaps another live appointment
// of the same patient (with any link worker).
type PatientBusyError struct {
	Clash Appointment
}

func (e *PatientBusyError) Error() string {
	c := e.Clash
	return fmt.Sprintf("%s already has an appointment with %s at %s on %s; choose another time",
		c.PatientName, c.WorkerName, c.Start.In(london()).Format("15:04"), c.Start.In(london()).Format("02/01/2006"))
}

// WorkerDay is one link worker's diary for one day.
type WorkerDay struct {
	WorkerID     int64
	WorkerName   string
	Day          time.Time // midnight, London
	Sessions     []WorkSession
	Leave        []Leave // the worker's leave and practice closures that cover the day
	Appointments []Appointment
}

// DNAWarning is an open referral whose patient has missed appointments.
type DNAWarning struct {
	ReferralID  int64
	PatientID   int64
	PatientName string
	DNAs        int
	LastDNA     time.Time
}

// WeekdayLabel is 1 = "Monday" … 7 = "Sunday".
func WeekdayLabel(wd int) string {
	if wd < 1 || wd > 7 {
		return ""
	}
	return time.Weekday(wd % 7).String()
}

// FormatMinutes shows minutes after midnight as 24-hour "09:30".
func FormatMinutes(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// isoWeekday is 1 = Monday … 7 = Sunday of a London day.
func isoWeekday(t time.Time) int {
	wd := int(t.In(london()).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

func londonDate(t time.Time) string { return t.In(london()).Format(DateLayout) }

// londonMidnight is the start of the London day holding t.
func londonMidnight(t time.Time) time.Time {
	y, m, d := t.In(london()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, london())
}

// dayBounds are the UTC instants (stored form) of a London date range:
// [first day 00:00, day after last day 00:00).
func dayBounds(first, last string) (string, string, error) {
	f, err := time.ParseInLocation(DateLayout, first, london())
	if err != nil {
		return "", "", err
	}
	l, err := time.ParseInLocation(DateLayout, last, london())
	if err != nil {
		return "", "", err
	}
	y, m, d := l.Date()
	return ts(f), ts(time.Date(y, m, d+1, 0, 0, 0, 0, london())), nil
}

func parseInstant(s string) time.Time {
	t, _ := time.Parse(TimeLayout, s)
	return t.In(london())
}

// mayBook: any member of staff may book, move, cancel and mark appointments
// (reception mostly; a GP may book during a consultation).
func mayBook(actor User) bool { return actor.ID != 0 && actor.Role.valid() }

// idList makes "?, ?, ?" and its arguments for an IN clause.
func idList(ids []int64) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "?", id
	}
	return strings.Join(marks, ", "), args
}

// ---------------------------------------------------------------------------
// Sites, appointment types, working patterns.

// Sites lists the practice's sites by name.
func (s *Store) Sites(ctx context.Context) ([]Site, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, address, postcode, phone FROM sites ORDER BY name`)
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
func (s *Store) AppointmentTypes(ctx context.Context) ([]AppointmentType, error) {
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
func (s *Store) SetAppointmentTypeMinutes(ctx context.Context, actor User, code string, minutes int) error {
	if !actor.Role.CanManageWorkingPatterns() {
		return ErrNotAllowed
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
func (s *Store) WorkSessions(ctx context.Context, workerID int64) ([]WorkSession, error) {
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
func (s *Store) SetWorkPattern(ctx context.Context, actor User, workerID int64, sessions []WorkSession, validFrom string) ([]Appointment, error) {
	if !actor.Role.CanManageWorkingPatterns() {
		return nil, ErrNotAllowed
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
		if err := checkWorker(ctx, tx, workerID, false); err != nil {
			return err
		}
		sites := map[int64]bool{}
		all, err := siteList(ctx, tx)
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

func siteList(ctx context.Context, q queryer) ([]Site, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM sites`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		var x Site
		if err := rows.Scan(&x.ID, &x.Name); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
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

// ---------------------------------------------------------------------------
// Leave.

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
func (s *Store) Leave(ctx context.Context, workerID int64, from, to string) ([]Leave, error) {
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
func (s *Store) AddLeave(ctx context.Context, actor User, in Leave) (Leave, []Appointment, error) {
	if !actor.Role.CanManageWorkingPatterns() {
		return in, nil, ErrNotAllowed
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
	err := s.write(ctx, func(tx *sql.Tx) error {
		if l.WorkerID != 0 {
			name, err := workerName(ctx, tx, l.WorkerID, false)
			if err != nil {
				return err
			}
			l.WorkerName = name
		}
		// The same worker's leave (or closures) must not overlap: a second
		// entry for the same days is almost always a typing slip.
		same, err := queryLeave(ctx, tx, `l.first_day <= ? AND l.last_day >= ? AND l.worker_id IS ?`, l.LastDay, l.FirstDay, nullID(l.WorkerID))
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
func (s *Store) DeleteLeave(ctx context.Context, actor User, id int64) error {
	if !actor.Role.CanManageWorkingPatterns() {
		return ErrNotAllowed
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

// ---------------------------------------------------------------------------
// Appointments.

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
func (s *Store) Appointment(ctx context.Context, id int64) (Appointment, error) {
	return readAppointment(ctx, s.db, id)
}

// PatientAppointments lists a patient's appointments, newest first.
func (s *Store) PatientAppointments(ctx context.Context, patientID int64) ([]Appointment, error) {
	return queryAppointments(ctx, s.db, `a.patient_id = ? ORDER BY a.starts_at DESC`, patientID)
}

// WorkerAppointments lists a link worker's appointments of every status
// starting on the London dates of from to to (inclusive), by start: the
// calendar export.
func (s *Store) WorkerAppointments(ctx context.Context, workerID int64, from, to time.Time) ([]Appointment, error) {
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
func (s *Store) checkBooking(ctx context.Context, tx *sql.Tx, a *Appointment, selfID int64) error {
	name, err := workerName(ctx, tx, a.WorkerID, true)
	if err != nil {
		return err
	}
	a.WorkerName = name
	v := &ValidationError{}
	err = tx.QueryRowContext(ctx, `SELECT given_name || ' ' || family_name FROM patients WHERE id = ?`, a.PatientID).Scan(&a.PatientName)
	if errors.Is(err, sql.ErrNoRows) {
		v.add("PatientID", "choose a patient")
	} else if err != nil {
		return err
	}
	var minutes int
	err = tx.QueryRowContext(ctx, `SELECT name, default_minutes FROM appointment_types WHERE code = ?`, a.Type).Scan(&a.TypeName, &minutes)
	if errors.Is(err, sql.ErrNoRows) {
		v.add("Type", "choose the type of appointment")
	} else if err != nil {
		return err
	}
	if a.End.IsZero() {
		a.End = a.Start.Add(time.Duration(minutes) * time.Minute)
	}
	if a.ReferralID != 0 {
		var patientID int64
		var status ReferralStatus
		err := tx.QueryRowContext(ctx, `SELECT patient_id, status FROM referrals WHERE id = ?`, a.ReferralID).Scan(&patientID, &status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.add("ReferralID", "this referral no longer exists")
		case err != nil:
			return err
		case patientID != a.PatientID:
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

	// Inside one of the worker's sessions that day, not on leave.
	date := londonDate(a.Start)
	dayText := a.Start.Format("Monday 02/01/2006")
	sessions, err := querySessions(ctx, tx, `ws.worker_id = ? AND ws.weekday = ? AND ws.valid_from <= ? AND (ws.valid_to IS NULL OR ws.valid_to >= ?)`,
		a.WorkerID, isoWeekday(a.Start), date, date)
	if err != nil {
		return err
	}
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
	leave, err := queryLeave(ctx, tx, `(l.worker_id = ? OR l.worker_id IS NULL) AND l.first_day <= ? AND l.last_day >= ?`, a.WorkerID, date, date)
	if err != nil {
		return err
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

	// Clashes: half-open intervals, so back-to-back is fine. The lower
	// bound on starts_at lets the (worker|patient, starts_at) index do the work.
	start, end, lookBack := ts(a.Start), ts(a.End), ts(a.Start.Add(-maxAppointment))
	clash, err := queryAppointments(ctx, tx, `a.worker_id = ? AND a.starts_at < ? AND a.starts_at > ? AND a.ends_at > ?
		AND a.status IN `+liveSQL+` AND a.id <> ? ORDER BY a.starts_at LIMIT 1`, a.WorkerID, end, lookBack, start, selfID)
	if err != nil {
		return err
	}
	if len(clash) > 0 {
		next, err := s.findSlots(ctx, tx, SlotQuery{WorkerID: a.WorkerID, Minutes: int(a.End.Sub(a.Start) / time.Minute),
			Mode: a.Mode, From: a.Start, Limit: 5}, selfID)
		if err != nil {
			return err
		}
		return &SlotTakenError{Clash: clash[0], Next: next}
	}
	clash, err = queryAppointments(ctx, tx, `a.patient_id = ? AND a.starts_at < ? AND a.starts_at > ? AND a.ends_at > ?
		AND a.status IN `+liveSQL+` AND a.id <> ? ORDER BY a.starts_at LIMIT 1`, a.PatientID, end, lookBack, start, selfID)
	if err != nil {
		return err
	}
	if len(clash) > 0 {
		return &PatientBusyError{Clash: clash[0]}
	}
	return nil
}

// Book books an appointment. Every rule is checked in the one write
// transaction that inserts it: the worker is an active link worker; the
// time lies wholly inside one of their sessions that day and not on leave
// or a practice-closed day; it overlaps none of the worker's or the
// patient's live appointments (*SlotTakenError, *PatientBusyError); the
// referral, if given, is the patient's and open; it is not in the past.
// End may be left zero for the type's usual length.
func (s *Store) Book(ctx context.Context, actor User, in Appointment) (Appointment, error) {
	if !mayBook(actor) {
		return in, ErrNotAllowed
	}
	a := in
	if err := a.normaliseBooking(); err != nil {
		return in, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
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
		if err := audit(ctx, tx, at, actor.ID, "book", "appointment", id, ts(a.Start)); err != nil {
			return err
		}
		if a.ReferralID != 0 {
			if err := touchReferral(ctx, tx, a.ReferralID, at); err != nil {
				return err
			}
		}
		a, err = readAppointment(ctx, tx, id)
		return err
	})
	if err != nil {
		return in, err
	}
	return a, nil
}

// Reschedule moves a booked appointment to a new start (same length), and
// to another worker when newWorkerID is not 0, under the same rules as
// Book.
func (s *Store) Reschedule(ctx context.Context, actor User, id int64, newStart time.Time, newWorkerID int64) (Appointment, error) {
	if !mayBook(actor) {
		return Appointment{}, ErrNotAllowed
	}
	var out Appointment
	err := s.write(ctx, func(tx *sql.Tx) error {
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
		if err := audit(ctx, tx, at, actor.ID, "reschedule", "appointment", id, detail); err != nil {
			return err
		}
		if a.ReferralID != 0 {
			if err := touchReferral(ctx, tx, a.ReferralID, at); err != nil {
				return err
			}
		}
		out, err = readAppointment(ctx, tx, id)
		return err
	})
	return out, err
}

// Cancel cancels a booked (or arrived) appointment, by the patient or by
// the practice; the reason is required. The slot becomes free.
func (s *Store) Cancel(ctx context.Context, actor User, id int64, byPatient bool, reason string) error {
	if !mayBook(actor) {
		return ErrNotAllowed
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &ValidationError{Fields: []FieldError{{"CancelReason", "say why the appointment is cancelled"}}}
	}
	status := AppointmentCancelledPractice
	if byPatient {
		status = AppointmentCancelledPatient
	}
	return s.changeAppointment(ctx, actor, id, "cancel", func(a Appointment) error {
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
func (s *Store) SetAppointmentStatus(ctx context.Context, actor User, id int64, status string) error {
	if !mayBook(actor) {
		return ErrNotAllowed
	}
	if status != AppointmentArrived && status != AppointmentAttended && status != AppointmentDNA {
		return &ValidationError{Fields: []FieldError{{"Status", "mark the appointment arrived, attended or did not attend"}}}
	}
	today := londonDate(s.now())
	return s.changeAppointment(ctx, actor, id, "status", func(a Appointment) error {
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
// updated_at/by, audits and touches the referral.
func (s *Store) changeAppointment(ctx context.Context, actor User, id int64, action string, check func(Appointment) error, set string, args ...any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		a, err := readAppointment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := check(a); err != nil {
			return err
		}
		at := s.stamp()
		args = append(args, at, actor.ID, id)
		if _, err := tx.ExecContext(ctx, `UPDATE appointments SET `+set+`, updated_at = ?, updated_by = ? WHERE id = ?`, args...); err != nil {
			return err
		}
		if err := audit(ctx, tx, at, actor.ID, action, "appointment", id, fmt.Sprint(args[0])); err != nil {
			return err
		}
		if a.ReferralID != 0 {
			return touchReferral(ctx, tx, a.ReferralID, at)
		}
		return nil
	})
}

// DNACount counts the patient's missed appointments: in one episode when
// referralID is not 0, otherwise overall.
func (s *Store) DNACount(ctx context.Context, patientID, referralID int64) (int, error) {
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
func (s *Store) ReferralsWithDNAs(ctx context.Context, workerID int64, atLeast int) ([]DNAWarning, error) {
	if atLeast < 1 {
		atLeast = 1
	}
	q := `SELECT r.id, r.patient_id, p.given_name || ' ' || p.family_name, count(*), max(a.starts_at)
		FROM referrals r JOIN appointments a ON a.referral_id = r.id AND a.status = 'dna' JOIN patients p ON p.id = r.patient_id
		WHERE r.status IN ('received', 'contacted', 'accepted', 'active')`
	var args []any
	if workerID != 0 {
		q += ` AND r.link_worker_id = ?`
		args = append(args, workerID)
	}
	q += ` GROUP BY r.id HAVING count(*) >= ? ORDER BY count(*) DESC, max(a.starts_at) DESC`
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

// ---------------------------------------------------------------------------
// Diary views.

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
	sessions map[int64][]WorkSession // by worker
	leave    map[int64][]Leave       // by worker; 0 = closures
}

func loadDiaryData(ctx context.Context, q queryer, workers []diaryWorker, firstDate, lastDate string) (diaryData, error) {
	d := diaryData{sessions: map[int64][]WorkSession{}, leave: map[int64][]Leave{}}
	ids := make([]int64, len(workers))
	for i, w := range workers {
		ids[i] = w.id
	}
	if len(ids) == 0 {
		return d, nil
	}
	marks, args := idList(ids)
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
	start := londonMidnight(first)
	y, m, dd := start.Date()
	lastDay := time.Date(y, m, dd+n-1, 0, 0, 0, 0, london())
	data, err := loadDiaryData(ctx, s.db, workers, londonDate(start), londonDate(lastDay))
	if err != nil {
		return nil, err
	}
	lo, hi, _ := dayBounds(londonDate(start), londonDate(lastDay))
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
	for i := 0; i < n; i++ {
		day := time.Date(y, m, dd+i, 0, 0, 0, 0, london())
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
func (s *Store) DiaryDay(ctx context.Context, day time.Time, workerIDs []int64) ([]WorkerDay, error) {
	return s.workerDays(ctx, workerIDs, day, 1)
}

// DiaryWeek is seven days of one worker's diary from weekStart's date.
func (s *Store) DiaryWeek(ctx context.Context, workerID int64, weekStart time.Time) ([]WorkerDay, error) {
	return s.workerDays(ctx, []int64{workerID}, weekStart, 7)
}

// TodayAppointments lists every worker's appointments on a day (all
// statuses, so reception sees cancellations too), by time then worker.
func (s *Store) TodayAppointments(ctx context.Context, day time.Time) ([]Appointment, error) {
	date := londonDate(day)
	lo, hi, _ := dayBounds(date, date)
	return queryAppointments(ctx, s.db, `a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, w.full_name, a.id`, lo, hi)
}

// ---------------------------------------------------------------------------
// Free slots.

// NextAvailable finds the first free slots from q.From (not in the past),
// in time order across workers. It reads the window's sessions, leave and
// live appointments in a few queries and works out the gaps in Go.
func (s *Store) NextAvailable(ctx context.Context, q SlotQuery) ([]Slot, error) {
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
	start := londonMidnight(from)
	y, m, dd := start.Date()
	lastDay := time.Date(y, m, dd+days-1, 0, 0, 0, 0, london())
	data, err := loadDiaryData(ctx, db, workers, londonDate(start), londonDate(lastDay))
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
		day := time.Date(y, m, dd+i, 0, 0, 0, 0, london())
		if i%7 == 0 {
			if err := loadBusy(day, time.Date(y, m, dd+min(i+6, days-1), 0, 0, 0, 0, london())); err != nil {
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
