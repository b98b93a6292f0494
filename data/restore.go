package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrInUse is returned when a database that is to be replaced is open in
// Linkwell, here or on another computer.
var ErrInUse = errors.New("the database is in use")

// RestoreInfo says what Restore did.
type RestoreInfo struct {
	Replaced      string // where the database that was at the path is kept; "" when there was none
	SchemaVersion int    // of the restored database
	Counts        []TableCount
}

// Restore puts the backup from in place of the database at dbPath. An
// encrypted backup (see IsEncryptedBackup) is decrypted with passphrase.
// The backup is copied beside dbPath and checked first: it must be a
// Linkwell database, not from a newer Linkwell, and pass SQLite's full
// integrity check; if not, it is refused and the database is left exactly
// as it was. The database it replaces is kept beside it as
// dbPath.replaced-YYYYMMDD-HHMMSS (now, to the second), with whatever SQLite
// held for it in its -wal file folded in, so nothing of it can be replayed
// onto the restored file; the restored file is then renamed into place.
// Restore refuses with ErrInUse while the database is open in Linkwell.
func Restore(ctx context.Context, dbPath, from, passphrase string, now time.Time) (RestoreInfo, error) {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return RestoreInfo{}, err
	}
	src, err := filepath.Abs(from)
	if err != nil {
		return RestoreInfo{}, err
	}
	if abs == src {
		return RestoreInfo{}, errors.New("the backup and the database are the same file")
	}
	encrypted, err := IsEncryptedBackup(src)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("the backup cannot be read: %s", plainError(err))
	}
	if encrypted && passphrase == "" {
		return RestoreInfo{}, errors.New("the backup is encrypted; its passphrase is needed")
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return RestoreInfo{}, err
	}

	tmp, err := copyBackup(src, dir, filepath.Base(abs)+".restoring", encrypted, passphrase)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("%s cannot be restored, and nothing was changed: %w", from, err)
	}
	defer removeDatabase(tmp)
	h, err := checkCopy(ctx, tmp)
	if err != nil {
		return RestoreInfo{}, fmt.Errorf("%s cannot be restored, and nothing was changed: %s", from, reasonOf(err))
	}

	info := RestoreInfo{SchemaVersion: h.SchemaVersion, Counts: h.Counts}
	if _, err := os.Lstat(abs); err == nil {
		if err := settle(abs); errors.Is(err, ErrInUse) {
			return RestoreInfo{}, fmt.Errorf("%s is open in Linkwell, and nothing was changed: close Linkwell on every computer that uses it, then restore again", dbPath)
		}
		// Any other failure (a damaged file) leaves its -wal and -shm,
		// which moveDatabase takes along with it.
		info.Replaced, err = keptName(abs, now)
		if err != nil {
			return RestoreInfo{}, err
		}
		if err := moveDatabase(abs, info.Replaced); err != nil {
			return RestoreInfo{}, fmt.Errorf("the database could not be moved aside: %w", err)
		}
	}
	if err := linkIntoPlace(tmp, abs); err != nil {
		if info.Replaced != "" {
			moveDatabase(info.Replaced, abs) // put it back
		}
		return RestoreInfo{}, fmt.Errorf("the restored database could not be put in place: %w. The database was left as it was", err)
	}
	return info, nil
}

// copyBackup copies (or, when encrypted, decrypts) the backup at src to a
// temporary file in dir, named after name, synced to disk, and returns its
// path: the copy is checked and renamed from there, and the backup itself
// stays where it is.
func copyBackup(src, dir, name string, encrypted bool, passphrase string) (tmp string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", errors.New(plainError(err))
	}
	defer in.Close()
	var r io.Reader = in
	if encrypted {
		if r, err = decrypt(in, passphrase); err != nil {
			return "", err
		}
	}
	out, err := os.CreateTemp(dir, "."+name+"-*") // readable by its owner only
	if err != nil {
		return "", fmt.Errorf("it cannot be copied beside the database (%s)", plainError(err))
	}
	tmp = out.Name()
	_, err = io.Copy(out, r)
	if err == nil {
		err = out.Sync()
	}
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(tmp)
		if errors.Is(err, ErrWrongPassphrase) {
			return "", err
		}
		return "", fmt.Errorf("it could not be copied (%w)", err)
	}
	return tmp, nil
}

