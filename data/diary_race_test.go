package data

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// raceSlots are n free half-hour slots of Amira's from Monday 30/11/2026.
func raceSlots(t *testing.T, f diaryFixture, n int) []time.Time {
	t.Helper()
	slots, err := f.s.NextAvailable(context.Background(), f.s.sessionFor(OpViewDiary), SlotQuery{WorkerID: f.w1.ID, Minutes: 30, Step: 30, From: f.mondayMorning, Days: 366, Limit: n})
	if err != nil || len(slots) != n {
		t.Fatalf("%d slots: %v", len(slots), err)
	}
	var out []time.Time
	for _, s := range slots {
		out = append(out, s.Start)
	}
	return out
}

// liveBookingsPerSlot counts the live appointments starting at each slot.
func liveBookingsPerSlot(t *testing.T, s *Store, slots []time.Time) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, at := range slots {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM appointments WHERE starts_at = ? AND status IN `+liveSQL, ts(at)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		got[ts(at)] = n
	}
	return got
}

// Two Store values on one file are two connection pools, like two copies
// of the app: racing for the same slot, exactly one wins every round.
func TestConcurrentBookingTwoStores(t *testing.T) {
	f := newDiaryFixture(t)
	other, err := Open(f.s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetClock(f.s.now)
	slots := raceSlots(t, f, 50)
	ctx := context.Background()
	for round, at := range slots {
		start := make(chan struct{})
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, side := range []struct {
			s *Store
			p Patient
		}{{f.s, f.p1}, {other, f.p2}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = side.s.Book(ctx, side.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: side.p.ID, Start: at, Type: "follow_up", Mode: ModeInPerson})
			}()
		}
		close(start)
		wg.Wait()
		var taken *SlotTakenError
		switch {
		case errs[0] == nil && errors.As(errs[1], &taken), errs[1] == nil && errors.As(errs[0], &taken):
			if !taken.Clash.Start.Equal(at) {
				t.Errorf("round %d: clash %+v", round, taken.Clash)
			}
		default:
			t.Fatalf("round %d at %s: want one winner and one SlotTakenError, got %v and %v", round, hhmm(at), errs[0], errs[1])
		}
	}
	for slot, n := range liveBookingsPerSlot(t, f.s, slots) {
		if n != 1 {
			t.Errorf("%s booked %d times", slot, n)
		}
	}
}

// raceRounds is how many slots the two processes of
// TestConcurrentBookingTwoProcesses race for: 1,000 on both engines (issue
// 14), or LINKWELL_RACE_ROUNDS.
func raceRounds() int {
	if n, err := strconv.Atoi(os.Getenv("LINKWELL_RACE_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// Two OS processes (this test binary, run again as TestHelperBookingProcess)
// race for the same slot 1,000 times. Both open the database once and then
// book in lock step: each round this test writes the slot to both
// processes' stdin at once and reads both answers before the next, so every
// round is a real race and is judged on its own — exactly one winner and
// one SlotTakenError. Afterwards no two live appointments overlap.
func TestConcurrentBookingTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two processes")
	}
	f := newDiaryFixture(t)
	slots := raceSlots(t, f, raceRounds())
	type helper struct {
		cmd    *exec.Cmd
		in     io.WriteCloser
		out    *bufio.Scanner
		stderr *strings.Builder
	}
	var helpers []*helper
	for _, p := range []Patient{f.p1, f.p2} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBookingProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(),
			"LINKWELL_DIARY_HELPER="+f.s.Path(),
			fmt.Sprintf("LINKWELL_DIARY_ACTOR=%d", f.recep.ID),
			fmt.Sprintf("LINKWELL_DIARY_WORKER=%d", f.w1.ID),
			fmt.Sprintf("LINKWELL_DIARY_PATIENT=%d", p.ID))
		h := &helper{cmd: cmd, stderr: &strings.Builder{}}
		var err error
		if h.in, err = cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		h.out = bufio.NewScanner(stdout)
		cmd.Stderr = h.stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() {
			h.in.Close()
			cmd.Wait()
		}()
		helpers = append(helpers, h)
	}
	// answer reads a helper's next "race " line; a helper's test output
	// (a failure, say) is anything else.
	answer := func(i int) string {
		h := helpers[i]
		var other []string
		for h.out.Scan() {
			line := h.out.Text()
			if a, ok := strings.CutPrefix(line, "race "); ok {
				return a
			}
			other = append(other, line)
		}
		t.Fatalf("helper %d stopped: %v\n%s\n%s", i, h.out.Err(), strings.Join(other, "\n"), h.stderr)
		return ""
	}
	for i := range helpers {
		if a := answer(i); a != "ready" {
			t.Fatalf("helper %d: %s", i, a)
		}
	}
	start := time.Now()
	won := make([]int, len(helpers))
	for round, at := range slots {
		line := strconv.FormatInt(at.Unix(), 10) + "\n"
		// Each process is told first in every other round.
		for k := range helpers {
			i := (k + round) % len(helpers)
			if _, err := io.WriteString(helpers[i].in, line); err != nil {
				t.Fatalf("helper %d: %v", i, err)
			}
		}
		a, b := answer(0), answer(1)
		switch {
		case a == "won" && b == "taken":
			won[0]++
		case a == "taken" && b == "won":
			won[1]++
		default:
			t.Fatalf("round %d at %s: want one winner and one SlotTakenError, got %q and %q", round, at.Format(time.RFC3339), a, b)
		}
	}
	for i, h := range helpers {
		h.in.Close()
		if err := h.cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, h.stderr)
		}
	}
	t.Logf("%d rounds in %s: process 0 won %d, process 1 won %d", len(slots), time.Since(start).Round(time.Millisecond), won[0], won[1])
	for slot, n := range liveBookingsPerSlot(t, f.s, slots) {
		if n != 1 {
			t.Errorf("%s booked %d times", slot, n)
		}
	}
	if n := queryCount(t, f.s, `SELECT count(*) FROM appointments WHERE status IN `+liveSQL); n != len(slots) {
		t.Errorf("%d live appointments for %d slots", n, len(slots))
	}
	if overlaps := queryCount(t, f.s, `SELECT count(*) FROM appointments a JOIN appointments b ON a.id < b.id
		AND a.status IN `+liveSQL+` AND b.status IN `+liveSQL+`
		AND (a.worker_id = b.worker_id OR a.patient_id = b.patient_id)
		AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at`); overlaps != 0 {
		t.Errorf("%d overlapping pairs of live appointments", overlaps)
	}
	if testEngine == engineSQLite {
		var check string
		if err := f.s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("integrity_check: %s %v", check, err)
		}
	}
}

// TestHelperBookingProcess is one of the two processes of
// TestConcurrentBookingTwoProcesses; on its own it does nothing. It opens
// the database, says "race ready", then books each slot read from stdin (a
// Unix time a line) and answers "race won", "race taken" or "race error …".
func TestHelperBookingProcess(t *testing.T) {
	path := os.Getenv("LINKWELL_DIARY_HELPER")
	if path == "" {
		return
	}
	env := func(name string) int64 {
		n, _ := strconv.ParseInt(os.Getenv(name), 10, 64)
		return n
	}
	s, err := Open(path)
	if err != nil {
		fmt.Printf("race error opening: %v\n", err)
		t.Fatal(err)
	}
	defer s.Close()
	s.SetClock(func() time.Time { return time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC) })
	actor := s.session(User{ID: env("LINKWELL_DIARY_ACTOR")})
	fmt.Println("race ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		sec, err := strconv.ParseInt(in.Text(), 10, 64)
		if err != nil {
			fmt.Printf("race error reading %q\n", in.Text())
			continue
		}
		_, err = s.Book(context.Background(), actor, Appointment{WorkerID: env("LINKWELL_DIARY_WORKER"), PatientID: env("LINKWELL_DIARY_PATIENT"),
			Start: time.Unix(sec, 0), Type: "follow_up", Mode: ModeInPerson})
		var taken *SlotTakenError
		switch {
		case err == nil:
			fmt.Println("race won")
		case errors.As(err, &taken) && taken.Clash.Start.Equal(time.Unix(sec, 0)):
			fmt.Println("race taken")
		default:
			fmt.Printf("race error booking %s: %v\n", time.Unix(sec, 0), err)
		}
	}
}

// On PostgreSQL the database itself refuses an overlapping live
// appointment (the exclusion constraints of migrations/postgres/001), even
// from a write that skips the store's checks and its write lock; a
// cancelled appointment frees its slot there too.
func TestDatabaseRefusesDoubleBooking(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("SQLite has no exclusion constraint: its one writer at a time is the guarantee (TestConcurrentBookingTwoProcesses)")
	}
	f := newDiaryFixture(t)
	slot := raceSlots(t, f, 1)[0]
	a, err := f.s.Book(context.Background(), f.s.session(f.recep), Appointment{WorkerID: f.w1.ID, PatientID: f.p1.ID,
		Start: slot, Type: "follow_up", Mode: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	insert := func(worker, patient int64, start time.Time, status string) error {
		_, err := f.s.db.Exec(`INSERT INTO appointments (worker_id, patient_id, starts_at, ends_at, type, mode, status,
			booked_at, updated_at) VALUES (?, ?, ?, ?, 'follow_up', 'phone', ?, 'x', 'x')`,
			worker, patient, ts(start), ts(start.Add(30*time.Minute)), status)
		return err
	}
	if err := insert(f.w1.ID, f.p2.ID, slot.Add(15*time.Minute), "booked"); pgCode(err) != pgExclusionViolation {
		t.Errorf("the link worker double-booked behind the store's back: %v", err)
	}
	if err := insert(f.w2.ID, f.p1.ID, slot.Add(-15*time.Minute), "arrived"); pgCode(err) != pgExclusionViolation {
		t.Errorf("the patient double-booked behind the store's back: %v", err)
	}
	if err := insert(f.w1.ID, f.p2.ID, slot, "cancelled_practice"); err != nil {
		t.Errorf("a cancelled appointment in a taken slot: %v", err)
	}
	if err := insert(f.w1.ID, f.p2.ID, a.End, "booked"); err != nil {
		t.Errorf("the slot right after: %v", err)
	}
}

// Twenty desks (twenty stores, as twenty PCs) book a week of two link
// workers' diaries at random, at once, for a few patients, with starts on
// the quarter hour so that bookings overlap in part as well as whole. At
// the end no two live appointments of one worker or one patient overlap;
// every refusal was a SlotTakenError or a PatientBusyError.
func TestTwentyDesksBookAWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("twenty stores")
	}
	f := newDiaryFixture(t)
	ctx := context.Background()
	var starts []time.Time
	for _, w := range []User{f.w1, f.w2} {
		slots, err := f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{WorkerID: w.ID, Minutes: 30, Step: 15, From: f.mondayMorning, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slots {
			starts = append(starts, s.Start)
		}
	}
	patients := []Patient{f.p1, f.p2, f.p3}
	var wg sync.WaitGroup
	var mu sync.Mutex
	booked, refused := 0, 0
	start := make(chan struct{})
	for desk := range 20 {
		s, err := Open(f.s.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.SetClock(f.s.now)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range 15 {
				n := desk*31 + i*17 // a spread that differs by desk
				w := []User{f.w1, f.w2}[n%2]
				at := starts[(n*7)%len(starts)]
				_, err := s.Book(ctx, s.session(f.recep), Appointment{WorkerID: w.ID, PatientID: patients[n%len(patients)].ID,
					Start: at, End: at.Add(30 * time.Minute), Type: "follow_up", Mode: ModeInPerson})
				var taken *SlotTakenError
				var busy *PatientBusyError
				var invalid *ValidationError
				mu.Lock()
				switch {
				case err == nil:
					booked++
				case errors.As(err, &taken), errors.As(err, &busy), errors.As(err, &invalid):
					refused++
				default:
					t.Errorf("desk %d: %v", desk, err)
				}
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	overlaps := queryCount(t, f.s, `SELECT count(*) FROM appointments a JOIN appointments b ON a.id < b.id
		AND a.status IN `+liveSQL+` AND b.status IN `+liveSQL+`
		AND (a.worker_id = b.worker_id OR a.patient_id = b.patient_id)
		AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at`)
	if overlaps != 0 || booked == 0 || refused == 0 {
		t.Errorf("%d overlapping pairs; %d booked, %d refused", overlaps, booked, refused)
	}
	t.Logf("%d booked, %d refused, no overlaps", booked, refused)
}
