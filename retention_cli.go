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
		fmt.Fprint(stdout, res.Report())
		return fmt.Errorf("retention: %w", err)
	}
	fmt.Fprint(stdout, res.Report())
	return nil
}
