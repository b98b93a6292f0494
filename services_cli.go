package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"linkwell/data"
)

// runImport reads records from a file into the database.
func runImport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("import: say what to import: 'linkwell import services --db PATH FILE'")
	}
	switch args[0] {
	case "services":
		return importServices(args[1:], stdout, stderr)
	}
	return usageErr("import: unknown kind %q; Linkwell can import: services", args[0])
}

// importServices: the whole file in one transaction, or nothing.
func importServices(args []string, stdout, stderr io.Writer) error {
	fs := flags("import services", stderr)
	db := dbFlag(fs)
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
	raw, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("import services: cannot read %s: %v", file, plainPathError(err))
	}
	var rows []data.ServiceImport
	if isJSON(file, raw) {
		rows, err = data.ParseServicesJSON(bytes.NewReader(raw))
	} else {
		rows, err = data.ParseServicesCSV(bytes.NewReader(raw))
	}
	if err != nil {
		return fmt.Errorf("import services: %s: %w", file, err)
	}
	store, err := openExisting("import services", *db)
	if err != nil {
		return err
	}
	defer store.Close()

	// Ctrl-C cancels: the transaction rolls back and nothing is imported.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	showProgress := len(rows) >= 200
	last := -1
	res, err := store.ImportServices(ctx, data.User{}, rows, func(done, total int) bool {
		if pct := 100 * done / max(total, 1); showProgress && pct != last {
			fmt.Fprintf(stderr, "\rImporting services %3d%%", pct)
			last = pct
		}
		return true
	})
	if showProgress {
		fmt.Fprintln(stderr)
	}
	if errors.Is(err, context.Canceled) {
		err = data.ErrImportCancelled
	}
	if err != nil {
		return fmt.Errorf("import services: %s: %w", file, err)
	}
	noun := "services"
	if res.Created+res.Updated == 1 {
		noun = "service"
	}
	fmt.Fprintf(stdout, "%d %s imported from %s: %d new, %d updated.\n", res.Created+res.Updated, noun, file, res.Created, res.Updated)
	return nil
}

// isJSON goes by the extension, else by the first character.
func isJSON(name string, raw []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return true
	case ".csv":
		return false
	}
	t := bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\ufeff")))
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// plainPathError drops the Go operation name ("open x: no such file").
func plainPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// exportServices writes the whole directory as CSV or Open Referral UK JSON.
func exportServices(args []string, stdout, stderr io.Writer) error {
	fs := flags("export services", stderr)
	db := dbFlag(fs)
	out := fs.String("out", "", "the file to write: FILE.csv or FILE.json")
	if err := parse(fs, args); err != nil {
		return err
	}
	var write func(io.Writer, []data.Service) error
	switch strings.ToLower(filepath.Ext(*out)) {
	case ".csv":
		write = data.WriteServicesCSV
	case ".json":
		write = data.WriteServicesJSON
	default:
		return usageErr("export services: say where to write with --out FILE.csv or --out FILE.json")
	}
	store, err := openExisting("export services", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	services, err := store.AllServices(context.Background())
	if err != nil {
		return fmt.Errorf("export services: %w", err)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("export services: cannot write %s: %v", *out, plainPathError(err))
	}
	err = write(f, services)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return fmt.Errorf("export services: %w", err)
	}
	fmt.Fprintf(stdout, "%d services written to %s\n", len(services), *out)
	return nil
}
