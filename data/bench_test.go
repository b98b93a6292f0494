package data

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The benchmark database is a whole Primary Care Network over ten years:
// 50,000 patients, or BENCH_SIZE (500000 to see what grows with the
// register). `make bench` makes it once with `linkwell demo`; without it
// the first benchmark makes it here. LINKWELL_BENCH_DB names another file,
// or a postgres://… URL: the same benchmarks then run on the server
// edition, on a database made with `linkwell server init` and filled with
// `linkwell migrate --from pcn-50000-10y.db --to postgres://…` (see
// docs/benchmarks.md; `make bench BENCH_PG=postgres://…`).
const benchYears = 10

var benchOnce sync.Once

func benchPatients() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_SIZE")); err == nil && n > 0 {
		return n
	}
	return 50000
}

func benchDB(b *testing.B) string {
	b.Helper()
	path := os.Getenv("LINKWELL_BENCH_DB")
	if path == "" {
		path = filepath.Join("..", "testdata", "bench", fmt.Sprintf("pcn-%d-%dy.db", benchPatients(), benchYears))
	}
	if IsServerURL(path) {
		return path // a server database is made and filled beforehand
	}
	benchOnce.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		os.MkdirAll(filepath.Dir(path), 0o755)
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		start := time.Now()
		if _, err := s.CreateDemo(context.Background(), DemoOptions{Patients: benchPatients(), Years: benchYears, Seed: 1,
			Today: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}); err != nil {
			b.Fatal(err)
		}
		b.Logf("made %s in %s", path, time.Since(start).Round(time.Second))
	})
	return path
}

