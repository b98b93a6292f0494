package data

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The benchmark database was made for "today" 25/11/2026; the diary
// benchmarks run on that day so its future appointments are in the future.
var benchToday = time.Date(2026, 11, 25, 12, 30, 0, 0, time.UTC)

func openDiaryBench(b *testing.B) (*Store, int64) {
	s := openBench(b)
	s.SetClock(func() time.Time { return benchToday })
	var worker int64
	if err := s.db.QueryRow(`SELECT id FROM users WHERE role = 'link_worker' AND active = 1 ORDER BY id LIMIT 1`).Scan(&worker); err != nil {
		b.Fatal(err)
	}
	return s, worker
}

func BenchmarkDiaryWeekOneWorker(b *testing.B) {
	s, worker := openDiaryBench(b)
	ctx := context.Background()
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, London())
	week, err := s.DiaryWeek(ctx, s.sessionFor(OpViewDiary), worker, monday)
	n := 0
	for _, d := range week {
		n += len(d.Appointments)
	}
	if err != nil || n == 0 {
		b.Fatalf("week has %d appointments: %v", n, err)
	}
	sess := s.sessionFor(OpViewDiary) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.DiaryWeek(ctx, sess, worker, monday); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiaryDayAllWorkers(b *testing.B) {
	s, _ := openDiaryBench(b)
	ctx := context.Background()
	days, err := s.DiaryDay(ctx, s.sessionFor(OpViewDiary), benchToday, nil)
	if err != nil || len(days) == 0 {
		b.Fatalf("day: %v", err)
	}
	sess := s.sessionFor(OpViewDiary) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.DiaryDay(ctx, sess, benchToday, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkToday is the Today screen: every appointment of the day.
func BenchmarkToday(b *testing.B) {
	s, _ := openDiaryBench(b)
	ctx := context.Background()
	appts, err := s.TodayAppointments(ctx, s.sessionFor(OpViewDiary), benchToday)
	if err != nil || len(appts) == 0 {
		b.Fatalf("today has %d appointments: %v", len(appts), err)
	}
	sess := s.sessionFor(OpViewDiary) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.TodayAppointments(ctx, sess, benchToday); err != nil {
			b.Fatal(err)
		}
	}
}

func benchNextAvailable(b *testing.B, q SlotQuery) {
	s, _ := openDiaryBench(b)
	ctx := context.Background()
	slots, err := s.NextAvailable(ctx, s.sessionFor(OpViewDiary), q)
	if err != nil || len(slots) == 0 {
		b.Fatalf("no slots: %v", err)
	}
	sess := s.sessionFor(OpViewDiary) // one sign-in, as a screen holds it
	for b.Loop() {
		if _, err := s.NextAvailable(ctx, sess, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(slots)), "slots")
}

// The first ten follow-up slots across all link workers.
func BenchmarkDiaryNextAvailable(b *testing.B) {
	benchNextAvailable(b, SlotQuery{TypeCode: "follow_up", Limit: 10})
}

// Every free follow-up start across all link workers for four weeks: the
// whole window computed.
func BenchmarkDiaryNextAvailableFourWeeks(b *testing.B) {
	benchNextAvailable(b, SlotQuery{TypeCode: "follow_up", Days: 28, Limit: 1 << 20})
}

// One booking and its cancellation, each a write transaction, on a copy of
// the benchmark database (audit events cannot be deleted, so the shared
// database is left alone): a file copy on SQLite, a CREATE DATABASE …
// TEMPLATE copy on the server.
func BenchmarkDiaryBookAndCancel(b *testing.B) {
	ctx := context.Background()
	s := openBenchCopy(b)
	var worker int64
	if err := s.db.QueryRow(`SELECT id FROM users WHERE role = 'link_worker' AND active = 1 ORDER BY id LIMIT 1`).Scan(&worker); err != nil {
		b.Fatal(err)
	}
	var actor User
	var patient int64
	s.db.QueryRow(`SELECT id, role FROM users WHERE role = 'receptionist' ORDER BY id LIMIT 1`).Scan(&actor.ID, &actor.Role)
	// A patient with no appointments at all, so no patient clash.
	s.db.QueryRow(`SELECT id FROM patients p WHERE NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id) ORDER BY id LIMIT 1`).Scan(&patient)
	slots, err := s.NextAvailable(ctx, s.sessionFor(OpViewDiary), SlotQuery{TypeCode: "follow_up", WorkerID: worker, From: benchToday.Add(48 * time.Hour), Limit: 1})
	if err != nil || len(slots) == 0 {
		b.Fatalf("no slot: %v", err)
	}
	booking := Appointment{WorkerID: worker, PatientID: patient, Start: slots[0].Start, Type: "follow_up", Mode: ModeInPerson}
	sess := s.sessionFor(OpBook) // one sign-in, as a screen holds it
	for b.Loop() {
		a, err := s.Book(ctx, sess, booking)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Cancel(ctx, sess, a.ID, true, "Benchmark"); err != nil {
			b.Fatal(err)
		}
	}
}

// openBenchCopy opens a copy of the benchmark database that a benchmark
// may write to, removed after it.
func openBenchCopy(b *testing.B) *Store {
	ctx := context.Background()
	src := benchDB(b)
	var dst string
	if IsServerURL(src) {
		u, err := url.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		template := strings.TrimPrefix(u.Path, "/")
		name := fmt.Sprintf("lw_bench_copy_%d", os.Getpid())
		u.Path = "/postgres" // CREATE DATABASE runs in another database than its template
		admin, err := openPostgres(u.String())
		if err != nil {
			b.Fatal(err)
		}
		defer admin.Close()
		admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		// The template must have no other connections: a store of the
		// benchmark before may still be closing its own.
		for try := 0; ; try++ {
			_, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE "`+template+`"`)
			if err == nil {
				break
			}
			if try == 50 {
				b.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		b.Cleanup(func() {
			if admin, err := openPostgres(u.String()); err == nil {
				admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
				admin.Close()
			}
		})
		u.Path = "/" + name
		dst = u.String()
	} else {
		from, err := Open(src)
		if err != nil {
			b.Fatal(err)
		}
		dst = filepath.Join(b.TempDir(), "copy.db")
		_, err = from.db.ExecContext(ctx, `VACUUM INTO ?`, dst)
		from.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	s, err := Open(dst)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	s.SetClock(func() time.Time { return benchToday })
	return s
}

// BenchmarkReferralReassign is a casework write that changes a referral's
// sort keys: reassigned to another link worker and back (the history, the
// audit, the counts and the name starts' keys, migration 011, kept by
// triggers).
func BenchmarkReferralReassign(b *testing.B) {
	ctx := context.Background()
	s := openBenchCopy(b)
	var referral, from, to int64
	s.db.QueryRow(`SELECT id, link_worker_id FROM referrals WHERE status = 'active' AND link_worker_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&referral, &from)
	s.db.QueryRow(`SELECT id FROM users WHERE role = 'link_worker' AND active = 1 AND id <> ? ORDER BY id LIMIT 1`, from).Scan(&to)
	if referral == 0 || to == 0 {
		b.Fatal("no active referral or no second link worker")
	}
	sess := s.sessionFor(OpMoveReferral)
	for b.Loop() {
		for _, worker := range []int64{to, from} {
			if err := s.Reassign(ctx, sess, referral, worker, "Benchmark"); err != nil {
				b.Fatal(err)
			}
		}
	}
}
