package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"linkwell/data"
)

func TestExportReferralsCSV(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "2000", "--years", "2", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "referrals.csv")
	code, stdout, errOut := runCLI("export", "referrals", "--db", db, "--out", out)
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "\ufeffReferral ID,Patient,NHS number") || !strings.Contains(string(raw), "\r\n") {
		t.Errorf("not UTF-8 with BOM, header and CRLF: %q", string(raw[:60]))
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	total, _ := store.CountReferrals(ctx, sessionFor(t, store, data.OpViewReferralList), data.ReferralFilter{})
	if len(records)-1 != total || total == 0 || !strings.Contains(stdout, " referrals written") {
		t.Errorf("%d rows for %d referrals", len(records)-1, total)
	}
	if records[0][5] != "Referrer name" || records[0][6] != "Referrer organisation" {
		t.Errorf("header %q", records[0])
	}
	// Every row has every column; closed episodes with ONS4 have scores.
	withScores := 0
	for _, r := range records[1:] {
		if len(r) != len(records[0]) {
			t.Fatalf("row has %d columns: %v", len(r), r)
		}
		if r[9] == "Closed" && r[16] != "" && r[20] != "" {
			withScores++
		}
	}
	if withScores == 0 {
		t.Error("no closed referral has baseline and latest ONS4 scores")
	}

	// A date range exports the same number the store counts for it.
	code, _, errOut = runCLI("export", "referrals", "--db", db, "--out", out, "--from", "2026-01-01", "--to", "2026-06-30")
	if code != 0 {
		t.Fatal(errOut)
	}
	raw, _ = os.ReadFile(out)
	records, _ = csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	inRange, _ := store.CountReferrals(ctx, sessionFor(t, store, data.OpViewReferralList), data.ReferralFilter{From: "2026-01-01", To: "2026-06-30"})
	if len(records)-1 != inRange || inRange == 0 || inRange >= total {
		t.Errorf("range: %d rows, store counts %d of %d", len(records)-1, inRange, total)
	}
	for _, r := range records[1:] {
		if r[3] < "2026-01-01" || r[3] > "2026-06-30" {
			t.Errorf("row outside the range: %v", r[3])
		}
	}
	if code, _, _ := runCLI("export", "referrals", "--db", db, "--out", out, "--from", "01/01/2026"); code == 0 {
		t.Error("a UK-style date was accepted on the command line")
	}
}
