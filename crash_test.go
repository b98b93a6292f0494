package main

// TestCrash kills Linkwell with SIGKILL at random moments (a power cut, as
// far as the files can tell, short of the operating system's own cache)
// while it writes a demo, imports a large directory, makes a backup and
// books appointments, and checks after every kill that the database opens,
// passes SQLite's integrity check, and holds each operation whole or not at
// all, with nothing half made under a final name.
//
// The moments come from a seeded generator (LINKWELL_CRASH_SEED, default 1),
// spread evenly over each operation's running time as measured on this
// machine, so a failure can be run again with the same seed.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"linkwell/data"
)

const (
	crashSeedEnv    = "LINKWELL_CRASH_SEED"
	crashHelperEnv  = "LINKWELL_CRASH_HELPER" // the database the booking loop books into
	crashDemoSize   = 3000                    // patients in the demo practice
	crashImportRows = 50_000                  // services in the imported file
	crashBookingTag = "crash loop"            // the notes of every appointment the loop books
)

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("kills Linkwell 23 times; about 45 s")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command to build linkwell")
	}
	seed := uint64(1)
	if s := os.Getenv(crashSeedEnv); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, s, err)
		}
		seed = n
	}
	t.Logf("seed %d (run again with %s=%d)", seed, crashSeedEnv, seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	work := t.TempDir()
	bin := filepath.Join(work, "linkwell")
	start := time.Now()
	if out, err := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("go build: %v", time.Since(start).Round(time.Millisecond))
	// Imports and backups sign in as the demo's manager and administrator.
	linkwell := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		if user := map[string]string{"import": "manager", "backup": "admin"}[args[0]]; user != "" {
			cmd.Args = append(cmd.Args, "--as", user)
			cmd.Env = append(os.Environ(), passwordEnv+"=demo-pass-"+user)
		}
		return cmd
	}

	// Each step leaves what the next one starts from: the demo practice,
	// then the practice with the imported directory (a larger backup).
	demo := filepath.Join(work, "demo.db")
	big := filepath.Join(work, "big.db")
	kills := 0

	t.Run("demo", func(t *testing.T) {
		kills += crashDemo(t, rng, linkwell, demo)
	})
	if t.Failed() {
		return
	}
	t.Run("import services", func(t *testing.T) {
		kills += crashImport(t, rng, linkwell, demo, big)
	})
	if t.Failed() {
		return
	}
	t.Run("backup", func(t *testing.T) {
		kills += crashBackup(t, rng, linkwell, big)
	})
	t.Run("booking", func(t *testing.T) {
		kills += crashBooking(t, rng, demo, seed)
	})
	t.Logf("%d kills in all", kills)
}

// demoArgs are the arguments of demo for a practice of patients patients
// at db.
func demoArgs(db string, patients int, more ...string) []string {
	return append([]string{"demo", "--db", db, "--patients", strconv.Itoa(patients), "--years", "1", "--today", "2026-11-25"}, more...)
}

// crashDemo kills demo while it writes a new practice, and demo --force
// while it replaces one. Every demo spends its first seconds hashing the
// demo accounts' passwords, with little to see, so one kill falls there and
// the others after it, while the practice is written and moved into place.
func crashDemo(t *testing.T, rng *rand.Rand, linkwell func(...string) *exec.Cmd, demo string) int {
	// A run to the end: the practice every later step starts from, and how
	// long the two parts of a demo take here.
	cmd := linkwell(demoArgs(demo, crashDemoSize)...)
	progress := newWatch("services")
	cmd.Stderr = progress
	start := time.Now()
	if out, err := cmd.Output(); err != nil {
		t.Fatalf("demo: %v\n%s%s", err, out, progress)
	}
	hashing := progress.seenAfter(start)
	if hashing == 0 {
		t.Fatalf("demo never reported its services stage, which the kills are timed from:\n%s", progress)
	}
	writing := time.Since(start) - hashing
	t.Logf("demo of %d patients: %v hashing passwords, then %v writing", crashDemoSize, hashing.Round(time.Millisecond), writing.Round(time.Millisecond))
	demoBytes, err := os.ReadFile(demo)
	if err != nil {
		t.Fatal(err)
	}

	const kills = 5
	for i := range kills {
		dir := t.TempDir()
		db := filepath.Join(dir, "demo.db")
		var old []byte
		args, label := demoArgs(db, crashDemoSize+100), "demo"
		if i%2 == 1 { // replacing the demo from the run above
			old = demoBytes
			if err := os.WriteFile(db, old, 0o600); err != nil {
				t.Fatal(err)
			}
			args, label = append(args, "--force"), "demo --force"
		}
		cmd := linkwell(args...)
		progress := newWatch("services")
		cmd.Stderr = progress
		var when func(<-chan struct{})
		var moment string
		if i == 0 {
			delay := spread(rng, 0, 1, hashing)
			when = after(delay)
			moment = fmt.Sprintf("%v after the start", delay.Round(time.Millisecond))
		} else {
			delay := spread(rng, i-1, kills-1, writing*13/10)
			when = afterSeen(progress, delay)
			moment = fmt.Sprintf("%v after the hashing", delay.Round(time.Millisecond))
		}
		killed := runAndKill(t, cmd, when)
		what := checkDemoAfterKill(t, db, old, crashDemoSize+100)
		left := finalNames(t, dir, "demo.db")
		t.Logf("kill %d, %s, %s %s: %s; %d temporary left", i+1, label, moment, phase(i == 0, killed), what, left)
	}
	return kills
}

