package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

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
	}
	return usageErr("print: unknown document %q; Linkwell can print: card", args[0])
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
	if *db != "" {
		if _, err := os.Stat(*db); err != nil {
			return fmt.Errorf("print card: %s does not exist", *db)
		}
	}
	store, err := openStore(*db)
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
