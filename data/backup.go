package data

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"
)

// BackupInfo describes a backup that passed its checks.
type BackupInfo struct {
	Path          string
	At            time.Time // when it was made
	Size          int64     // bytes on disk
	SchemaVersion int
	Counts        []TableCount // rows in the copy, table by table
}

// testHookBackup, when set by a test, runs at each step of a backup
// ("counted": the source's rows are counted; "copied": VACUUM INTO has
// written the temporary file tmp), so a test can write meanwhile or spoil
// the copy.
var testHookBackup func(step, tmp string)

// Backup writes a copy of the database to out and checks it before it gets
// that name: VACUUM INTO writes a temporary file in out's folder; the copy
// must pass SQLite's full integrity check and carry the same mark, schema
// version and row counts as the database; it is synced to disk and only then
// renamed to out. Any failure removes the temporary file, so nothing appears
// under out unless it is a good copy. The file is readable by its owner only.
// It refuses to overwrite an existing file. VACUUM INTO reads one snapshot,
// so backing up is safe while other copies of Linkwell write.
func (s *Store) Backup(ctx context.Context, sess *Session, out string) (BackupInfo, error) {
	actor, err := s.allow(ctx, sess, OpBackup)
	if err != nil {
		return BackupInfo{}, err
	}
	return s.backup(ctx, out, actor.ID, "")
}

// backup is Backup for a user (actorID), or for nobody (0): the app's
// automatic backups run on their own (AutoBackup). The backup is recorded
// in the audit once the checked copy is ready and before it takes its
// name, so a backup that cannot be recorded is not made; a read-only store
// records nothing (see audit_reads.go).
func (s *Store) backup(ctx context.Context, out string, actorID int64, kind string) (BackupInfo, error) {
	abs, err := s.backupTarget(out)
	if err != nil {
		return BackupInfo{}, err
	}
	if s.engine == enginePostgres {
		return s.serverBackup(ctx, abs, actorID, kind) // copy.go
	}
	tmp, info, err := s.verifiedCopy(ctx, filepath.Dir(abs), filepath.Base(abs))
	if err != nil {
		return BackupInfo{}, err
	}
	defer removeDatabase(tmp)
	if err := s.recordIfWritable(ctx, actorID, "backup", "database", 0, kind+"backup to "+abs); err != nil {
		return BackupInfo{}, err
	}
	if err := linkIntoPlace(tmp, abs); err != nil {
		return BackupInfo{}, backupPlaceError(out, err)
	}
	info.Path = abs
	return info, nil
}

// backupTarget checks the path a backup is to be written to and makes its
// folder.
func (s *Store) backupTarget(out string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	if abs == s.path {
		return "", errors.New("the backup cannot be the database itself; choose another file")
	}
	if _, err := os.Lstat(abs); err == nil {
		return "", fmt.Errorf("%s already exists; choose a new file name so no backup is overwritten", out)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return "", fmt.Errorf("the backup's folder cannot be made: %w", err)
	}
	return abs, nil
}

func backupPlaceError(out string, err error) error {
	if errors.Is(err, errAlreadyThere) {
		return fmt.Errorf("%s appeared while the backup was made; choose a new file name so no backup is overwritten", out)
	}
	return fmt.Errorf("backup failed: %w", err)
}

// verifiedCopy writes a checked, synced copy of the database to a temporary
// file in dir, named after name, and returns its path. On failure nothing
// is left behind.
func (s *Store) verifiedCopy(ctx context.Context, dir, name string) (tmp string, info BackupInfo, err error) {
	f, err := os.CreateTemp(dir, "."+name+".partial-*") // made readable by its owner only
	if err != nil {
		return "", info, fmt.Errorf("backup failed: %w", err)
	}
	tmp = f.Name()
	f.Close()
	defer func() {
		if err != nil {
			removeDatabase(tmp)
			tmp = ""
		}
	}()

	// One connection throughout, so that PRAGMA data_version tells whether
	// any other connection committed between the counting and the copy.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	defer conn.Close()
	var dataVersion, version int
	if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&dataVersion); err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	marked, err := s.marked(ctx)
	if err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	counts, err := countRows(ctx, conn)
	if err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	if testHookBackup != nil {
		testHookBackup("counted", tmp)
	}
	// SQLite does not allow VACUUM inside a transaction, so the counts and
	// the copy cannot share one snapshot; the counts are compared only when
	// nothing was committed in between (see below).
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	var dataVersionAfter int
	if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&dataVersionAfter); err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	if testHookBackup != nil {
		testHookBackup("copied", tmp)
	}
	if s.changedSinceOpen() {
		return tmp, info, errors.New("backup failed: the database was changed while it was copied (Linkwell started writing to it); make the backup again")
	}

	copied, err := checkCopy(ctx, tmp)
	if err != nil {
		return tmp, info, fmt.Errorf("backup failed: the copy did not pass its check (%s); nothing was kept", reasonOf(err))
	}
	if copied.SchemaVersion != version || copied.Marked != marked {
		return tmp, info, fmt.Errorf("backup failed: the copy has schema %d (marked %v), the database %d (marked %v); nothing was kept",
			copied.SchemaVersion, copied.Marked, version, marked)
	}
	// With a commit in between, the copy may rightly hold more or fewer rows
	// than were counted; it has passed the integrity check, which is what
	// can be asked of it then.
	if dataVersionAfter == dataVersion {
		for i, c := range counts {
			if copied.Counts[i] != c {
				return tmp, info, fmt.Errorf("backup failed: the copy has %d rows in %s, the database %d; nothing was kept",
					copied.Counts[i].Rows, c.Table, c.Rows)
			}
		}
	}
	if err := syncFile(tmp); err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	st, err := os.Stat(tmp)
	if err != nil {
		return tmp, info, fmt.Errorf("backup failed: %w", err)
	}
	return tmp, BackupInfo{At: s.now(), Size: st.Size(), SchemaVersion: copied.SchemaVersion, Counts: copied.Counts}, nil
}