// checkDemoAfterKill says what a killed demo left at db: nothing (or, with
// --force, the old demo byte for byte), or a complete demo of patients
// patients that passes the integrity check.
func checkDemoAfterKill(t *testing.T, db string, old []byte, patients int) string {
	t.Helper()
	nothingBeside(t, db)
	raw, err := os.ReadFile(db)
	switch {
	case errors.Is(err, os.ErrNotExist) && old == nil:
		return "nothing there"
	case err != nil:
		t.Fatalf("%s: %v", filepath.Base(db), err)
	case old != nil && bytes.Equal(raw, old):
		return "the old demo, as it was"
	}
	h := checkDatabase(t, db, data.OpenReadOnly)
	if n := rows(h, "patients"); n != patients {
		t.Errorf("a demo of %d patients has %d", patients, n)
	}
	if demo, err := data.IsDemoDatabase(db); err != nil || !demo {
		t.Errorf("not marked as a demo: %v %v", demo, err)
	}
	return "a complete new demo"
}

// crashImport kills import services, each time on a fresh copy of the demo
// practice: the directory afterwards holds the demo's services, or those
// and every row of the file, never some of them.
func crashImport(t *testing.T, rng *rand.Rand, linkwell func(...string) *exec.Cmd, demo, big string) int {
	file := filepath.Join(t.TempDir(), "directory.csv")
	var csv bytes.Buffer
	csv.WriteString("name,categories,postcode\n")
	for i := range crashImportRows {
		fmt.Fprintf(&csv, "Crash Club %d,befriending,HX%d 1AA\n", i, 1+i%7)
	}
	if err := os.WriteFile(file, csv.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	before := rows(checkDatabase(t, demo, data.OpenReadOnly), "services")

	// A run to the end, timed; its database is the backup's source.
	copyFile(t, demo, big)
	start := time.Now()
	if out, err := linkwell("import", "services", "--db", big, file).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	took := time.Since(start)
	if n := rows(checkDatabase(t, big, data.Open), "services"); n != before+crashImportRows {
		t.Fatalf("the import gave %d services, want %d", n, before+crashImportRows)
	}
	t.Logf("import of %d services: %v", crashImportRows, took.Round(time.Millisecond))

	const kills = 6
	for i := range kills {
		dir := t.TempDir()
		db := filepath.Join(dir, "practice.db")
		copyFile(t, demo, db)
		delay := spread(rng, i, kills, took*12/10)
		killed := runAndKill(t, linkwell("import", "services", "--db", db, file), after(delay))
		// Opened as the app opens it after a crash, rolling back what was
		// not committed and removing the rows the import wrote hidden but
		// never published. The check counts only published services.
		n := rows(checkDatabase(t, db, data.Open), "services")
		if n != before && n != before+crashImportRows {
			t.Errorf("kill %d: %d services, want %d (none imported) or %d (all)", i+1, n, before, before+crashImportRows)
		}
		if hidden := unpublishedServices(t, db); hidden != 0 {
			t.Errorf("kill %d: %d hidden services of the killed import left after opening", i+1, hidden)
		}
		folderHolds(t, dir, "practice.db")
		t.Logf("kill %d at %v %s: %d services imported", i+1, delay.Round(time.Millisecond), phase(false, killed), n-before)
	}
	return kills
}

// unpublishedServices counts the services an import wrote hidden and never
// published (data/import_batch.go), with SQL of its own.
func unpublishedServices(t *testing.T, db string) int {
	t.Helper()
	// Immutable: nothing else has the file open now.
	raw, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: db, RawQuery: "mode=ro&immutable=1"}).String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM services WHERE import_batch IS NOT NULL
		AND import_batch NOT IN (SELECT id FROM import_batches WHERE published)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// crashBackup kills backup: afterwards there is no file under --out, or a
