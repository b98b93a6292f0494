package data

// The demo's bank holidays (England and Wales) and the link workers' leave.

import (
	"math"
	"sort"
	"time"
)

type bankHoliday struct {
	date time.Time
	name string
}

// easterSunday is the Gregorian Easter (anonymous Gregorian algorithm).
func easterSunday(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	gg := (b - f + 1) / 3
	h := (19*a + b - d - gg + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// bankHolidays lists the bank holidays of England and Wales in a year,
// with substitute days and the one-off holidays since 2011.
func bankHolidays(year int) []bankHoliday {
	d := func(m time.Month, day int) time.Time { return time.Date(year, m, day, 0, 0, 0, 0, time.UTC) }
	firstMonday := func(m time.Month) time.Time {
		t := d(m, 1)
		for t.Weekday() != time.Monday {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	lastMonday := func(m time.Month) time.Time {
		t := d(m+1, 1).AddDate(0, 0, -1)
		for t.Weekday() != time.Monday {
			t = t.AddDate(0, 0, -1)
		}
		return t
	}
	var out []bankHoliday
	ny := d(time.January, 1)
	switch ny.Weekday() {
	case time.Saturday:
		ny = ny.AddDate(0, 0, 2)
	case time.Sunday:
		ny = ny.AddDate(0, 0, 1)
	}
	out = append(out, bankHoliday{ny, "New Year's Day"})
	easter := easterSunday(year)
	out = append(out, bankHoliday{easter.AddDate(0, 0, -2), "Good Friday"}, bankHoliday{easter.AddDate(0, 0, 1), "Easter Monday"})
	earlyMay := firstMonday(time.May)
	switch year {
	case 1995, 2020:
		earlyMay = d(time.May, 8) // VE Day anniversaries
	}
	out = append(out, bankHoliday{earlyMay, "Early May bank holiday"})
	spring := lastMonday(time.May)
	switch year {
	case 2002, 2012:
		spring = d(time.June, 4)
	case 2022:
		spring = d(time.June, 2)
	}
	out = append(out, bankHoliday{spring, "Spring bank holiday"})
	switch year {
	case 2011:
		out = append(out, bankHoliday{d(time.April, 29), "Royal wedding"})
	case 2012:
		out = append(out, bankHoliday{d(time.June, 5), "Diamond Jubilee"})
	case 2022:
		out = append(out, bankHoliday{d(time.June, 3), "Platinum Jubilee"}, bankHoliday{d(time.September, 19), "State funeral of Queen Elizabeth II"})
	case 2023:
		out = append(out, bankHoliday{d(time.May, 8), "Coronation of King Charles III"})
	}
	out = append(out, bankHoliday{lastMonday(time.August), "Summer bank holiday"})
	xmas, boxing := d(time.December, 25), d(time.December, 26)
	switch xmas.Weekday() {
	case time.Friday: // Boxing Day on Saturday
		boxing = d(time.December, 28)
	case time.Saturday:
		xmas, boxing = d(time.December, 27), d(time.December, 28)
	case time.Sunday:
		xmas = d(time.December, 27)
	}
	out = append(out, bankHoliday{xmas, "Christmas Day"}, bankHoliday{boxing, "Boxing Day"})
	sort.SliceStable(out, func(i, j int) bool { return out[i].date.Before(out[j].date) })
	return out
}

func (g *demoGen) leaveRow(worker int64, first, last int, reason string) error {
	created := g.at(first-20-g.r.IntN(60), 9*60+g.r.IntN(8*60))
	if created.Before(g.setupAt) {
		created = g.setupAt
	}
	if created.After(g.now) {
		created = g.now
	}
	by := g.manager
	_, err := g.tx.ExecContext(g.ctx, `INSERT INTO leave (worker_id, first_day, last_day, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
		nullID(worker), g.date(first), g.date(last), reason, ts(created), by)
	return err
}

func (g *demoGen) block(wi, first, last int) {
	for d := max(first, 0); d <= last && d < len(g.holiday); d++ {
		g.blocked[wi][d] = true
	}
}

func (g *demoGen) leave() error {
	startYear := g.day(0).Year()
	endYear := g.day(g.days).Year() + 1
	origin := time.Date(g.y, g.m, g.d, 0, 0, 0, 0, time.UTC)
	for y := startYear; y <= endYear; y++ {
		for _, bh := range bankHolidays(y) {
			i := int(math.Round(bh.date.Sub(origin).Hours() / 24))
			if i < 0 {
				continue
			}
			if err := g.leaveRow(0, i, i, "Bank holiday: "+bh.name); err != nil {
				return err
			}
			if i < len(g.holiday) {
				g.holiday[i] = true
				for wi := range g.workers {
					g.blocked[wi][i] = true
				}
			}
		}
	}
	// Annual leave: a fortnight in summer, a week in spring and autumn, a
	// few days at Christmas and odd days; now and then a short sickness.
	limit := g.days + demoAheadDays
	mondayOnOrAfter := func(t time.Time) int {
		i := g.dayIndex(t)
		for g.weekday(i) != 1 {
			i++
		}
		return i
	}
	for wi, w := range g.workers {
		type block struct {
			first, last int
			reason      string
		}
		var blocks []block
		for y := startYear; y <= endYear; y++ {
			summer := mondayOnOrAfter(time.Date(y, time.July, 1+g.r.IntN(45), 12, 0, 0, 0, g.loc))
			blocks = append(blocks, block{summer, summer + 11, "Annual leave"})
			spring := mondayOnOrAfter(time.Date(y, time.April, 1+g.r.IntN(50), 12, 0, 0, 0, g.loc))
			blocks = append(blocks, block{spring, spring + 4, "Annual leave"})
			autumn := mondayOnOrAfter(time.Date(y, time.October, 1+g.r.IntN(25), 12, 0, 0, 0, g.loc))
			blocks = append(blocks, block{autumn, autumn + 4, "Annual leave"})
			if g.chance(0.6) {
				x := g.dayIndex(time.Date(y, time.December, 27, 12, 0, 0, 0, g.loc))
				blocks = append(blocks, block{x, x + 3, "Annual leave"})
			}
			for k := 0; k < 2; k++ {
				x := g.dayIndex(time.Date(y, time.January, 1, 12, 0, 0, 0, g.loc)) + g.r.IntN(360)
				for g.weekday(x) > 5 {
					x++
				}
				blocks = append(blocks, block{x, x, g.one([]string{"Annual leave", "Annual leave", "Training day", "Medical appointment"})})
			}
			if g.chance(0.7) {
				x := g.dayIndex(time.Date(y, time.January, 1, 12, 0, 0, 0, g.loc)) + g.r.IntN(360)
				blocks = append(blocks, block{x, x + 1 + g.r.IntN(3), "Sickness"})
			}
		}
		sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].first < blocks[j].first })
		for _, b := range blocks {
			if b.first < 0 || b.first >= limit {
				continue
			}
			// Sickness is recorded when it happens, not in advance.
			if b.reason == "Sickness" && b.first > g.days {
				continue
			}
			if err := g.leaveRow(w, b.first, b.last, b.reason); err != nil {
				return err
			}
			g.block(wi, b.first, b.last)
		}
	}
	return nil
}
