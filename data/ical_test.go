package data

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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

// One worker's diary as a calendar: each appointment once, in order, at
// its London wall-clock time (summer time too), cancelled ones marked so,
// and no patient names; initials only when asked for.
func TestExportDiaryFile(t *testing.T) {
	f := newDiaryFixture(t)
	ctx := context.Background()
	winter := f.mustBook(t, f.w1, f.p1, "30/11/2026 09:00")
	summer := f.mustBook(t, f.w1, f.p2, "07/06/2027 09:00")
	called := f.mustBook(t, f.w1, f.p3, "01/12/2026 10:00")
	f.mustBook(t, f.w2, f.p3, "30/11/2026 10:00") // another worker's: not in the file
	if err := f.s.Cancel(ctx, f.s.session(f.recep), called.ID, true, "feeling unwell"); err != nil {
		t.Fatal(err)
	}
	first, last := ukTime(t, "25/11/2026 00:00"), ukTime(t, "30/06/2027 00:00")
	path := filepath.Join(t.TempDir(), "diary.ics")
	n, err := f.s.ExportDiaryFile(ctx, f.s.sessionFor(OpExport), f.w1, first, last, false, path)
	if err != nil || n != 3 {
		t.Fatalf("%d appointments, %v", n, err)
	}
	raw, _ := os.ReadFile(path)
	events := readICS(t, raw)
	if len(events) != 3 {
		t.Fatalf("%d events", len(events))
	}
	for i, want := range []struct {
		a      Appointment
		status string
	}{{winter, "CONFIRMED"}, {called, "CANCELLED"}, {summer, "CONFIRMED"}} {
		e := events[i]
		local := want.a.Start.In(London()).Format("20060102T150405")
		if e.props["UID"] != fmt.Sprintf("appointment-%d@b86001.linkwell", want.a.ID) || e.props["STATUS"] != want.status ||
			e.dtstart != "DTSTART;TZID=Europe/London:"+local || !strings.HasPrefix(e.props["LOCATION"], "Main Surgery") {
			t.Errorf("event %d: %v %q", i, e.props, e.dtstart)
		}
	}
	if events[2].dtstart != "DTSTART;TZID=Europe/London:20270607T090000" {
		t.Errorf("the summer appointment starts %q, not at 09:00 London time", events[2].dtstart)
	}
	for _, name := range []string{"Siân", "Llewellyn", "Łukasz", "Nowak", "Grace", "Okafor", "S.L."} {
		if strings.Contains(string(raw), name) {
			t.Errorf("%q is in the calendar", name)
		}
	}

	if _, err := f.s.ExportDiaryFile(ctx, f.s.sessionFor(OpExport), f.w1, first, last, true, path); err != nil {
		t.Fatal(err)
	}
	raw, _ = os.ReadFile(path)
	if events := readICS(t, raw); events[0].props["SUMMARY"] != "Follow-up (in person) S.L." || strings.Contains(string(raw), "Llewellyn") {
		t.Errorf("with names: %q", events[0].props["SUMMARY"])
	}
}

// A long Welsh and Polish site name folds on character boundaries and reads
// back whole; commas and semicolons are escaped.
func TestICSFoldingRoundTrip(t *testing.T) {
	site := Site{ID: 7, Name: "Canolfan Iechyd Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch; Przychodnia Źródło Łąka Żółć",
		Address: "Ffordd y Môr, Porthaethwy", Postcode: "LL59 5HH"}
	start := time.Date(2026, 7, 14, 10, 30, 0, 0, London())
	cal := calendar{
		Practice: Practice{Name: "Meddygfa'r Bont", ODSCode: "W91001"},
		Worker:   User{FullName: "Siân Llŷr"},
		Sites:    []Site{site},
		Appointments: []Appointment{{ID: 42, WorkerName: "Siân Llŷr", PatientName: "Zdzisław Wójcik-Brzęczyszczykiewicz",
			Start: start, End: start.Add(30 * time.Minute), TypeName: "Follow-up", Mode: ModeInPerson, SiteID: 7,
			Status: AppointmentBooked}},
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
	cal := calendar{Appointments: []Appointment{{ID: 1, TypeName: "Phone call", Mode: ModePhone}, {ID: 2, TypeName: "Review", Mode: ModeVideo}}}
	if raw := string(cal.ICS()); !strings.Contains(raw, "SUMMARY:Phone call\r\n") || !strings.Contains(raw, "SUMMARY:Review (video)\r\n") {
		t.Errorf("summaries: %q", raw)
	}
	if initials("Siân Lloyd") != "S.L." || initials("Mary Ann de Souza") != "M.S." || initials("") != "" {
		t.Error("initials")
	}
}