// checkCopy checks a database copy (a backup, or one about to be restored)
// read-only: it must be Linkwell's, not from a newer Linkwell, and pass
// SQLite's full integrity check. It returns the copy's schema version, mark
// and row counts.
func checkCopy(ctx context.Context, path string) (Health, error) {
	c, err := OpenReadOnly(path)
	if err != nil {
		return Health{}, err
	}
	defer c.Close()
	h, err := c.health(ctx, false)
	if err != nil {
		return h, err
	}
	if h.Integrity != "ok" {
		return h, fmt.Errorf("it failed SQLite's integrity check: %s", h.Integrity)
	}
	return h, nil
}

// reasonOf is an error's reason without the temporary file's name.
func reasonOf(err error) string {
	var oe *OpenError
	if errors.As(err, &oe) {
		return oe.Reason
	}
	return err.Error()
}

// scryptWorkFactor is age's default cost for a passphrase (about a second);
// tests lower it.
var scryptWorkFactor = 18

// encryptedHeader starts every file age encrypts.
var encryptedHeader = []byte("age-encryption.org/v1")

// ErrWrongPassphrase is returned when an encrypted backup does not open
// with the passphrase given.
var ErrWrongPassphrase = errors.New("the passphrase does not open this backup")

// BackupEncrypted is Backup with the copy encrypted to a passphrase with
// age (its scrypt recipient; `age -d` opens the file too). The plain copy is
// made and checked beside the database, never in out's folder (which may be
// a USB stick), and is removed afterwards. The encrypted file is decrypted
// once more and compared with the plain copy before it gets its name.
func (s *Store) BackupEncrypted(ctx context.Context, sess *Session, out, passphrase string) (BackupInfo, error) {
	actor, err := s.allow(ctx, sess, OpBackup)
	if err != nil {
		return BackupInfo{}, err
	}
	if passphrase == "" {
		return BackupInfo{}, errors.New("an encrypted backup needs a passphrase")
	}
	abs, err := s.backupTarget(out)
	if err != nil {
		return BackupInfo{}, err
	}
	plainDir := filepath.Dir(s.path)
	if tryNewFile(plainDir) != nil {
		plainDir = os.TempDir() // the database is on read-only media
	}
	plain, info, err := s.verifiedCopy(ctx, plainDir, filepath.Base(s.path)+".backup")
	if err != nil {
		return BackupInfo{}, err
	}
	defer removeDatabase(plain)
	tmp, err := encryptFile(plain, filepath.Dir(abs), filepath.Base(abs), passphrase)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup failed: %w", err)
	}
	defer os.Remove(tmp)
	if err := s.recordIfWritable(ctx, actor.ID, "backup", "database", 0, "encrypted backup to "+abs); err != nil {
		return BackupInfo{}, err
	}
	if err := linkIntoPlace(tmp, abs); err != nil {
		return BackupInfo{}, backupPlaceError(out, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return BackupInfo{}, err
	}
	info.Path, info.Size = abs, st.Size()
	return info, nil
}

// encryptFile encrypts plain into a temporary file in dir, named after
// name, syncs it, reads it back and returns its path.
func encryptFile(plain, dir, name, passphrase string) (tmp string, err error) {
	recipient, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return "", err
	}
	recipient.SetWorkFactor(scryptWorkFactor)
	src, err := os.Open(plain)
	if err != nil {
		return "", err
	}
	defer src.Close()
	f, err := os.CreateTemp(dir, "."+name+".partial-*")
	if err != nil {
		return "", err
	}
	tmp = f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w, err := age.Encrypt(f, recipient)
	if err != nil {
		return tmp, err
	}
	sum := sha256.New()
	if _, err := io.Copy(w, io.TeeReader(src, sum)); err != nil {
		return tmp, err
	}
	if err := w.Close(); err != nil {
		return tmp, err
	}
	if err := f.Sync(); err != nil {
		return tmp, err
	}
	if err := f.Close(); err != nil {
		return tmp, err
	}
	back, err := decryptedSum(tmp, passphrase)
	if err != nil {
		return tmp, fmt.Errorf("the encrypted copy cannot be read back: %w", err)
	}
	if !bytes.Equal(back, sum.Sum(nil)) {
		return tmp, errors.New("the encrypted copy does not read back the same as the database copy")
	}
	return tmp, nil
}

// decryptedSum is the SHA-256 of what the encrypted file at path decrypts to.
func decryptedSum(path, passphrase string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := decrypt(f, passphrase)
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, r); err != nil {
		return nil, err
	}
	return sum.Sum(nil), nil
}

// decrypt opens an age file encrypted to a passphrase.
func decrypt(src io.Reader, passphrase string) (io.Reader, error) {
	identity, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	r, err := age.Decrypt(src, identity)
	if errors.Is(err, age.ErrIncorrectIdentity) {
		return nil, ErrWrongPassphrase
	}
	return r, err
}

// IsEncryptedBackup reports whether the file at path was encrypted by age,
// as `linkwell backup --encrypt` does, so that restoring it needs the
// passphrase.
func IsEncryptedBackup(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(encryptedHeader))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return bytes.Equal(head[:n], encryptedHeader), nil
}
