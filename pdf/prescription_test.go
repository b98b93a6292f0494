package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"linkwell/data"
)

// rxServices are directory entries as long as the demo's real ones.
var rxServices = []data.PrescribedService{
	{Name: "Canal Walking Group", Organisation: "Calder Valley Ramblers", Schedule: "Tuesdays 10:00–12:00, meet at the lock gates",
		Address: "St Mary's Church Hall, 12 Mill Street, Northfield, Calderbridge", Postcode: "HX1 2CD", Cost: "Free",
		Access: "Drop in: just turn up.", Phone: "01632 960455", Email: "info@calder-valley-ramblers.example.org",
		Website: "https://calder-valley-ramblers.example.org/canal-walking-group", Note: "Ask for Jane; bus 24 stops outside."},
	{Name: "Money Matters Advice", Organisation: "Citizens Advice Calderbridge", Schedule: "Mondays and Thursdays 09:30–16:00",
		Address: "The Advice Centre, 3 Canal Street, Calderbridge", Postcode: "HX1 3EF", Cost: "Free",
		Access: "Contact them to join.", Phone: "01632 960512", Email: "advice@citizens-advice-calderbridge.example.org",
		Website: "citizens-advice-calderbridge.example.org/money", Note: "Take your latest letters and bank statements with you. They can help with the council tax form too."},
	{Name: "Côr Cymunedol – Community Choir", Organisation: "Calderbridge Arts Collective", Schedule: "Wednesdays 18:30–20:00 in term time",
		Address: "Calderbridge Library, Market Square, Calderbridge", Postcode: "HX1 1AB", Cost: "£3 a session (first one free)",
		Access: "Drop in: just turn up.", Phone: "01632 960777", Note: "No need to read music. Your link worker can come with you the first time."},
}

// rxFor builds a prescription with n services for the patient named.
func rxFor(name string, n int, large bool) data.Prescription {
	start := time.Date(2026, 3, 3, 10, 30, 0, 0, data.London())
	c := data.PrescriptionContent{
		Format:   1,
		Practice: data.PrescriptionPractice{Name: "Riverside Medical Practice", Address: "1 Mill Lane\nCalderbridge", Postcode: "HX1 1AA", Phone: "01422 000000"},
		Patient: data.PrescriptionPatient{FullName: name, DateOfBirth: "1956-07-03", NHSNumber: "9434765919",
			CommunicationNeeds: []string{"Interpreter (Polish)", "Large print"}},
		IssuedAt:   time.Date(2026, 2, 24, 11, 0, 0, 0, time.UTC),
		Prescriber: "Dr Nia Roberts",
		LinkWorker: data.PrescriptionLinkWorker{Name: "Siân Llewellyn", Phone: "01422 000000"},
		NextAppointment: &data.PrescriptionAppointment{Start: start, End: start.Add(30 * time.Minute), Type: "Follow-up", Mode: "In person",
			Site: "Main Surgery", Where: "Main Surgery, 1 Mill Lane, Calderbridge, HX1 1AA.", LinkWorker: "Siân Llewellyn"},
		LargePrint: large,
	}
	for i := 0; i < n; i++ {
		s := rxServices[i%len(rxServices)]
		if i >= len(rxServices) {
			s.Name = fmt.Sprintf("%s %d", s.Name, i+1)
			s.Note = fmt.Sprintf("Note %d: %s", i+1, s.Note)
		}
		c.Items = append(c.Items, s)
	}
	p := data.Prescription{ID: 1, Content: c, LargePrint: large, IssuedAt: c.IssuedAt, PrescriberName: c.Prescriber}
	for _, s := range c.Items {
		p.Items = append(p.Items, data.PrescriptionItem{ServiceID: s.ServiceID, Note: s.Note})
	}
	return p
}

