package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func init() { scryptWorkFactor = 10 } // age's default takes a second each time

// practiceWithPatients is a store with a practice and n patients.
func practiceWithPatients(t *testing.T, n int) (*Store, User) {
	t.Helper()
	s := newStore(t)
	admin := setUpPractice(t, s)
	for i := 0; i < n; i++ {
		addPatient(t, s, admin, i)
	}
	return s, admin
}

func addPatient(t *testing.T, s *Store, admin User, i int) {
	t.Helper()
	_, err := s.SavePatient(context.Background(), s.sessionFor(OpEditPatient), Patient{GivenName: "Pat", FamilyName: "Number" + strings.Repeat("x", i%7) + string(rune('a'+i%26)),
		DateOfBirth: "1970-01-01", Phone: "07700 900" + string(rune('1'+i%9)) + "00"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

// folderNames lists what is in dir.
func folderNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestBackupIsCheckedAndPrivate(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 3)
	ctx := context.Background()
	dir := t.TempDir()
	sess := s.sessionFor(OpBackup)
	// The backup's own audit event is written after the copy is made.
	want, _ := s.Check(ctx)
	info, err := s.Backup(ctx, sess, filepath.Join(dir, "copy.db"))
	if err != nil {
		t.Fatal(err)
	}
	if got := folderNames(t, dir); len(got) != 1 || got[0] != "copy.db" {
		t.Errorf("folder holds %v, want only copy.db", got)
	}
	st, err := os.Stat(info.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if info.SchemaVersion != SchemaVersion() || len(info.Counts) != len(want.Counts) {
		t.Fatalf("info: %+v", info)
	}
	for i, c := range want.Counts {
		if info.Counts[i] != c {
			t.Errorf("copy %v, database %v", info.Counts[i], c)
		}
	}
	head, _ := readHeader(info.Path)
	if head == nil || head.applicationID != ApplicationID {
		t.Error("the backup does not carry the mark")
	}
}

func TestBackupThatFailsItsCheckLeavesNothing(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 3)
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.db")
	// The copy is spoiled after VACUUM INTO, as a failing disk would.
	testHookBackup = func(step, tmp string) {
		if step == "copied" {
			raw, _ := os.ReadFile(tmp)
			os.WriteFile(tmp, raw[:len(raw)/2], 0o600)
		}
	}
	defer func() { testHookBackup = nil }()
	_, err := s.Backup(context.Background(), s.sessionFor(OpBackup), out)
	if err == nil || !strings.Contains(err.Error(), "nothing was kept") {
		t.Fatalf("err = %v", err)
	}
	if got := folderNames(t, dir); len(got) != 0 {
		t.Errorf("a failed backup left %v", got)
	}
}

func TestCancelledBackupLeavesNothing(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 3)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	testHookBackup = func(step, tmp string) {
		if step == "counted" {
			cancel() // as the app closing half-way through
		}
	}
	defer func() { testHookBackup = nil }()
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), filepath.Join(dir, "copy.db")); err == nil {
		t.Fatal("a cancelled backup succeeded")
	}
	if got := folderNames(t, dir); len(got) != 0 {
		t.Errorf("a cancelled backup left %v", got)
	}
}

func TestBackupWhileAnotherCopyWrites(t *testing.T) {
	sqliteOnly(t)
	s, admin := practiceWithPatients(t, 3)
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// Rows added between the counting and the copy must not fail the backup.
	testHookBackup = func(step, tmp string) {
		if step == "counted" {
			addPatient(t, other, admin, 9)
		}
	}
	defer func() { testHookBackup = nil }()
	info, err := s.Backup(context.Background(), s.sessionFor(OpBackup), filepath.Join(t.TempDir(), "copy.db"))
	if err != nil {
		t.Fatalf("backup under a concurrent writer: %v", err)
	}
	if info.Counts[1].Table != "patients" || info.Counts[1].Rows != 4 {
		t.Errorf("copy counts %v, want 4 patients", info.Counts)
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 1)
	ctx := context.Background()
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), s.Path()); err == nil {
		t.Error("backed up onto the database itself")
	}
	out := filepath.Join(t.TempDir(), "keep.txt")
	os.WriteFile(out, []byte("keep me"), 0o600)
	if _, err := s.Backup(ctx, s.sessionFor(OpBackup), out); err == nil {
		t.Error("overwrote an existing file")
	}
	if raw, _ := os.ReadFile(out); string(raw) != "keep me" {
		t.Error("the existing file was changed")
	}
}

