package data

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The referrals export: a byte-order mark, CRLF, every column (the
// referrer's name and organisation apart), typed text
// that looks like a formula kept as text, and the date range applied.
func TestExportReferralsFile(t *testing.T) {
	ctx := context.Background()
	f := newReferralFixture(t)
	olena, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), Patient{GivenName: "Олена", FamilyName: "Шевченко", DateOfBirth: "1961-07-14", Phone: "07700 900456"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Referral{
		{PatientID: f.patient.ID, ReceivedOn: "2026-10-01", ReferrerName: "=HYPERLINK(\"http://x\")"},
		{PatientID: olena.ID, ReceivedOn: "2026-11-20", ReferrerName: "Dr Sarah Whitfield", ReferrerOrg: "+Riverside Medical Practice"},
	} {
		r.Source, r.Reasons, r.ConsentBy, r.ConsentOn = "gp", []string{"loneliness"}, "Patient", "2026-10-01"
		if _, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), r); err != nil {
			t.Fatal(err)
		}
	}
	read := func(from, to string) [][]string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "referrals.csv")
		n, err := f.s.ExportReferralsFile(ctx, f.s.sessionFor(OpExport), from, to, path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(raw), "\ufeffReferral ID,Patient,NHS number,Received") || !strings.HasSuffix(string(raw), "\r\n") ||
			strings.Count(string(raw), "\r\n") != n+1 {
			t.Errorf("%d referrals but the file is %q", n, raw)
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range records {
			if len(r) != len(referralCSVHeader) {
				t.Fatalf("a row of %d columns: %v", len(r), r)
			}
		}
		return records[1:]
	}
	rows := read("", "")
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	if rows[0][1] != "Llewellyn, Siân" || rows[0][5] != `'=HYPERLINK("http://x")` || rows[0][6] != "" || rows[0][7] != "Loneliness or isolation" {
		t.Errorf("first row %q", rows[0])
	}
	if rows[1][1] != "Шевченко, Олена" || rows[1][3] != "2026-11-20" || rows[1][9] != "Received" ||
		rows[1][5] != "Dr Sarah Whitfield" || rows[1][6] != "'+Riverside Medical Practice" {
		t.Errorf("second row %q", rows[1])
	}
	if rows := read("2026-11-01", ""); len(rows) != 1 || rows[0][3] != "2026-11-20" {
		t.Errorf("from 1 November: %q", rows)
	}
}

// The export for a filter writes the rows the list shows for it, and a
// cancelled export leaves no file.
func TestExportReferralsFilterFile(t *testing.T) {
	ctx := context.Background()
	f := newReferralFixture(t)
	for i, src := range []string{"gp", "self", "gp"} {
		p, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), Patient{GivenName: "Ann", FamilyName: "Baker" + strings.Repeat("e", i),
			DateOfBirth: "1961-07-14", Phone: "07700 900456"}, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r := Referral{PatientID: p.ID, ReceivedOn: "2026-10-01", ReferrerName: "Dr Sarah Whitfield", Source: src,
			Reasons: []string{"loneliness"}, ConsentBy: "Patient", ConsentOn: "2026-10-01"}
		if _, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "referrals.csv")
	var seen int
	n, err := f.s.ExportReferralsFilterFile(ctx, f.s.sessionFor(OpExport), ReferralFilter{Source: "self"}, path, func(done int) { seen = done })
	if err != nil || n != 1 || seen != 1 {
		t.Fatalf("%d rows (progress %d): %v", n, seen, err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Count(string(raw), "\r\n") != 2 || !strings.Contains(string(raw), "Self") {
		t.Errorf("file %q", raw)
	}
	cancelled, stop := context.WithCancel(ctx)
	stop()
	other := filepath.Join(t.TempDir(), "cancelled.csv")
	if _, err := f.s.ExportReferralsFilterFile(cancelled, f.s.sessionFor(OpExport), ReferralFilter{}, other, nil); err == nil {
		t.Error("a cancelled export succeeded")
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("a cancelled export left a file: %v", err)
	}
}