func renderRx(t testing.TB, p data.Prescription, reprint *time.Time) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Prescription(&buf, p, reprint); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// flat joins a PDF's text into single-spaced words, so wrapped lines match.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// pageCount asks pdfinfo how many pages a PDF has.
func pageCount(t *testing.T, pdf []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo is not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func TestPrescriptionPrintsEveryName(t *testing.T) {
	for _, name := range []string{"Siân ap Rhys", "Łukasz Wiśniewski", "Олена Шевченко", "Pádraig Ó Súilleabháin", "Zoë 😀 Smith🎉Jones"} {
		text := flat(pdfText(t, renderRx(t, rxFor(name, 3, false), nil)))
		want := drawable(name)
		if !strings.Contains(text, "Social prescription for "+want) {
			t.Errorf("%q not found in:\n%s", want, text)
		}
		for _, s := range []string{"Canal Walking Group", "Money Matters Advice", "Côr Cymunedol – Community Choir",
			"Ask for Jane; bus 24 stops outside.", "Tuesday 3 March 2026, 10:30", "Follow-up, in person, 30 minutes",
			"Main Surgery, 1 Mill Lane", "Siân Llewellyn", "01422 000000", "943 476 5919", "03/07/1956", "24/02/2026",
			"Dr Nia Roberts", "Interpreter (Polish), Large print", "Riverside Medical Practice", "1 Mill Lane, Calderbridge, HX1 1AA",
			"Calder Valley Ramblers", "01632 960455", "Tuesdays 10:00–12:00", "£3 a session", "Social prescribing connects you",
			"citizens-advice-calderbridge.example.org/money", "Page 1 of 1"} {
			if !strings.Contains(text, s) {
				t.Errorf("%s: %q missing", name, s)
			}
		}
		if strings.Contains(text, "Reprint") {
			t.Errorf("%s: an original says Reprint", name)
		}
	}
}

func TestPrescriptionReprintMark(t *testing.T) {
	p := rxFor("Siân ap Rhys", 2, false)
	at := time.Date(2027, 1, 12, 9, 0, 0, 0, time.UTC)
	text := flat(pdfText(t, renderRx(t, p, &at)))
	if !strings.Contains(text, "Reprint") || !strings.Contains(text, "printed 12/01/2027") || !strings.Contains(text, "Issued 24/02/2026") {
		t.Errorf("reprint text:\n%s", text)
	}
	// Apart from the mark, a reprint says what the original said.
	original := flat(pdfText(t, renderRx(t, p, nil)))
	for _, s := range strings.Split(original, " ") {
		if !strings.Contains(text, s) {
			t.Errorf("the reprint lacks %q", s)
		}
	}
}

func TestPrescriptionPageCount(t *testing.T) {
	for _, c := range []struct {
		services, min, max int
		large              bool
	}{{1, 1, 1, false}, {3, 1, 1, false}, {8, 3, 4, false}, {1, 1, 1, true}, {3, 2, 2, true}} {
		raw := renderRx(t, rxFor("Siân ap Rhys", c.services, c.large), nil)
		n := pageCount(t, raw)
		if n < c.min || n > c.max {
			t.Errorf("%d services (large %v): %d pages, want %d to %d", c.services, c.large, n, c.min, c.max)
		}
		if last := flat(pdfText(t, raw, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n))); !strings.Contains(last, fmt.Sprintf("Page %d of %d", n, n)) {
			t.Errorf("%d services: last page footer missing in %q", c.services, last)
		}
	}
}

// TestNoServiceSplitAcrossPages: each service's name, contact and note are
// on one page, and every service is on some page.
func TestNoServiceSplitAcrossPages(t *testing.T) {
	for _, large := range []bool{false, true} {
		p := rxFor("Łukasz Wiśniewski", 8, large)
		raw := renderRx(t, p, nil)
		n := pageCount(t, raw)
		var pages []string
		for i := 1; i <= n; i++ {
			pages = append(pages, flat(pdfText(t, raw, "-f", strconv.Itoa(i), "-l", strconv.Itoa(i))))
		}
		for _, s := range p.Content.Items {
			found := false
			for _, page := range pages {
				if strings.Contains(page, s.Name) {
					found = true
					if !strings.Contains(page, s.Note) || !strings.Contains(page, s.Phone) {
						t.Errorf("large %v: %q is split across pages", large, s.Name)
					}
				}
			}
			if !found {
				t.Errorf("large %v: %q is on no page", large, s.Name)
			}
		}
	}
}

