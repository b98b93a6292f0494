package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"linkwell/data"
	"linkwell/printing"
)

// runExport writes one kind of record to a file.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("export: say what to export: 'linkwell export referrals --db PATH --out FILE.csv'")
	}
	switch args[0] {
	case "referrals":
		return exportReferrals(ctx, args[1:], stdout, stderr)
	case "diary":
		return exportDiary(ctx, args[1:], stdout, stderr)
	case "services":
		return exportServices(ctx, args[1:], stdout, stderr)
	case "patient":
		return exportPatient(ctx, args[1:], stdout, stderr)
	}
	return usageErr("export: unknown kind %q; Linkwell can export: referrals, diary, services, patient", args[0])
}

// isoDateFlag checks an optional YYYY-MM-DD flag value.
func isoDateFlag(name, value string) error {
	if value == "" {
		return nil
	}
	if _, err := time.Parse(data.DateLayout, value); err != nil {
		return usageErr("--%s must be a date like 2026-03-31, not %q", name, value)
	}
	return nil
}

func exportReferrals(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("export referrals", stderr)
	db := dbFlag(fs)
	out := fs.String("out", "", "the CSV file to write")
	from := fs.String("from", "", "first received date, YYYY-MM-DD")
	to := fs.String("to", "", "last received date, YYYY-MM-DD")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageErr("export referrals: say where to write with --out FILE.csv")
	}
	if err := errors.Join(isoDateFlag("from", *from), isoDateFlag("to", *to)); err != nil {
		return err
	}
	if *from != "" && *to != "" && *from > *to {
		return usageErr("export referrals: --from is after --to")
	}
	store, err := openRecorded("export referrals", *db)
	if err != nil {
		return err
	}
	defer store.Close()

	// Signing in writes to the database, so a database given as --out is
	// refused first.
	if err := data.RefuseDatabase(*out); err != nil {
		return fmt.Errorf("export referrals: %w", err)
	}
	sess, err := signIn(ctx, "export referrals", store, *as, data.OpExport, stderr)
	if err != nil {
		return err
	}
	n, err := store.ExportReferralsFile(ctx, sess, *from, *to, *out)
	if err != nil {
		return fmt.Errorf("export referrals: %w", err)
	}
	fmt.Fprintf(stdout, "%d referrals written to %s\n", n, *out)
	return nil
}

// exportPatient answers a subject access request: everything held about
// one person, as PDF or JSON, audited. It opens the database for writing,
// as the export is recorded in the audit.
func exportPatient(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("export patient", stderr)
	db := dbFlag(fs)
	nhs := fs.String("nhs", "", "the patient's NHS number")
	out := fs.String("out", "", "the file to write: FILE.pdf for the person, FILE.json for a machine")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*nhs) == "" {
		return usageErr("export patient: say whose records with --nhs NUMBER")
	}
	if ext := strings.ToLower(filepath.Ext(*out)); ext != ".pdf" && ext != ".json" {
		return usageErr("export patient: say where to write with --out FILE.pdf or --out FILE.json")
	}
	store, err := openExisting("export patient", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	sess, err := signIn(ctx, "export patient", store, *as, data.OpSubjectAccess, stderr)
	if err != nil {
		return err
	}
	sa, err := printing.SubjectAccess(ctx, store, sess, data.Subject{NHSNumber: *nhs}, *out)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("export patient: no patient has NHS number %s", *nhs)
	}
	if err != nil {
		return fmt.Errorf("export patient: %w", err)
	}
	fmt.Fprintf(stdout, "everything held about %s %s (%d referrals, %d appointments, %d prescriptions, %d audit events) written to %s; the export is in the audit\n",
		sa.Patient.GivenName, sa.Patient.FamilyName, len(sa.Referrals), len(sa.Appointments), len(sa.Prescriptions), len(sa.AuditEvents), *out)
	return nil
}
