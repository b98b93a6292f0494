package data

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The list reads a page through indexes (referral_list.go); these tests
// check it against the plain queries it replaced, on a demo practice.

// openListTest makes a demo practice for the list tests.
func openListTest(t *testing.T) *Store {
	t.Helper()
	opt := DemoOptions{Patients: 4000, Years: 6, Seed: 3, Today: demoTestToday}
	var s *Store
	if testEngine == enginePostgres {
		// The same practice on the server, so that the list's
		// PostgreSQL queries are the ones compared and planned.
		s = newStore(t)
		if _, err := s.CreateDemo(context.Background(), opt); err != nil {
			t.Fatal(err)
		}
	} else {
		s = openDemo(t, "list.db", opt)
	}
	s.SetClock(func() time.Time { return demoTestToday.Add(12 * time.Hour) })
	// Two link workers with one name share a place in the "by worker"
	// order; referrals without a link worker come first.
	if _, err := s.db.Exec(`UPDATE users SET full_name = (SELECT full_name FROM users WHERE role = 'link_worker' ORDER BY id LIMIT 1)
		WHERE id = (SELECT id FROM users WHERE role = 'link_worker' ORDER BY id LIMIT 1 OFFSET 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE referrals SET link_worker_id = NULL WHERE id % 50 = 7`); err != nil {
		t.Fatal(err)
	}
	return s
}

