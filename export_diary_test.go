package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"linkwell/data"
)

// icsEvent is one VEVENT read back: property name (without parameters) →
// unescaped value, plus the raw DTSTART line.
type icsEvent struct {
	props   map[string]string
	dtstart string
}

// readICS checks the file's line rules and unfolds it into events.
func readICS(t *testing.T, raw []byte) []icsEvent {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Error("the file does not end with CRLF")
	}
	physical := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
	for i, l := range physical {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
	}
	var lines []string
	for _, l := range physical {
		if strings.HasPrefix(l, " ") && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
		} else {
			lines = append(lines, l)
		}
	}
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("not a VCALENDAR: %q … %q", lines[0], lines[len(lines)-1])
	}
	for _, want := range []string{"VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "TZID:Europe/London",
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"} {
		if !strings.Contains(string(raw), "\r\n"+want+"\r\n") {
			t.Errorf("no %s", want)
		}
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\;`, `;`, `\,`, `,`, `\n`, "\n", `\N`, "\n")
	var out []icsEvent
	var cur *icsEvent
	for _, l := range lines {
		switch {
		case l == "BEGIN:VEVENT":
			cur = &icsEvent{props: map[string]string{}}
		case l == "END:VEVENT":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			nameParams, value, _ := strings.Cut(l, ":")
			name, _, _ := strings.Cut(nameParams, ";")
			cur.props[name] = unescape.Replace(value)
			if name == "DTSTART" {
				cur.dtstart = l
			}
		}
	}
	return out
}

func TestExportDiaryICS(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "500", "--years", "1", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	worker, err := store.UserByUsername(ctx, "linkworker1")
	if err != nil {
		t.Fatal(err)
	}
	from, to := "2026-06-01", "2026-12-31"
	first, _ := time.Parse(data.DateLayout, from)
	last, _ := time.Parse(data.DateLayout, to)
	appts, err := store.WorkerAppointments(ctx, worker.ID, first, last)
	if err != nil || len(appts) == 0 {
		t.Fatalf("%d appointments, %v", len(appts), err)
	}

	out := filepath.Join(dir, "diary.ics")
	// The worker by full name, in another case.
	code, stdout, errOut := runCLI("export", "diary", "--db", db, "--worker", strings.ToUpper(worker.FullName),
		"--out", out, "--from", from, "--to", to)
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if !strings.Contains(stdout, "appointments of "+worker.FullName) {
		t.Errorf("stdout %q", stdout)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	events := readICS(t, raw)
	if len(events) != len(appts) {
		t.Fatalf("%d events for %d appointments", len(events), len(appts))
	}
	uids := map[string]bool{}
	for i, e := range events {
		uid := e.props["UID"]
		if uid == "" || uids[uid] {
			t.Errorf("missing or repeated UID %q", uid)
		}
		uids[uid] = true
		if !strings.HasSuffix(e.props["DTSTAMP"], "Z") || e.props["SUMMARY"] == "" || e.props["LOCATION"] == "" {
			t.Errorf("incomplete event %v", e.props)
		}
		// Same order as the store's list; cancelled ones say so.
		a := appts[i]
		wantStatus := "CONFIRMED"
		if a.Status == data.AppointmentCancelledPatient || a.Status == data.AppointmentCancelledPractice {
			wantStatus = "CANCELLED"
		}
		if !strings.HasPrefix(uid, "appointment-"+itoa(a.ID)+"@") || !strings.HasSuffix(uid, ".linkwell") {
			t.Errorf("event %d has UID %q for appointment %d", i, uid, a.ID)
		}
		if e.props["STATUS"] != wantStatus {
			t.Errorf("appointment %d is %s but the event is %s", a.ID, a.Status, e.props["STATUS"])
		}
	}
	// No patient names without --with-names.
	for _, a := range appts {
		if strings.Contains(string(raw), a.PatientName) {
			t.Fatalf("patient name %q in the calendar", a.PatientName)
		}
	}

	// A summer-time (BST) appointment is at its London wall-clock time,
	// with TZID, not at its UTC time.
	var summer data.Appointment
	for _, a := range appts {
		if _, offset := a.Start.In(data.London()).Zone(); offset == 3600 {
			summer = a
			break
		}
	}
	if summer.ID == 0 {
		t.Fatal("no appointment in summer time")
	}
	for _, e := range events {
		if strings.HasPrefix(e.props["UID"], "appointment-"+itoa(summer.ID)+"@") {
			local := summer.Start.In(data.London()).Format("20060102T150405")
			if e.dtstart != "DTSTART;TZID=Europe/London:"+local || local == summer.Start.UTC().Format("20060102T150405") {
				t.Errorf("summer start %q, London %s", e.dtstart, local)
			}
		}
	}

	// --with-names adds initials, still no full names; by username this time.
	code, _, errOut = runCLI("export", "diary", "--db", db, "--worker", "linkworker1", "--out", out,
		"--from", from, "--to", to, "--with-names")
	if code != 0 {
		t.Fatal(errOut)
	}
	raw, _ = os.ReadFile(out)
	events = readICS(t, raw)
	for i, e := range events {
		a := appts[i]
		if !strings.Contains(e.props["SUMMARY"], initials(a.PatientName)) || strings.Contains(string(raw), a.PatientName) {
			t.Fatalf("with names: %q for %q", e.props["SUMMARY"], a.PatientName)
		}
	}

	// The default window (today −30 to +90 days) works, by numeric id.
	if code, _, errOut := runCLI("export", "diary", "--db", db, "--worker", itoa(worker.ID), "--out", out); code != 0 {
		t.Errorf("default range: %s", errOut)
	}

	// Bad input: a plain message and a non-zero exit.
	for _, args := range [][]string{
		{"--worker", "Nobody Atall", "--out", out},
		{"--worker", "helen redfern", "--out", out}, // a manager, not a link worker
		{"--worker", "linkworker1", "--out", out, "--from", "01/06/2026"},
		{"--worker", "linkworker1", "--out", out, "--from", "2026-12-01", "--to", "2026-11-01"},
		{"--worker", "linkworker1"},
		{"--out", out},
	} {
		code, _, errOut := runCLI(append([]string{"export", "diary", "--db", db}, args...)...)
		if code == 0 || !strings.HasPrefix(errOut, "linkwell") || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	if _, _, errOut := runCLI("export", "diary", "--db", db, "--worker", "nobody", "--out", out); !strings.Contains(errOut, worker.FullName) {
		t.Errorf("an unknown worker does not list the link workers: %q", errOut)
	}
}

// A long Welsh and Polish site name folds on character boundaries and reads
// back whole; commas and semicolons are escaped.
func TestICSFoldingRoundTrip(t *testing.T) {
	site := data.Site{ID: 7, Name: "Canolfan Iechyd Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch; Przychodnia Źródło Łąka Żółć",
		Address: "Ffordd y Môr, Porthaethwy", Postcode: "LL59 5HH"}
	start := time.Date(2026, 7, 14, 10, 30, 0, 0, data.London())
	cal := diaryCalendar{
		Practice: data.Practice{Name: "Meddygfa'r Bont", ODSCode: "W91001"},
		Worker:   data.User{FullName: "Siân Llŷr"},
		Sites:    []data.Site{site},
		Appointments: []data.Appointment{{ID: 42, WorkerName: "Siân Llŷr", PatientName: "Zdzisław Wójcik-Brzęczyszczykiewicz",
			Start: start, End: start.Add(30 * time.Minute), TypeName: "Follow-up", Mode: data.ModeInPerson, SiteID: 7,
			Status: data.AppointmentBooked}},
		WithNames: true,
		Stamp:     time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC),
	}
	raw := cal.ICS()
	events := readICS(t, raw)
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	e := events[0]
	want := site.Name + ", " + site.Address + ", " + site.Postcode
	if e.props["LOCATION"] != want {
		t.Errorf("location\n got %q\nwant %q", e.props["LOCATION"], want)
	}
	if e.props["SUMMARY"] != "Follow-up (in person) Z.W." {
		t.Errorf("summary %q", e.props["SUMMARY"])
	}
	if e.props["UID"] != "appointment-42@w91001.linkwell" || e.dtstart != "DTSTART;TZID=Europe/London:20260714T103000" {
		t.Errorf("uid %q, start %q", e.props["UID"], e.dtstart)
	}
	if unfolded := strings.ReplaceAll(string(raw), "\r\n ", ""); !strings.Contains(unfolded, `gogogoch\; Przychodnia`) {
		t.Error("the semicolon is not escaped")
	}
	for _, l := range strings.Split(string(raw), "\r\n") {
		if !utf8.ValidString(l) {
			t.Errorf("a fold split a character: %q", l)
		}
	}
}

func TestICSText(t *testing.T) {
	if got := icsText("a,b;c\\d\ne"); got != `a\,b\;c\\d\ne` {
		t.Errorf("icsText: %q", got)
	}
	cal := diaryCalendar{Appointments: []data.Appointment{{ID: 1, TypeName: "Phone call", Mode: data.ModePhone}, {ID: 2, TypeName: "Review", Mode: data.ModeVideo}}}
	if raw := string(cal.ICS()); !strings.Contains(raw, "SUMMARY:Phone call\r\n") || !strings.Contains(raw, "SUMMARY:Review (video)\r\n") {
		t.Errorf("summaries: %q", raw)
	}
	if initials("Siân Lloyd") != "S.L." || initials("Mary Ann de Souza") != "M.S." || initials("") != "" {
		t.Error("initials")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
