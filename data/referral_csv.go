package data

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// referralCSVHeader names the columns of the referrals export.
var referralCSVHeader = []string{
	"Referral ID", "Patient", "NHS number", "Received", "Source", "Referrer name", "Referrer organisation", "Reasons", "Priority", "Status",
	"Link worker", "Days waiting", "Last activity", "Closing reason", "SNOMED CT code", "Coded in GP record",
	"Baseline life satisfaction", "Baseline worthwhile", "Baseline happiness", "Baseline anxiety",
	"Latest life satisfaction", "Latest worthwhile", "Latest happiness", "Latest anxiety",
}

// ExportReferralsFile writes one row per referral received between from
// and to (YYYY-MM-DD, inclusive; "" for no bound) to path as CSV, for a
// spreadsheet, and says how many referrals it wrote.
//
// The export is recorded in the audit (who, the dates, how many rows, the
// file) once the file is on disk and before it takes its name: an export
// that cannot be recorded leaves no file (see audit_reads.go).
func (s *Store) ExportReferralsFile(ctx context.Context, sess *Session, from, to, path string) (int, error) {
	return s.ExportReferralsFilterFile(ctx, sess, ReferralFilter{From: from, To: to}, path, nil)
}

// ExportReferralsFilterFile is ExportReferralsFile for the referrals the
// filter f lists (the Referrals screen's filters), in the same CSV. A
// progress function, if given, is called after each row with the rows
// written so far; ctx's cancellation stops the export and leaves no file.
func (s *Store) ExportReferralsFilterFile(ctx context.Context, sess *Session, f ReferralFilter, path string, progress func(done int)) (int, error) {
	actor, err := s.allow(ctx, sess, OpExport)
	if err != nil {
		return 0, err
	}
	if s.readOnly {
		return 0, s.recordRead(ctx, actor, "export", "referral", 0, "")
	}
	var n int
	err = WriteFileThen(path, func(w io.Writer) error {
		var err error
		n, err = s.writeReferralsCSV(ctx, w, f, progress)
		return err
	}, func() error {
		return s.recordRead(ctx, actor, "export", "referral", 0,
			fmt.Sprintf("%d referrals %s%s to %s", n, dateSpan(f.From, f.To), f.otherFilters(), path))
	})
	return n, err
}

// writeReferralsCSV writes UTF-8 with a byte-order mark and CRLF line ends,
// which spreadsheets open with accented and Cyrillic names intact.
func (s *Store) writeReferralsCSV(ctx context.Context, w io.Writer, f ReferralFilter, progress func(done int)) (int, error) {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(referralCSVHeader); err != nil {
		return 0, err
	}
	n := 0
	err := s.exportReferrals(ctx, f, func(r ReferralExportRow) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var reasons []string
		for _, code := range r.Reasons {
			reasons = append(reasons, LabelOf(ReferralReasons, code))
		}
		coded := "no"
		if r.CodedInGPRecord {
			coded = "yes"
		}
		closing := ""
		if r.ClosingReason != "" {
			closing = LabelOf(ClosingReasons, r.ClosingReason)
		}
		activity := r.LastActivityAt
		if t, err := time.Parse(TimeLayout, r.LastActivityAt); err == nil {
			activity = t.In(London()).Format("2006-01-02 15:04")
		}
		row := []string{
			strconv.FormatInt(r.ID, 10), r.PatientName, FormatNHSNumber(r.NHSNumber), r.ReceivedOn,
			LabelOf(ReferralSources, r.Source), r.ReferrerName, r.ReferrerOrg, strings.Join(reasons, "; "),
			LabelOf(Priorities, r.Priority), r.Status.Label(), r.LinkWorker, strconv.Itoa(r.DaysWaiting),
			activity, closing, r.SNOMEDCode, coded,
		}
		row = append(row, scoreCells(r.Baseline)...)
		row = append(row, scoreCells(r.Latest)...)
		for i := range row {
			row[i] = guardCell(row[i])
		}
		n++
		if err := cw.Write(row); err != nil {
			return err
		}
		if progress != nil {
			progress(n)
		}
		return nil
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

// otherFilters says, for the audit, which filters besides the dates narrowed
// an export ("" when none did).
func (f ReferralFilter) otherFilters() string {
	var parts []string
	if len(f.Statuses) > 0 {
		var st []string
		for _, x := range f.Statuses {
			st = append(st, string(x))
		}
		parts = append(parts, "status "+strings.Join(st, "/"))
	}
	if f.LinkWorkerID != 0 {
		parts = append(parts, "link worker "+strconv.FormatInt(f.LinkWorkerID, 10))
	}
	if f.Source != "" {
		parts = append(parts, "source "+f.Source)
	}
	if f.Reason != "" {
		parts = append(parts, "reason "+f.Reason)
	}
	if f.Text != "" {
		parts = append(parts, "matching "+strconv.Quote(f.Text))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
