package main

// `linkwell export diary`: one link worker's appointments as an iCalendar
// file (RFC 5545) that Outlook and Google Calendar import.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"linkwell/data"
)

// Default export window around today, in days.
const (
	diaryDaysBack  = 30
	diaryDaysAhead = 90
)

func exportDiary(args []string, stdout, stderr io.Writer) error {
	fs := flags("export diary", stderr)
	db := dbFlag(fs)
	worker := fs.String("worker", "", "the link worker: id, username or full name")
	out := fs.String("out", "", "the .ics file to write")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default 30 days ago)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default 90 days ahead)")
	withNames := fs.Bool("with-names", false, "add the patient's initials to each appointment")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*worker) == "" {
		return usageErr("export diary: say whose diary with --worker NAME_OR_ID")
	}
	if *out == "" {
		return usageErr("export diary: say where to write with --out FILE.ics")
	}
	if err := errors.Join(isoDateFlag("from", *from), isoDateFlag("to", *to)); err != nil {
		return err
	}
	today := time.Now().In(data.London())
	first := today.AddDate(0, 0, -diaryDaysBack)
	last := today.AddDate(0, 0, diaryDaysAhead)
	if *from != "" {
		first, _ = time.Parse(data.DateLayout, *from)
	}
	if *to != "" {
		last, _ = time.Parse(data.DateLayout, *to)
	}
	if first.Format(data.DateLayout) > last.Format(data.DateLayout) {
		return usageErr("export diary: --from (%s) is after --to (%s)", first.Format(data.DateLayout), last.Format(data.DateLayout))
	}
	store, err := openExisting("export diary", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()

	w, err := findLinkWorker(ctx, store, *worker)
	if err != nil {
		return err
	}
	appts, err := store.WorkerAppointments(ctx, w.ID, first, last)
	if err != nil {
		return fmt.Errorf("export diary: %w", err)
	}
	practice, err := store.Practice(ctx)
	if err != nil {
		return fmt.Errorf("export diary: %w", err)
	}
	sites, err := store.Sites(ctx)
	if err != nil {
		return fmt.Errorf("export diary: %w", err)
	}
	cal := diaryCalendar{
		Practice: practice, Worker: w, Sites: sites, Appointments: appts,
		WithNames: *withNames, Stamp: time.Now(),
	}
	// Write the whole file in memory first, so a failure leaves no half file.
	if err := os.WriteFile(*out, cal.ICS(), 0o644); err != nil {
		return fmt.Errorf("export diary: %w", err)
	}
	fmt.Fprintf(stdout, "%d appointments of %s (%s to %s) written to %s\n",
		len(appts), w.FullName, first.Format(data.DateLayout), last.Format(data.DateLayout), *out)
	return nil
}

// findLinkWorker matches --worker against every link worker (including
// those who have left, whose past diary may still be wanted) by id,
// username or full name, ignoring case.
func findLinkWorker(ctx context.Context, store *data.Store, key string) (data.User, error) {
	users, err := store.Users(ctx)
	if err != nil {
		return data.User{}, fmt.Errorf("export diary: %w", err)
	}
	var workers []data.User
	for _, u := range users {
		if u.Role == data.RoleLinkWorker {
			workers = append(workers, u)
		}
	}
	key = strings.Join(strings.Fields(key), " ")
	id, _ := strconv.ParseInt(key, 10, 64)
	var byName []data.User
	for _, u := range workers {
		if u.ID == id || strings.EqualFold(u.Username, key) {
			return u, nil
		}
		if strings.EqualFold(u.FullName, key) {
			byName = append(byName, u)
		}
	}
	if len(byName) == 1 {
		return byName[0], nil
	}
	var list []string
	for _, u := range workers {
		list = append(list, fmt.Sprintf("  %-5d %-14s %s", u.ID, u.Username, u.FullName))
	}
	known := "There are no link workers in this database."
	if len(list) > 0 {
		known = "The link workers are (id, username, name):\n" + strings.Join(list, "\n")
	}
	if len(byName) > 1 {
		return data.User{}, usageErr("export diary: more than one link worker is called %q; give the id or username instead.\n%s", key, known)
	}
	return data.User{}, usageErr("export diary: no link worker matches %q.\n%s", key, known)
}

// diaryCalendar is what goes into one worker's .ics file.
type diaryCalendar struct {
	Practice     data.Practice
	Worker       data.User
	Sites        []data.Site
	Appointments []data.Appointment
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
func (c diaryCalendar) ICS() []byte {
	var b bytes.Buffer
	line := func(s string) { writeICSLine(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Linkwell//Link-worker diary " + version + "//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + icsText(c.Worker.FullName+" — "+c.Practice.Name))
	line("X-WR-TIMEZONE:Europe/London")
	for _, s := range londonTZ {
		line(s)
	}
	sites := map[int64]data.Site{}
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
		if mode := strings.ToLower(data.LabelOf(data.AppointmentModes, a.Mode)); !strings.Contains(strings.ToLower(summary), mode) {
			summary += " (" + mode + ")"
		}
		if c.WithNames {
			if in := initials(a.PatientName); in != "" {
				summary += " " + in
			}
		}
		status := "CONFIRMED"
		if a.Status == data.AppointmentCancelledPatient || a.Status == data.AppointmentCancelledPractice {
			status = "CANCELLED"
			summary = "Cancelled: " + summary
		}
		// Only what the worker needs to find the record in Linkwell: no
		// names, NHS numbers or notes, which may be sensitive.
		desc := fmt.Sprintf("%s with %s.\nStatus: %s.\nLinkwell appointment %d.",
			a.TypeName, a.WorkerName, data.LabelOf(data.AppointmentStatuses, a.Status), a.ID)
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
func appointmentPlace(a data.Appointment, sites map[int64]data.Site) string {
	if a.Mode != data.ModeInPerson {
		return data.LabelOf(data.AppointmentModes, a.Mode)
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
func icsLocal(t time.Time) string { return t.In(data.London()).Format("20060102T150405") }

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
