package main

import (
	"context"
	"fmt"
	"io"
)

// runAudit is `linkwell audit verify --db PATH`: it checks the audit's hash
// chain and triggers (data.VerifyAudit), reading only, and exits non-zero
// when they are broken.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageErr("audit: say what to do: linkwell audit verify --db PATH")
	}
	fs := flags("audit verify", stderr)
	db := dbFlag(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	store, err := openReadOnly("audit verify", *db, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := store.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	fmt.Fprintln(stdout, c)
	if c.NotSealed {
		return &cliError{code: 1, msg: "audit verify: nothing to verify until the app has opened this database"}
	}
	if !c.Intact() {
		return &cliError{code: 1, msg: "audit verify: the audit has been tampered with or damaged; keep this copy as it is and restore a backup to work on"}
	}
	return nil
}
