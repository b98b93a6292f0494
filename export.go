package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"linkwell/data"
)

// runExport writes one kind of record to a file.
func runExport(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageErr("export: say what to export: 'linkwell export referrals --db PATH --out FILE.csv'")
	}
	switch args[0] {
	case "referrals":
		return exportReferrals(args[1:], stdout, stderr)
	case "diary":
		return exportDiary(args[1:], stdout, stderr)
	case "services":
		return exportServices(args[1:], stdout, stderr)
	}
	return usageErr("export: unknown kind %q; Linkwell can export: referrals, diary, services", args[0])
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

func exportReferrals(args []string, stdout, stderr io.Writer) error {
	fs := flags("export referrals", stderr)
	db := dbFlag(fs)
	out := fs.String("out", "", "the CSV file to write")
	from := fs.String("from", "", "first received date, YYYY-MM-DD")
	to := fs.String("to", "", "last received date, YYYY-MM-DD")
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
	store, err := openExisting("export referrals", *db)
	if err != nil {
		return err
	}
	defer store.Close()

	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("export referrals: %w", err)
	}
	n, err := writeReferralsCSV(store, f, *from, *to)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return fmt.Errorf("export referrals: %w", err)
	}
	fmt.Fprintf(stdout, "%d referrals written to %s\n", n, *out)
	return nil
}

var referralCSVHeader = []string{
	"Referral ID", "Patient", "NHS number", "Received", "Source", "Referrer", "Reasons", "Priority", "Status",
	"Link worker", "Days waiting", "Last activity", "Closing reason", "SNOMED CT code", "Coded in GP record",
	"Baseline life satisfaction", "Baseline worthwhile", "Baseline happiness", "Baseline anxiety",
	"Latest life satisfaction", "Latest worthwhile", "Latest happiness", "Latest anxiety",
}

// writeReferralsCSV writes UTF-8 with a byte-order mark and CRLF line ends,
// which spreadsheets open with accented and Cyrillic names intact.
func writeReferralsCSV(store *data.Store, w io.Writer, from, to string) (int, error) {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(referralCSVHeader); err != nil {
		return 0, err
	}
	n := 0
	err := store.ExportReferrals(context.Background(), from, to, func(r data.ReferralExportRow) error {
		var reasons []string
		for _, code := range r.Reasons {
			reasons = append(reasons, data.LabelOf(data.ReferralReasons, code))
		}
		coded := "no"
		if r.CodedInGPRecord {
			coded = "yes"
		}
		closing := ""
		if r.ClosingReason != "" {
			closing = data.LabelOf(data.ClosingReasons, r.ClosingReason)
		}
		activity := r.LastActivityAt
		if t, err := time.Parse(data.TimeLayout, r.LastActivityAt); err == nil {
			activity = t.In(data.London()).Format("2006-01-02 15:04")
		}
		row := []string{
			strconv.FormatInt(r.ID, 10), r.PatientName, data.FormatNHSNumber(r.NHSNumber), r.ReceivedOn,
			data.LabelOf(data.ReferralSources, r.Source), r.Referrer, strings.Join(reasons, "; "),
			data.LabelOf(data.Priorities, r.Priority), r.Status.Label(), r.LinkWorker, strconv.Itoa(r.DaysWaiting),
			activity, closing, r.SNOMEDCode, coded,
		}
		row = append(row, scoreCells(r.Baseline)...)
		row = append(row, scoreCells(r.Latest)...)
		for i := range row {
			row[i] = safeCell(row[i])
		}
		n++
		return cw.Write(row)
	})
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func scoreCells(s *[4]int) []string {
	if s == nil {
		return []string{"", "", "", ""}
	}
	return []string{strconv.Itoa(s[0]), strconv.Itoa(s[1]), strconv.Itoa(s[2]), strconv.Itoa(s[3])}
}

// safeCell stops a spreadsheet treating typed text as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
