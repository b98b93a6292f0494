package data

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func readReturnCSV(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "\ufeff") {
		t.Error("no byte-order mark")
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(records[0], ",") != "Section,Item,Value" {
		t.Errorf("header %v", records[0])
	}
	out := map[string]string{}
	for _, r := range records[1:] {
		out[r[0]+" / "+r[1]] = r[2]
	}
	return out
}

func TestMonthlyReturnCSVIsTheFigures(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	pm := f.s.session(f.pm)
	aug, _ := ParseMonth("2026-08")
	path := filepath.Join(t.TempDir(), "return.csv")
	r, err := f.s.ExportMonthlyReturnFile(ctx, pm, aug, path)
	if err != nil {
		t.Fatal(err)
	}
	got := readReturnCSV(t, path)
	for _, row := range MonthlyReturnRows(r) {
		if got[row[0]+" / "+row[1]] != row[2] {
			t.Errorf("%s / %s = %q, want %q", row[0], row[1], got[row[0]+" / "+row[1]], row[2])
		}
	}
	for key, want := range map[string]string{
		"Return / Practice":                                "Riverside Medical Practice",
		"Return / Month":                                   "2026-08",
		"Referrals received / In the month":                strconv.Itoa(r.Received),
		"Referrals received / Same month last year":        "1",
		"Referrals by source / GP":                         "2",
		"Referrals by age at referral / 75+":               "1",
		"Referrals by ethnic category / Not asked":         "1",
		"Outcomes / Declined":                              "1",
		"Closed by reason / Moved away":                    "1",
		"Days to first contact / Median":                   "2",
		"Days to first contact / 90th percentile":          "4",
		"Appointments: Amira Khan / Did not attend":        "1",
		"Appointments: All link workers / DNA rate %":      "50.0",
		"Appointments: Tom Fletcher / Cancelled":           "1",
		"Open caseload at month end / Amira Khan":          "2",
		"ONS4 change, cases closed: Anxiety / Mean change": "-3.0",
		"ONS4 change, cases closed: Worthwhile / People":   "1",
		"Incentive indicator / Percentage of list":         "0.02",
		"Incentive indicator / Registered list size":       "10000",
		"Appointments: All link workers / Booked":          "3",
		"Days to first appointment / Median":               "14",
		"Referrals by reason / Loneliness or isolation":    "2",
		"Referrals by sex / Other":                         "1",
		"Return / Small numbers suppressed":                "no",
		"Closed by reason / All closures":                  "1",
		"Referrals by age at referral / 25–49":             "0",
	} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}

	// Suppressed: 1–4 become "<5", 0 and the list size stay.
	if err := f.s.SetSuppressSmall(ctx, pm, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ExportMonthlyReturnFile(ctx, pm, aug, path); err != nil {
		t.Fatal(err)
	}
	got = readReturnCSV(t, path)
	for key, want := range map[string]string{
		"Referrals received / In the month":                "<5",
		"Referrals by age at referral / 25–49":             "0",
		"Incentive indicator / Registered list size":       "10000",
		"Return / Small numbers suppressed":                "yes",
		"ONS4 change, cases closed: Anxiety / People":      "<5",
		"ONS4 change, cases closed: Anxiety / Mean change": "",
	} {
		if got[key] != want {
			t.Errorf("suppressed: %s = %q, want %q", key, got[key], want)
		}
	}
}

func TestPlainCell(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "-3.0": "-3.0", "+44": "+44", "@x": "'@x", "Amira": "Amira", "": ""} {
		if got := plainCell(in); got != want {
			t.Errorf("plainCell(%q) = %q, want %q", in, got, want)
		}
	}
}
