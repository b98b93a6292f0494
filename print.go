package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"linkwell/data"
	"linkwell/pdf"
)

// runPrint writes a printable document to a PDF file.
func runPrint(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("print: say what to print: 'linkwell print card --db PATH --id N --out FILE.pdf'")
	}
	switch args[0] {
	case "card":
		return printCard(args[1:], stdout, stderr)
	case "prescription":
		return printPrescription(args[1:], stdout, stderr)
	}
	return usageErr("print: unknown document %q; Linkwell can print: card, prescription", args[0])
}

func printCard(args []string, stdout, stderr io.Writer) error {
	fs := flags("print card", stderr)
	db := dbFlag(fs)
	id := fs.Int64("id", 0, "the appointment's number")
	out := fs.String("out", "", "the PDF file to write")
	large := fs.Bool("large-print", false, "large print (16 pt and up); the default follows the patient's record")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 || *out == "" {
		return usageErr("print card: give the appointment with --id N and the file with --out FILE.pdf")
	}
	store, err := openExisting("print card", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	card, err := pdf.CardFor(context.Background(), store, *id)
	if err != nil {
		return fmt.Errorf("print card: %w", err)
	}
	card.LargePrint = card.LargePrint || *large
	var buf bytes.Buffer
	if err := pdf.AppointmentCard(&buf, card); err != nil {
		return fmt.Errorf("print card: %w", err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("print card: %w", err)
	}
	fmt.Fprintf(stdout, "Appointment card written to %s\n", *out)
	return nil
}

// printPrescription prints a saved social prescription as it was issued.
// The first print is the original; every later one is marked "Reprint"
// with the day it was printed. The print is recorded against --as (by
// default the practice's first administrator, the account made at set-up).
func printPrescription(args []string, stdout, stderr io.Writer) error {
	fs := flags("print prescription", stderr)
	db := dbFlag(fs)
	id := fs.Int64("id", 0, "the prescription's number")
	out := fs.String("out", "", "the PDF file to write")
	as := fs.String("as", "", "the username the print is recorded against (default: the first administrator)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 || *out == "" {
		return usageErr("print prescription: give the prescription with --id N and the file with --out FILE.pdf")
	}
	store, err := openExisting("print prescription", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	ctx := context.Background()
	rx, err := store.Prescription(ctx, *id)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("print prescription: there is no prescription %d", *id)
	} else if err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	actor, err := printingUser(ctx, store, *as)
	if err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	// Open the file before recording the print, so a bad --out path does
	// not turn the patient's first real print into a "reprint".
	file, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	defer file.Close()
	reprint, _, err := store.RecordPrint(ctx, actor, rx.ID)
	if err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	var when *time.Time
	if reprint {
		now := store.Now()
		when = &now
	}
	var buf bytes.Buffer
	if err := pdf.Prescription(&buf, rx, when); err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	if _, err := file.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	what := "Social prescription"
	if reprint {
		what += " (reprint)"
	}
	fmt.Fprintf(stdout, "%s written to %s\n", what, *out)
	return nil
}

// printingUser is the user named by --as, or the first administrator.
func printingUser(ctx context.Context, store *data.Store, username string) (data.User, error) {
	if username != "" {
		u, err := store.UserByUsername(ctx, username)
		if errors.Is(err, data.ErrNotFound) {
			return u, fmt.Errorf("there is no user %q", username)
		}
		return u, err
	}
	admins, err := store.UsersWithRole(ctx, data.RoleAdministrator)
	if err != nil {
		return data.User{}, err
	}
	if len(admins) == 0 {
		return data.User{}, errors.New("the practice has no active administrator; name the user with --as USERNAME")
	}
	first := admins[0]
	for _, a := range admins {
		if a.ID < first.ID {
			first = a
		}
	}
	return first, nil
}
