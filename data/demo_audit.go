package data

// The demo practice's audit history: what its staff would have left in the
// audit over the years. They sign in and out each working day (now and
// then mistyping a password), reception searches for and opens patients
// and books, link workers open case records, move referrals and write
// contacts, GPs issue and print prescriptions, the practice manager
// exports the referrals each month, the administrator backs up each week.
//
// The events are gathered as the generator goes, sorted by time, and
// written with audit's columns, each sealed with the chain's hash
// (chainHash) after the one before, so `linkwell audit verify` finds a
// demo's chain intact. They draw on a random source of their own,
// so the rest of the demo is exactly what the same seed gave before.

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

type demoEvent struct {
	at             time.Time
	user           int64
	action, entity string
	id             int64
	detail         string
}

// event notes one audit event, if it falls within the demo's history.
func (g *demoGen) event(at time.Time, user int64, action, entity string, id int64, detail string) {
	if at.After(g.now) || at.Before(g.setupAt) {
		return
	}
	g.events = append(g.events, demoEvent{at, user, action, entity, id, detail})
}

// auditRand is the audit history's own random source.
func (g *demoGen) auditRand() *rand.Rand {
	if g.ar == nil {
		g.ar = rand.New(rand.NewPCG(uint64(g.opt.Seed), 0x61756469742d6576))
	}
	return g.ar
}

// minutesBefore is a moment a few minutes before t.
func (g *demoGen) minutesBefore(t time.Time, most int) time.Time {
	return t.Add(-time.Duration(1+g.auditRand().IntN(most)) * time.Minute)
}

// searchFor is what someone types to find the patient: the start of the
// family name, sometimes with the given name before it.
func (g *demoGen) searchFor(p *demoPatient) string {
	r := g.auditRand()
	family := []rune(strings.ToLower(p.family))
	typed := string(family[:min(len(family), 3+r.IntN(4))])
	if r.IntN(4) == 0 {
		typed = strings.ToLower(p.given) + " " + typed
	}
	return typed
}

// findPatient is a search and the opening of the patient's record, by user,
// just before t.
func (g *demoGen) findPatient(t time.Time, user int64, e *episode) {
	opened := g.minutesBefore(t, 3)
	g.event(opened.Add(-time.Duration(10+g.auditRand().IntN(50))*time.Second), user, "search", "patient", 0, g.searchFor(e.p))
	g.event(opened, user, "view", "patient", e.patient, "")
}

// episodeEvents notes what was done to one referral as it was written.
func (g *demoGen) episodeEvents(e *episode) {
	g.findPatient(e.received, e.createdBy, e)
	g.event(e.received, e.createdBy, "create", "referral", e.id, "")
	for _, h := range e.history {
		if h.from == "" {
			continue // received: the creation above
		}
		g.event(g.minutesBefore(h.at, 5), h.by, "view", "referral", e.id, "case record")
		g.event(h.at, h.by, "move", "referral", e.id, h.from+" → "+h.to)
	}
	for _, a := range e.appts {
		if g.userRole(a.bookedBy) == RoleReceptionist {
			g.findPatient(a.bookedAt, a.bookedBy, e)
		} else {
			g.event(g.minutesBefore(a.bookedAt, 3), a.bookedBy, "view", "referral", e.id, "case record")
		}
		g.event(a.bookedAt, a.bookedBy, "book", "appointment", a.id, ts(a.start))
		if g.auditRand().IntN(3) == 0 && g.userRole(a.bookedBy) == RoleReceptionist {
			g.event(a.bookedAt.Add(time.Minute), a.bookedBy, "print", "appointment", a.id, "appointment card")
		}
	}
}

// contactEvent notes the case record opened to write contact id.
func (g *demoGen) contactEvent(e *episode, c demoContact, id int64, written time.Time) {
	g.event(g.minutesBefore(written, 2), c.by, "view", "referral", e.id, "case record")
	g.event(written, c.by, "create", "contact", id, "")
}

func (g *demoGen) userRole(id int64) Role {
	for _, r := range g.receps {
		if r == id {
			return RoleReceptionist
		}
	}
	return ""
}

