package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"linkwell/data"
)

// runRetention anonymises the closed episodes older than the practice's
// retention period (data.AnonymiseClosedEpisodes), or with --dry-run says
// what it would change.
func runRetention(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("retention", stderr)
	db := dbFlag(fs)
	as := asFlag(fs)
	dry := fs.Bool("dry-run", false, "count what would change, change nothing")
	if err := parse(fs, args); err != nil {
		return err
	}
	store, err := openExisting("retention", *db)
	if err != nil {
		return err
	}
	defer store.Close()
	sess, err := signIn(ctx, "retention", store, *as, data.OpRetention, stderr)
	if err != nil {
		return err
	}
	res, err := store.AnonymiseClosedEpisodes(ctx, sess, *dry)
	if errors.Is(err, data.ErrRetentionOff) {
		return fmt.Errorf("retention: %w; the practice manager sets the period on the Retention screen", err)
	}
	if err != nil {
		// What was done before the failure stays done, and is counted.
		fmt.Fprint(stdout, retentionReport(res))
		return fmt.Errorf("retention: %w", err)
	}
	fmt.Fprint(stdout, retentionReport(res))
	return nil
}

// retentionReport says what a run changed, or would change, in words.
func retentionReport(r data.RetentionResult) string {
	verb := "anonymised"
	if r.DryRun {
		verb = "would be anonymised"
	}
	s := fmt.Sprintf("Retention period %d years: episodes closed before %s.\n", r.Years, data.FormatUKDateTime(r.ClosedBefore))
	s += fmt.Sprintf("%d episodes %s: %d case notes, %d goals, %d appointments' notes, %d prescriptions' notes.\n",
		r.Episodes, verb, r.Contacts, r.Goals, r.Appointments, r.Prescriptions)
	s += fmt.Sprintf("%d patients with nothing else held %s (name, NHS number, address and contact details).\n", r.Patients, verb)
	if r.DryRun {
		s += "Nothing was changed (--dry-run).\n"
	} else {
		s += "Dates, statuses, reasons, codes and scores are kept, so the reports count the same.\n"
	}
	return s
}