// plainList is the list as one plain query: every match joined and sorted.
func plainList(s *Store, f ReferralFilter, sort ReferralSort, offset, limit int) ([]ReferralRow, error) {
	terms, ok := sortTerms[sort.Column]
	if !ok {
		terms, sort.Desc = sortTerms[SortReceived], true
	}
	dir := " ASC"
	if sort.Desc {
		dir = " DESC"
	}
	order := strings.Join(append(append([]string{}, terms...), "r.id"), dir+", ") + dir
	where, args := f.where(false)
	today := s.now().In(london()).Format(DateLayout)
	all := append([]any{today}, args...)
	if sort.Column == SortWaiting {
		all = append(all, today)
	}
	rows, err := s.db.Query(`SELECT r.id, r.patient_id, p.family_name || ', ' || p.given_name, coalesce(p.nhs_number, ''), r.received_on, r.source,
			(SELECT group_concat(reason, ';') FROM referral_reasons rr WHERE rr.referral_id = r.id),
			r.status, coalesce(u.full_name, ''), `+strings.ReplaceAll(daysWaitingSQL, ":today", "?")+`, r.last_activity_at, r.priority
		FROM referrals r JOIN patients p ON p.id = r.patient_id LEFT JOIN users u ON u.id = r.link_worker_id`+where+`
		ORDER BY `+strings.ReplaceAll(order, ":today", "?")+` LIMIT ? OFFSET ?`, append(all, limit, offset)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReferralRow
	for rows.Next() {
		var r ReferralRow
		var reasons *string
		if err := rows.Scan(&r.ID, &r.PatientID, &r.PatientName, &r.NHSNumber, &r.ReceivedOn, &r.Source, &reasons, &r.Status,
			&r.LinkWorker, &r.DaysWaiting, &r.LastActivityAt, &r.Priority); err != nil {
			return nil, err
		}
		if reasons != nil {
			r.Reasons = strings.Split(*reasons, ";")
			sortByChoices(r.Reasons, ReferralReasons)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// plainStatusCounts counts every match by status, as the pipeline did.
func plainStatusCounts(s *Store, f ReferralFilter, skipStatus bool) (map[ReferralStatus]int, error) {
	where, args := f.where(skipStatus)
	rows, err := s.db.Query(`SELECT r.status, count(*) FROM referrals r JOIN patients p ON p.id = r.patient_id`+where+` GROUP BY r.status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[ReferralStatus]int{}
	for rows.Next() {
		var st ReferralStatus
		var n int
		rows.Scan(&st, &n)
		out[st] = n
	}
	return out, rows.Err()
}

// listTestFilters cover every filter alone and the usual combinations.
func listTestFilters(t *testing.T, s *Store) []ReferralFilter {
	t.Helper()
	var worker, assigned int64
	s.db.QueryRow(`SELECT link_worker_id FROM referrals WHERE link_worker_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&worker)
	s.db.QueryRow(`SELECT link_worker_id FROM referrals WHERE link_worker_id IS NOT NULL GROUP BY 1 ORDER BY count(*) LIMIT 1`).Scan(&assigned)
	var nhs, family, given, dob, manyWords, laterWord string
	s.db.QueryRow(`SELECT nhs_number FROM patients p WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id) AND nhs_number IS NOT NULL ORDER BY id LIMIT 1`).Scan(&nhs)
	s.db.QueryRow(`SELECT family_name, given_name, date_of_birth FROM patients p WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id) ORDER BY id LIMIT 1 OFFSET 7`).Scan(&family, &given, &dob)
	s.db.QueryRow(`SELECT substr(word, 1, 3) FROM patient_name_words w WHERE (instr(family_key, '-') > 0 OR instr(family_key, '''') > 0)
		AND EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = w.patient_id) ORDER BY patient_id LIMIT 1`).Scan(&laterWord)
	s.db.QueryRow(`SELECT substr(family_key, instr(family_key, ' ') + 1, 3) FROM patients p
		WHERE instr(family_key, ' ') > 0 AND EXISTS (SELECT 1 FROM referrals r WHERE r.patient_id = p.id) ORDER BY id LIMIT 1`).Scan(&manyWords)
	if worker == 0 || nhs == "" || family == "" || manyWords == "" || laterWord == "" {
		t.Fatalf("the demo lacks what the filters need: %d %q %q %q %q", worker, nhs, family, manyWords, laterWord)
	}
	open := []ReferralStatus{StatusReceived, StatusContacted, StatusAccepted, StatusActive}
	return []ReferralFilter{
		{},
		{Statuses: open},
		{Statuses: []ReferralStatus{StatusReceived}},
		{Statuses: []ReferralStatus{StatusClosed}},
		{Statuses: []ReferralStatus{StatusDeclined, StatusUnableToContact}},
		{LinkWorkerID: worker},
		{LinkWorkerID: assigned, Statuses: open},
		{Source: "gp"},
		{Source: "housing", Statuses: []ReferralStatus{StatusClosed}},
		{Reason: "loneliness"},
		{Reason: "bereavement", From: "2024-01-01"},
		{From: "2026-06-01"},
		{To: "2021-06-30"},
		{From: "2023-01-01", To: "2023-12-31", LinkWorkerID: worker},
		// Received dates that begin or end part-way through a month, or
		// within one, are counted from referral_day_counts.
		{Reason: "loneliness", From: "2022-03-17", To: "2024-02-29", Statuses: []ReferralStatus{StatusClosed}},
		{From: "2023-05-09", To: "2023-05-21"},
		{Reason: "housing", From: "2023-05-01", To: "2023-05-31"},
		{From: "2024-02-10", To: "2024-03-05"},
		{To: "2025-02-27"},
		{From: "2024-06-02", To: "2024-06-01"},
		{Text: "s"},
		{Text: strings.ToUpper(family[:min(3, len(family))])},
		{Text: manyWords},
		{Text: family + ", " + given[:1]},
		{Text: given + " " + family},
		{Text: laterWord},
		{Text: given + " " + FormatUKDate(dob)},
		{Text: dob},
		{Text: nhs[:4]},
		{Text: FormatNHSNumber(nhs)},
		{Text: "zzzz"},
		{Text: "s", Statuses: []ReferralStatus{StatusClosed}, Reason: "loneliness"},
	}
}

// TestListMatchesPlainQuery compares every sort column, both directions,
// with and without filters, on three pages, and both ways of reading (all
// matches sorted, or a walk in the sort order), with the plain query.
func TestListMatchesPlainQuery(t *testing.T) {
	s := openListTest(t)
	ctx := context.Background()
	defer func(was int) { readAllLimit = was }(readAllLimit)
	columns := []string{SortPatient, SortNHSNumber, SortReceived, SortSource, SortStatus, SortLinkWorker, SortWaiting, SortActivity, ""}
	for _, f := range listTestFilters(t, s) {
		for _, column := range columns {
			for _, desc := range []bool{false, true} {
				sort := ReferralSort{Column: column, Desc: desc}
				for _, page := range [][2]int{{0, 40}, {40, 40}, {230, 40}} {
					want, err := plainList(s, f, sort, page[0], page[1])
					if err != nil {
						t.Fatal(err)
					}
					for _, atMost := range []int{-1, 1 << 30, 0} { // walk always; read all whenever there is a filter; as it comes
						readAllLimit = atMost
						got, err := s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), f, sort, page[0], page[1])
						if err != nil {
							t.Fatalf("%+v %+v: %v", f, sort, err)
						}
						if !reflect.DeepEqual(got, want) {
							t.Errorf("filter %+v, sort %+v, page %v, readAllLimit %d:\n got %s\nwant %s", f, sort, page, atMost, rowIDs(got), rowIDs(want))
						}
					}
				}
			}
		}
	}
}

func rowIDs(rows []ReferralRow) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d ", r.ID)
	}
	return b.String()
}

// TestCountsMatchPlainQuery checks the total and the pipeline, from
// referral_counts or counted, for every filter.
func TestCountsMatchPlainQuery(t *testing.T) {
	s := openListTest(t)
	checkCounts(t, s, listTestFilters(t, s))
}

