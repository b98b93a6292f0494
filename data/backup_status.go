package data

import (
	"path/filepath"
	"time"
)

// How often the app asks whether a backup is due while it runs, and how old
// the last one may grow before the practice manager is warned.
const (
	BackupCheckEvery = time.Hour
	BackupTooOld     = 48 * time.Hour
)

// LastGoodBackup is (*Store).LastGoodBackup for the database at dbPath
// without opening it: the recovery screen needs it when the database is
// too damaged to open. dir "" is the backups folder beside the database.
func LastGoodBackup(dbPath, dir string) (info BackupInfo, found bool, err error) {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return BackupInfo{}, false, err
	}
	return (&Store{path: abs}).LastGoodBackup(dir)
}

// BackupFolderOf is (*Store).BackupFolder for the database at dbPath.
func BackupFolderOf(dbPath string) string {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		abs = dbPath
	}
	return (&Store{path: abs}).BackupFolder()
}

// BackupDue says whether the app should make an automatic backup now, given
// the last good one (found false: there is none). The app asks every
// BackupCheckEvery, so a copy that is a day old less that is already due:
// no day passes without one.
func BackupDue(last time.Time, found bool, now time.Time) bool {
	return !found || now.Sub(last) >= 24*time.Hour-BackupCheckEvery
}

// BackupOverdue says whether the last good backup is old enough, or missing,
// for the practice manager to be warned.
func BackupOverdue(last time.Time, found bool, now time.Time) bool {
	return !found || now.Sub(last) > BackupTooOld
}

// SeesBackupStatus: the practice manager and the administrator look after
// the backups, so they see when the last one was made and when one failed.
func (r Role) SeesBackupStatus() bool {
	return r == RolePracticeManager || r == RoleAdministrator
}
