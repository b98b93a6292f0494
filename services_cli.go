package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"linkwell/data"
)

// runImport reads records from a file into the database.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("import: say what to import: 'linkwell import services --db PATH FILE'")
	}
	switch args[0] {
	case "services":
		return importServices(ctx, args[1:], stdout, stderr)
	}
	return usageErr("import: unknown kind %q; Linkwell can import: services", args[0])
}

// importServices: the whole file in one transaction, or nothing.
func importServices(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("import services", stderr)
	db := dbFlag(fs)
	as := asFlag(fs)
	// The file may come before or after the flags.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return &cliError{code: 2, msg: err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		return usageErr("import services: name one file: 'linkwell import services --db PATH FILE.csv' (or FILE.json)")
	}
	file := files[0]
	store, err := openExisting("import services", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	sess, err := signIn(ctx, "import services", store, *as, data.OpEditDirectory, stderr)
	if err != nil {
		return err
	}
	defer store.SignOut(context.WithoutCancel(ctx), sess)
	// Ctrl+C cancels ctx (see main): the transaction rolls back.
	last := -1
	res, err := store.ImportServicesFile(ctx, sess, file, func(done, total int) {
		if pct := 100 * done / max(total, 1); total >= 200 && pct != last {
			fmt.Fprintf(stderr, "\rImporting services %3d%%", pct)
			last = pct
		}
	})
	if last >= 0 {
		fmt.Fprintln(stderr)
	}
	if errors.Is(err, data.ErrImportCancelled) {
		return errors.New("import services: cancelled; nothing was imported")
	}
	if err != nil {
		return fmt.Errorf("import services: %s: %w", file, err)
	}
	noun := "services"
	if res.Created+res.Updated == 1 {
		noun = "service"
	}
	fmt.Fprintf(stdout, "%d %s imported from %s: %d new, %d updated.\n", res.Created+res.Updated, noun, file, res.Created, res.Updated)
	if note := res.EncodingNote(); note != "" {
		fmt.Fprintln(stdout, note)
	}
	return nil
}

// exportServices writes the whole directory as CSV or Open Referral UK JSON.
func exportServices(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("export services", stderr)
	db := dbFlag(fs)
	out := fs.String("out", "", "the file to write: FILE.csv or FILE.json")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if ext := strings.ToLower(filepath.Ext(*out)); ext != ".csv" && ext != ".json" {
		return usageErr("export services: say where to write with --out FILE.csv or --out FILE.json")
	}
	store, err := openRecorded("export services", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	// Signing in writes to the database, so a database given as --out is
	// refused first.
	if err := data.RefuseDatabase(*out); err != nil {
		return fmt.Errorf("export services: %w", err)
	}
	sess, err := signIn(ctx, "export services", store, *as, data.OpViewDirectory, stderr)
	if err != nil {
		return err
	}
	n, err := store.ExportServicesFile(ctx, sess, *out)
	if err != nil {
		return fmt.Errorf("export services: %w", err)
	}
	fmt.Fprintf(stdout, "%d services written to %s\n", n, *out)
	return nil
}
