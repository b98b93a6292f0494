package data

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// Another desk is never held up by a big import (issue 11): while 150,000
// services go in through one Store, a second Store on the same file
// (another copy of the app) keeps booking appointments, and every booking
// goes through within 2 s. The import writes its new rows hidden, a chunk
// per short transaction, and reveals them in one short last transaction,
// so a booking waits at most for one of those (before, the last
// transaction held the lock ~2.5 s; before that, the whole 20–30 s
// import). Meanwhile the other desk sees none of the new services or all
// of them, never some; and an empty write transaction it runs again and
// again never waits more than about a second (the bound on any
// write transaction), which measures the import's longest one from outside.
// The same on PostgreSQL, with the same bounds: there the write lock is
// Linkwell's advisory lock, and a hidden chunk's insert also computes its
// rows' search vector (a generated column) and puts them in the GIN index,
// so publishing is still one flag (measured on a loaded 2-core machine:
// chunks mostly 0.2–0.3 s, at worst ~0.45 s; publishing 0.03–0.23 s, most
// of it counting the hidden rows; the longest hold 0.27–0.45 s, once 0.93 s).
func TestBigImportDoesNotBlockOtherDesks(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 150,000 services")
	}
	ctx := context.Background()
	f := newDiaryFixture(t)
	desk, err := Open(f.s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	desk.SetClock(f.s.now)
	// Free half hours of both link workers, for one booking each.
	type slot struct {
		worker, patient int64
		at              time.Time
	}
	var slots []slot
	for i, w := range []User{f.w1, f.w2} {
		free, err := f.s.NextAvailable(ctx, f.s.sessionFor(OpViewDiary), SlotQuery{WorkerID: w.ID, Minutes: 30, Step: 30, From: f.mondayMorning, Limit: 250})
		if err != nil || len(free) < 100 {
			t.Fatalf("%d slots: %v", len(free), err)
		}
		for _, s := range free {
			slots = append(slots, slot{w.ID, []Patient{f.p1, f.p2}[i].ID, s.Start})
		}
	}
	deskSess, viewer := desk.session(f.recep), desk.sessionFor(OpViewDirectory)

	rows := benchServiceRows(150000)
	type outcome struct {
		res  ImportResult
		err  error
		took time.Duration
	}
	done := make(chan outcome, 1)
	go func() {
		start := time.Now()
		res, err := f.s.ImportServices(ctx, f.s.sessionFor(OpEditDirectory), rows, nil)
		done <- outcome{res, err, time.Since(start)}
	}()

	// The longest write transaction, seen from outside: a third connection
	// asks for the write lock every 2 ms without waiting (and lets it go at
	// once); the longest stretch in which it is refused is the longest
	// time somebody held the lock (the import, or a booking just before or
	// after one of its transactions).
	var longestHold time.Duration
	lockFree, endProbe := writeLockProbe(t, desk)
	defer endProbe()
	probing, probed := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(probed)
		var busySince time.Time
		for {
			select {
			case <-probing:
				return
			case <-time.After(2 * time.Millisecond):
			}
			free, err := lockFree()
			switch {
			case err != nil:
				t.Errorf("probe: %v", err)
				return
			case free:
				if !busySince.IsZero() {
					longestHold = max(longestHold, time.Since(busySince))
					busySince = time.Time{}
				}
			case busySince.IsZero():
				busySince = time.Now()
			}
		}
	}()

	var waits []time.Duration
	var slowest time.Duration
	var booked []int64
	for finished := false; !finished; {
		start := time.Now()
		sl := slots[len(booked)]
		appt, err := desk.Book(ctx, deskSess, Appointment{WorkerID: sl.worker, PatientID: sl.patient, Start: sl.at,
			Type: "follow_up", Mode: ModeInPerson})
		if err != nil {
			t.Fatalf("booking %d on the other desk: %v", len(waits)+1, err)
		}
		wait := time.Since(start)
		waits = append(waits, wait)
		slowest = max(slowest, wait)
		if booked = append(booked, appt.ID); len(booked) == len(slots) {
			// Every slot is taken: free them for another round.
			for _, id := range booked {
				if err := desk.Cancel(ctx, deskSess, id, false, "test"); err != nil {
					t.Fatal(err)
				}
			}
			booked = booked[:0]
		}
		if _, n, err := desk.SearchServices(ctx, viewer, ServiceQuery{}, 0, 1); err != nil || (n != 0 && n != len(rows)) {
			t.Fatalf("the other desk sees %d services mid-import (%v), want none or all %d", n, err, len(rows))
		}
		select {
		case out := <-done:
			finished = true
			if out.err != nil || out.res.Created != len(rows) {
				t.Fatalf("import: %+v %v", out.res, out.err)
			}
			t.Logf("imported %d services in %v; meanwhile %d bookings on another desk, the slowest waited %v (median %v)",
				out.res.Created, out.took.Round(time.Millisecond), len(waits), slowest.Round(time.Millisecond),
				median(waits).Round(time.Millisecond))
		case <-time.After(20 * time.Millisecond):
		}
	}
	close(probing)
	<-probed
	t.Logf("the write lock was held for %v at most at a time", longestHold.Round(time.Millisecond))
	if longestHold > time.Second {
		t.Errorf("the write lock was held for %v at a time; the issue allows about a second", longestHold)
	}
	if slowest > 2*time.Second {
		t.Errorf("a booking on the other desk waited %v for the import; the issue allows 2 s", slowest)
	}
	if n := serviceCount(t, f.s); n != len(rows) {
		t.Errorf("%d services", n)
	}
	if _, n, err := desk.SearchServices(ctx, viewer, ServiceQuery{Text: "walking"}, 0, 1); err != nil || n == 0 {
		t.Errorf("search after the import: %d %v", n, err)
	}
}

