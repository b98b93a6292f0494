package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"linkwell/data"
)

// passwordEnv holds the password of the --as user for scripts; otherwise
// it is asked for at the terminal without showing it.
const passwordEnv = "LINKWELL_PASSWORD"

// asFlag is --as, on every subcommand that reads or writes patient data.
func asFlag(fs *flag.FlagSet) *string {
	return fs.String("as", "", "your username (the password is asked for, or taken from $"+passwordEnv+")")
}

// signIn signs the --as user in through the store's own SignIn, as the
// window does, so the lockout and the audit apply, and checks their role
// may do op. The subcommand then acts under the session.
func signIn(ctx context.Context, cmd string, store *data.Store, username string, op data.Operation, stderr io.Writer) (*data.Session, error) {
	if strings.TrimSpace(username) == "" {
		return nil, usageErr("%s: sign in with --as USERNAME (the password is asked for, or taken from %s)", cmd, passwordEnv)
	}
	password := os.Getenv(passwordEnv)
	if password == "" {
		var err error
		if password, err = readPassword("Password for "+username+": ", stderr); err != nil {
			return nil, fmt.Errorf("%s: %w", cmd, err)
		}
	}
	// Signing in is quick and not worth cancelling: a cancelled command
	// then says what it was cancelling.
	sess, err := store.SignIn(context.WithoutCancel(ctx), username, password)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	if !sess.May(op) {
		store.SignOut(context.WithoutCancel(ctx), sess)
		return nil, fmt.Errorf("%s: a %s may not %s", cmd, strings.ToLower(sess.User().Role.Label()), op)
	}
	return sess, nil
}

// readPassword asks at the terminal without showing what is typed. Tests
// replace it.
var readPassword = func(prompt string, stderr io.Writer) (string, error) {
	p, err := readPassphrase(prompt, stderr)
	if err != nil && strings.Contains(err.Error(), "a passphrase is needed") {
		return "", fmt.Errorf("a password is needed: run this in a terminal, or set %s", passwordEnv)
	}
	return p, err
}
