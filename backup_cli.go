package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"linkwell/data"
)

// passphraseEnv gives the passphrase of an encrypted backup without a
// prompt, for a scheduled backup.
const passphraseEnv = "LINKWELL_BACKUP_PASSPHRASE"

// minPassphrase is the shortest passphrase accepted for a new backup: the
// file holds patients' case notes and may travel on a USB stick.
const minPassphrase = 10

// openReadOnly opens the database of a subcommand that only reads it
// (check, audit verify): nothing is migrated or written,
// so it works on read-only media and leaves the file exactly as it was.
func openReadOnly(cmd, path string, stderr io.Writer) (*data.Store, error) {
	if path == "" {
		return nil, usageErr("%s: say which database with --db PATH (or set LINKWELL_DB)", cmd)
	}
	store, err := data.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	if data.IsServerURL(path) {
		return store, nil // the server, not this PC, says who may write
	}
	if why := data.CannotWrite(store.Path()); why != "" {
		fmt.Fprintf(stderr, "note: Linkwell cannot write to %s (%s); it was opened read-only, which is all %s needs.\n", path, why, cmd)
	}
	return store, nil
}

// openRecorded opens the database of a subcommand whose work the audit
// records (the exports, print card, backup). Where Linkwell can write to
// the file it is opened as the app opens it, so the sign-in and the work
// are recorded; on read-only media it is opened read-only, where the store
// refuses the patient data it cannot record and still makes backups and
// exports the directory (see data/audit_reads.go). A server database is
// opened as the app opens it: the server says what the login may write.
func openRecorded(cmd, path string) (*data.Store, error) {
	if path == "" {
		return nil, usageErr("%s: say which database with --db PATH (or set LINKWELL_DB)", cmd)
	}
	if data.IsServerURL(path) {
		return openExisting(cmd, path)
	}
	if _, err := os.Stat(path); err == nil && data.CannotWrite(path) == "" {
		return openExisting(cmd, path)
	}
	// The store's refusal says why, so no note is printed here.
	return data.OpenReadOnly(path)
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("backup", stderr)
	db := dbFlag(fs)
	out := fs.String("out", "", "the backup file to write")
	encrypt := fs.Bool("encrypt", false, "encrypt the copy with a passphrase (asked for, or $"+passphraseEnv+")")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageErr("backup: say where to write the copy with --out FILE")
	}
	store, err := openRecorded("backup", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	sess, err := signIn(ctx, "backup", store, *as, data.OpBackup, stderr)
	if err != nil {
		return err
	}
	var info data.BackupInfo
	if *encrypt {
		passphrase, err := newPassphrase(stderr)
		if err != nil {
			return fmt.Errorf("backup: %w; nothing was written", err)
		}
		info, err = store.BackupEncrypted(ctx, sess, *out, passphrase)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	} else if info, err = store.Backup(ctx, sess, *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "Backup written to %s and checked (integrity ok, schema %d).\n", *out, info.SchemaVersion)
	if *encrypt {
		fmt.Fprintln(stdout, "It is encrypted: keep the passphrase safe, as the backup cannot be restored without it.")
	}
	printCounts(stdout, info.Counts)
	return nil
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("restore", stderr)
	db := dbFlag(fs)
	from := fs.String("from", "", "the backup to restore")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usageErr("restore: say which database to replace with --db PATH (or set LINKWELL_DB)")
	}
	if *from == "" {
		return usageErr("restore: say which backup with --from FILE")
	}
	if err := mayRestore(ctx, *db, *as, stderr); err != nil {
		return err
	}
	encrypted, err := data.IsEncryptedBackup(*from)
	if err != nil {
		return fmt.Errorf("restore: the backup cannot be read: %w", err)
	}
	passphrase := ""
	if encrypted {
		if passphrase, err = backupPassphrase(stderr); err != nil {
			return fmt.Errorf("restore: %w; nothing was changed", err)
		}
	}
	info, err := data.Restore(ctx, *db, *from, passphrase, *as, time.Now())
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(stdout, "Restored %s from %s (checked: integrity ok, schema %d).\n", *db, *from, info.SchemaVersion)
	if info.Replaced != "" {
		fmt.Fprintf(stdout, "The database it replaced is kept as %s.\n", info.Replaced)
	}
	printCounts(stdout, info.Counts)
	return nil
}

// printCounts prints row counts the way check does.
func printCounts(w io.Writer, counts []data.TableCount) {
	for _, c := range counts {
		fmt.Fprintf(w, "%-20s %9d\n", c.Table, c.Rows)
	}
}

// newPassphrase is the passphrase for a new encrypted backup: from
// $LINKWELL_BACKUP_PASSPHRASE, else typed twice at the terminal.
func newPassphrase(stderr io.Writer) (string, error) {
	if p := os.Getenv(passphraseEnv); p != "" {
		return p, checkNewPassphrase(p)
	}
	p, err := readPassphrase("Passphrase for the backup: ", stderr)
	if err != nil {
		return "", err
	}
	if err := checkNewPassphrase(p); err != nil {
		return "", err
	}
	again, err := readPassphrase("The same passphrase again: ", stderr)
	if err != nil {
		return "", err
	}
	if again != p {
		return "", errors.New("the two passphrases were not the same")
	}
	return p, nil
}

func checkNewPassphrase(p string) error {
	if utf8.RuneCountInString(p) < minPassphrase {
		return fmt.Errorf("the passphrase must be at least %d characters (a few words are easier to remember than symbols)", minPassphrase)
	}
	return nil
}

// backupPassphrase is the passphrase of an existing encrypted backup: from
// $LINKWELL_BACKUP_PASSPHRASE, else typed at the terminal.
func backupPassphrase(stderr io.Writer) (string, error) {
	if p := os.Getenv(passphraseEnv); p != "" {
		return p, nil
	}
	return readPassphrase("Passphrase of the backup: ", stderr)
}

// readPassphrase asks at the terminal without showing what is typed. Tests
// replace it.
var readPassphrase = func(prompt string, stderr io.Writer) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("a passphrase is needed: run this in a terminal, or set %s", passphraseEnv)
	}
	fmt.Fprint(stderr, prompt)
	p, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	return string(p), err
}

// mayRestore signs the --as user in to the database about to be replaced
// and checks they may restore it. A database that cannot be opened at all
// (damaged, or missing) has no one to sign in as: whoever can replace the
// file may then restore it, as the app's recovery screen does.
func mayRestore(ctx context.Context, path, username string, stderr io.Writer) error {
	store, err := data.OpenReadOnly(path)
	if err != nil {
		return nil
	}
	defer store.Close()
	_, err = signIn(ctx, "restore", store, username, data.OpRestore, stderr)
	return err
}