// writeLockProbe returns a function that says, without waiting, whether
// the write lock every write transaction of s's database takes is free at
// that moment, asking on a connection of its own, and one that gives the
// connection back. On SQLite that is the
// database's write lock (BEGIN IMMEDIATE with no busy timeout, rolled back
// at once); on PostgreSQL it is Linkwell's advisory lock (pgWriteLock),
// tried in a transaction of one statement, which lets it go at once.
func writeLockProbe(t *testing.T, s *Store) (free func() (bool, error), end func()) {
	t.Helper()
	ctx := context.Background()
	probe, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.engine == enginePostgres {
		return func() (bool, error) {
			var free bool
			err := probe.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock(?)`, pgWriteLock).Scan(&free)
			return free, err
		}, func() { probe.Close() }
	}
	end = func() {
		probe.ExecContext(ctx, `PRAGMA busy_timeout = 10000`) // back in the pool
		probe.Close()
	}
	if _, err := probe.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		t.Fatal(err)
	}
	return func() (bool, error) {
		_, err := probe.ExecContext(ctx, `BEGIN IMMEDIATE`)
		if err == nil {
			_, err = probe.ExecContext(ctx, `ROLLBACK`)
			return true, err
		}
		if isBusy(err) {
			return false, nil
		}
		return false, err
	}, end
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// Between matching the rows and taking the write lock another desk adds
// the same service: the import notices, matches again and updates it
// rather than adding a twin.
func TestImportMatchesAgainWhenTheDirectoryChanged(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	desk, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	rows := []ServiceImport{{Where: "line 2", Service: Service{Name: "Knit and Natter", Organisation: "St Mary's", Description: "Wool"}}}
	added := false
	res, err := s.ImportServices(ctx, s.session(admin), rows, func(done, total int) bool {
		if !added {
			added = true
			if _, err := desk.SaveService(ctx, desk.session(admin), Service{Name: "Knit and Natter", Organisation: "St Mary's"}); err != nil {
				t.Fatal(err)
			}
		}
		return true
	})
	if err != nil || res != (ImportResult{Updated: 1}) {
		t.Fatalf("%+v %v", res, err)
	}
	all, _ := s.AllServices(ctx, s.sessionFor(OpViewDirectory))
	if len(all) != 1 || all[0].Description != "Wool" {
		t.Errorf("%+v", all)
	}
}

// Two rows that would update one entry are refused: only one could win.
func TestImportRefusesTwoRowsForOneEntry(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	if _, err := s.SaveService(ctx, s.session(admin), Service{ExternalID: "a", Name: "Club", Organisation: "Org"}); err != nil {
		t.Fatal(err)
	}
	_, err := importCSV(t, s, admin, "external_id,name,organisation,description\na,Club,Org,one\n,CLUB,org,two\n")
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Where != "line 3" || !strings.Contains(ie.Problems[0].Reason, "line 2") {
		t.Fatalf("want line 3 refused as line 2's entry, got %v", err)
	}
	if sv, _ := s.AllServices(ctx, s.sessionFor(OpViewDirectory)); sv[0].Description != "" {
		t.Errorf("changed: %+v", sv[0])
	}
}
