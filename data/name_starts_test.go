package data

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// nameStartsWanted is referral_name_starts as it should be: every
// referral under the first one and two letters of each word of its
// patient's name keys and '#' with the first one to four digits of its
// NHS number, each with the referral's sort keys (migration 011): source,
// place in the status order, link worker (0: none), last activity,
// whether it is still waiting, else the days it waited, and the patient's
// name keys and number.
func nameStartsWanted(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT rn.referral_id, rn.received_on, p.family_key, p.given_key, coalesce(p.nhs_number, ''),
			r.source, r.status, coalesce(r.link_worker_id, 0), r.last_activity_at, substr(r.first_contact_at, 1, 10), substr(r.status_changed_at, 1, 10)
		FROM referral_names rn JOIN patients p ON p.id = rn.patient_id JOIN referrals r ON r.id = rn.referral_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, worker int64
		var received, family, given, nhs, source, activity string
		var status ReferralStatus
		var firstContact, statusChanged *string
		if err := rows.Scan(&id, &received, &family, &given, &nhs, &source, &status, &worker, &activity, &firstContact, &statusChanged); err != nil {
			t.Fatal(err)
		}
		keys := fmt.Sprintf("%s|%d|%d|%s|%d|%s", source, slices.Index(ReferralStatuses, status)+1, worker, activity, 1, "")
		if firstContact != nil || !status.Open() {
			keys = fmt.Sprintf("%s|%d|%d|%s|%d|%d", source, slices.Index(ReferralStatuses, status)+1, worker, activity, 0,
				daysWaiting(received, status, firstContact, statusChanged, "9999-12-31"))
		}
		keys += "|" + family + "|" + given + "|" + nhs
		row := func(start string) string {
			return start + "|" + received + "|" + strconv.FormatInt(id, 10) + "|" + keys
		}
		seen := map[string]bool{}
		for n := 1; n <= min(4, len(nhs)); n++ {
			seen["#"+nhs[:n]] = true
			out = append(out, row("#"+nhs[:n]))
		}
		for _, w := range strings.FieldsFunc(family+" "+given, func(r rune) bool { return r == ' ' || r == '-' || r == '\'' }) {
			letters := []rune(w)
			for n := 1; n <= min(2, len(letters)); n++ {
				if start := string(letters[:n]); !seen[start] {
					seen[start] = true
					out = append(out, row(start))
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// checkNameStarts compares referral_name_starts with nameStartsWanted.
func checkNameStarts(t *testing.T, s *Store, when string) {
	t.Helper()
	rows, err := s.db.Query(`SELECT start, received_on, referral_id, source, status_rank, worker, last_activity_at, still_waiting,
		coalesce(CAST(waited AS TEXT), ''), family_key, given_key, coalesce(nhs_number, '') FROM referral_name_starts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var start, received, source, activity, waited, family, given, nhs string
		var id, rank, worker, still int64
		if err := rows.Scan(&start, &received, &id, &source, &rank, &worker, &activity, &still, &waited, &family, &given, &nhs); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s|%s|%d|%s|%d|%d|%s|%d|%s|%s|%s|%s", start, received, id, source, rank, worker, activity, still, waited,
			family, given, nhs))
	}
	slices.Sort(got)
	if want := nameStartsWanted(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: referral_name_starts has %d rows, want %d\n got %.600v\nwant %.600v", when, len(got), len(want), got, want)
	}
	var wrong, all int
	if err := s.db.QueryRow(`SELECT count(*) FILTER (WHERE coalesce(rn.nhs_number, '') <> coalesce(p.nhs_number, '')), count(*)
		FROM referral_names rn JOIN patients p ON p.id = rn.patient_id`).Scan(&wrong, &all); err != nil || wrong != 0 {
		t.Errorf("%s: %d of %d referrals' NHS numbers differ from their patients' (%v)", when, wrong, all, err)
	}
}

// TestNameStartsFollowChanges checks that the starts the name filter walks
// and the NHS numbers its number filter reads (migration 010) follow new
// referrals, renamed patients (hyphens, apostrophes, spaces), a new NHS
// number and referrals moved to another patient or date.
func TestNameStartsFollowChanges(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	checkNameStarts(t, f.s, "empty")
	r := f.referral(t, f.patient.ID)
	checkNameStarts(t, f.s, "a new referral")
	p := f.patient
	p.FamilyName, p.GivenName = "O'Connell-Ní Bhriain", "Mary Ann"
	p, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), p, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "a renamed patient")
	p.NHSNumber = "9434765870"
	if _, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), p, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "a new NHS number")
	// Its sort keys (migration 011): a wait ended by first contact, another
	// link worker, nobody, a new source, a closed episode.
	if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusContacted, "", ""); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "first contact")
	for _, worker := range []int64{f.worker2.ID, 0} {
		if err := f.s.Reassign(ctx, f.s.sessionFor(OpMoveReferral), r.ID, worker, "cover"); err != nil {
			t.Fatal(err)
		}
		checkNameStarts(t, f.s, "reassigned to "+strconv.FormatInt(worker, 10))
	}
	if _, err := f.s.db.Exec(`UPDATE referrals SET source = 'self' WHERE id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "a new source")
	if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusUnableToContact, "no answer", ""); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "unable to contact")
	rows, err := f.s.ListReferrals(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{Text: "943 476 58"}, ReferralSort{Column: SortReceived, Desc: true}, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].ID != r.ID {
		t.Errorf("filter by the new NHS number: %v %v", rows, err)
	}
	rows, err = f.s.ListReferrals(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{Text: "bhri"}, ReferralSort{Column: SortReceived, Desc: true}, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].ID != r.ID {
		t.Errorf("filter by a later word after the rename: %v %v", rows, err)
	}
	if _, err := f.s.db.Exec(`UPDATE referrals SET received_on = '2026-10-02' WHERE id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "a new received date")
	other, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), Patient{NHSNumber: "9434765919", GivenName: "Dafydd", FamilyName: "ap Rhys",
		DateOfBirth: "1961-04-02", Phone: "07700 900456"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.db.Exec(`UPDATE referrals SET patient_id = ? WHERE id = ?`, other.ID, r.ID); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "a referral moved to another patient")
	if _, err := f.s.db.Exec(`DELETE FROM referral_reasons WHERE referral_id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.db.Exec(`DELETE FROM referrals WHERE id = ?`, r.ID); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, f.s, "a deleted referral")
}

// TestTextCountsStopAtTheLimit gives the practice six closed copies of
// every referral and half its patients one family name, and checks that
// its counts stop past TextCountLimit, the pipeline is not counted, and
// the pages in every sort order (walked from the name's start) are still
// those of the plain query.
func TestTextCountsStopAtTheLimit(t *testing.T) {
	s := openListTest(t)
	ctx := context.Background()
	if _, err := s.db.Exec(`INSERT INTO referrals (patient_id, received_on, source, status, status_changed_at, closed_at, closing_reason,
			link_worker_id, last_activity_at, created_at, updated_at)
		SELECT patient_id, received_on, source, 'closed', status_changed_at, status_changed_at, 'goals_met',
			link_worker_id, last_activity_at, created_at, updated_at
		FROM referrals CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6) AS copies`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE patients SET family_name = 'Sampson', family_key = 'sampson' WHERE id % 2 = 0`); err != nil {
		t.Fatal(err)
	}
	checkNameStarts(t, s, "half the practice renamed")
	sess := s.sessionFor(OpViewReferralList)
	var worker int64
	s.db.QueryRow(`SELECT link_worker_id FROM referrals WHERE link_worker_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&worker)
	for _, f := range []ReferralFilter{{Text: "samp"}, {Text: "sampson"}, {Text: "s"},
		{Text: "samp", Statuses: []ReferralStatus{StatusClosed}}, {Text: "samp", LinkWorkerID: worker}, {Text: "samp", Source: "gp"},
		{Text: "999"}, {Text: "999 000 1"}, {Text: "999", Statuses: []ReferralStatus{StatusReceived}}} {
		all, err := plainStatusCounts(s, f, true)
		if err != nil {
			t.Fatal(err)
		}
		matching, _ := plainStatusCounts(s, f, false)
		total, everyStatus := 0, 0
		for _, n := range matching {
			total += n
		}
		for _, n := range all {
			everyStatus += n
		}
		if f.Text == "samp" && f.Statuses == nil && f.LinkWorkerID == 0 && f.Source == "" && everyStatus <= TextCountLimit {
			t.Fatalf("%+v matches %d, not more than TextCountLimit", f, everyStatus)
		}
		n, err := s.CountReferrals(ctx, sess, f)
		if want := min(total, TextCountLimit+1); err != nil || n != want {
			t.Errorf("%+v: count %d (%v), want %d (of %d)", f, n, err, want, total)
		}
		if f.OverLimit(n) != (total > TextCountLimit) {
			t.Errorf("%+v: OverLimit(%d) = %v with %d matching", f, n, f.OverLimit(n), total)
		}
		counts, err := s.StatusCounts(ctx, sess, f)
		if !f.PipelineCounted(n) && (err != nil || counts != nil) {
			t.Errorf("%+v: the screen skips a pipeline StatusCounts counts: %v %v", f, counts, err)
		}
		switch {
		case err != nil:
			t.Fatal(err)
		case everyStatus > TextCountLimit && counts != nil:
			t.Errorf("%+v: %d match, but the pipeline was counted: %v", f, everyStatus, counts)
		case everyStatus <= TextCountLimit && !reflect.DeepEqual(counts, all):
			t.Errorf("%+v: status counts %v, want %v", f, counts, all)
		}
		// Every sort order: a name walks its start in each (migration 011).
		for _, column := range []string{SortReceived, SortPatient, SortNHSNumber, SortSource, SortStatus, SortLinkWorker, SortWaiting, SortActivity} {
			for _, desc := range []bool{true, false} {
				sort := ReferralSort{Column: column, Desc: desc}
				for _, page := range [][2]int{{0, 100}, {900, 100}} {
					want, err := plainList(s, f, sort, page[0], page[1])
					if err != nil {
						t.Fatal(err)
					}
					got, err := s.ListReferrals(ctx, sess, f, sort, page[0], page[1])
					if err != nil || !reflect.DeepEqual(got, want) {
						t.Errorf("%+v %+v page %v: got %s (%v)\nwant %s", f, sort, page, rowIDs(got), err, rowIDs(want))
					}
				}
			}
		}
	}
}

// TestNameStartWalksInOrder checks that a name's page in each sort order
// walks its start's index for that order (migration 011) and stops at the
// page: nothing it reads is sorted first, but for the few still waiting
// when the list is by days waiting (as on referrals) and link workers who
// share a name (a group, merged by id). On PostgreSQL plain
// and bitmap scans are turned off, as in TestWaitingSortWalksIndexOnPostgres.
func TestNameStartWalksInOrder(t *testing.T) {
	s := openListTest(t)
	ctx := context.Background()
	f := ReferralFilter{Text: "wil"}
	terms := f.terms(false)
	start := nameStart(terms)
	today := demoTestToday.Format(DateLayout)
	for column, index := range map[string]string{SortReceived: "", SortPatient: "patient", SortNHSNumber: "nhs", SortSource: "source",
		SortStatus: "status", SortLinkWorker: "worker", SortWaiting: "waited", SortActivity: "activity"} {
		for _, desc := range []bool{false, true} {
			sort := ReferralSort{Column: column, Desc: desc}
			groups, err := s.walkNameStart(ctx, f, terms, start, sort, today, 40)
			if err != nil || len(groups) == 0 {
				t.Fatalf("%+v: %d groups, %v", sort, len(groups), err)
			}
			for _, g := range groups {
				q := query{g.sql + ` LIMIT ? OFFSET ?`, append(slices.Clone(g.args), 40, 0)}
				// Link workers of the same name are one group, merged by id.
				sharedName := strings.Contains(g.sql, "s.worker IN (?, ")
				if testEngine == enginePostgres {
					name := "referral_name_starts_pkey"
					switch {
					case strings.Contains(g.sql, "s.nhs_number IS NULL"):
						name = "referral_name_starts_no_nhs"
					case index != "":
						name = "referral_name_starts_" + index
					}
					if plan := pgPlan(t, s, q); !plan.walks(name, false) && !sharedName {
						t.Errorf("%+v: %s is not walked in order:\n%s", sort, name, q.sql)
					}
					continue
				}
				steps := plan(t, s.db, q)
				text, sorts := planText(steps), strings.Count(planText(steps), "USE TEMP B-TREE FOR ORDER BY")
				uses := strings.Contains(text, "referral_name_starts_"+index+" ") || index == "" && strings.Contains(text, "USING PRIMARY KEY")
				if !uses || sorts > 0 && !(column == SortWaiting && sorts == 1) && !sharedName {
					t.Errorf("%+v: not a walk of its index (%s):\n%s", sort, index, text)
				}
			}
		}
	}
}
