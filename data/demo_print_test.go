package data_test

// This test sits outside package data so that it can print with the pdf
// package, which imports data.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"linkwell/data"
	"linkwell/pdf"
)

// TestDemoPrescriptionsReadAndPrint: every demo prescription reads in the
// stored layout, shows what the app's own prescriptions show, and prints.
func TestDemoPrescriptionsReadAndPrint(t *testing.T) {
	if os.Getenv("LINKWELL_TEST_ENGINE") == "postgres" {
		t.Skip("makes a demo file; SQLite only")
	}
	s, err := data.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	accounts, err := s.CreateDemo(ctx, data.DemoOptions{Patients: 1500, Years: 2, Seed: 11, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	var sess *data.Session
	for _, a := range accounts {
		if a.Role == data.RoleLinkWorker && sess == nil {
			if sess, err = s.SignIn(ctx, a.Username, a.Password); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, withNext := 0, 0
	// The demo numbers its prescriptions from 1 with no gaps.
	for id := int64(1); ; id++ {
		p, err := s.Prescription(ctx, sess, id)
		if errors.Is(err, data.ErrNotFound) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		c := p.Content
		if c.Practice.Name == "" || c.Practice.Address == "" || c.Practice.Phone == "" || c.Patient.FullName == "" ||
			c.Patient.DateOfBirth == "" || c.Prescriber == "" || c.Prescriber != p.PrescriberName || !c.IssuedAt.Equal(p.IssuedAt) ||
			c.LinkWorker.Name == "" || c.LinkWorker.Phone != c.Practice.Phone || c.LargePrint != p.LargePrint {
			t.Errorf("prescription %d: content %+v", id, c)
		}
		if len(c.Items) == 0 || len(c.Items) != len(p.Items) {
			t.Errorf("prescription %d: %d items in the content, %d rows", id, len(c.Items), len(p.Items))
		}
		for i, it := range c.Items {
			if it.Name == "" || it.Schedule == "" || it.Address == "" || it.Phone == "" || it.Cost == "" || it.Access == "" ||
				i < len(p.Items) && (p.Items[i].ServiceID != it.ServiceID || p.Items[i].Note != it.Note) {
				t.Errorf("prescription %d, item %d: %+v", id, i+1, it)
			}
		}
		if (c.NextAppointment != nil) != (p.NextAppointmentID != 0) {
			t.Errorf("prescription %d: next appointment %d, content %+v", id, p.NextAppointmentID, c.NextAppointment)
		}
		if a := c.NextAppointment; a != nil {
			withNext++
			if !a.Start.After(c.IssuedAt) || a.Type == "" || a.Mode == "" || a.Where == "" || a.LinkWorker == "" {
				t.Errorf("prescription %d: next appointment %+v", id, a)
			}
		}
		var out bytes.Buffer
		if err := pdf.Prescription(&out, p, nil); err != nil || !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) {
			t.Errorf("prescription %d does not print: %v", id, err)
		}
	}
	if n < 10 || withNext == 0 {
		t.Errorf("%d demo prescriptions, %d with a next appointment", n, withNext)
	}
}
