package data

// The demo's diary: which five-minute slots of each link worker's days are
// taken, and finding a free one.

import (
	"time"
)

func (g *demoGen) slotsFree(wi, d, m, minutes int) bool {
	b := &g.busy[wi][d]
	for s := m / 5; s < (m+minutes)/5; s++ {
		if b[s/64]&(1<<(s%64)) != 0 {
			return false
		}
	}
	return true
}

func (g *demoGen) markSlots(wi, d, m, minutes int, on bool) {
	b := &g.busy[wi][d]
	for s := m / 5; s < (m+minutes)/5; s++ {
		if on {
			b[s/64] |= 1 << (s % 64)
		} else {
			b[s/64] &^= 1 << (s % 64)
		}
	}
	if on {
		g.freeMin[wi][d] -= int16(minutes)
	} else {
		g.freeMin[wi][d] += int16(minutes)
	}
}

// findSlot books the first free start (on a quarter hour, at a random point
// of a session) for a worker within window days from day from.
func (g *demoGen) findSlot(wi, from, minutes, window int) (day, minute int, site int64, ok bool) {
	if from < 0 {
		from = 0
	}
	for d := from; d < from+window && d < len(g.holiday); d++ {
		if g.blocked[wi][d] || int(g.freeMin[wi][d]) < minutes {
			continue
		}
		ss := g.sessions[wi][g.weekday(d)]
		first := 0
		if len(ss) > 1 {
			first = g.r.IntN(len(ss))
		}
		for k := range ss {
			s := ss[(first+k)%len(ss)]
			positions := (s.end-s.start-minutes)/15 + 1
			if positions <= 0 {
				continue
			}
			off := g.r.IntN(positions)
			for p := 0; p < positions; p++ {
				m := s.start + ((off+p)%positions)*15
				if g.slotsFree(wi, d, m, minutes) {
					g.markSlots(wi, d, m, minutes, true)
					return d, m, s.site, true
				}
			}
		}
	}
	return 0, 0, 0, false
}

// workDay moves a day index forward to a weekday that is not a bank holiday.
func (g *demoGen) workDay(d int) int {
	for g.weekday(d) > 5 || d >= 0 && d < len(g.holiday) && g.holiday[d] {
		d++
	}
	return d
}

// later is a working-hours moment minD to maxD working days after t, and
// always after t.
func (g *demoGen) later(t time.Time, minD, maxD int) time.Time {
	d := g.dayIndex(t) + minD + g.r.IntN(maxD-minD+1)
	d = g.workDay(d)
	res := g.at(d, 9*60+g.r.IntN(8*60))
	if !res.After(t) {
		res = t.Add(time.Duration(5+g.r.IntN(90)) * time.Minute)
	}
	return res
}