func openBench(b *testing.B) *Store {
	s, err := Open(benchDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkOpen(b *testing.B) {
	path := benchDB(b)
	for b.Loop() {
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func benchSearch(b *testing.B, query string) { benchSearchAtMost(b, query, 200) }

// benchSearchAtMost is benchSearch showing at most limit patients.
func benchSearchAtMost(b *testing.B, query string, limit int) {
	s := openBench(b)
	ctx := context.Background()
	found, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), query, limit)
	if err != nil || len(found) == 0 {
		b.Fatalf("search %q found nothing: %v", query, err)
	}
	sess := s.sessionFor(OpViewPatient) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.SearchPatients(ctx, sess, query, limit); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchNamePrefixOneLetter(b *testing.B)  { benchSearch(b, "s") }
func BenchmarkSearchNamePrefixTwoLetters(b *testing.B) { benchSearch(b, "ch") }
func BenchmarkSearchNamePrefix(b *testing.B)           { benchSearch(b, "smi") }
func BenchmarkSearchGivenName(b *testing.B)            { benchSearch(b, "chloe") }
func BenchmarkSearchGivenAndFamily(b *testing.B)       { benchSearch(b, "john sm") }
func BenchmarkSearchNHSNumber(b *testing.B) {
	s := openBench(b)
	var nhs string
	s.db.QueryRow(`SELECT nhs_number FROM patients WHERE nhs_number IS NOT NULL ORDER BY id LIMIT 1 OFFSET 25000`).Scan(&nhs)
	benchSearch(b, FormatNHSNumber(nhs))
}
func BenchmarkSearchDateOfBirth(b *testing.B) {
	s := openBench(b)
	var dob string
	s.db.QueryRow(`SELECT date_of_birth FROM patients ORDER BY id LIMIT 1 OFFSET 12345`).Scan(&dob)
	benchSearch(b, FormatUKDate(dob))
}

var openStatuses = []ReferralStatus{StatusReceived, StatusContacted, StatusAccepted, StatusActive}

func benchList(b *testing.B, f ReferralFilter, sort ReferralSort) {
	s := openBench(b)
	ctx := context.Background()
	if f.LinkWorkerID == -1 {
		var id int64
		s.db.QueryRow(`SELECT id FROM users WHERE role = 'link_worker' ORDER BY id LIMIT 1`).Scan(&id)
		f.LinkWorkerID = id
	}
	rows, err := s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), f, sort, 0, 100)
	if err != nil || len(rows) == 0 {
		b.Fatalf("first page empty: %v", err)
	}
	sess := s.sessionFor(OpViewReferralList) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.ListReferrals(ctx, sess, f, sort, 0, 100); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReferralsFirstPage(b *testing.B) {
	benchList(b, ReferralFilter{}, ReferralSort{Column: SortReceived, Desc: true})
}
func BenchmarkReferralsFirstPageByWaiting(b *testing.B) {
	benchList(b, ReferralFilter{}, ReferralSort{Column: SortWaiting, Desc: true})
}
func BenchmarkReferralsFirstPageByPatient(b *testing.B) {
	benchList(b, ReferralFilter{}, ReferralSort{Column: SortPatient})
}
func BenchmarkReferralsFilteredCaseload(b *testing.B) {
	benchList(b, ReferralFilter{Statuses: openStatuses, LinkWorkerID: -1}, ReferralSort{Column: SortReceived, Desc: true})
}
func BenchmarkReferralsFilteredReasonWaiting(b *testing.B) {
	benchList(b, ReferralFilter{Reason: "loneliness", From: "2020-01-01"}, ReferralSort{Column: SortWaiting, Desc: true})
}
func BenchmarkReferralsFilteredText(b *testing.B) {
	benchList(b, ReferralFilter{Text: "s"}, ReferralSort{Column: SortReceived, Desc: true})
}

// Every sort column, both ways, unfiltered: the first page.
func BenchmarkReferralsFirstPageEverySort(b *testing.B) {
	for _, column := range []string{SortPatient, SortNHSNumber, SortReceived, SortSource, SortStatus, SortLinkWorker, SortWaiting, SortActivity} {
		for _, desc := range []bool{false, true} {
			name := column
			if desc {
				name += "-desc"
			}
			b.Run(name, func(b *testing.B) { benchList(b, ReferralFilter{}, ReferralSort{Column: column, Desc: desc}) })
		}
	}
}

// A name or the first digits of a number in the filter, in every sort
// order (the first page, newest or last first): "s" and "9" match more
// than the counts go to, "wil" about 2% of referrals.
func BenchmarkReferralsTextEverySort(b *testing.B) {
	for _, text := range []string{"s", "wil", "9"} {
		for _, column := range []string{SortPatient, SortNHSNumber, SortReceived, SortSource, SortStatus, SortLinkWorker, SortWaiting, SortActivity} {
			b.Run(text+"/"+column, func(b *testing.B) {
				benchList(b, ReferralFilter{Text: text}, ReferralSort{Column: column, Desc: true})
			})
		}
	}
}

// BenchmarkReferralsReload is the Referrals screen's reload as it runs it
// (ui/referrals.go): the total, the pipeline, the first page, the whole
// total when nothing matches, and a caseload's missed-appointment warning.
func BenchmarkReferralsReload(b *testing.B) {
	for _, c := range []struct {
		name string
		f    ReferralFilter
		sort ReferralSort
		rows int // the page's rows: 0 is the screen's 100
	}{
		{"all", ReferralFilter{}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		{"all-by-waiting", ReferralFilter{}, ReferralSort{Column: SortWaiting, Desc: true}, 0},
		{"all-by-patient", ReferralFilter{}, ReferralSort{Column: SortPatient}, 0},
		{"open", ReferralFilter{Statuses: openStatuses}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		{"closed-by-activity", ReferralFilter{Statuses: []ReferralStatus{StatusClosed}}, ReferralSort{Column: SortActivity, Desc: true}, 0},
		{"caseload", ReferralFilter{Statuses: openStatuses, LinkWorkerID: -1}, ReferralSort{Column: SortWaiting, Desc: true}, 0},
		{"reason-since-2020", ReferralFilter{Reason: "loneliness", From: "2020-01-01"}, ReferralSort{Column: SortWaiting, Desc: true}, 0},
		{"name-smi", ReferralFilter{Text: "smi"}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		// A name filter that fills the page on both sizes: "smi" shows 29
		// rows on 50,000 patients and 100 on 500,000.
		{"name-s", ReferralFilter{Text: "s"}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		{"name-wil", ReferralFilter{Text: "wil"}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		{"nothing-matches", ReferralFilter{Text: "zzzz"}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		// The first digits of an NHS number as typed: the demo's numbers
		// all lie in 999 000 0000 to 999 999 9999, so "9" matches every
		// referral and "99900" one patient in a hundred at either size.
		{"nhs-9", ReferralFilter{Text: "9"}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		{"nhs-99900", ReferralFilter{Text: "99900"}, ReferralSort{Column: SortReceived, Desc: true}, 0},
		// The same two showing as many rows on both sizes as on 50,000:
		// what grows above is the page's rows.
		{"name-smi-29-rows", ReferralFilter{Text: "smi"}, ReferralSort{Column: SortReceived, Desc: true}, 29},
		{"nhs-99900-80-rows", ReferralFilter{Text: "99900"}, ReferralSort{Column: SortReceived, Desc: true}, 80},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := openBench(b)
			ctx := context.Background()
			f := c.f
			if f.LinkWorkerID == -1 {
				s.db.QueryRow(`SELECT id FROM users WHERE role = 'link_worker' ORDER BY id LIMIT 1`).Scan(&f.LinkWorkerID)
			}
			sess := s.sessionFor(OpViewReferralList) // one sign-in, as a screen holds it
			for b.Loop() {
				n, err := s.CountReferrals(ctx, sess, f)
				if err != nil {
					b.Fatal(err)
				}
				if f.PipelineCounted(n) { // as the screen asks
					if _, err := s.StatusCounts(ctx, sess, f); err != nil {
						b.Fatal(err)
					}
				}
				if n > 0 {
					if _, err := s.ListReferrals(ctx, sess, f, c.sort, 0, cmp.Or(c.rows, 100)); err != nil {
						b.Fatal(err)
					}
				} else if _, err := s.CountReferrals(ctx, sess, ReferralFilter{}); err != nil {
					b.Fatal(err)
				}
				if f.LinkWorkerID != 0 {
					if _, err := s.ReferralsWithDNAs(ctx, sess, f.LinkWorkerID, 2); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkReferralCount(b *testing.B) {
	s := openBench(b)
	sess := s.sessionFor(OpViewReferralList) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.CountReferrals(context.Background(), sess, ReferralFilter{Statuses: openStatuses}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatusCounts(b *testing.B) {
	s := openBench(b)
	sess := s.sessionFor(OpViewReferralList) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.StatusCounts(context.Background(), sess, ReferralFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCaseRecord(b *testing.B) {
	s := openBench(b)
	var id int64
	s.db.QueryRow(`SELECT referral_id FROM appointments GROUP BY referral_id ORDER BY count(*) DESC LIMIT 1`).Scan(&id)
	c, err := s.CaseRecord(context.Background(), s.sessionFor(OpViewCaseRecord), id)
	if err != nil || len(c.Timeline) < 5 {
		b.Fatalf("case %d: %v (%d entries)", id, err, len(c.Timeline))
	}
	sess := s.sessionFor(OpViewCaseRecord) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.CaseRecord(context.Background(), sess, id); err != nil {
			b.Fatal(err)
		}
	}
}

// A patient search records one audit event (what was typed). These two
// split BenchmarkSearchNamePrefix's cost: the search alone, and the event
// alone (one insert and its seal in a short write transaction).
func BenchmarkSearchNamePrefixNotAudited(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.searchPatients(ctx, "smi", 200); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchAuditEvent(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	actor := s.sessionFor(OpViewPatient)
	u, err := s.allow(ctx, actor, OpViewPatient)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := s.recordRead(ctx, u, "search", "patient", 0, "smi"); err != nil {
			b.Fatal(err)
		}
	}
}

// The Audit screen's page, newest first, under each filter: about the same
// whatever the audit's length.
func BenchmarkAuditEventsPage(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	pm := s.sessionFor(OpViewAudit)
	var someone, patient int64
	s.db.QueryRow(`SELECT user_id FROM audit_events WHERE action = 'search' ORDER BY id LIMIT 1`).Scan(&someone)
	s.db.QueryRow(`SELECT patient_id FROM referrals ORDER BY id DESC LIMIT 1`).Scan(&patient)
	last := s.Now().AddDate(0, -1, 0).Format(DateLayout)
	for _, tc := range []struct {
		name string
		f    AuditFilter
	}{
		{"all", AuditFilter{}},
		{"user", AuditFilter{UserID: someone}},
		{"action", AuditFilter{Action: "export"}},
		{"user+action", AuditFilter{UserID: someone, Action: "print"}},
		{"patient", AuditFilter{PatientID: patient}},
		{"dates", AuditFilter{From: "2020-03-01", To: "2020-03-31"}},
		{"lastmonth-user", AuditFilter{From: last, UserID: someone}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.AuditEvents(ctx, pm, tc.f, 0, AuditPage); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Issue 17's searches: a later word of a name, a given name with one, and a
// name with a date of birth.
func BenchmarkSearchLaterWord(b *testing.B) { benchSearch(b, "ceal") }

// "ceal" finds 66 patients on 50,000 and more on 500,000: the same 60 shown
// on both sizes tell what the search costs apart from what it shows.
func BenchmarkSearchLaterWordSixty(b *testing.B)    { benchSearchAtMost(b, "ceal", 60) }
func BenchmarkSearchGivenAndLaterWord(b *testing.B) { benchSearch(b, "sean ceal") }
func BenchmarkSearchNameAndDateOfBirth(b *testing.B) {
	s := openBench(b)
	var family, dob string
	s.db.QueryRow(`SELECT family_name, date_of_birth FROM patients ORDER BY id LIMIT 1 OFFSET 12345`).Scan(&family, &dob)
	benchSearch(b, family+" "+FormatUKDate(dob))
}
