package main

// Issue 11, "Nothing is ever lost": each defect the issue listed, done again
// the way it was first done, now refused with one plain line and nothing
// lost. The defects already tested elsewhere:
//   - demo --force over a practice's database or a text file:
//     TestCLIDemoForceRefusesWhatIsNotADemo (backup_cli_test.go);
//   - a zero-byte file taken for an empty database: TestCLICheckOnlyReads,
//     and data's TestOpenRefusesZeroByteFile; a backup killed half way is
//     in TestCrash (crash_test.go), which kills backup, demo, import and
//     bookings half way;
//   - another program's SQLite file converted: data's
//     TestOpenRefusesForeignSQLite.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"linkwell/data"
)

// recordedOnlySignIn fails unless the database at path differs from before
// only by what the commands run on it since recorded on the way: each signs
// in as the app does, and print card opens the patient's record. A job
// that failed recorded no print, export or backup. Nothing may be left
// beside the database.
func recordedOnlySignIn(t *testing.T, path string, before []byte) {
	t.Helper()
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("%s%s was left beside it", filepath.Base(path), suffix)
		}
	}
	old := filepath.Join(t.TempDir(), "before.db")
	if err := os.WriteFile(old, before, 0o600); err != nil {
		t.Fatal(err)
	}
	// immutable: read without making a -wal or -shm beside the file.
	open := func(p string) *sql.DB {
		db, err := sql.Open("sqlite", "file:"+p+"?mode=ro&immutable=1")
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	var was int
	db := open(old)
	err := db.QueryRow(`SELECT count(*) FROM audit_events`).Scan(&was)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	db = open(path)
	defer db.Close()
	rows, err := db.Query(`SELECT action FROM audit_events WHERE id > ?`, was)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var since, jobs []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		since = append(since, a)
		if a != "sign_in" && a != "view" {
			jobs = append(jobs, a)
		}
	}
	if !slices.Contains(since, "sign_in") || len(jobs) > 0 {
		t.Errorf("%s: recorded since %v; a failed job must record nothing of its own", filepath.Base(path), since)
	}
}

// makeDemo writes a small demo practice (300 patients, about 560 KB, unless
// more says otherwise) to path.
func makeDemo(t *testing.T, path string, more ...string) {
	t.Helper()
	args := append([]string{"demo", "--db", path, "--patients", "300", "--years", "1", "--today", "2026-11-25"}, more...)
	if code, _, errOut := runCLI(args...); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
}

func copyFile(t *testing.T, from, to string) []byte {
	t.Helper()
	raw, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return raw
}

// otherProgramsDatabase makes an SQLite file another program might keep.
func otherProgramsDatabase(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path}).String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)", "INSERT INTO bookmarks (url) VALUES ('https://www.nhs.uk')"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// failedPlainly fails unless the command exited non-zero with one plain
// line on stderr that names no temporary file. Progress lines (demo's,
// which start with a carriage return) may come before it.
func failedPlainly(t *testing.T, code int, stdout, errOut string) {
	t.Helper()
	if code == 0 {
		t.Errorf("exit 0; stdout %q", stdout)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(errOut, "\n"), "\n") {
		if !strings.HasPrefix(l, "\r") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "linkwell: ") {
		t.Errorf("want one line starting 'linkwell: ', got %q", errOut)
	}
	for _, bad := range []string{"goroutine", "panic", ".tmp", ".partial-", ".building-", ".new-"} {
		if strings.Contains(errOut, bad) {
			t.Errorf("stderr has %q: %q", bad, errOut)
		}
	}
}

// folderHolds fails unless dir holds exactly the names given: no
// temporary file, no -journal or -wal, nothing half made under a final name.
func folderHolds(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("the folder holds %q, want %q", got, names)
	}
}

// healthy fails unless `linkwell check` passes the database at path.
func healthy(t *testing.T, path string) {
	t.Helper()
	if code, out, errOut := runCLI("check", "--db", path); code != 0 || !strings.Contains(out, "integrity  ok") {
		t.Errorf("check %s: %d %s %s", filepath.Base(path), code, out, errOut)
	}
}

