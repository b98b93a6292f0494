package data

// A link worker's appointments as an iCalendar file (RFC 5545) that
// Outlook and Google Calendar import.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Version is Linkwell's version, as in FyneApp.toml; the calendar files it
// writes carry it.
const Version = "0.1.0"

// ExportDiaryFile writes worker's appointments from the first to the last
// day (inclusive, London days) to path as an iCalendar file, and says how
// many it wrote. withNames adds each patient's initials; nothing else that
// identifies the patient goes in.
func (s *Store) ExportDiaryFile(ctx context.Context, sess *Session, worker User, first, last time.Time, withNames bool, path string) (int, error) {
	actor, err := s.allow(ctx, sess, OpExport)
	if err != nil {
		return 0, err
	}
	if s.readOnly {
		return 0, s.recordRead(ctx, actor, "export", "appointment", 0, "")
	}
	appts, err := s.WorkerAppointments(ctx, sess, worker.ID, first, last)
	if err != nil {
		return 0, err
	}
	practice, err := s.Practice(ctx)
	if err != nil {
		return 0, err
	}
	sites, err := s.Sites(ctx, sess)
	if err != nil {
		return 0, err
	}
	cal := calendar{
		Practice: practice, Worker: worker, Sites: sites, Appointments: appts,
		WithNames: withNames, Stamp: s.now(),
	}
	names := "without patients' initials"
	if withNames {
		names = "with patients' initials"
	}
	err = WriteFileThen(path, func(w io.Writer) error {
		_, err := w.Write(cal.ICS())
		return err
	}, func() error {
		// Recorded once the file is on disk, before it takes its name.
		return s.recordRead(ctx, actor, "export", "appointment", 0, fmt.Sprintf("diary of %s, %s to %s, %d appointments %s, to %s",
			worker.FullName, first.Format(DateLayout), last.Format(DateLayout), len(appts), names, path))
	})
	if err != nil {
		return 0, err
	}
	return len(appts), nil
}

// calendar is what goes into one worker's .ics file.
type calendar struct {
	Practice     Practice
	Worker       User
	Sites        []Site
	Appointments []Appointment
	WithNames    bool      // add the patient's initials to the summary
	Stamp        time.Time // DTSTAMP: when the file was made
}

// londonTZ is Europe/London since 1996: summer time from 01:00 UTC on the
// last Sunday of March to 01:00 UTC on the last Sunday of October. Each
// DTSTART is the local time the change happens at, before the change.
var londonTZ = []string{
	"BEGIN:VTIMEZONE",
	"TZID:Europe/London",
	"X-LIC-LOCATION:Europe/London",
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0000",
	"TZOFFSETTO:+0100",
	"TZNAME:BST",
	"DTSTART:19700329T010000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0000",
	"TZNAME:GMT",
	"DTSTART:19701025T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

// ICS renders the calendar. Live and missed appointments are CONFIRMED;
// cancelled ones are kept as CANCELLED, so a calendar that imported them
// before removes (or strikes out) them on re-import.
func (c calendar) ICS() []byte {
	var b bytes.Buffer
	line := func(s string) { writeICSLine(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Linkwell//Link-worker diary " + Version + "//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icsText(c.Worker.FullName+" — "+c.Practice.Name))
	line("X-WR-TIMEZONE:Europe/London")
	for _, s := range londonTZ {
		line(s)
	}
	sites := map[int64]Site{}
	for _, s := range c.Sites {
		sites[s.ID] = s
	}
	domain := strings.ToLower(c.Practice.ODSCode)
	if domain == "" {
		domain = "practice"
	}
	stamp := icsUTC(c.Stamp)
	for _, a := range c.Appointments {
		summary := a.TypeName
		// "Follow-up (phone)", but not "Phone call (phone)".
		if mode := strings.ToLower(LabelOf(AppointmentModes, a.Mode)); !strings.Contains(strings.ToLower(summary), mode) {
			summary += " (" + mode + ")"
		}
		if c.WithNames {
			if in := initials(a.PatientName); in != "" {
				summary += " " + in
			}
		}
		status := "CONFIRMED"
		if a.Status == AppointmentCancelledPatient || a.Status == AppointmentCancelledPractice {
			status = "CANCELLED"
			summary = "Cancelled: " + summary
		}
		// Only what the worker needs to find the record in Linkwell: no
		// names, NHS numbers or notes, which may be sensitive.
		desc := fmt.Sprintf("%s with %s.\nStatus: %s.\nLinkwell appointment %d.",
			a.TypeName, a.WorkerName, LabelOf(AppointmentStatuses, a.Status), a.ID)
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:appointment-%d@%s.linkwell", a.ID, domain))
		line("DTSTAMP:" + stamp)
		if !a.BookedAt.IsZero() {
			line("CREATED:" + icsUTC(a.BookedAt))
		}
		line("DTSTART;TZID=Europe/London:" + icsLocal(a.Start))
		line("DTEND;TZID=Europe/London:" + icsLocal(a.End))
		line("SUMMARY:" + icsText(summary))
		line("LOCATION:" + icsText(appointmentPlace(a, sites)))
		line("DESCRIPTION:" + icsText(desc))
		line("STATUS:" + status)
		line("TRANSP:OPAQUE")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
}

// appointmentPlace is the site with its address, or how the appointment
// happens when it is not at a site. A home visit gives no address: that
// would identify the patient.
func appointmentPlace(a Appointment, sites map[int64]Site) string {
	if a.Mode != ModeInPerson {
		return LabelOf(AppointmentModes, a.Mode)
	}
	s, ok := sites[a.SiteID]
	if !ok {
		return a.SiteName
	}
	parts := []string{s.Name}
	for _, p := range []string{s.Address, s.Postcode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// initials are the first letters of the patient's first and last names:
// "Siân Lloyd" → "S.L.".
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	pick := []string{words[0]}
	if len(words) > 1 {
		pick = append(pick, words[len(words)-1])
	}
	var b strings.Builder
	for _, w := range pick {
		for _, r := range w {
			if unicode.IsLetter(r) {
				b.WriteRune(unicode.ToUpper(r))
				b.WriteByte('.')
				break
			}
		}
	}
	return b.String()
}

func icsUTC(t time.Time) string   { return t.UTC().Format("20060102T150405Z") }
func icsLocal(t time.Time) string { return t.In(London()).Format("20060102T150405") }

// icsText escapes a TEXT value: backslash, semicolon, comma and newline.
func icsText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// writeICSLine writes one content line with a CRLF, folded so no line is
// longer than 75 octets: each continuation line starts with a space, and
// no UTF-8 character is split.
func writeICSLine(b *bytes.Buffer, s string) {
	const limit = 75
	room := limit
	for len(s) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		room = limit - 1 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