// TestPrescriptionLargePrint measures every word's height (see
// TestLargePrintIsAtLeast16pt).
func TestPrescriptionLargePrint(t *testing.T) {
	smallest := func(large bool) float64 {
		html := pdfText(t, renderRx(t, rxFor("Siân ap Rhys", 4, large), nil), "-bbox")
		re := regexp.MustCompile(`yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)"`)
		min := 1000.0
		for _, m := range re.FindAllStringSubmatch(html, -1) {
			y0, _ := strconv.ParseFloat(m[1], 64)
			y1, _ := strconv.ParseFloat(m[2], 64)
			min = mathMin(min, y1-y0)
		}
		return min / 1.36
	}
	if h := smallest(true); h < 15.9 {
		t.Errorf("large print has text of about %.1f pt", h)
	}
	if h := smallest(false); h > 15 {
		t.Errorf("normal print smallest text is %.1f pt; the test cannot tell large print apart", h)
	}
}

// TestPrescriptionSurvivesOddContent: no website, no appointment, no link
// worker, no needs, empty fields and a long note in large print.
func TestPrescriptionSurvivesOddContent(t *testing.T) {
	p := rxFor("Zoë 😀", 2, true)
	p.Content.NextAppointment = nil
	p.Content.LinkWorker.Name = ""
	p.Content.Patient.CommunicationNeeds = nil
	p.Content.Patient.NHSNumber = ""
	p.Content.Items[0] = data.PrescribedService{Name: "Just a name 🌻", Note: strings.Repeat("Long note with ŵ and 😀. ", 20)}
	text := flat(pdfText(t, renderRx(t, p, nil)))
	for _, s := range []string{"Just a name ?", "Long note with ŵ and ?.", "A link worker will help you get started.", "Zoë ?"} {
		if !strings.Contains(text, s) {
			t.Errorf("%q missing from:\n%s", s, text)
		}
	}
	if strings.Contains(text, "next appointment") || strings.Contains(text, "NHS number") {
		t.Errorf("empty parts printed:\n%s", text)
	}
}

// TestPrescriptionFromTheStore issues a prescription on a demo practice and
// prints it: the path a real print takes.
func TestPrescriptionFromTheStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo practice")
	}
	ctx := context.Background()
	store, err := data.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	store.SetClock(func() time.Time { return today.Add(10 * time.Hour) })
	if _, err := store.CreateDemo(ctx, data.DemoOptions{Patients: 300, Years: 1, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	gp, err := store.SignIn(ctx, "gp1", "demo-pass-gp1")
	if err != nil {
		t.Fatalf("no GP in the demo: %v", err)
	}
	var ids []int64
	for id := int64(1); len(ids) < 3 && id < 300; id++ {
		if _, err := store.IssuePrescription(ctx, gp, data.NewPrescription{PatientID: 1, Items: []data.NewPrescriptionItem{{ServiceID: id}}}); err == nil {
			ids = append(ids, id)
		}
	}
	if len(ids) < 3 {
		t.Fatalf("only %d active services found", len(ids))
	}
	var items []data.NewPrescriptionItem
	for _, id := range ids {
		items = append(items, data.NewPrescriptionItem{ServiceID: id, Note: "Ask for Pat"})
	}
	rx, err := store.IssuePrescription(ctx, gp, data.NewPrescription{PatientID: 1, Items: items})
	if err != nil {
		t.Fatal(err)
	}
	raw := renderRx(t, rx, nil)
	text := flat(pdfText(t, raw))
	for _, it := range rx.Content.Items {
		if !strings.Contains(text, drawable(it.Name)) {
			t.Errorf("%q missing", it.Name)
		}
	}
	if n := pageCount(t, raw); n != 1 {
		t.Errorf("three demo services take %d pages", n)
	}
}