// Writing out to the database: export referrals failed and deleted p.db;
// export diary and print card exited 0 having overwritten it; print
// prescription truncated it to 0 bytes. The same with its -wal, or with
// another SQLite database. Each is now refused before anything is written.
func TestDefectOutIsADatabase(t *testing.T) {
	demo := filepath.Join(t.TempDir(), "demo.db")
	makeDemo(t, demo)
	commands := [][]string{
		{"export", "referrals"},
		{"export", "diary", "--worker", "linkworker1"},
		{"print", "card", "--id", "1"},
		{"print", "prescription", "--id", "1"},
	}
	for _, cmd := range commands {
		name := strings.Join(cmd[:2], " ")
		for _, target := range []string{"p.db", "p.db-wal", "backup.db", "other.db"} {
			t.Run(name+" --out "+target, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, "p.db")
				before := copyFile(t, demo, p)
				backup := copyFile(t, demo, filepath.Join(dir, "backup.db"))
				other := filepath.Join(dir, "other.db")
				otherProgramsDatabase(t, other)
				otherBefore, _ := os.ReadFile(other)

				code, stdout, errOut := runCLI(append(cmd, "--db", p, "--out", filepath.Join(dir, target))...)
				failedPlainly(t, code, stdout, errOut)
				if !strings.Contains(errOut, "is a database") {
					t.Errorf("stderr does not say why: %q", errOut)
				}
				untouched(t, p, before)
				untouched(t, filepath.Join(dir, "backup.db"), backup)
				untouched(t, other, otherBefore)
				folderHolds(t, dir, "p.db", "backup.db", "other.db")
				healthy(t, p)
			})
		}
	}

	// While Linkwell has the database open, its -wal holds the latest
	// changes; writing over it would lose them.
	t.Run("the -wal of an open database", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "p.db")
		copyFile(t, demo, p)
		store, err := data.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		addPatientTo(t, store, "Unsaved")
		wal, err := os.ReadFile(p + "-wal")
		if err != nil || len(wal) == 0 {
			t.Fatalf("no -wal while the database is open: %v", err)
		}
		for _, cmd := range commands {
			code, stdout, errOut := runCLI(append(cmd, "--db", p, "--out", p+"-wal")...)
			failedPlainly(t, code, stdout, errOut)
			if now, _ := os.ReadFile(p + "-wal"); !bytes.Equal(now, wal) {
				t.Fatalf("%s changed the -wal", strings.Join(cmd[:2], " "))
			}
		}
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
		healthy(t, p)
		// Opened as the app opens it: a search is audited, which a
		// read-only store cannot do.
		store, err = data.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		found, err := store.SearchPatients(context.Background(), sessionFor(t, store, data.OpViewPatient), "Unsaved", 10)
		if err != nil || len(found) != 1 {
			t.Errorf("the patient saved while the app was open: %v %v", found, err)
		}
	})
}

// smallDisk mounts a tmpfs of size (like "256k") for the test and returns
// its folder. It needs root (CI runs as root); without it the test skips.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a full disk is a small tmpfs, and mounting one needs root")
	}
	dir := t.TempDir() // made first, so it is removed after the unmount below
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs for a full disk: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk fills the disk at dir with a file named "filler", leaving free
// bytes (whole 4 KB pages) so that a write starts and then runs out.
func fillDisk(t *testing.T, dir string, free int64) {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	page := make([]byte, 4096)
	for err == nil {
		_, err = f.Write(page)
	}
	f.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the disk: %v", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, st.Size()/4096*4096-free); err != nil {
		t.Fatal(err)
	}
}

