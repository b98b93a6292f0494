package data

import (
	"fmt"
	"strings"
	"time"
)

// Period is a span of whole London days, First to Last inclusive
// (YYYY-MM-DD). Reports count a referral by its received date and an
// instant (an appointment, a status move) by the London day it fell on, so
// a referral at 23:30 BST on 31 August is August's.
type Period struct {
	First, Last string
}

// PeriodMonth is the London calendar month holding t.
func PeriodMonth(t time.Time) Period {
	y, m, _ := t.In(london()).Date()
	return monthPeriod(y, m, 1)
}

// monthPeriod is n whole months starting with month m of year y.
func monthPeriod(y int, m time.Month, n int) Period {
	first := time.Date(y, m, 1, 12, 0, 0, 0, time.UTC)
	last := first.AddDate(0, n, -1)
	return Period{first.Format(DateLayout), last.Format(DateLayout)}
}

// ParseMonth reads YYYY-MM as that month's period.
func ParseMonth(s string) (Period, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return Period{}, fmt.Errorf("give the month as YYYY-MM, e.g. 2026-08")
	}
	return monthPeriod(t.Year(), t.Month(), 1), nil
}

// PeriodLastMonth is the month before the one holding t.
func PeriodLastMonth(t time.Time) Period {
	y, m, _ := t.In(london()).Date()
	return monthPeriod(y, m-1, 1)
}

// PeriodQuarter is the calendar quarter holding t (January–March, …).
func PeriodQuarter(t time.Time) Period {
	y, m, _ := t.In(london()).Date()
	return monthPeriod(y, m-(m-1)%3, 3)
}

// PeriodYear is the NHS financial year (April to March) holding t.
func PeriodYear(t time.Time) Period {
	y, m, _ := t.In(london()).Date()
	if m < time.April {
		y--
	}
	return monthPeriod(y, time.April, 12)
}

// Valid reports whether both ends are dates and First is not after Last.
func (p Period) Valid() bool {
	_, e1 := time.Parse(DateLayout, p.First)
	_, e2 := time.Parse(DateLayout, p.Last)
	return e1 == nil && e2 == nil && p.First <= p.Last
}

// bounds are the period's stored-form instants: [First 00:00, day after
// Last 00:00) London time.
func (p Period) bounds() (string, string) {
	from, to, _ := dayBounds(p.First, p.Last)
	return from, to
}

// end is the instant the period ends (the day after Last, 00:00 London).
func (p Period) end() time.Time {
	d, _ := time.ParseInLocation(DateLayout, p.Last, london())
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, london())
}

// LastYear is the same days a year earlier (29 February becomes 28th).
func (p Period) LastYear() Period {
	back := func(s string) string {
		d, _ := time.Parse(DateLayout, s)
		y, m, day := d.Date()
		if m == time.February && day == 29 {
			day = 28
		}
		return time.Date(y-1, m, day, 0, 0, 0, 0, time.UTC).Format(DateLayout)
	}
	return Period{back(p.First), back(p.Last)}
}

// Month is the period's first month as YYYY-MM.
func (p Period) Month() string { return p.First[:7] }

// Label is the period as a reader says it: "August 2026",
// "August – October 2026", "01/08/2026 – 15/08/2026".
func (p Period) Label() string {
	f, err1 := time.Parse(DateLayout, p.First)
	l, err2 := time.Parse(DateLayout, p.Last)
	if err1 != nil || err2 != nil {
		return p.First + " – " + p.Last
	}
	wholeMonths := f.Day() == 1 && l.AddDate(0, 0, 1).Day() == 1
	switch {
	case wholeMonths && f.Year() == l.Year() && f.Month() == l.Month():
		return f.Format("January 2006")
	case wholeMonths && f.Year() == l.Year():
		return f.Format("January") + " – " + l.Format("January 2006")
	case wholeMonths:
		return f.Format("January 2006") + " – " + l.Format("January 2006")
	}
	return f.Format("02/01/2006") + " – " + l.Format("02/01/2006")
}

// lastMonths are the n calendar months ending with the one holding the
// period's last day, oldest first.
func (p Period) lastMonths(n int) []Period {
	l, _ := time.Parse(DateLayout, p.Last)
	out := make([]Period, n)
	for i := range out {
		out[i] = monthPeriod(l.Year(), l.Month()-time.Month(n-1-i), 1)
	}
	return out
}

// daysBetween counts calendar days from one date to another (YYYY-MM-DD).
func daysBetween(from, to string) int {
	f, err1 := time.Parse(DateLayout, from)
	t, err2 := time.Parse(DateLayout, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(t.Sub(f).Hours()/24 + 0.5)
}
