package data

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The benchmark database is a whole Primary Care Network over ten years.
// `make bench` makes it once with `linkwell demo`; without it the first
// benchmark makes it here.
const benchPatients, benchYears = 50000, 10

var benchOnce sync.Once

func benchDB(b *testing.B) string {
	b.Helper()
	path := os.Getenv("LINKWELL_BENCH_DB")
	if path == "" {
		path = filepath.Join("..", "testdata", "bench", "pcn-50000-10y.db")
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
		if _, err := s.CreateDemo(context.Background(), DemoOptions{Patients: benchPatients, Years: benchYears, Seed: 1,
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

func benchSearch(b *testing.B, query string) {
	s := openBench(b)
	ctx := context.Background()
	found, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), query, 200)
	if err != nil || len(found) == 0 {
		b.Fatalf("search %q found nothing: %v", query, err)
	}
	for b.Loop() {
		if _, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), query, 200); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchNamePrefixOneLetter(b *testing.B) { benchSearch(b, "s") }
func BenchmarkSearchNamePrefix(b *testing.B)          { benchSearch(b, "smi") }
func BenchmarkSearchGivenAndFamily(b *testing.B)      { benchSearch(b, "john sm") }
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
	for b.Loop() {
		if _, err := s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), f, sort, 0, 100); err != nil {
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

func BenchmarkReferralCount(b *testing.B) {
	s := openBench(b)
	for b.Loop() {
		if _, err := s.CountReferrals(context.Background(), s.sessionFor(OpViewReferralList), ReferralFilter{Statuses: openStatuses}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStatusCounts(b *testing.B) {
	s := openBench(b)
	for b.Loop() {
		if _, err := s.StatusCounts(context.Background(), s.sessionFor(OpViewReferralList), ReferralFilter{}); err != nil {
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
	for b.Loop() {
		if _, err := s.CaseRecord(context.Background(), s.sessionFor(OpViewCaseRecord), id); err != nil {
			b.Fatal(err)
		}
	}
}