func checkCounts(t *testing.T, s *Store, filters []ReferralFilter) {
	t.Helper()
	ctx := context.Background()
	defer func(was int) { readAllLimit = was }(readAllLimit)
	for _, f := range filters {
		for _, atMost := range []int{-1, 1 << 30} {
			readAllLimit = atMost
			want, err := plainStatusCounts(s, f, true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.StatusCounts(ctx, s.sessionFor(OpViewReferralList), f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v: status counts %v, want %v", f, got, want)
			}
			matching, _ := plainStatusCounts(s, f, false)
			total := 0
			for _, n := range matching {
				total += n
			}
			if n, err := s.CountReferrals(ctx, s.sessionFor(OpViewReferralList), f); err != nil || n != total {
				t.Errorf("%+v: count %d (%v), want %d", f, n, err, total)
			}
		}
	}
}

// TestReferralCountsFollowChanges moves, reassigns and adds referrals and
// checks that referral_counts still agrees with counting.
func TestReferralCountsFollowChanges(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	r := f.referral(t, f.patient.ID)
	filters := []ReferralFilter{{}, {LinkWorkerID: f.worker.ID}, {LinkWorkerID: f.worker2.ID, Statuses: []ReferralStatus{StatusContacted}},
		{Source: "gp"}, {Source: "self", Statuses: []ReferralStatus{StatusReceived}},
		{Reason: "housing"}, {Reason: "loneliness", Statuses: []ReferralStatus{StatusClosed}}, {From: "2026-11-01"}, {To: "2026-11-19"},
		{Reason: "housing", From: "2026-01-01", To: "2026-11-30", Statuses: []ReferralStatus{StatusReceived, StatusContacted}},
		{Text: "llew"}, {Text: "sian", Statuses: []ReferralStatus{StatusContacted, StatusClosed}}}
	checkCounts(t, f.s, filters)
	for _, to := range []ReferralStatus{StatusContacted, StatusAccepted, StatusActive, StatusClosed} {
		if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, to, "because", "goals_met"); err != nil {
			t.Fatal(err)
		}
		checkCounts(t, f.s, filters)
	}
	if err := f.s.Reassign(ctx, f.s.sessionFor(OpMoveReferral), r.ID, f.worker2.ID, "cover"); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, f.s, filters)
	if err := f.s.Reassign(ctx, f.s.sessionFor(OpMoveReferral), r.ID, 0, "back to the pool"); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, f.s, filters)
	if _, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: f.patient.ID, Source: "self", Reasons: []string{"housing"},
		ConsentBy: "Patient", ConsentOn: "2026-11-20"}); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, f.s, filters)
	// What the app does not do, but the triggers must follow: a reason
	// changed or taken off, a referral received on another day or deleted.
	for _, change := range []string{
		`UPDATE referral_reasons SET reason = 'loneliness' WHERE referral_id = (SELECT max(id) FROM referrals)`,
		`INSERT INTO referral_reasons (referral_id, reason) VALUES ((SELECT max(id) FROM referrals), 'housing')`,
		`DELETE FROM referral_reasons WHERE referral_id = (SELECT max(id) FROM referrals) AND reason = 'loneliness'`,
		`UPDATE referrals SET received_on = '2026-10-31' WHERE id = (SELECT max(id) FROM referrals)`,
		`DELETE FROM referral_history WHERE referral_id = (SELECT max(id) FROM referrals)`,
		`DELETE FROM referrals WHERE id = (SELECT max(id) FROM referrals)`,
	} {
		if _, err := f.s.db.Exec(change); err != nil {
			t.Fatalf("%s: %v", change, err)
		}
		checkCounts(t, f.s, filters)
		// The name filter's page sorts by referral_names' copy of the
		// received date.
		var stale int
		if err := f.s.db.QueryRow(`SELECT count(*) FROM referral_names n JOIN referrals r ON r.id = n.referral_id
			WHERE n.received_on <> r.received_on OR n.status <> r.status`).Scan(&stale); err != nil || stale != 0 {
			t.Errorf("after %s: %d referral_names rows differ from their referral (%v)", change, stale, err)
		}
	}
}

