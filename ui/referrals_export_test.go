package ui

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"linkwell/data"
)

// Export CSV… on the Referrals screen writes exactly the rows the filters
// list, in the CSV of `linkwell export referrals`; a receptionist has no
// button.
func TestReferralsExportCSVForFilters(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson", "Ann Baker", "Tom Cole", "Eve Dodd")
	ctx := context.Background()
	for i, p := range rw.patients {
		r := rw.refer(t, p, 10+i, "loneliness")
		if i%2 == 1 {
			if err := rw.store.Reassign(ctx, sessionFor(t, rw.store, data.OpMoveReferral), r.ID, rw.workers[0].ID, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	rw.a.SignedIn(as(t, rw.a.store, rw.manager(t)))
	rw.a.Show("Referrals")
	s := rw.a.referrals
	waitLoaded(t, rw, s, 4)
	if !s.CanExport() {
		t.Fatal("a practice manager has no Export CSV…")
	}
	s.worker.SetSelected("Lowri Jones")
	waitLoaded(t, rw, s, 2)

	path := filepath.Join(t.TempDir(), "referrals") // no extension: .csv is added
	s.ExportFile(path)
	rw.q.waitFor(t, func() bool { return s.LastExport() != "" })
	if !strings.HasPrefix(s.LastExport(), "Exported 2 referrals") {
		t.Fatalf("export said %q", s.LastExport())
	}
	raw, err := os.ReadFile(path + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f, _ := s.filter()
	want, err := rw.store.ListReferrals(ctx, sessionFor(t, rw.store, data.OpViewReferralList), f, data.ReferralSort{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var wantIDs, gotIDs []string
	for _, r := range want {
		wantIDs = append(wantIDs, strconv.FormatInt(r.ID, 10))
	}
	for _, r := range records[1:] {
		gotIDs = append(gotIDs, r[0])
		if r[10] != "Lowri Jones" {
			t.Errorf("a row of another link worker: %q", r)
		}
	}
	sort.Strings(wantIDs)
	sort.Strings(gotIDs)
	if records[0][0] != "Referral ID" || strings.Join(gotIDs, ",") != strings.Join(wantIDs, ",") || len(gotIDs) != 2 {
		t.Errorf("exported %v, the list shows %v", gotIDs, wantIDs)
	}

	// A receptionist sees the list but is offered no export.
	rw.a.SignedIn(signInAs(t, rw.a.store, "rita"))
	rw.a.Show("Referrals")
	if rw.a.referrals.CanExport() {
		t.Error("a receptionist is offered Export CSV…")
	}
}
