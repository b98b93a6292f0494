package data

import (
	"context"
	"testing"
	"time"
)

// The manager's figures on the benchmark database, as at its demo "today".
func benchReport(b *testing.B, period func(time.Time) Period, monthly bool) {
	s := openBench(b)
	ctx := context.Background()
	today := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if d, _ := s.Setting(ctx, "demo.today"); d != "" {
		if t, err := time.Parse(DateLayout, d); err == nil {
			today = t.Add(12 * time.Hour)
		}
	}
	s.SetClock(func() time.Time { return today })
	sess := s.sessionFor(OpViewReports)
	p := period(today)
	run := func() *Report {
		var r *Report
		var err error
		if monthly {
			r, err = s.MonthlyReturn(ctx, sess, p)
		} else {
			r, err = s.Dashboard(ctx, sess, p)
		}
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	if r := run(); r.Received == 0 && r.AppointmentTotals().Booked == 0 {
		b.Fatalf("%s: no referrals and no appointments", p.Label())
	}
	for b.Loop() {
		run()
	}
}

func BenchmarkReportDashboardMonth(b *testing.B) { benchReport(b, PeriodMonth, false) }
func BenchmarkReportDashboardYear(b *testing.B)  { benchReport(b, PeriodYear, false) }
func BenchmarkReportMonthlyReturn(b *testing.B)  { benchReport(b, PeriodLastMonth, true) }