// The disk fills while a file is written: backup left a -journal, export
// diary a 4 KB calendar, print card a 0-byte PDF, demo an empty database
// that passed check. Now each fails plainly, leaves nothing under the name
// it was writing, and an earlier file of that name is as it was.
func TestDefectDiskFull(t *testing.T) {
	src := filepath.Join(t.TempDir(), "demo.db")
	// More than a 256 KB disk holds, and with a calendar of more than 4 KB.
	makeDemo(t, src, "--patients", "1500")
	srcBefore, _ := os.ReadFile(src)

	t.Run("backup", func(t *testing.T) {
		disk := smallDisk(t, "256k")
		code, stdout, errOut := runCLI("backup", "--db", src, "--out", filepath.Join(disk, "backup.db"))
		failedPlainly(t, code, stdout, errOut)
		folderHolds(t, disk)
		recordedOnlySignIn(t, src, srcBefore)
	})

	// The calendar and the card are small, so the disk is filled first,
	// leaving one page: the new file starts to be written, then runs out.
	for _, tc := range []struct{ name, file string }{
		{"export diary", "diary.ics"},
		{"print card", "card.pdf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			disk := smallDisk(t, "256k")
			out := filepath.Join(disk, tc.file)
			old := []byte("the one made yesterday\n")
			if err := os.WriteFile(out, old, 0o600); err != nil {
				t.Fatal(err)
			}
			fillDisk(t, disk, 4096)
			args := map[string][]string{
				"export diary": {"export", "diary", "--worker", "linkworker1", "--from", "2026-01-01", "--to", "2026-12-31"},
				"print card":   {"print", "card", "--id", "1"},
			}[tc.name]
			code, stdout, errOut := runCLI(append(args, "--db", src, "--out", out)...)
			failedPlainly(t, code, stdout, errOut)
			if !strings.Contains(errOut, "no space left") {
				t.Errorf("stderr does not say the disk is full: %q", errOut)
			}
			if got, _ := os.ReadFile(out); !bytes.Equal(got, old) {
				t.Errorf("%s became %d bytes", tc.file, len(got))
			}
			folderHolds(t, disk, tc.file, "filler")
			recordedOnlySignIn(t, src, srcBefore)
		})
	}

	// print prescription truncated its file and still recorded the print,
	// so the patient's first print became a "reprint". On a full disk it
	// now fails plainly and records nothing.
	t.Run("print prescription", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "practice.db")
		copyFile(t, src, db)
		prints := func() int {
			store, err := data.OpenReadOnly(db)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			n := 0
			for id := int64(1); id <= 3; id++ {
				if printed, err := store.Printed(context.Background(), sessionFor(t, store, data.OpViewPrescription), id); err != nil {
					t.Fatal(err)
				} else if printed {
					n++
				}
			}
			return n
		}
		before := prints()
		disk := smallDisk(t, "256k")
		fillDisk(t, disk, 4096)
		for id := 1; id <= 3; id++ {
			out := filepath.Join(disk, fmt.Sprintf("rx%d.pdf", id))
			code, stdout, errOut := runCLI("print", "prescription", "--db", db, "--id", strconv.Itoa(id), "--out", out)
			failedPlainly(t, code, stdout, errOut)
		}
		folderHolds(t, disk, "filler")
		if after := prints(); after != before {
			t.Errorf("%d prescriptions counted as printed before, %d after failed prints", before, after)
		}
	})

	t.Run("demo", func(t *testing.T) {
		disk := smallDisk(t, "256k")
		code, stdout, errOut := runCLI("demo", "--db", filepath.Join(disk, "demo.db"), "--patients", "300", "--years", "1")
		failedPlainly(t, code, stdout, errOut)
		folderHolds(t, disk)
	})

	// A demo --force that runs out of room leaves the demo it was to
	// replace. The disk holds the old demo with room to spare (1 MB), but
	// not two (a demo carries its audit history: 300 patients are 1.9 MB).
	t.Run("demo --force", func(t *testing.T) {
		disk := smallDisk(t, fmt.Sprintf("%dk", len(srcBefore)/1024+1024))
		db := filepath.Join(disk, "demo.db")
		before := copyFile(t, src, db)
		code, stdout, errOut := runCLI("demo", "--db", db, "--patients", "300", "--years", "1", "--seed", "2", "--force")
		failedPlainly(t, code, stdout, errOut)
		untouched(t, db, before)
		folderHolds(t, disk, "demo.db")
		healthy(t, db)
	})
}

// Where Linkwell cannot write (read-only media) nothing can be recorded in
// the audit, so what hands out patients' data (the referrals and diary
// exports, the appointment card, print prescription) is refused with a
// plain message; the directory export and backups, which are the way to
// rescue the records, still work (data/audit_reads.go).
func TestExportsReadOnlyMedia(t *testing.T) {
	src := filepath.Join(t.TempDir(), "demo.db")
	makeDemo(t, src)
	media := smallDisk(t, "2m")
	db := filepath.Join(media, "demo.db")
	before := copyFile(t, src, db)
	if out, err := exec.Command("mount", "-o", "remount,ro", media).CombinedOutput(); err != nil {
		t.Skipf("cannot make the tmpfs read-only: %v %s", err, out)
	}
	dir := t.TempDir()
	for _, args := range [][]string{
		{"export", "services", "--out", filepath.Join(dir, "services.json")},
		{"backup", "--out", filepath.Join(dir, "backup.db")},
	} {
		code, _, errOut := runCLI(append(args, "--db", db)...)
		if code != 0 {
			t.Errorf("%s on read-only media: %d %s", strings.Join(args[:2], " "), code, errOut)
		}
	}
	for _, args := range [][]string{
		{"export", "referrals", "--out", filepath.Join(dir, "referrals.csv")},
		{"export", "diary", "--worker", "linkworker1", "--out", filepath.Join(dir, "diary.ics")},
		{"print", "card", "--id", "1", "--out", filepath.Join(dir, "card.pdf")},
	} {
		code, stdout, errOut := runCLI(append(args, "--db", db)...)
		failedPlainly(t, code, stdout, errOut)
		if !strings.Contains(errOut, "recorded in the audit") || !strings.Contains(errOut, "read-only") {
			t.Errorf("%s on read-only media: %q", strings.Join(args[:2], " "), errOut)
		}
	}
	code, stdout, errOut := runCLI("print", "prescription", "--id", "1", "--db", db, "--out", filepath.Join(dir, "rx.pdf"))
	failedPlainly(t, code, stdout, errOut)
	if !strings.Contains(errOut, "cannot write") {
		t.Errorf("print prescription on read-only media: %q", errOut)
	}
	untouched(t, db, before)
	folderHolds(t, dir, "backup.db", "services.json")
}
