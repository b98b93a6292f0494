package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// How many automatic backups are kept: the newest of each of the last
// keepDaily days that have one, and of each of the last keepWeekly weeks.
const (
	keepDaily  = 14
	keepWeekly = 8
)

// backupTimeLayout names an automatic backup by when it was made, in local
// time, so the names sort in time order and read plainly in a folder.
const backupTimeLayout = "2006-01-02-150405"

// BackupFolder is where automatic backups go unless another folder is
// chosen: a "backups" folder beside the database.
func (s *Store) BackupFolder() string {
	return filepath.Join(filepath.Dir(s.path), "backups")
}

// AutoBackup writes a verified copy of the database (see Backup) into dir,
// or BackupFolder when dir is "", named after the database and now (for
// linkwell.db: linkwell-2026-11-25-173000.db), then removes older automatic
// copies beyond the newest of each of the last 14 days and of each of the
// last 8 weeks. Only files with that name pattern are ever removed. A
// failure to tidy up is returned with the BackupInfo of the good copy.
func (s *Store) AutoBackup(ctx context.Context, dir string, now time.Time) (BackupInfo, error) {
	if s.engine == enginePostgres {
		return BackupInfo{}, errServerBackups
	}
	if dir == "" {
		dir = s.BackupFolder()
	}
	now = now.In(time.Local)
	info, err := s.backup(ctx, filepath.Join(dir, s.backupStem()+"-"+now.Format(backupTimeLayout)+".db"))
	if err != nil {
		return info, err
	}
	info.At = now
	if err := s.pruneBackups(dir, now); err != nil {
		return info, fmt.Errorf("the backup was made, but older copies could not be tidied away: %w", err)
	}
	return info, nil
}

// LastGoodBackup is the newest automatic backup in dir (BackupFolder when
// dir is ""); found is false when there is none. A copy gets a backup's name
// only after it has passed its checks, so the newest name is the last good
// backup.
func (s *Store) LastGoodBackup(dir string) (info BackupInfo, found bool, err error) {
	if dir == "" {
		dir = s.BackupFolder()
	}
	backups, err := s.autoBackups(dir)
	if err != nil || len(backups) == 0 {
		return BackupInfo{}, false, err
	}
	last := backups[len(backups)-1]
	st, err := os.Stat(last.Path)
	if err != nil {
		return BackupInfo{}, false, err
	}
	last.Size = st.Size()
	return last, true, nil
}

// backupStem is the database's file name without its extension.
func (s *Store) backupStem() string {
	base := filepath.Base(s.path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// autoBackups lists this database's automatic backups in dir, oldest first.
func (s *Store) autoBackups(dir string) ([]BackupInfo, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	prefix := s.backupStem() + "-"
	var out []BackupInfo
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, ".db") {
			continue
		}
		at, err := time.ParseInLocation(backupTimeLayout, strings.TrimSuffix(strings.TrimPrefix(name, prefix), ".db"), time.Local)
		if err != nil {
			continue // not one of ours
		}
		out = append(out, BackupInfo{Path: filepath.Join(dir, name), At: at})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// pruneBackups removes the automatic backups keepBackups does not keep, and
// temporary files of backups that were cut off more than a day ago.
func (s *Store) pruneBackups(dir string, now time.Time) error {
	backups, err := s.autoBackups(dir)
	if err != nil {
		return err
	}
	made := make([]time.Time, len(backups))
	for i, b := range backups {
		made[i] = b.At
	}
	keep := keepBackups(made)
	for i, b := range backups {
		if !keep[i] {
			if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	partials, _ := filepath.Glob(filepath.Join(dir, "."+s.backupStem()+"-*.db.partial-*"))
	for _, p := range partials {
		if st, err := os.Stat(p); err == nil && now.Sub(st.ModTime()) > 24*time.Hour {
			os.Remove(p)
		}
	}
	return nil
}

// keepBackups says which backups to keep, given when each was made: the
// newest of each of the keepDaily most recent days that have a backup, and
// the newest of each of the keepWeekly most recent weeks (Monday to Sunday)
// that have one. Counting days and weeks that have a backup, rather than
// days back from today, means a practice closed for a month still finds
// its last fortnight of copies.
func keepBackups(made []time.Time) []bool {
	order := make([]int, len(made))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return made[order[a]].After(made[order[b]]) })
	keep := make([]bool, len(made))
	days := map[string]bool{}
	weeks := map[[2]int]bool{}
	for _, i := range order { // newest first, so the first of a day is its newest
		t := made[i]
		day := t.Format(DateLayout)
		if !days[day] && len(days) < keepDaily {
			keep[i] = true
		}
		days[day] = true
		year, week := t.ISOWeek()
		if !weeks[[2]int{year, week}] && len(weeks) < keepWeekly {
			keep[i] = true
		}
		weeks[[2]int{year, week}] = true
	}
	return keep
}
