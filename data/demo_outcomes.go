package data

// The demo's outcomes of an episode: goals, wellbeing scores (ONS4) and a
// printed social prescription, made as the app makes one.

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

var goalTexts = map[string][]string{
	"loneliness":          {"Go to a social group once a week", "Meet a friend for coffee every fortnight", "Get out of the house at least three times a week"},
	"money_debt":          {"Make a budget and stick to it", "Agree a payment plan for the arrears", "Stop opening letters with dread"},
	"benefits":            {"Claim the benefits I am entitled to", "Send the PIP appeal in time"},
	"housing":             {"Get the damp in the flat fixed", "Apply for a ground-floor flat", "Keep my tenancy"},
	"employment":          {"Start volunteering one day a week", "Apply for three jobs a month", "Finish an IT course"},
	"stress_low_mood":     {"Sleep through the night most nights", "Do one thing I enjoy every day", "Learn a way to calm down when anxious"},
	"low_confidence":      {"Catch the bus into town on my own", "Join a class and keep going"},
	"physical_activity":   {"Walk for 20 minutes three times a week", "Join a walking group"},
	"weight":              {"Go to an exercise class each week", "Cook from scratch three times a week"},
	"long_term_condition": {"Keep active despite my breathing", "Find a support group for my condition"},
	"carer_support":       {"Have a few hours a week to myself", "Get a carer's assessment", "Make an emergency plan for Mum"},
	"bereavement":         {"Talk about my loss with someone", "Sort out my husband's belongings"},
	"substance_use":       {"Have three drink-free days a week", "Find something to do in the evenings"},
	"other":               {"Get to my hospital appointments", "Get online to talk to family"},
}

var demoRxNotes = []string{
	"Ask for Pat at the door – she knows you are coming.",
	"The first session is free; just turn up.",
	"Phone first to book a place.",
	"Take your latest letters with you.",
	"Your link worker can come with you the first time.",
	"Bus 502 stops outside.",
	"",
	"",
}

