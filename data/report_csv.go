package data

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"strconv"
)

// MonthlyReturnCSVHeader names the monthly return's columns: one figure a
// row, grouped by section, so a spreadsheet or an ICB's template can pick
// rows by section and item.
var MonthlyReturnCSVHeader = []string{"Section", "Item", "Value"}

// ExportMonthlyReturnFile writes the monthly return for a month as CSV
// (WriteMonthlyReturnCSV) through WriteFile, and returns the figures written.
func (s *Store) ExportMonthlyReturnFile(ctx context.Context, sess *Session, month Period, path string) (*Report, error) {
	r, err := s.MonthlyReturn(ctx, sess, month)
	if err != nil {
		return nil, err
	}
	return r, WriteFile(path, func(w io.Writer) error { return WriteMonthlyReturnCSV(w, r) })
}

// MonthlyReturnRows are the return's rows (section, item, value) in order;
// the CSV writes them and a test compares them with the figures. Counts go
// through r.Show (the practice may ask for 1–4 as "<5").
func MonthlyReturnRows(r *Report) [][3]string {
	var rows [][3]string
	add := func(section, item, value string) { rows = append(rows, [3]string{section, item, value}) }
	n := r.Show
	addCounts := func(section string, cs []Count) {
		for _, c := range cs {
			add(section, c.Label, n(c.N))
		}
	}
	add("Return", "Practice", r.Practice)
	add("Return", "Month", r.Period.Month())
	add("Return", "First day", r.Period.First)
	add("Return", "Last day", r.Period.Last)
	add("Return", "Small numbers suppressed", yesNo(r.SuppressSmall))
	add("Referrals received", "In the month", n(r.Received))
	add("Referrals received", "Same month last year", n(r.ReceivedLastYear))
	addCounts("Referrals by source", r.BySource)
	addCounts("Referrals by reason", r.ByReason)
	addCounts("Referrals by age at referral", r.ByAge)
	addCounts("Referrals by sex", r.BySex)
	addCounts("Referrals by ethnic category", r.ByEthnicity)
	add("Outcomes", "Accepted", n(r.Outcomes.Accepted))
	add("Outcomes", "Declined", n(r.Outcomes.Declined))
	add("Outcomes", "Unable to contact", n(r.Outcomes.UnableToContact))
	addCounts("Closed by reason", r.Closures)
	add("Closed by reason", "All closures", n(r.ClosedTotal()))
	add("Days to first contact", "Referrals first contacted", n(r.ToFirstContact.N))
	add("Days to first contact", "Median", days(r.ToFirstContact.Median, r.ToFirstContact.N))
	add("Days to first contact", "90th percentile", days(float64(r.ToFirstContact.P90), r.ToFirstContact.N))
	add("Days to first appointment", "Referrals first seen", n(r.ToFirstAppointment.N))
	add("Days to first appointment", "Median", days(r.ToFirstAppointment.Median, r.ToFirstAppointment.N))
	add("Days to first appointment", "90th percentile", days(float64(r.ToFirstAppointment.P90), r.ToFirstAppointment.N))
	workers := append(append([]WorkerFigures(nil), r.Workers...), r.AppointmentTotals())
	for _, w := range workers {
		section := "Appointments: " + w.Name
		add(section, "Booked", n(w.Booked))
		add(section, "Attended", n(w.Attended))
		add(section, "Did not attend", n(w.DNA))
		add(section, "Cancelled", n(w.Cancelled))
		add(section, "DNA rate %", oneDecimal(DNARate(w.DNA, w.Attended)))
	}
	for _, w := range workers {
		add("Open caseload at month end", w.Name, n(w.Caseload))
	}
	for _, o := range r.ONS4 {
		section := "ONS4 change, cases closed: " + o.Label
		add(section, "People", n(o.N))
		if o.N > 0 && !r.Hidden(o.N) {
			add(section, "Mean at baseline", oneDecimal(o.Baseline))
			add(section, "Mean at latest", oneDecimal(o.Latest))
			add(section, "Mean change", oneDecimal(o.Change))
		}
	}
	add("Incentive indicator", "Referrals coded "+SNOMEDReferred+", 12 months", n(r.Incentive.Coded))
	add("Incentive indicator", "Registered list size", strconv.Itoa(r.Incentive.ListSize))
	if r.Incentive.ListSize > 0 {
		add("Incentive indicator", "Percentage of list", strconv.FormatFloat(r.Incentive.Percent, 'f', 2, 64))
	}
	return rows
}

// WriteMonthlyReturnCSV writes the return as UTF-8 with a byte-order mark
// and CRLF line ends, as the referrals export does. A name that a
// spreadsheet would read as a formula is written with a leading '.
func WriteMonthlyReturnCSV(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(MonthlyReturnCSVHeader); err != nil {
		return err
	}
	for _, row := range MonthlyReturnRows(r) {
		if err := cw.Write([]string{plainCell(row[0]), plainCell(row[1]), plainCell(row[2])}); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// plainCell is guardCell (no cell runs as a formula) except for numbers,
// which stay numbers: an ONS4 change of -3.0 is not a formula.
func plainCell(s string) string {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return guardCell(s)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func oneDecimal(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// days is a median or percentile in days, blank when nothing was measured.
func days(f float64, n int) string {
	if n == 0 {
		return ""
	}
	if f == float64(int(f)) {
		return strconv.Itoa(int(f))
	}
	return oneDecimal(f)
}
