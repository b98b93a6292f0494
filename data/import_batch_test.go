package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// smallChunks makes an import publish a few rows per transaction, without
// pauses, for the rest of the test.
func smallChunks(t *testing.T, n int) {
	chunk, pause := importChunk, importPause
	importChunk, importPause = n, 0
	t.Cleanup(func() { importChunk, importPause = chunk, pause })
}

func chunkRows(n int) []ServiceImport {
	rows := make([]ServiceImport, n)
	for i := range rows {
		rows[i] = ServiceImport{Where: fmt.Sprintf("line %d", i+2), Service: Service{
			Name: fmt.Sprintf("Zumba Gold %d", i), Organisation: "Leisure Trust", Categories: []string{"exercise"}}}
	}
	return rows
}

// searchIntegrity runs FTS5's own check of the search index against the
// services table, and SQLite's.
func searchIntegrity(t *testing.T, s *Store) {
	t.Helper()
	if testEngine == enginePostgres {
		// The search is a generated column of services itself: it cannot
		// drift from the row, and the server has no file to check.
		return
	}
	if _, err := s.db.Exec(`INSERT INTO services_fts (services_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("search index: %v", err)
	}
	var ok string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity: %s %v", ok, err)
	}
}

// While an import writes its chunks, another desk sees none of its new
// rows and none of its changes, by any read; once it returns, all of them.
// A service the other desk adds half-way makes the import match again, and
// the audit names the ids its services really took.
func TestImportChunksAreUnseenUntilTheEnd(t *testing.T) {
	smallChunks(t, 7)
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	desk, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	desk.SetClock(s.now)
	viewer := desk.sessionFor(OpViewDirectory)
	old, err := desk.SaveService(ctx, desk.session(admin), Service{ExternalID: "old", Name: "Old Club", Organisation: "Org", Description: "As it was"})
	if err != nil {
		t.Fatal(err)
	}
	rows := append(chunkRows(30), ServiceImport{Where: "line 32", Service: Service{ExternalID: "old", Name: "Old Club", Organisation: "Org", Description: "As it is now"}})

	var looked, sawHidden int
	var added Service
	res, err := s.ImportServices(ctx, s.session(admin), rows, func(done, total int) bool {
		if done <= total/2 || done == total {
			return true // staging, or done
		}
		looked++
		var all int
		s.db.QueryRow(`SELECT count(*) FROM services WHERE import_batch IS NOT NULL`).Scan(&all)
		if all > 0 {
			sawHidden++
		}
		want := 1
		if added.ID != 0 {
			want = 2
		}
		list, n, err := desk.SearchServices(ctx, viewer, ServiceQuery{}, 0, 100)
		if err != nil || n != want || len(list) != want || list[len(list)-1].Description != "As it was" { // Old Club is last by name
			t.Errorf("mid-import the other desk lists %d (%d) %+v %v", n, len(list), list, err)
		}
		if _, n, _ := desk.SearchServices(ctx, viewer, ServiceQuery{Text: "zumba"}, 0, 100); n != 0 {
			t.Errorf("mid-import a search finds %d hidden rows", n)
		}
		if _, n, _ := desk.SearchServices(ctx, viewer, ServiceQuery{Category: "exercise", Status: "active"}, 0, 100); n != 0 {
			t.Errorf("mid-import a filter finds %d hidden rows", n)
		}
		if all, _ := desk.AllServices(ctx, viewer); len(all) != want {
			t.Errorf("mid-import the export has %d", len(all))
		}
		if stale, _ := desk.StaleServices(ctx, viewer, desk.now()); len(stale) != want {
			t.Errorf("mid-import %d stale", len(stale))
		}
		var hidden int64
		s.db.QueryRow(`SELECT max(id) FROM services WHERE import_batch IS NOT NULL`).Scan(&hidden)
		if hidden != 0 {
			if _, err := desk.Service(ctx, viewer, hidden); !errors.Is(err, ErrNotFound) {
				t.Errorf("a hidden entry read by id: %v", err)
			}
			if _, err := serviceSnapshot(ctx, desk.db, hidden); !errors.Is(err, ErrNotFound) {
				t.Errorf("a hidden entry prescribed: %v", err)
			}
		}
		if h, err := desk.Check(ctx); err != nil || rowsOf(h, "services") != want {
			t.Errorf("mid-import check counts %d services: %v", rowsOf(h, "services"), err)
		}
		if hidden != 0 {
			// A hidden row's external id is taken, and the desk is told why.
			var ext string
			s.db.QueryRow(`SELECT external_id FROM services WHERE id = ?`, hidden).Scan(&ext)
			_, err := desk.SaveService(ctx, desk.session(admin), Service{ExternalID: ext, Name: "Clash"})
			if v, ok := FieldErrors(err); !ok || !strings.Contains(v.Fields[0].Message, "an import under way") {
				t.Errorf("saving an entry with a hidden row's id: %v", err)
			}
		}
		if added.ID == 0 && done > total/2+10 {
			// Another desk adds an entry: the import must match again.
			if added, err = desk.SaveService(ctx, desk.session(admin), Service{Name: "Added meanwhile"}); err != nil {
				t.Fatal(err)
			}
		}
		return true
	})
	if err != nil || res.Created != 30 || res.Updated != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if looked < 4 || sawHidden < 2 || added.ID == 0 {
		t.Fatalf("looked %d times mid-import, saw hidden rows %d times, added %d", looked, sawHidden, added.ID)
	}
	if _, n, _ := desk.SearchServices(ctx, viewer, ServiceQuery{Text: "zumba"}, 0, 100); n != 30 {
		t.Errorf("after the import a search finds %d", n)
	}
	if sv, _ := desk.Service(ctx, viewer, old.ID); sv.Description != "As it is now" {
		t.Errorf("after the import: %+v", sv)
	}
	// The first attempt took the ids after Old Club; the entry added
	// meanwhile the id after those; the second attempt the ids after it.
	first := added.ID + 1
	for i := range 30 {
		var id int64
		s.db.QueryRow(`SELECT id FROM services WHERE name = ?`, fmt.Sprintf("Zumba Gold %d", i)).Scan(&id)
		if id != first+int64(i) {
			t.Fatalf("Zumba Gold %d has id %d, want %d", i, id, first+int64(i))
		}
	}
	var detail string
	s.db.QueryRow(`SELECT detail FROM audit_events WHERE action = 'import' AND entity = 'service'`).Scan(&detail)
	if want := fmt.Sprintf("created 30 (ids %d–%d); changed 1 (ids %d)", first, first+29, old.ID); detail != want {
		t.Errorf("audit %q, want %q", detail, want)
	}
	var batches int
	s.db.QueryRow(`SELECT count(*) FROM import_batches WHERE NOT published`).Scan(&batches)
	if batches != 0 {
		t.Errorf("%d unpublished batches left", batches)
	}
	searchIntegrity(t, s)
}

func rowsOf(h Health, table string) int {
	for _, c := range h.Counts {
		if c.Table == table {
			return c.Rows
		}
	}
	return -1
}

// Cancelled between two chunks, an import takes its hidden rows away.
func TestImportCancelledMidPublishRemovesItsRows(t *testing.T) {
	smallChunks(t, 5)
	s := newStore(t)
	admin := setUpPractice(t, s)
	rows := chunkRows(40)
	chunks := 0
	_, err := s.ImportServices(context.Background(), s.session(admin), rows, func(done, total int) bool {
		if done > total/2 {
			chunks++
		}
		return chunks < 4
	})
	if !errors.Is(err, ErrImportCancelled) {
		t.Fatalf("cancel: %v", err)
	}
	var batches int
	s.db.QueryRow(`SELECT count(*) FROM import_batches`).Scan(&batches)
	if n := serviceCount(t, s); n != 0 || batches != 0 {
		t.Errorf("after cancelling: %d services, %d batches", n, batches)
	}
	searchIntegrity(t, s)
}

// A dead process's pid: a child that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if processAlive(cmd.Process.Pid) {
		t.Skip("the exited child's pid is taken again")
	}
	return cmd.Process.Pid
}

// An import whose program died leaves hidden rows; the next Open removes
// them (in the background, which Close waits for), and leaves those of an
// import still running.
func TestOpenRemovesTheRowsOfADeadImport(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	now := time.Now().UTC()
	hour := now.Add(-time.Hour).Format(TimeLayout)
	batches := []struct {
		host  string
		pid   int
		alive string
		rows  int
		stays bool
	}{
		{thisHost(), deadPID(t), now.Format(TimeLayout), 12, false}, // killed just now
		{"another-pc", 4242, hour, 3, false},                        // silent for an hour
		{thisHost(), os.Getpid(), now.Format(TimeLayout), 4, true},  // this test: alive
		{"another-pc", 4242, now.Format(TimeLayout), 2, true},       // cannot tell yet
	}
	for i, b := range batches {
		res, err := s.db.Exec(`INSERT INTO import_batches (host, pid, started_at, alive_at) VALUES (?, ?, ?, ?)`, b.host, b.pid, b.alive, b.alive)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		for j := range b.rows {
			if _, err := s.db.Exec(`INSERT INTO services (name, description, created_at, updated_at, import_batch) VALUES (?, 'Hidden', ?, ?, ?)`,
				fmt.Sprintf("Batch %d row %d", i, j), s.stamp(), s.stamp(), id); err != nil {
				t.Fatal(err)
			}
		}
	}
	smallChunks(t, 5) // removing takes several transactions
	start := time.Now()
	again, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	opened := time.Since(start)
	// Open leaves the removal to the background; Close waits for it.
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("opened in %v, removed in %v", opened, time.Since(start))
	var left, batchesLeft int
	s.db.QueryRow(`SELECT count(*) FROM services`).Scan(&left)
	s.db.QueryRow(`SELECT count(*) FROM import_batches`).Scan(&batchesLeft)
	if left != 4+2 || batchesLeft != 2 {
		t.Errorf("after Open: %d hidden rows, %d batches; want 6 and 2", left, batchesLeft)
	}
	if _, n, err := s.SearchServices(context.Background(), s.sessionFor(OpViewDirectory), ServiceQuery{Text: "hidden"}, 0, 10); err != nil || n != 0 {
		t.Errorf("search finds %d hidden rows: %v", n, err)
	}
	searchIntegrity(t, s)
}

// A chunk that held the lock too long makes the next smaller; quick ones
// grow back to importChunk, never past importChunkTarget's worth.
func TestNextChunk(t *testing.T) {
	for _, c := range []struct {
		size int
		took time.Duration
		want int
	}{
		{2500, importChunkTarget / 2, 2500},
		{1000, importChunkTarget / 2, 2000},
		{1000, importChunkTarget * 4 / 5, 1250},
		{2500, 2 * importChunkTarget, 1250},
		{2500, 5 * importChunkTarget, 500},
		{200, 100 * importChunkTarget, 100},
	} {
		if got := nextChunk(c.size, c.took); got != c.want {
			t.Errorf("nextChunk(%d, %v) = %d, want %d", c.size, c.took, got, c.want)
		}
	}
}
