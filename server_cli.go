package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"linkwell/data"
)

// runServer: `linkwell server init --db postgres://…` makes (or updates)
// Linkwell's schema in a PostgreSQL database, with the owner's login; the
// desks then use a login that may only read and write rows (README:
// Several PCs).
func runServer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "init" {
		return usageErr("server: the one job is 'linkwell server init --db postgres://…'")
	}
	fs := flags("server init", stderr)
	db := dbFlag(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if !data.IsServerURL(*db) {
		return usageErr("server init: say which server database with --db postgres://USER@HOST:5432/DATABASE?sslmode=verify-full")
	}
	before, after, err := data.InitServer(ctx, *db)
	if err != nil {
		return fmt.Errorf("server init: %w", err)
	}
	switch {
	case before == after:
		fmt.Fprintf(stdout, "%s already has Linkwell's schema %d; nothing to do\n", data.RedactURL(*db), after)
	case before == 0:
		fmt.Fprintf(stdout, "made Linkwell's schema %d in %s; open Linkwell with --db pointing at it to set the practice up\n", after, data.RedactURL(*db))
	default:
		fmt.Fprintf(stdout, "updated %s from schema %d to %d\n", data.RedactURL(*db), before, after)
	}
	return nil
}

// runMigrate: `linkwell migrate --from A --to B` copies a whole practice
// between a file and a server (either way, or file to file), then prints
// each table's rows on both sides.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("migrate", stderr)
	from := fs.String("from", "", "the practice to copy: a file or postgres://…")
	to := fs.String("to", "", "where to copy it: a new file, or an empty postgres://… database")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usageErr("migrate: say what to copy with --from and where to with --to")
	}
	if err := recordCopy(ctx, *from, *to, *as, stderr); err != nil {
		return err
	}
	counts, err := data.CopyDatabase(ctx, *from, *to)
	if len(counts) > 0 {
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(w, "table\t%s\t%s\t\n", "from", "to")
		for _, c := range counts {
			fmt.Fprintf(w, "%s\t%d\t%d\t\n", c.Table, c.From, c.To)
		}
		w.Flush()
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(stdout, "copied %s to %s; every table's rows match and its audit verifies\n", data.RedactURL(*from), data.RedactURL(*to))
	return nil
}

// recordCopy signs the --as user in to the practice being copied, checks
// they may back it up, and records the copy there (before it is made, so
// both sides hold the event), then signs them out again.
func recordCopy(ctx context.Context, from, to, username string, stderr io.Writer) error {
	store, err := openRecorded("migrate", from)
	if err != nil {
		return err
	}
	defer store.Close()
	sess, err := signIn(ctx, "migrate", store, username, data.OpBackup, stderr)
	if err != nil {
		return err
	}
	defer store.SignOut(context.WithoutCancel(ctx), sess)
	if err := store.RecordCopy(ctx, sess, to); err != nil {
		return fmt.Errorf("migrate: %w; nothing was copied", err)
	}
	return nil
}