// outcomes writes the goals, wellbeing scores and prescription of an episode.
func (g *demoGen) outcomes(e *episode) error {
	var attended []*demoAppt
	for i := range e.appts {
		if e.appts[i].status == "attended" {
			attended = append(attended, &e.appts[i])
		}
	}
	closedActive := e.status == "closed" && len(attended) > 0
	w := e.worker
	if len(attended) > 0 {
		first := attended[0]
		setOn := g.dayIndex(first.start)
		goals := 1 + g.pick(40, 40, 20)
		used := map[string]bool{}
		for k := 0; k < goals; k++ {
			reason := e.reasons[k%len(e.reasons)]
			text := g.one(goalTexts[reason])
			if used[text] {
				continue
			}
			used[text] = true
			startScore := 1 + g.r.IntN(5)
			var review, reviewedOn any
			updated := first.end
			if closedActive {
				gain := g.r.IntN(6)
				if e.closing == "goals_met" {
					gain = 2 + g.r.IntN(5)
				}
				review, reviewedOn = min(10, startScore+gain), g.date(g.dayIndex(*e.closedAt))
				updated = *e.closedAt
			}
			g.goalID++
			if err := g.exec("goal", g.goalID, e.id, text, startScore, g.date(setOn), review, reviewedOn,
				ts(first.end), w, ts(updated), w); err != nil {
				return err
			}
		}
		// ONS4: baseline at the initial assessment, then at review and closure.
		ls, ww, hp, ax := 4.2+1.8*g.r.NormFloat64(), 5.0+1.8*g.r.NormFloat64(), 4.3+2*g.r.NormFloat64(), 6.3+2*g.r.NormFloat64()
		measure := func(stage string, a time.Time, gain float64) error {
			g.measureID++
			return g.exec("measure", g.measureID, e.id, stage, g.date(g.dayIndex(a)),
				clampScore(ls+gain+g.r.NormFloat64()), clampScore(ww+gain*0.8+g.r.NormFloat64()),
				clampScore(hp+gain+g.r.NormFloat64()), clampScore(ax-gain+g.r.NormFloat64()), ts(a), w)
		}
		if err := measure("baseline", first.end, 0); err != nil {
			return err
		}
		if len(attended) >= 5 && g.chance(0.6) {
			if err := measure("review", attended[3].end, 0.8+0.8*g.r.NormFloat64()); err != nil {
				return err
			}
		}
		if closedActive && g.chance(0.85) {
			gain := 1.6 + 1.2*g.r.NormFloat64()
			if e.closing != "goals_met" {
				gain = 0.4 + 1.2*g.r.NormFloat64()
			}
			last := attended[len(attended)-1]
			if err := measure("closure", last.end, gain); err != nil {
				return err
			}
		}
	}
	// A printed social prescription for about half the episodes: from the
	// GP at referral, or from the link worker after an appointment.
	var issued time.Time
	var prescriber int64
	var next *demoAppt
	switch {
	case e.source == "gp" && e.firstContact != nil && g.chance(0.25):
		issued, prescriber = e.received.Add(time.Duration(2+g.r.IntN(8))*time.Minute), e.createdBy
		if !strings.HasPrefix(g.userName[prescriber], "Dr ") {
			prescriber = g.gps[0]
		}
	case len(attended) > 0 && g.chance(0.6):
		at := attended[min(1, len(attended)-1)]
		issued, prescriber = at.end.Add(-time.Duration(1+g.r.IntN(5))*time.Minute), w
		for i := range e.appts {
			a := &e.appts[i]
			if a.start.After(issued) && !a.bookedAt.After(issued) {
				next = a
				break
			}
		}
	default:
		return nil
	}
	if issued.After(g.now) {
		return nil
	}
	var items []NewPrescriptionItem
	seen := map[int]bool{}
	count := 1 + g.pick(45, 40, 15)
	for tries := 0; len(items) < count && tries < 12; tries++ {
		reason := e.reasons[g.r.IntN(len(e.reasons))]
		cats := reasonCategories[reason]
		list := g.byCategory[cats[g.r.IntN(len(cats))]]
		if len(list) == 0 {
			continue
		}
		si := list[g.r.IntN(len(list))]
		if seen[si] {
			continue
		}
		seen[si] = true
		items = append(items, NewPrescriptionItem{ServiceID: g.services[si].id, Note: g.one(demoRxNotes)})
	}
	if len(items) == 0 {
		return nil
	}
	in := NewPrescription{PatientID: e.patient, ReferralID: e.id, Items: items}
	if next != nil {
		in.NextAppointmentID = next.id
	}
	// The content the app freezes at issue, made by the app's own code from
	// the rows written so far.
	c, err := prescriptionContent(g.ctx, g.tx, issued, prescriber, in)
	if err != nil {
		return fmt.Errorf("demo prescription: %w", err)
	}
	content, err := json.Marshal(c)
	if err != nil {
		return err
	}
	g.rxID++
	if err := g.exec("rx", g.rxID, e.patient, e.id, prescriber, ts(c.IssuedAt), nullID(in.NextAppointmentID), c.LargePrint, string(content), prescriber); err != nil {
		return err
	}
	for i, it := range c.Items {
		g.rxItemID++
		if err := g.exec("rxitem", g.rxItemID, g.rxID, i+1, it.ServiceID, it.Name, it.Note); err != nil {
			return err
		}
	}
	if err := g.exec("rxprint", g.rxID, ts(issued.Add(time.Minute)), prescriber, 0); err != nil {
		return err
	}
	g.event(issued, prescriber, "issue", "prescription", g.rxID, fmt.Sprintf("%d services", len(c.Items)))
	g.event(issued.Add(time.Minute), prescriber, "print", "prescription", g.rxID, "")
	if g.chance(0.08) {
		if re := issued.Add(time.Duration(1+g.r.IntN(20)) * 24 * time.Hour); !re.After(g.now) {
			by := g.receps[g.r.IntN(len(g.receps))]
			g.event(re, by, "reprint", "prescription", g.rxID, "")
			return g.exec("rxprint", g.rxID, ts(re), by, 1)
		}
	}
	return nil
}
