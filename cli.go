package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"linkwell/data"
)

// version is data.Version, which matches FyneApp.toml.
const version = data.Version

const usage = `Linkwell — social prescribing for GP practices.

Usage:
  linkwell [--db PATH]                      open the app
  linkwell demo --db PATH [--patients N] [--years Y] [--seed S] [--today YYYY-MM-DD] [--force]
                                            write a demo practice
  linkwell check --db PATH                  schema version, integrity, counts and the audit (reads only)
  linkwell audit verify --db PATH           check that no audit event was changed, removed or inserted
  linkwell backup --db PATH --as USERNAME --out FILE [--encrypt]
                                            a checked copy, safe while the app runs; --encrypt asks for a
                                            passphrase (or takes $LINKWELL_BACKUP_PASSPHRASE)
  linkwell restore --db PATH --as USERNAME --from FILE    check a backup, keep the database it replaces beside it as
                                            PATH.replaced-DATE-TIME, and put the backup in its place
  linkwell export referrals --db PATH --as USERNAME --out FILE.csv [--from YYYY-MM-DD --to YYYY-MM-DD]
                                            one row per referral, for a spreadsheet
  linkwell export diary --db PATH --as USERNAME --worker NAME_OR_ID --out FILE.ics [--from YYYY-MM-DD --to YYYY-MM-DD]
                        [--with-names]
                                            a link worker's appointments for Outlook or Google Calendar
  linkwell export patient --db PATH --as USERNAME --nhs NUMBER --out FILE.pdf|FILE.json
                                            everything held about one person (a subject access request);
                                            the export is audited
  linkwell retention --db PATH --as USERNAME [--dry-run]
                                            anonymise the episodes closed longer ago than the practice's
                                            retention period; --dry-run only counts
  linkwell import services --db PATH --as USERNAME FILE
                                            add or update directory entries from CSV or Open Referral UK
                                            JSON; a file with a bad row imports nothing
  linkwell export services --db PATH --as USERNAME --out FILE.csv|FILE.json
                                            the community directory, as CSV or Open Referral UK JSON
  linkwell print card --db PATH --as USERNAME --id N --out FILE.pdf [--large-print]
                                            an appointment card
  linkwell print prescription --db PATH --as USERNAME --id N --out FILE.pdf
                                            a saved social prescription; printing it again makes a marked reprint
  linkwell report monthly --db PATH --as USERNAME --month YYYY-MM --out FILE.csv|FILE.pdf
                                            the month's social prescribing figures for the ICB
  linkwell server init --db postgres://…    make or update Linkwell's schema in an empty PostgreSQL database
                                            (the server edition: README, "Several PCs")
  linkwell migrate --from PATH|URL --to PATH|URL --as USERNAME
                                            copy a whole practice between a file and a server, and print
                                            each table's rows on both sides
  linkwell version                          print the version

The database is --db PATH, else $LINKWELL_DB, else %s.
A postgres://… URL in their place opens the server edition's database.
Dates on the command line are YYYY-MM-DD.
--as USERNAME signs in as that user (the password is asked for, or taken from
$LINKWELL_PASSWORD); their role must allow the job, and the audit names them.
`

// cliError is a failure to report on stderr with a non-zero exit.
type cliError struct {
	code int
	msg  string
}

func (e *cliError) Error() string { return e.msg }

func usageErr(format string, args ...any) error {
	return &cliError{code: 2, msg: fmt.Sprintf(format, args...)}
}

// run dispatches the command line and returns the exit code. Errors are
// printed as one plain message, never a stack trace.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "linkwell:", err)
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.code
	}
	return 1
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || len(args[0]) > 0 && args[0][0] == '-' {
		return runApp(ctx, args, stderr)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "demo":
		return runDemo(ctx, rest, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, stdout, stderr)
	case "import":
		return runImport(ctx, rest, stdout, stderr)
	case "export":
		return runExport(ctx, rest, stdout, stderr)
	case "print":
		return runPrint(ctx, rest, stdout, stderr)
	case "report":
		return runReport(ctx, rest, stdout, stderr)
	case "retention":
		return runRetention(ctx, rest, stdout, stderr)
	case "server":
		return runServer(ctx, rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "linkwell %s (database schema %d, %s)\n", version, data.SchemaVersion(), runtime.Version())
		return nil
	case "help":
		fmt.Fprintf(stdout, usage, defaultDBPath())
		return nil
	}
	return usageErr("unknown command %q; run 'linkwell help' for the list", cmd)
}

// flags makes a flag set that reports errors instead of exiting.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &cliError{code: 2, msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return usageErr("%s: unexpected %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// defaultDBPath is the per-user data directory: %LOCALAPPDATA%\Linkwell on
// Windows (not the roaming profile, which may sit on a network share),
// ~/Library/Application Support/Linkwell on macOS, and
// $XDG_DATA_HOME/linkwell (~/.local/share/linkwell) elsewhere.
func defaultDBPath() string {
	home, _ := os.UserHomeDir()
	return defaultDBPathFor(runtime.GOOS, os.Getenv, home)
}