// backup that passes the check with the database's row counts; the database
// itself is healthy and as it was but for the audit events of the backups
// (each signs in and records its backup: data/audit_reads.go).
func crashBackup(t *testing.T, rng *rand.Rand, linkwell func(...string) *exec.Cmd, src string) int {
	withoutAudit := func(h data.Health) string {
		var kept []data.TableCount
		for _, c := range h.Counts {
			if c.Table != "audit_events" {
				kept = append(kept, c)
			}
		}
		return fmt.Sprint(kept)
	}
	want := withoutAudit(checkDatabase(t, src, data.OpenReadOnly))
	dir := t.TempDir()
	start := time.Now()
	if out, err := linkwell("backup", "--db", src, "--out", filepath.Join(dir, "timed.db")).CombinedOutput(); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	took := time.Since(start)
	t.Logf("backup of %d MB: %v", fileSize(t, src)>>20, took.Round(time.Millisecond))

	const kills = 6
	for i := range kills {
		dir := t.TempDir()
		out := filepath.Join(dir, "backup.db")
		delay := spread(rng, i, kills, took*12/10)
		killed := runAndKill(t, linkwell("backup", "--db", src, "--out", out), after(delay))
		nothingBeside(t, out)
		what := "no backup"
		if _, err := os.Lstat(out); err == nil {
			h := checkDatabase(t, out, data.OpenReadOnly)
			if withoutAudit(h) != want {
				t.Errorf("kill %d: the backup has %v, the database %v", i+1, h.Counts, want)
			}
			what = "a complete backup"
		}
		// checkDatabase also verifies the audit's chain.
		if got := withoutAudit(checkDatabase(t, src, data.OpenReadOnly)); got != want {
			t.Fatalf("kill %d: backup changed the database: %v, was %v", i+1, got, want)
		}
		left := finalNames(t, dir, "backup.db")
		t.Logf("kill %d at %v %s: %s; %d temporary left", i+1, delay.Round(time.Millisecond), phase(false, killed), what, left)
	}
	return kills
}

// crashBooking kills a process that books and cancels appointments as fast
// as it can (TestCrashHelperBookingLoop, this test binary run again), over
// and over on one database. After each kill every booking the loop reported
// is there, every appointment it made is whole (with its audit event), and
// no link worker has two live appointments at once.
func crashBooking(t *testing.T, rng *rand.Rand, demo string, seed uint64) int {
	db := filepath.Join(t.TempDir(), "practice.db")
	copyFile(t, demo, db)
	const kills = 6
	reported := map[int64]string{} // appointment id: "booked" or "cancelled"
	for i := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperBookingLoop$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashHelperEnv+"="+db, fmt.Sprintf("%s=%d", crashSeedEnv, seed*100+uint64(i)))
		var out bytes.Buffer
		cmd.Stdout = &out
		cmd.Stderr = &out
		delay := 150*time.Millisecond + spread(rng, i, kills, 850*time.Millisecond)
		if !runAndKill(t, cmd, after(delay)) {
			t.Fatalf("the booking loop ended on its own:\n%s", &out)
		}
		lines := bufio.NewScanner(&out)
		n := 0
		for lines.Scan() {
			var what string
			var id int64
			if _, err := fmt.Sscanf(lines.Text(), "%s %d", &what, &id); err == nil && (what == "booked" || what == "cancelled") {
				reported[id] = what
				n++
			}
		}
		checkBookings(t, db, reported)
		t.Logf("kill %d at %v: %d bookings and cancellations reported", i+1, delay.Round(time.Millisecond), n)
	}
	if len(reported) == 0 {
		t.Error("the loop booked nothing before it was killed: the kills came too early to test anything")
	}
	return kills
}

