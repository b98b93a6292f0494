package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"linkwell/data"
	"linkwell/printing"
)

// runPrint writes a printable document to a PDF file.
func runPrint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("print: say what to print: 'linkwell print card --db PATH --id N --out FILE.pdf'")
	}
	switch args[0] {
	case "card":
		return printCard(ctx, args[1:], stdout, stderr)
	case "prescription":
		return printPrescription(ctx, args[1:], stdout, stderr)
	}
	return usageErr("print: unknown document %q; Linkwell can print: card, prescription", args[0])
}

func printCard(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("print card", stderr)
	db := dbFlag(fs)
	id := fs.Int64("id", 0, "the appointment's number")
	out := fs.String("out", "", "the PDF file to write")
	large := fs.Bool("large-print", false, "large print (16 pt and up); the default follows the patient's record")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 || *out == "" {
		return usageErr("print card: give the appointment with --id N and the file with --out FILE.pdf")
	}
	store, err := openRecorded("print card", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	// Signing in writes to the database, so a database given as --out is
	// refused first.
	if err := data.RefuseDatabase(*out); err != nil {
		return fmt.Errorf("print card: %w", err)
	}
	sess, err := signIn(ctx, "print card", store, *as, data.OpPrintCard, stderr)
	if err != nil {
		return err
	}
	if err := printing.Card(ctx, store, sess, *id, *large, *out); err != nil {
		return fmt.Errorf("print card: %w", err)
	}
	fmt.Fprintf(stdout, "Appointment card written to %s\n", *out)
	return nil
}

// printPrescription prints a saved social prescription as it was issued.
// The first print is the original; every later one is marked "Reprint"
// with the day it was printed. The print is recorded against --as.
func printPrescription(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("print prescription", stderr)
	db := dbFlag(fs)
	id := fs.Int64("id", 0, "the prescription's number")
	out := fs.String("out", "", "the PDF file to write")
	as := asFlag(fs)
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
	// Signing in writes to the database, so a database given as --out is
	// refused first.
	if err := data.RefuseDatabase(*out); err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	sess, err := signIn(ctx, "print prescription", store, *as, data.OpPrintPrescription, stderr)
	if err != nil {
		return err
	}
	defer store.SignOut(context.WithoutCancel(ctx), sess)
	reprint, err := printing.Prescription(ctx, store, sess, *id, *out)
	if err != nil {
		return fmt.Errorf("print prescription: %w", err)
	}
	what := "Social prescription"
	if reprint {
		what += " (reprint)"
	}
	fmt.Fprintf(stdout, "%s written to %s\n", what, *out)
	return nil
}