// defaultDBPathFor is defaultDBPath for a given system, environment and home
// folder, so that every system's answer is tested on Linux. Windows paths
// are joined with "\" by hand: path/filepath on Linux knows only "/".
func defaultDBPathFor(goos string, env func(string) string, home string) string {
	switch goos {
	case "windows":
		dir := env("LOCALAPPDATA")
		if dir == "" && home != "" {
			dir = home + `\AppData\Local` // where Windows keeps it when the variable is missing
		}
		if dir != "" {
			dir = strings.TrimRight(dir, `\/`) + `\`
		}
		return dir + `Linkwell\linkwell.db`
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "Linkwell", "linkwell.db")
	}
	if x := env("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "linkwell", "linkwell.db")
	}
	return filepath.Join(home, ".local", "share", "linkwell", "linkwell.db")
}

// dbFlag adds --db, defaulting to $LINKWELL_DB.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", os.Getenv("LINKWELL_DB"), "the database file, or a postgres:// URL")
}

func openStore(path string) (*data.Store, error) {
	if path == "" {
		return nil, usageErr("say which database with --db PATH (or set LINKWELL_DB)")
	}
	return data.Open(path)
}

// openExisting opens the database of a subcommand that reads or changes an
// existing one: a mistyped path must not quietly create an empty database.
func openExisting(cmd, path string) (*data.Store, error) {
	if path != "" && !data.IsServerURL(path) {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("%s: %s does not exist; check the path (a new database is made by opening Linkwell with --db %s)", cmd, path, path)
		}
	}
	return openStore(path)
}

func runApp(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flags("linkwell", stderr)
	db := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	// Before the database is opened: without a window there is nothing to
	// open it for.
	if err := noDisplay(runtime.GOOS, os.Getenv); err != nil {
		return err
	}
	path := *db
	if path == "" {
		path = defaultDBPath()
	}
	// A damaged file still opens the window, on the recovery screen, which
	// offers the newest backup; any other refusal is said here.
	store, err := data.Open(path)
	if err != nil && !errors.Is(err, data.ErrDamaged) {
		return err
	}
	return openWindow(ctx, path, store, err)
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("demo", stderr)
	db := dbFlag(fs)
	patients := fs.Int("patients", 10000, "number of patients")
	years := fs.Int("years", 3, "years of referrals")
	seed := fs.Int64("seed", 1, "random seed: the same seed makes the same practice")
	today := fs.String("today", "", "the last day of the demo data, YYYY-MM-DD (default today)")
	force := fs.Bool("force", false, "overwrite an existing file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *db == "" {
		return usageErr("demo: say where to write it with --db PATH")
	}
	if *patients < 100 || *patients > 5_000_000 {
		return usageErr("demo: --patients must be between 100 and 5,000,000")
	}
	if *years < 1 || *years > 30 {
		return usageErr("demo: --years must be between 1 and 30")
	}
	day := time.Now()
	if *today != "" {
		t, err := time.Parse(data.DateLayout, *today)
		if err != nil {
			return usageErr("demo: --today must be a date like 2026-03-31")
		}
		day = t
	}
	if _, err := os.Lstat(*db); err == nil && !*force {
		return &cliError{code: 1, msg: fmt.Sprintf("demo: %s already exists; add --force to replace it (only a demo database is ever replaced)", *db)}
	}
	start := time.Now()
	last := ""
	var accounts []data.DemoAccount
	// Built beside the target and moved into place when complete, so a
	// failed or interrupted demo leaves nothing under --db.
	err := data.BuildDatabase(*db, *force, func(store *data.Store) error {
		var err error
		accounts, err = store.CreateDemo(ctx, data.DemoOptions{
			Patients: *patients, Years: *years, Seed: *seed, Today: day,
			Progress: func(stage string, done, total int) {
				line := fmt.Sprintf("%-14s %3d%%", stage, 100*done/max(total, 1))
				if line != last {
					fmt.Fprintf(stderr, "\r%s", line)
					last = line
				}
			},
		})
		fmt.Fprintln(stderr)
		return err
	})
	if err != nil && ctx.Err() != nil {
		return errors.New("demo: cancelled; no demo practice was written")
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(stdout, "Demo practice written to %s in %.1fs (%s patients, %d years).\n\nSign in with (username / password):\n",
		*db, time.Since(start).Seconds(), strconv.Itoa(*patients), *years)
	for _, a := range accounts {
		fmt.Fprintf(stdout, "  %-18s %-14s %s\n", a.Role.Label(), a.Username, a.Password)
	}
	return nil
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("check", stderr)
	db := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := openReadOnly("check", *db, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	h, err := store.Check(ctx)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	fmt.Fprintf(stdout, "database   %s\nschema     %d (this Linkwell: %d)\nintegrity  %s\naudit      %s\n", store.Path(), h.SchemaVersion, data.SchemaVersion(), h.Integrity, h.Audit)
	printCounts(stdout, h.Counts)
	if !h.Marked {
		fmt.Fprintln(stdout, "note: made by an earlier Linkwell; the app marks it as Linkwell's the next time it opens it")
	}
	if !h.Audit.Intact() && !h.Audit.NotSealed {
		return fmt.Errorf("check: the audit is %s; keep this copy as it is and restore a backup to work on", h.Audit)
	}
	if h.Older() {
		fmt.Fprintf(stdout, "note: sound, at schema %d; this Linkwell upgrades it to %d the next time it opens it\n", h.SchemaVersion, data.SchemaVersion())
		return nil
	}
	if !h.Healthy() {
		return fmt.Errorf("check: the database is not healthy (integrity: %s); restore a backup", h.Integrity)
	}
	return nil
}
