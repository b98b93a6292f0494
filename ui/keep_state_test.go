package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// referralIDs are the IDs of the first n rows of the referrals list.
func referralIDs(t *testing.T, s *ReferralsScreen, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := 0; i < min(n, s.Count()); i++ {
		r, ok := s.Row(i)
		if !ok {
			t.Fatalf("row %d not loaded", i)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// The referrals list with its filters, sort, selected row and place in the
// list; open the case record; Back shows the list just as it was. Leaving
// by the navigation and coming back does too.
func TestKeepReferralsListState(t *testing.T) {
	dw := newDiaryWorld(t)
	moreReferrals(t, dw, 70)
	dw.signInAs(t, "manager")
	dw.a.Show("Referrals")
	s := dw.a.referrals
	s.status.SetSelected(openStatuses)
	if s.Count() < 60 {
		t.Fatalf("only %d open referrals", s.Count())
	}
	s.SortBy(data.SortWaiting)
	// Well down the list, beyond the first screenful.
	row := s.Count() - 5
	s.table.Select(widget.TableCellID{Row: row})
	r, _ := s.Row(row)
	first, _ := s.rows.of(&s.table.Table)
	if first <= 0 || first > row {
		t.Fatalf("row %d selected but the first row on show is %d", row, first)
	}
	wantIDs := referralIDs(t, s, s.Count())
	s.OpenSelected()
	if dw.a.Current() != "Case record" || dw.a.caseRecord.id != r.ID {
		t.Fatalf("on %q, not the case record of %d", dw.a.Current(), r.ID)
	}
	test.Tap(dw.a.caseRecord.back)

	back := dw.a.referrals
	if back == s || dw.a.Current() != "Referrals" {
		t.Fatal("Back did not show the referrals list again")
	}
	if back.status.Selected != openStatuses || back.Sort() != (data.ReferralSort{Column: data.SortWaiting, Desc: true}) {
		t.Errorf("back to status %q, sort %+v", back.status.Selected, back.Sort())
	}
	if got := referralIDs(t, back, back.Count()); !slices.Equal(got, wantIDs) {
		t.Errorf("the list came back as %d rows, not the %d in the same order", len(got), len(wantIDs))
	}
	if back.selected != r.ID || back.table.tapped != row || !back.open.Visible() || back.open.Disabled() {
		t.Errorf("selected referral %d at row %d, want %d at row %d", back.selected, back.table.tapped, r.ID, row)
	}
	if got, _ := back.rows.of(&back.table.Table); got != first {
		t.Errorf("the list is scrolled to row %d at the top, want %d", got, first)
	}

	// Another desk changes something: the list is read again, in place.
	dw.a.refreshLive()
	if got, _ := back.rows.of(&back.table.Table); got != first || back.selected != r.ID {
		t.Errorf("after a change elsewhere: row %d at the top with %d selected, want row %d with %d", got, back.selected, first, r.ID)
	}

	// A text filter and a source, then away by the navigation and back.
	back.source.SetSelected(data.LabelOf(data.ReferralSources, wantSource(t, back)))
	test.Type(back.text, "a")
	want := back.Count()
	if want <= 0 {
		t.Fatal("the text and source filters match nothing")
	}
	wantIDs = referralIDs(t, back, 30)
	dw.a.Show("Diary")
	dw.a.Show("Referrals")
	again := dw.a.referrals
	if again.text.Text != "a" || again.source.Selected != back.source.Selected || again.status.Selected != openStatuses {
		t.Errorf("filters came back as %q, %q, %q", again.text.Text, again.source.Selected, again.status.Selected)
	}
	if again.Count() != want || !slices.Equal(referralIDs(t, again, 30), wantIDs) {
		t.Errorf("%d referrals came back, want %d in the same order", again.Count(), want)
	}

	// A new sign-in starts clean.
	dw.signInAs(t, "manager")
	dw.a.Show("Referrals")
	if s := dw.a.referrals; s.text.Text != "" || s.status.Selected != allStatuses || s.Sort().Column != data.SortReceived {
		t.Errorf("a new sign-in kept the last one's filters: %q %q %+v", s.text.Text, s.status.Selected, s.Sort())
	}
}

// moreReferrals refers n more of the demo's patients (it has a handful of
// referrals), received on different days from different sources, so the
// list is longer than a screenful.
func moreReferrals(t *testing.T, dw *diaryWorld, n int) {
	t.Helper()
	ctx := context.Background()
	sources := []string{"gp", "self", "practice_nurse"}
	for id := int64(1); id <= 300 && n > 0; id++ {
		if _, err := dw.store.OpenReferral(ctx, sessionFor(t, dw.store, data.OpViewReferralList), id); err == nil {
			continue
		}
		day := dw.now.AddDate(0, 0, -int(id%90)).Format(data.DateLayout)
		_, err := dw.store.CreateReferral(ctx, sessionFor(t, dw.store, data.OpRefer), data.Referral{PatientID: id, ReceivedOn: day,
			Source: sources[id%3], ReferrerName: "Dr Who", Reasons: []string{"loneliness"}, ConsentBy: "Patient", ConsentOn: day})
		if err != nil {
			continue // not a patient (erased), or not referable
		}
		n--
	}
	if n > 0 {
		t.Fatalf("%d referrals short", n)
	}
}

// wantSource is the source of the first referral on show, so filtering by
// it keeps some rows.
func wantSource(t *testing.T, s *ReferralsScreen) string {
	t.Helper()
	r, ok := s.Row(0)
	if !ok {
		t.Fatal("no first row")
	}
	return r.Source
}

// The Patients screen's search, its results and the patient open come back
// after referring them and returning.
func TestKeepPatientsSearchAndRecord(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.signInAs(t, "gp1")
	dw.a.Show("Patients")
	s := dw.a.patients
	test.Type(s.picker.search, "an")
	results := s.picker.Results()
	if len(results) < 3 {
		t.Fatalf("%d patients match", len(results))
	}
	s.picker.table.Select(widget.TableCellID{Row: 2})
	p := results[2]
	if s.loaded.ID != p.ID {
		t.Fatalf("row 2 opened %d, want %d", s.loaded.ID, p.ID)
	}
	test.Tap(s.refer)
	if dw.a.Current() != "New referral" {
		t.Fatalf("Refer… went to %q", dw.a.Current())
	}
	dw.a.Show("Patients")
	back := dw.a.patients
	if back == s || back.picker.Query() != "an" {
		t.Fatalf("the search came back as %q", back.picker.Query())
	}
	var got, want []int64
	for _, x := range back.picker.Results() {
		got = append(got, x.ID)
	}
	for _, x := range results {
		want = append(want, x.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("results came back as %v, want %v", got, want)
	}
	if back.loaded.ID != p.ID || back.heading.Text != p.FullName() || back.family.Text != p.FamilyName {
		t.Errorf("the record came back as %d %q", back.loaded.ID, back.heading.Text)
	}
	if back.Dirty() {
		t.Error("the record came back with changes")
	}
}

// The directory's search, filters and the entry open come back after
// leaving for another screen.
func TestKeepDirectorySearch(t *testing.T) {
	dw, s := openDirectory(t)
	s.cost.SetSelected(costFreeWord)
	results := s.Results()
	if len(results) < 3 {
		t.Fatalf("%d free services", len(results))
	}
	test.Type(s.search, results[2].Name[:3])
	results = s.Results()
	if len(results) == 0 {
		t.Fatal("the search found nothing")
	}
	s.table.Select(widget.TableCellID{Row: len(results) - 1})
	sv := results[len(results)-1]
	if s.loaded.ID != sv.ID {
		t.Fatalf("opened %d, want %d", s.loaded.ID, sv.ID)
	}
	dw.a.Show("Referrals")
	dw.a.Show("Directory")
	back := dw.a.directory
	if back == s || back.search.Text != s.search.Text || back.cost.Selected != costFreeWord {
		t.Fatalf("the search came back as %q, cost %q", back.search.Text, back.cost.Selected)
	}
	if len(back.Results()) != len(results) || back.Results()[0].ID != results[0].ID {
		t.Errorf("%d results came back, want %d", len(back.Results()), len(results))
	}
	if back.loaded.ID != sv.ID || back.name.Text != sv.Name || back.Dirty() {
		t.Errorf("the form came back with %d %q", back.loaded.ID, back.name.Text)
	}

	// Scrolled well down the whole directory: back at the same place.
	back.ClearFilters()
	row := len(back.Results()) - 3
	back.table.Select(widget.TableCellID{Row: row})
	first, _ := back.rows.of(&back.table.Table)
	if first <= 0 {
		t.Fatalf("row %d of %d selected, but the list is not scrolled", row, len(back.Results()))
	}
	dw.a.Show("Diary")
	dw.a.Show("Directory")
	again := dw.a.directory
	if got, _ := again.rows.of(&again.table.Table); got != first || again.loaded.ID != back.Results()[row].ID {
		t.Errorf("the directory came back at row %d with %d open, want row %d with %d", got, again.loaded.ID, first, back.Results()[row].ID)
	}
}

// As in the real window, the list comes back from the database after the
// screen is on the window: the selection and the place in the list are
// put back then.
func TestKeepReferralsWhenTheListComesLater(t *testing.T) {
	var names []string
	for i := 0; i < 28; i++ {
		names = append(names, fmt.Sprintf("Anna Family%c%c", 'a'+i/26, 'a'+i%26))
	}
	rw := newReferralWorld(t, names...)
	for i, p := range rw.patients {
		rw.refer(t, p, i+1, "loneliness")
	}
	rw.a.SignedIn(as(t, rw.store, rw.gp))
	rw.a.Show("Referrals")
	s := rw.a.referrals
	rw.q.waitFor(t, func() bool { return s.Count() == len(names) })
	row := len(names) - 2
	s.table.Select(widget.TableCellID{Row: row})
	r, _ := s.Row(row)
	first, _ := s.rows.of(&s.table.Table)
	if first <= 0 {
		t.Fatalf("row %d selected, but the list is not scrolled", row)
	}
	s.OpenSelected()
	rw.q.drain()
	if rw.a.Current() != "Case record" {
		t.Fatalf("on %q", rw.a.Current())
	}
	test.Tap(rw.a.caseRecord.back)
	back := rw.a.referrals
	if back.Count() != -1 {
		t.Fatal("the list was loaded before the screen was shown: this test needs it later")
	}
	rw.q.waitFor(t, func() bool { return back.Count() == len(names) })
	if back.selected != r.ID {
		t.Errorf("selected %d, want %d", back.selected, r.ID)
	}
	if got, _ := back.rows.of(&back.table.Table); got != first {
		t.Errorf("the list is scrolled to row %d at the top, want %d", got, first)
	}
}
