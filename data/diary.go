package data

// The link-worker diary: working patterns, leave, appointment types and the
// appointments themselves, with the rules that keep a diary honest (two
// live appointments of one link worker never overlap, even when two copies
// of the app book at the same moment: see docs/ARCHITECTURE.md).
//
// Times: sessions are London wall-clock minutes; appointments are stored as
// UTC instants (TimeLayout) and handed out as time.Time in London.
//
// This file holds the diary's types and small helpers; the rest is in the
// diary_*.go files beside it.

import (
	"fmt"
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

// ts is an instant in its stored form; parseInstant reads it back.
func ts(t time.Time) string { return t.UTC().Format(TimeLayout) }

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
