package printing

import (
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

// demoFile is a small demo practice, made once for the package's tests.
var demoFile string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "linkwell-printing-")
	if err != nil {
		panic(err)
	}
	demoFile = filepath.Join(dir, "demo.db")
	code := makeDemo(demoFile)
	if code == 0 {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func makeDemo(path string) int {
	store, err := data.Open(path)
	if err == nil {
		today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		store.SetClock(func() time.Time { return today.Add(10 * time.Hour) })
		_, err = store.CreateDemo(context.Background(), data.DemoOptions{Patients: 100, Years: 1, Seed: 1, Today: today})
		if cerr := store.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "the demo practice:", err)
		return 1
	}
	return 0
}

// demoStore is a copy of the demo practice in a real database file of the
// test's own.
func demoStore(t *testing.T) *data.Store {
	t.Helper()
	raw, err := os.ReadFile(demoFile)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	store, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// demoSession signs in to the demo practice as one of its staff.
func demoSession(t *testing.T, store *data.Store, username string) *data.Session {
	t.Helper()
	sess, err := store.SignIn(context.Background(), username, "demo-pass-"+username)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// pdfText is a PDF's text as pdftotext reads it, spaces folded; extra
// arguments go to pdftotext.
func pdfText(t *testing.T, path string, args ...string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(raw), "%PDF-") {
		t.Fatalf("%s is not a PDF: %v", path, err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing; 'make test' installs poppler-utils")
		}
		t.Skip("pdftotext is not installed")
	}
	out, err := exec.Command("pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// A print that cannot be written is not recorded, so the first print that
// is written is still the original; the one after it is the reprint.
func TestPrescription(t *testing.T) {
	ctx := context.Background()
	store := demoStore(t)
	gp := demoSession(t, store, "gp1")
	var rx data.Prescription
	for id := int64(1); rx.ID == 0 && id < 100; id++ {
		rx, _ = store.IssuePrescription(ctx, gp, data.NewPrescription{PatientID: 1,
			Items: []data.NewPrescriptionItem{{ServiceID: id, Note: "Ask for Jane"}}})
	}
	if rx.ID == 0 {
		t.Fatal("no prescribable service in the demo")
	}
	dir := t.TempDir()
	for _, bad := range []string{filepath.Join(dir, "no", "such", "folder", "rx.pdf"), store.Path()} {
		if _, err := Prescription(ctx, store, gp, rx.ID, bad); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	path := filepath.Join(dir, "rx.pdf")
	for i, want := range []bool{false, true} {
		reprint, err := Prescription(ctx, store, gp, rx.ID, path)
		if err != nil || reprint != want {
			t.Fatalf("print %d: reprint %v, want %v (%v)", i+1, reprint, want, err)
		}
		text := pdfText(t, path)
		if strings.Contains(text, "Reprint") != want || !strings.Contains(text, "Ask for Jane") {
			t.Errorf("print %d (reprint %v):\n%s", i+1, want, text)
		}
	}
	if _, err := Prescription(ctx, store, gp, 99999999, path); err == nil || !strings.Contains(err.Error(), "no prescription") {
		t.Errorf("a missing prescription: %v", err)
	}
}

// The card of an in-person appointment says where it is with the site's
// address, in the same words data.AppointmentWhere gives; large print asked
// for is at least 16 pt.
func TestCard(t *testing.T) {
	ctx := context.Background()
	store := demoStore(t)
	recep := demoSession(t, store, "reception1")
	sites, err := store.Sites(ctx, recep)
	if err != nil {
		t.Fatal(err)
	}
	var appt data.Appointment
	var site data.Site
	for id := int64(1); appt.ID == 0 && id < 500; id++ {
		a, err := store.Appointment(ctx, recep, id)
		if err != nil || a.Mode != data.ModeInPerson {
			continue
		}
		for _, s := range sites {
			if s.ID == a.SiteID && s.Address != "" {
				appt, site = a, s
			}
		}
	}
	if appt.ID == 0 {
		t.Fatal("no in-person appointment at a site with an address in the demo")
	}
	patient, err := store.Patient(ctx, recep, appt.PatientID)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "card.pdf")
	if err := Card(ctx, store, recep, appt.ID, false, path); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, path)
	where := data.AppointmentWhere(appt, site, patient)
	for _, want := range []string{"Your appointment with a link worker", patient.FullName(), appt.WorkerName, site.Postcode, where} {
		if !strings.Contains(text, want) {
			t.Errorf("%q is not on the card:\n%s", want, text)
		}
	}

	if err := Card(ctx, store, recep, appt.ID, true, path); err != nil {
		t.Fatal(err)
	}
	boxes := regexp.MustCompile(`yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)"`).FindAllStringSubmatch(pdfText(t, path, "-bbox"), -1)
	if len(boxes) == 0 {
		t.Fatal("no words on the large-print card")
	}
	for _, m := range boxes {
		y0, _ := strconv.ParseFloat(m[1], 64)
		y1, _ := strconv.ParseFloat(m[2], 64)
		// A word's box is about 1.36 times the point size in Noto Sans.
		if pt := (y1 - y0) / 1.36; pt < 15.9 {
			t.Fatalf("large print has text of about %.1f pt", pt)
		}
	}

	if err := Card(ctx, store, recep, 99999999, false, path); err == nil || !strings.Contains(err.Error(), "no appointment") {
		t.Errorf("a missing appointment: %v", err)
	}
}
