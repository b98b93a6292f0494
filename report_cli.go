package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"linkwell/data"
	"linkwell/printing"
)

// runReport writes a report: today, the monthly return.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("report: say which report: 'linkwell report monthly --db PATH --month YYYY-MM --out FILE.csv|FILE.pdf --as USERNAME'")
	}
	switch args[0] {
	case "monthly":
		return reportMonthly(ctx, args[1:], stdout, stderr)
	}
	return usageErr("report: unknown report %q; Linkwell can write: monthly", args[0])
}

func reportMonthly(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const cmd = "report monthly"
	fs := flags(cmd, stderr)
	db := dbFlag(fs)
	monthFlag := fs.String("month", "", "the month, YYYY-MM")
	out := fs.String("out", "", "the file to write: .csv or .pdf")
	as := asFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *monthFlag == "" {
		return usageErr("%s: say which month with --month YYYY-MM", cmd)
	}
	month, err := data.ParseMonth(*monthFlag)
	if err != nil {
		return usageErr("%s: --month: %v", cmd, err)
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if *out == "" || ext != ".csv" && ext != ".pdf" {
		return usageErr("%s: say where to write with --out FILE.csv or --out FILE.pdf", cmd)
	}
	store, err := openReadOnly(cmd, *db, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	sess, err := signIn(ctx, cmd, store, *as, data.OpViewReports, stderr)
	if err != nil {
		return err
	}
	var r *data.Report
	if ext == ".pdf" {
		r, err = printing.MonthlyReturn(ctx, store, sess, month, *out)
	} else {
		r, err = store.ExportMonthlyReturnFile(ctx, sess, month, *out)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	fmt.Fprintf(stdout, "Monthly return for %s (%d referrals received) written to %s\n", month.Label(), r.Received, *out)
	return nil
}
