package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"linkwell/data"
)

// `linkwell retention`: off until the practice manager sets a period;
// --dry-run counts and changes nothing; the run keeps the reports' counts.
func TestRetentionCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, errOut := runCLI("demo", "--db", db, "--patients", "300", "--years", "3", "--today", "2026-11-25"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI("retention", "--db", db); code == 0 || !strings.Contains(errOut, "no retention period is set") {
		t.Fatalf("retention off: %d %s", code, errOut)
	}
	ctx := context.Background()
	counts := func() (int, map[data.ReferralStatus]int) {
		store, err := data.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		sess := sessionFor(t, store, data.OpViewReferralList)
		n, err := store.CountReferrals(ctx, sess, data.ReferralFilter{})
		if err != nil {
			t.Fatal(err)
		}
		st, err := store.StatusCounts(ctx, sess, data.ReferralFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n, st
	}
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetRetentionYears(ctx, sessionFor(t, store, data.OpRetention), 2); err != nil {
		t.Fatal(err)
	}
	store.Close()
	total, status := counts()

	code, out, errOut := runCLI("retention", "--db", db, "--dry-run")
	if code != 0 || !strings.Contains(out, "would be anonymised") || !strings.Contains(out, "Nothing was changed") {
		t.Fatalf("dry run: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI("retention", "--db", db)
	if code != 0 || !strings.Contains(out, "episodes anonymised") || strings.Contains(out, "\n0 episodes") {
		t.Fatalf("run: %d %s %s", code, out, errOut)
	}
	t.Log(out)
	if n, st := counts(); n != total || len(st) != len(status) {
		t.Errorf("counts changed: %d → %d, %v → %v", total, n, status, st)
	} else {
		for k, v := range status {
			if st[k] != v {
				t.Errorf("%s: %d → %d", k, v, st[k])
			}
		}
	}
	// Prescriptions still read (and reprint), without the personal notes.
	store, err = data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	rxSess := sessionFor(t, store, data.OpViewPrescription)
	anonymised := 0
	for id := int64(1); id <= 200; id++ {
		rx, err := store.Prescription(ctx, rxSess, id)
		if errors.Is(err, data.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("prescription %d: %v", id, err)
		}
		if rx.Content.Patient.FullName == "Anonymised" {
			anonymised++
			for _, it := range rx.Content.Items {
				if it.Note != "" || it.Name == "" {
					t.Errorf("prescription %d item %+v", id, it)
				}
			}
		}
	}
	store.Close()
	if anonymised == 0 {
		t.Error("no prescription was anonymised")
	}

	t.Setenv(passwordEnv, "demo-pass-reception1")
	if code, _, errOut := runCLI("retention", "--db", db, "--as", "reception1"); code == 0 || !strings.Contains(errOut, "may not anonymise") {
		t.Errorf("a receptionist ran retention: %s", errOut)
	}
}