// settle folds whatever SQLite holds in the -wal file of the database at
// path into the file itself and leaves it in rollback-journal mode, so that
// the file can be moved on its own and no -wal stays behind to be replayed
// onto the file that takes its name. SQLite leaves WAL mode only when no
// other connection has the database open, so settle fails with ErrInUse
// while Linkwell runs on it.
func settle(path string) error {
	if !exists(path+"-wal") && !exists(path+"-shm") {
		return nil // nothing beside it, so nobody has it open in WAL mode
	}
	u := FileURL(path) // file:///C:/… on Windows, see FileURL
	db, err := sql.Open("sqlite", u.String()+"?_pragma=busy_timeout(2000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var mode string
	err = db.QueryRow("PRAGMA journal_mode = DELETE").Scan(&mode)
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED) {
		return ErrInUse
	}
	if err != nil {
		return err
	}
	if mode != "delete" {
		return ErrInUse
	}
	if err := db.Close(); err != nil {
		return err
	}
	if exists(path + "-wal") {
		return ErrInUse // another connection came in as this one left
	}
	return nil
}

// keptName is where the database at path is kept when a restore replaces it.
func keptName(path string, now time.Time) (string, error) {
	base := path + ".replaced-" + now.Format("20060102-150405")
	name := base
	for n := 2; exists(name) || exists(name+"-wal"); n++ {
		if n > 100 {
			return "", fmt.Errorf("too many files named %s-N", base)
		}
		name = base + "-" + strconv.Itoa(n)
	}
	return name, nil
}

// moveDatabase renames a database file, with any -wal and -shm beside it.
// The -wal moves first: left behind, it would be replayed onto whatever
// next takes the old name.
func moveDatabase(from, to string) error {
	for _, suffix := range []string{"-wal", "-shm"} {
		if exists(from + suffix) {
			if err := os.Rename(from+suffix, to+suffix); err != nil {
				return err
			}
		}
	}
	if err := os.Rename(from, to); err != nil {
		return err
	}
	syncFolder(filepath.Dir(to))
	return nil
}

// abandonedAfter is how old a build folder must be before it is taken for
// one a killed build left behind; the largest demo builds in minutes.
const abandonedAfter = time.Hour

// removeAbandonedBuilds removes the build folders for name in dir that a
// killed build (power cut, Ctrl+C twice, SIGKILL) left behind. A folder
// younger than abandonedAfter may belong to a build still running.
func removeAbandonedBuilds(dir, name string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "."+name+".building-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > abandonedAfter {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// BuildDatabase makes a new database at path: build fills a freshly opened
// store. The database is built in a temporary folder beside path and moved
// into place only when build has succeeded, so a failed or interrupted build
// leaves nothing new under path. What is at path already must be nothing,
// or, with replaceDemo, a demo database (see IsDemoDatabase); anything else
// is refused and left untouched, and so is a demo that is open in Linkwell.
func BuildDatabase(path string, replaceDemo bool, build func(*Store) error) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	replacing := exists(abs)
	if replacing {
		if !replaceDemo {
			return fmt.Errorf("%s already exists", path)
		}
		demo, err := IsDemoDatabase(abs)
		if err != nil {
			return fmt.Errorf("%s has been left as it was, because only a demo database is replaced: %s", path, reasonOf(err))
		}
		if !demo {
			return fmt.Errorf("%s has been left as it was: it is a practice's own database, not a demo", path)
		}
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	removeAbandonedBuilds(dir, filepath.Base(abs))
	tmpDir, err := os.MkdirTemp(dir, "."+filepath.Base(abs)+".building-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, filepath.Base(abs))
	s, err := Open(tmp)
	if err != nil {
		return errors.New(reasonOf(err)) // the reason, not the temporary file's name
	}
	err = build(s)
	if closeErr := s.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	if exists(tmp + "-wal") {
		return errors.New("the new database was not closed cleanly; nothing was put in place")
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if !replacing {
		if err := linkIntoPlace(tmp, abs); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	}
	if err := settle(abs); errors.Is(err, ErrInUse) {
		return fmt.Errorf("%s is open in Linkwell; close it first. It has been left as it was", path)
	}
	// It is a demo: whatever its -wal held goes with it.
	os.Remove(abs + "-wal")
	os.Remove(abs + "-shm")
	if err := os.Rename(tmp, abs); err != nil {
		return err
	}
	syncFolder(dir)
	return nil
}