// dayEvents notes each working day's sign-ins and sign-outs, the monthly
// export and the weekly backup.
func (g *demoGen) dayEvents() {
	r := g.auditRand()
	month := -1
	for d := 0; d <= g.days; d++ {
		if g.weekday(d) > 5 || g.holiday[d] {
			continue
		}
		for i, id := range g.staffIDs {
			role := demoStaffList[i].role
			if role == RoleAdministrator && g.weekday(d) != 5 || r.IntN(10) == 0 {
				continue // the administrator comes in on Fridays; anyone may be off
			}
			if role == RoleLinkWorker {
				if wi := g.workerIndex(id); wi >= 0 && g.blocked[wi][d] {
					continue // on leave
				}
			}
			in := g.at(d, 8*60+r.IntN(60))
			if r.IntN(40) == 0 {
				g.event(in.Add(-time.Minute), id, "sign_in_failed", "user", id,
					triedAs(demoStaffList[i].username, fmt.Sprintf("wrong password (1 of %d)", MaxFailedSignIns)))
			}
			g.event(in, id, "sign_in", "user", id, "")
			out := g.at(d, 16*60+30+r.IntN(90))
			switch role {
			case RoleAdministrator:
				g.event(out.Add(-10*time.Minute), id, "backup", "database", 0, "encrypted backup to E:\\Backups\\linkwell-"+g.date(d)+".db")
			case RolePracticeManager:
				if m := int(g.day(d).Month()); m != month {
					month = m
					// Last month's referrals, on the first working day.
					prev := g.day(d).AddDate(0, -1, 0)
					first := time.Date(prev.Year(), prev.Month(), 1, 0, 0, 0, 0, g.loc)
					from, to := first.Format(DateLayout), first.AddDate(0, 1, -1).Format(DateLayout)
					g.event(g.at(d, 10*60+r.IntN(60)), id, "export", "referral", 0,
						fmt.Sprintf("referrals %s to C:\\Users\\hredfern\\Documents\\referrals-%s.csv", dateSpan(from, to), first.Format("2006-01")))
				}
			}
			g.event(out, id, "sign_out", "user", id, "")
		}
	}
}

func (g *demoGen) workerIndex(id int64) int {
	for i, w := range g.workers {
		if w == id {
			return i
		}
	}
	return -1
}

// writeEvents inserts the gathered events in time order, each sealed as
// it goes: the same columns audit writes and the same hash sealAudit would
// give it (chainHash, following the newest sealed event), so the chain
// verifies as if each had been written by audit. Sealing as they go saves
// rewriting every row afterwards, which doubled the time of a large demo.
func (g *demoGen) writeEvents() error {
	g.dayEvents()
	sort.SliceStable(g.events, func(i, j int) bool { return g.events[i].at.Before(g.events[j].at) })
	// Anything written before (the staff's accounts) is sealed first.
	if err := sealAudit(g.ctx, g.tx); err != nil {
		return err
	}
	lastID, lastHash, _, err := auditHead(g.ctx, g.tx)
	if err != nil {
		return err
	}
	st, err := g.tx.PrepareContext(g.ctx, `INSERT INTO audit_events (id, at, user_id, action, entity, entity_id, detail, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for i, e := range g.events {
		if i%5000 == 0 {
			g.progress("audit", i, len(g.events))
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		ev := auditEvent{id: lastID + 1, at: ts(e.at), userID: sql.NullInt64{Int64: e.user, Valid: e.user != 0},
			action: e.action, entity: e.entity, entityID: sql.NullInt64{Int64: e.id, Valid: true}, detail: e.detail}
		hash := chainHash(lastHash, ev)
		if _, err := st.ExecContext(g.ctx, ev.id, ev.at, nullID(e.user), ev.action, ev.entity, e.id, ev.detail, hash); err != nil {
			return fmt.Errorf("demo audit: %w", err)
		}
		lastID, lastHash = ev.id, hash
	}
	g.progress("audit", len(g.events), len(g.events))
	g.events = nil
	return setAuditHead(g.ctx, g.tx, lastID, lastHash)
}
