package main

// `linkwell export diary`: one link worker's appointments as an iCalendar
// file (RFC 5545) that Outlook and Google Calendar import; data's
// ExportDiaryFile writes it.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"linkwell/data"
)

// Default export window around today, in days.
const (
	diaryDaysBack  = 30
	diaryDaysAhead = 90
)

func exportDiary(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("export diary", stderr)
	db := dbFlag(fs)
	worker := fs.String("worker", "", "the link worker: id, username or full name")
	out := fs.String("out", "", "the .ics file to write")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default 30 days ago)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default 90 days ahead)")
	withNames := fs.Bool("with-names", false, "add the patient's initials to each appointment")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*worker) == "" {
		return usageErr("export diary: say whose diary with --worker NAME_OR_ID")
	}
	if *out == "" {
		return usageErr("export diary: say where to write with --out FILE.ics")
	}
	if err := errors.Join(isoDateFlag("from", *from), isoDateFlag("to", *to)); err != nil {
		return err
	}
	today := time.Now().In(data.London())
	first := today.AddDate(0, 0, -diaryDaysBack)
	last := today.AddDate(0, 0, diaryDaysAhead)
	if *from != "" {
		first, _ = time.Parse(data.DateLayout, *from)
	}
	if *to != "" {
		last, _ = time.Parse(data.DateLayout, *to)
	}
	if first.Format(data.DateLayout) > last.Format(data.DateLayout) {
		return usageErr("export diary: --from (%s) is after --to (%s)", first.Format(data.DateLayout), last.Format(data.DateLayout))
	}
	store, err := openRecorded("export diary", *db)
	if err != nil {
		return err
	}
	defer store.Close()

	// Signing in writes to the database, so a database given as --out is
	// refused first.
	if err := data.RefuseDatabase(*out); err != nil {
		return fmt.Errorf("export diary: %w", err)
	}
	sess, err := signIn(ctx, "export diary", store, *as, data.OpExport, stderr)
	if err != nil {
		return err
	}
	w, err := findLinkWorker(ctx, store, sess, *worker)
	if err != nil {
		return err
	}
	n, err := store.ExportDiaryFile(ctx, sess, w, first, last, *withNames, *out)
	if err != nil {
		return fmt.Errorf("export diary: %w", err)
	}
	fmt.Fprintf(stdout, "%d appointments of %s (%s to %s) written to %s\n",
		n, w.FullName, first.Format(data.DateLayout), last.Format(data.DateLayout), *out)
	return nil
}

// findLinkWorker matches --worker against the active link workers by id,
// username or full name, ignoring case.
func findLinkWorker(ctx context.Context, store *data.Store, sess *data.Session, key string) (data.User, error) {
	users, err := store.UsersWithRole(ctx, sess, data.RoleLinkWorker)
	if err != nil {
		return data.User{}, fmt.Errorf("export diary: %w", err)
	}
	var workers []data.User
	for _, u := range users {
		if u.Role == data.RoleLinkWorker {
			workers = append(workers, u)
		}
	}
	key = strings.Join(strings.Fields(key), " ")
	id, _ := strconv.ParseInt(key, 10, 64)
	var byName []data.User
	for _, u := range workers {
		if u.ID == id || strings.EqualFold(u.Username, key) {
			return u, nil
		}
		if strings.EqualFold(u.FullName, key) {
			byName = append(byName, u)
		}
	}
	if len(byName) == 1 {
		return byName[0], nil
	}
	var list []string
	for _, u := range workers {
		list = append(list, fmt.Sprintf("  %-5d %-14s %s", u.ID, u.Username, u.FullName))
	}
	known := "There are no link workers in this database."
	if len(list) > 0 {
		known = "The link workers are (id, username, name):\n" + strings.Join(list, "\n")
	}
	if len(byName) > 1 {
		return data.User{}, usageErr("export diary: more than one link worker is called %q; give the id or username instead.\n%s", key, known)
	}
	return data.User{}, usageErr("export diary: no link worker matches %q.\n%s", key, known)
}