// checkBookings checks the booking loop's database after a kill.
func checkBookings(t *testing.T, db string, reported map[int64]string) {
	t.Helper()
	checkDatabase(t, db, data.Open) // as the app opens it after the crash
	store, err := data.OpenReadOnly(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	for id, what := range reported {
		a, err := store.Appointment(ctx, sessionFor(t, store, data.OpViewDiary), id)
		if err != nil {
			t.Errorf("appointment %d was reported %s but is not there: %v", id, what, err)
			continue
		}
		if a.WorkerID == 0 || a.PatientID == 0 || !a.End.After(a.Start) || a.Type == "" || a.Mode == "" || a.SiteID == 0 ||
			a.BookedBy == "" || a.BookedAt.IsZero() || a.Notes != crashBookingTag {
			t.Errorf("appointment %d is not whole: %+v", id, a)
		}
		// One reported booked may have been cancelled just before the kill,
		// too late to say so.
		if what == "cancelled" && a.Status != data.AppointmentCancelledPractice {
			t.Errorf("appointment %d was reported cancelled but is %s", id, a.Status)
		}
	}

	// The audit is not read by any store method, so the test reads it, and
	// the overlaps, with SQL of its own.
	// Immutable: nothing else has the file open now, and SQLite would
	// otherwise leave a -wal and -shm beside it.
	raw, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: db, RawQuery: "mode=ro&immutable=1"}).String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	live := fmt.Sprintf("('%s', '%s', '%s')", data.AppointmentBooked, data.AppointmentArrived, data.AppointmentAttended)
	for _, c := range []struct {
		what, query string
		args        []any
	}{
		{"appointments of the loop without exactly one 'book' audit event", `SELECT count(*) FROM appointments a WHERE a.notes = ? AND
			(SELECT count(*) FROM audit_events e WHERE e.entity = 'appointment' AND e.entity_id = a.id AND e.action = 'book') <> 1`,
			[]any{crashBookingTag}},
		{"'book' audit events without their appointment", `SELECT count(*) FROM audit_events e WHERE e.entity = 'appointment' AND e.action = 'book'
			AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.id = e.entity_id)`, nil},
		{"appointments of the loop cancelled without a 'cancel' audit event, or the other way round", `SELECT count(*) FROM appointments a WHERE a.notes = ? AND
			(a.status = ?) <> EXISTS (SELECT 1 FROM audit_events e WHERE e.entity = 'appointment' AND e.entity_id = a.id AND e.action = 'cancel')`,
			[]any{crashBookingTag, data.AppointmentCancelledPractice}},
		{"pairs of live appointments of one link worker that overlap", `SELECT count(*) FROM appointments a JOIN appointments b
			ON a.worker_id = b.worker_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
			WHERE a.status IN ` + live + ` AND b.status IN ` + live, nil},
	} {
		var n int
		if err := raw.QueryRow(c.query, c.args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	nothingBeside(t, db)
}

// TestCrashHelperBookingLoop is the process crashBooking kills; on its own
// it does nothing. It books follow-ups with random link workers and
// patients, and cancels one booking in five, printing each as it is
// committed.
func TestCrashHelperBookingLoop(t *testing.T) {
	db := os.Getenv(crashHelperEnv)
	if db == "" {
		return
	}
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	rng := rand.New(rand.NewPCG(seed, 0))
	ctx := context.Background()
	store, err := data.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	actor, err := userNamed(t, store, "reception1")
	if err != nil {
		t.Fatal(err)
	}
	workers, err := store.UsersWithRole(ctx, sessionFor(t, store, data.OpListStaff), data.RoleLinkWorker)
	if err != nil || len(workers) == 0 {
		t.Fatalf("no link workers: %v", err)
	}
	var booked []int64
	// Bounded, in case the test that should kill it has died.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		if len(booked) > 0 && rng.IntN(5) == 0 {
			i := rng.IntN(len(booked))
			id := booked[i]
			booked = append(booked[:i], booked[i+1:]...)
			if err := store.Cancel(ctx, as(t, store, actor), id, false, "crash test"); err != nil {
				t.Fatal(err)
			}
			fmt.Printf("cancelled %d\n", id)
			continue
		}
		w := workers[rng.IntN(len(workers))]
		slots, err := store.NextAvailable(ctx, sessionFor(t, store, data.OpViewDiary), data.SlotQuery{WorkerID: w.ID, TypeCode: "follow_up", Mode: data.ModeInPerson,
			From: time.Now().AddDate(0, 0, 1+rng.IntN(20)), Limit: 1, Step: 15})
		if err != nil {
			t.Fatal(err)
		}
		if len(slots) == 0 {
			continue
		}
		a, err := store.Book(ctx, as(t, store, actor), data.Appointment{WorkerID: w.ID, PatientID: 1 + rng.Int64N(crashDemoSize),
			Start: slots[0].Start, Type: "follow_up", Mode: data.ModeInPerson, Notes: crashBookingTag})
		var busy *data.PatientBusyError
		if errors.As(err, &busy) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		booked = append(booked, a.ID)
		fmt.Printf("booked %d\n", a.ID)
	}
}