// TestNameFilterFollowsPatients renames a referred patient and checks that
// the name filter (through referral_names) finds the new name, each of its
// words, and no longer the old one.
func TestNameFilterFollowsPatients(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	r := f.referral(t, f.patient.ID)
	found := func(text string) bool {
		t.Helper()
		rows, err := f.s.ListReferrals(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{Text: text}, ReferralSort{}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.s.CountReferrals(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if (n == 1) != (len(rows) == 1 && rows[0].ID == r.ID) {
			t.Fatalf("%q: count %d, rows %v", text, n, rowIDs(rows))
		}
		return n == 1
	}
	if !found("llew") || !found("sian ll") {
		t.Fatal("the patient's name does not find the referral")
	}
	p := f.patient
	p.GivenName, p.FamilyName = "Mary Ann Louise", "de la Cruz"
	p, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), p, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"mary", "ann", "lou", "de", "la", "cru", "louise cruz", "ann, de"} {
		if !found(text) {
			t.Errorf("%q does not find the renamed patient's referral", text)
		}
	}
	for _, text := range []string{"llew", "sian", "ruz", "mary cruzz"} {
		if found(text) {
			t.Errorf("%q finds the referral", text)
		}
	}
	// Later words after a hyphen or an apostrophe, and ß as ss.
	p.GivenName, p.FamilyName = "Jo", "Ellis-Mason O'Connell Strauß"
	if _, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), p, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"mason", "connell", "o'c", "strauss", "strauß", "jo mas", "ellis-mason", FormatUKDate(p.DateOfBirth) + " mason"} {
		if !found(text) {
			t.Errorf("%q does not find the renamed patient's referral", text)
		}
	}
	for _, text := range []string{"cruz", "lis", "nell", "mason 01/01/1901"} {
		if found(text) {
			t.Errorf("%q finds the referral", text)
		}
	}
}

// TestWalkWithinMatchesPlainQuery checks the bounded walk that a page tries
// before reading every match: whenever it says the page is complete, the
// page is the plain query's.
func TestWalkWithinMatchesPlainQuery(t *testing.T) {
	s := openListTest(t)
	ctx := context.Background()
	complete := 0
	for _, f := range listTestFilters(t, s) {
		terms := f.terms(false)
		if len(terms) == 0 {
			continue
		}
		for _, column := range []string{SortReceived, SortActivity, SortSource, SortWaiting} {
			for _, desc := range []bool{false, true} {
				sort := ReferralSort{Column: column, Desc: desc}
				for _, page := range [][2]int{{0, 5}, {5, 5}, {10, 20}} {
					for _, budget := range []int{10, 40, 1000} {
						got, ok, err := s.walkWithin(ctx, terms, sort, page[0], page[1], budget)
						if err != nil {
							t.Fatal(err)
						}
						if !ok {
							continue
						}
						complete++
						want, err := plainList(s, f, sort, page[0], page[1])
						if err != nil {
							t.Fatal(err)
						}
						var ids []int64
						for _, r := range want {
							ids = append(ids, r.ID)
						}
						if !reflect.DeepEqual(got, ids) {
							t.Errorf("filter %+v, sort %+v, page %v, budget %d:\n got %v\nwant %v", f, sort, page, budget, got, ids)
						}
					}
				}
			}
		}
	}
	if complete == 0 {
		t.Fatal("no bounded walk completed a page")
	}
	t.Logf("%d pages from a bounded walk", complete)
}

// TestCaseloadByWaitingWalks checks a large caseload sorted by days waiting,
// which walks referrals_open_waited, against the plain query.
func TestCaseloadByWaitingWalks(t *testing.T) {
	s := openListTest(t)
	ctx := context.Background()
	var worker int64
	s.db.QueryRow(`SELECT link_worker_id FROM referrals WHERE link_worker_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&worker)
	// Reopen the latest episode of many of the worker's patients, most
	// after a first contact, a few still waiting for one.
	if _, err := s.db.Exec(`UPDATE referrals SET status = 'active',
			first_contact_at = CASE WHEN id % 5 = 0 THEN NULL ELSE coalesce(first_contact_at, received_on || 'T10:00:00Z') END
		WHERE link_worker_id = ? AND id IN (SELECT max(id) FROM referrals GROUP BY patient_id)
		  AND patient_id NOT IN (SELECT patient_id FROM referrals WHERE status IN ('received', 'contacted', 'accepted', 'active'))`, worker); err != nil {
		t.Fatal(err)
	}
	for _, statuses := range [][]ReferralStatus{openStatusList(), {StatusActive}} {
		f := ReferralFilter{LinkWorkerID: worker, Statuses: statuses}
		n, err := s.CountReferrals(ctx, s.sessionFor(OpViewReferralList), f)
		if err != nil || n < 60 {
			t.Fatalf("caseload of %d (%v)", n, err)
		}
		for _, desc := range []bool{false, true} {
			sort := ReferralSort{Column: SortWaiting, Desc: desc}
			for _, page := range [][2]int{{0, 40}, {40, 40}} {
				want, err := plainList(s, f, sort, page[0], page[1])
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), f, sort, page[0], page[1])
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%+v %+v %v:\n got %s\nwant %s", f, sort, page, rowIDs(got), rowIDs(want))
				}
			}
		}
	}
}