func TestEncryptedBackup(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 2)
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.age")
	info, err := s.BackupEncrypted(context.Background(), s.sessionFor(OpBackup), out, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if enc, err := IsEncryptedBackup(out); err != nil || !enc {
		t.Errorf("IsEncryptedBackup = %v, %v", enc, err)
	}
	if enc, _ := IsEncryptedBackup(s.Path()); enc {
		t.Error("the database counts as encrypted")
	}
	raw, _ := os.ReadFile(out)
	if strings.Contains(string(raw), "SQLite format") || strings.Contains(string(raw), "Riverside") {
		t.Error("the encrypted backup holds plain text")
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 || info.Size != st.Size() {
		t.Errorf("mode %v size %d, info %+v", st.Mode().Perm(), st.Size(), info)
	}
	if got := folderNames(t, dir); len(got) != 1 {
		t.Errorf("folder holds %v", got)
	}
	// No plain copy is left beside the database.
	for _, name := range folderNames(t, filepath.Dir(s.Path())) {
		if strings.Contains(name, "backup") {
			t.Errorf("%s left beside the database", name)
		}
	}
}

func TestKeepBackups(t *testing.T) {
	sqliteOnly(t)
	day := func(d int, hour int) time.Time { // d days before Wednesday 25 November 2026
		return time.Date(2026, 11, 25, hour, 0, 0, 0, time.UTC).AddDate(0, 0, -d)
	}
	daily := func(n int) []time.Time {
		var out []time.Time
		for d := n - 1; d >= 0; d-- {
			out = append(out, day(d, 17))
		}
		return out
	}
	tests := []struct {
		name string
		made []time.Time
		keep []time.Time
	}{
		{"fewer than 14: all kept", daily(5), daily(5)},
		{"60 days: the last 14 days and the Sundays of 5 weeks before them", daily(60), append([]time.Time{
			day(45, 17), day(38, 17), day(31, 17), day(24, 17), day(17, 17), // Sundays 11, 18, 25 Oct, 1, 8 Nov
		}, daily(14)...)},
		{"several a day: the newest of each day", []time.Time{day(1, 9), day(1, 12), day(1, 17), day(0, 9), day(0, 13)},
			[]time.Time{day(1, 17), day(0, 13)}},
		{"a month closed: the last 14 days that have a copy", append(daily(60)[:20], day(0, 17)), append([]time.Time{
			day(59, 17), // Sunday 27 September, the newest of its week
		}, append(daily(60)[7:20], day(0, 17))...)}, // 4 to 16 October, and today
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep := keepBackups(tt.made)
			var got []time.Time
			for i, k := range keep {
				if k {
					got = append(got, tt.made[i])
				}
			}
			if len(got) != len(tt.keep) {
				t.Fatalf("kept %d: %v\nwant %d: %v", len(got), got, len(tt.keep), tt.keep)
			}
			for i := range got {
				if !got[i].Equal(tt.keep[i]) {
					t.Errorf("kept %v, want %v", got[i], tt.keep[i])
				}
			}
		})
	}
}

func TestAutoBackupKeeps14DailyAnd8Weekly(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 1)
	ctx := context.Background()
	dir := t.TempDir()
	if _, found, err := s.LastGoodBackup(dir); found || err != nil {
		t.Fatalf("LastGoodBackup before any: %v %v", found, err)
	}
	start := time.Date(2026, 6, 1, 17, 30, 0, 0, time.Local)
	var last BackupInfo
	for d := 0; d < 100; d++ {
		info, err := s.AutoBackup(ctx, dir, start.AddDate(0, 0, d))
		if err != nil {
			t.Fatal(err)
		}
		last = info
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a backup"), 0o600)
	names := folderNames(t, dir)
	backups := 0
	for _, n := range names {
		if strings.HasPrefix(n, "test-") {
			backups++
		}
	}
	// 14 days span 2 or 3 weeks whose newest copy is among the dailies, so
	// 5 or 6 older weekly copies remain.
	if backups < 14+5 || backups > 14+6 {
		t.Errorf("%d backups kept: %v", backups, names)
	}
	got, found, err := s.LastGoodBackup(dir)
	if err != nil || !found || !got.At.Equal(last.At) || got.Path != last.Path {
		t.Errorf("LastGoodBackup = %+v %v %v, want %v", got, found, err, last.At)
	}
	if filepath.Base(got.Path) != "test-"+start.AddDate(0, 0, 99).Format("2006-01-02-150405")+".db" {
		t.Errorf("named %s", filepath.Base(got.Path))
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Error("pruning removed a file that is not a backup")
	}
	if s.BackupFolder() != filepath.Join(filepath.Dir(s.Path()), "backups") {
		t.Errorf("BackupFolder = %s", s.BackupFolder())
	}
	if _, err := s.AutoBackup(ctx, "", start); err != nil || !exists(filepath.Join(s.BackupFolder(), "test-"+start.Format("2006-01-02-150405")+".db")) {
		t.Errorf("default folder: %v %v", err, folderNames(t, s.BackupFolder()))
	}
}