// spread is the i-th of n moments spread over span: a random moment in the
// i-th n-th of it, so that the kills cover the whole operation.
func spread(rng *rand.Rand, i, n int, span time.Duration) time.Duration {
	return time.Duration((float64(i) + rng.Float64()) / float64(n) * float64(span))
}

// runAndKill starts cmd and kills it with SIGKILL when when returns (when
// returns early if the process ends first, which it closes done for). It
// reports whether the kill stopped the process; one that ended on its own
// must have succeeded.
func runAndKill(t *testing.T, cmd *exec.Cmd, when func(done <-chan struct{})) (killed bool) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var err error
	go func() { err = cmd.Wait(); close(done) }()
	when(done)
	cmd.Process.Kill() // SIGKILL; nothing happens if the process has ended
	<-done
	if cmd.ProcessState.Exited() && err != nil {
		t.Fatalf("%s ended on its own with %v (%v)", filepath.Base(cmd.Path), err, cmd.Stderr)
	}
	return !cmd.ProcessState.Exited()
}

// after waits d from now, or until the process ends.
func after(d time.Duration) func(<-chan struct{}) {
	return func(done <-chan struct{}) {
		select {
		case <-time.After(d):
		case <-done:
		}
	}
}

// afterSeen waits until w has seen its word, then d.
func afterSeen(w *watch, d time.Duration) func(<-chan struct{}) {
	return func(done <-chan struct{}) {
		select {
		case <-w.seen:
			after(d)(done)
		case <-done:
		}
	}
}

func phase(hashing, killed bool) string {
	switch {
	case !killed:
		return "(it had finished)"
	case hashing:
		return "(while hashing passwords)"
	}
	return "(killed)"
}

// watch is a process's stderr that notes when word first appears in it.
type watch struct {
	word string
	seen chan struct{}
	mu   sync.Mutex
	buf  bytes.Buffer
	at   time.Time
}

func newWatch(word string) *watch { return &watch{word: word, seen: make(chan struct{})} }

func (w *watch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.at.IsZero() && strings.Contains(w.buf.String(), w.word) {
		w.at = time.Now()
		close(w.seen)
	}
	return len(p), nil
}

func (w *watch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// seenAfter is how long after start the word appeared.
func (w *watch) seenAfter(start time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.at.IsZero() {
		return 0
	}
	return w.at.Sub(start)
}

// checkDatabase opens the database at path with open, runs the full check
// (SQLite's integrity and foreign-key checks) and closes it again.
func checkDatabase(t *testing.T, path string, open func(string) (*data.Store, error)) data.Health {
	t.Helper()
	s, err := open(path)
	if err != nil {
		t.Fatalf("after the kill the database does not open: %v", err)
	}
	defer s.Close()
	h, err := s.Check(context.Background())
	if err != nil || !h.Healthy() {
		t.Fatalf("after the kill the database is not healthy: %+v %v", h, err)
	}
	return h
}

func rows(h data.Health, table string) int {
	for _, c := range h.Counts {
		if c.Table == table {
			return c.Rows
		}
	}
	return -1
}

// nothingBeside fails if SQLite's -journal, -wal or -shm is left beside
// path: after a kill, a -journal under a final name would be half a
// transaction waiting to be replayed.
func nothingBeside(t *testing.T, path string) {
	t.Helper()
	for _, suffix := range []string{"-journal", "-wal", "-shm"} {
		if _, err := os.Lstat(path + suffix); err == nil {
			t.Errorf("%s%s was left", filepath.Base(path), suffix)
		}
	}
}

// finalNames fails unless the only name in dir not starting with a dot is
// allowed, if it is there. It returns how many temporary files (names
// starting with a dot) the killed process left, which nothing removes.
func finalNames(t *testing.T, dir, allowed string) (temporary int) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "."):
			temporary++
		case e.Name() != allowed:
			t.Errorf("%s was left under a final name", e.Name())
		}
	}
	return temporary
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}
