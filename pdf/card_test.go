package pdf

import (
	"bytes"
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

// pdfText extracts a PDF's text with poppler's pdftotext, as a reader
// copying from the PDF would get it.
func pdfText(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing; 'make test' installs poppler-utils")
		}
		t.Skip("pdftotext is not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func card(given, family, mode string, large bool) Card {
	start := time.Date(2026, 3, 3, 10, 30, 0, 0, data.London())
	c := Card{
		Practice: data.Practice{Name: "Riverside Medical Practice", Address: "1 Mill Lane, Calderbridge", Postcode: "HX1 1AA", Phone: "01422 000000"},
		Patient:  data.Patient{GivenName: given, FamilyName: family, Phone: "07700 900123", Address: "2 Ffordd y Môr", Postcode: "HX2 2BB"},
		Appointment: data.Appointment{Start: start, End: start.Add(60 * time.Minute), TypeName: "Initial assessment",
			Mode: mode, SiteName: "Main Surgery", WorkerName: "Siân Llewellyn"},
		LargePrint: large,
	}
	c.Where = data.AppointmentWhere(c.Appointment, data.Site{Address: "1 Mill Lane, Calderbridge", Postcode: "HX1 1AA"}, c.Patient)
	return c
}

func TestAppointmentCardPrintsEveryName(t *testing.T) {
	for _, name := range [][2]string{{"Siân", "ap Rhys"}, {"Łukasz", "Wiśniewski"}, {"Олена", "Шевченко"}, {"Pádraig", "Ó Súilleabháin"}, {"Zoë 😀", "Smith🎉Jones"}} {
		var buf bytes.Buffer
		if err := AppointmentCard(&buf, card(name[0], name[1], data.ModeInPerson, false)); err != nil {
			t.Fatalf("%v: %v", name, err)
		}
		text := pdfText(t, buf.Bytes())
		want := drawable(name[0] + " " + name[1])
		if !strings.Contains(text, want) {
			t.Errorf("%q not found in:\n%s", want, text)
		}
		for _, s := range []string{"Tuesday 3 March 2026, 10:30", "60 minutes (until 11:30)", "Main Surgery", "Siân Llewellyn", "01422 000000", "What to bring"} {
			if !strings.Contains(text, s) {
				t.Errorf("%q missing for %v", s, name)
			}
		}
	}
	if got := drawable("Zoë 😀 Smith"); got != "Zoë ? Smith" {
		t.Errorf("drawable = %q", got)
	}
}

func TestAppointmentCardModes(t *testing.T) {
	for mode, want := range map[string]string{
		data.ModePhone: "will phone you on 07700 900123", data.ModeVideo: "video call", data.ModeHomeVisit: "At your home: 2 Ffordd y Môr",
	} {
		var buf bytes.Buffer
		if err := AppointmentCard(&buf, card("Siân", "Jones", mode, false)); err != nil {
			t.Fatal(err)
		}
		if text := strings.Join(strings.Fields(pdfText(t, buf.Bytes())), " "); !strings.Contains(text, want) {
			t.Errorf("%s: %q missing", mode, want)
		}
	}
}

// TestLargePrintIsAtLeast16pt measures every word's height in the PDF.
func TestLargePrintIsAtLeast16pt(t *testing.T) {
	smallest := func(large bool) float64 {
		var buf bytes.Buffer
		if err := AppointmentCard(&buf, card("Siân", "Jones", data.ModeInPerson, large)); err != nil {
			t.Fatal(err)
		}
		html := pdfText(t, buf.Bytes(), "-bbox")
		re := regexp.MustCompile(`yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)"`)
		min := 1000.0
		for _, m := range re.FindAllStringSubmatch(html, -1) {
			y0, _ := strconv.ParseFloat(m[1], 64)
			y1, _ := strconv.ParseFloat(m[2], 64)
			min = mathMin(min, y1-y0)
		}
		return min
	}
	// pdftotext's word box is the font's ascent plus descent: about 1.36
	// times the point size for Noto Sans.
	if h := smallest(true) / 1.36; h < 15.9 {
		t.Errorf("large print has text of about %.1f pt", h)
	}
	if h := smallest(false) / 1.36; h > 15 {
		t.Errorf("normal print smallest text is %.1f pt; the test cannot tell large print apart", h)
	}
}

func mathMin(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}
