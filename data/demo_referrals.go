package data

// The demo's referrals and everything that hangs off them: who is referred
// and why, and each episode run from received to closed (or to today) with
// its status history, appointments and contacts.

import (
	"math"
	"sort"
	"time"
)

var demoReasons = []string{"loneliness", "money_debt", "benefits", "housing", "employment", "stress_low_mood", "low_confidence",
	"physical_activity", "weight", "long_term_condition", "carer_support", "bereavement", "substance_use", "other"}

var demoReasonWeights = []int{26, 10, 9, 7, 5, 20, 9, 8, 4, 10, 6, 6, 2, 2}

// reasonCategories links a referral reason to directory categories.
var reasonCategories = map[string][]string{
	"loneliness":          {"befriending", "lunch clubs", "choirs", "arts", "faith and culture"},
	"money_debt":          {"debt and benefits advice", "foodbank"},
	"benefits":            {"debt and benefits advice"},
	"housing":             {"housing"},
	"employment":          {"employment", "digital skills"},
	"stress_low_mood":     {"mental wellbeing", "gardening", "walking", "arts"},
	"low_confidence":      {"arts", "digital skills", "befriending"},
	"physical_activity":   {"walking", "exercise"},
	"weight":              {"exercise", "walking"},
	"long_term_condition": {"exercise", "walking", "choirs"},
	"carer_support":       {"carers", "dementia"},
	"bereavement":         {"bereavement"},
	"substance_use":       {"mental wellbeing"},
	"other":               {"transport", "veterans", "digital skills", "youth"},
}

var whatMatters = map[string][]string{
	"loneliness":          {"I'd like to get out of the house and meet people again.", "Since my wife died I don't talk to anyone most days.", "I want a reason to get dressed in the morning.", "I used to love dancing and miss the company."},
	"money_debt":          {"I want to stop worrying about the bills.", "I need help with my rent arrears before it gets worse.", "I'd like to understand what I owe and make a plan."},
	"benefits":            {"I don't know what I'm entitled to since I had to stop work.", "My PIP was stopped and I don't know how to appeal.", "I want help filling in the Attendance Allowance form."},
	"housing":             {"My flat is damp and it makes my chest worse.", "I've been given notice and have nowhere to go.", "I want to move somewhere without stairs."},
	"employment":          {"I want to get back to work after being off sick.", "I'd like to do some volunteering to build up my confidence.", "I need help with my CV and applying online."},
	"stress_low_mood":     {"I want to feel more like myself again.", "I'd like to sleep better and stop feeling on edge.", "I want to enjoy things again, like I used to."},
	"low_confidence":      {"I want to feel confident enough to go out on my own.", "I'd like to learn something new and prove I can do it."},
	"physical_activity":   {"I want to be able to walk to the shops again.", "I'd like to get fitter so I can keep up with my grandchildren."},
	"weight":              {"I want to lose some weight and feel healthier.", "I'd like to find exercise I actually enjoy."},
	"long_term_condition": {"I want to manage my COPD better and keep active.", "Living with pain, I want to find things I can still do.", "I'd like to meet others with diabetes."},
	"carer_support":       {"I look after my husband and need a break now and then.", "Caring for Mum is wearing me down; I need some support.", "I want to keep my own life while caring for my son."},
	"bereavement":         {"I lost my husband last year and can't seem to move on.", "I want to talk to someone who understands grief."},
	"substance_use":       {"I want to cut down my drinking and fill my time differently.", "I need something to do in the evenings that isn't the pub."},
	"other":               {"I'd like help getting to my appointments.", "I want to get involved in my community.", "I served in the army and would like to meet other veterans."},
}

var demoPriorityReasons = map[string][]string{
	"soon":   {"Recently bereaved and living alone", "Struggling since discharge from hospital", "Carer close to breaking point", "Low mood getting worse"},
	"urgent": {"Eviction notice received", "No money for food or heating", "At risk of losing their home this month"},
}

var demoOtherReferrers = map[string][][2]string{
	"hospital":       {{"Ward 7 discharge team", "Calderbridge Royal Infirmary"}, {"Frailty team", "Calderbridge Royal Infirmary"}, {"Cardiac rehabilitation", "Calderbridge Royal Infirmary"}},
	"mental_health":  {{"Community mental health team", "Calder Valley NHS Foundation Trust"}, {"Talking Therapies", "NHS Calderbridge Talking Therapies"}, {"Crisis team", "Calder Valley NHS Foundation Trust"}},
	"social_care":    {{"Adult social care – first contact", "Calderbridge Council"}, {"Reablement team", "Calderbridge Council"}},
	"housing":        {{"Tenancy sustainment", "Calder Valley Homes"}, {"Housing options", "Calderbridge Council"}},
	"vcse":           {{"Advice team", "Citizens Advice Calderbridge"}, {"Information and advice", "Age UK Calderbridge"}, {"Support team", "Calderbridge Carers' Centre"}, {"Caseworker", "Calderbridge Foodbank (Trussell)"}},
	"other":          {{"Safe and Well visit", "Calderbridge Fire and Rescue"}, {"Pharmacist", "Millbank Pharmacy"}, {"Police community support officer", "Calderbridge Police"}},
	"practice_nurse": {{"Karen Doyle", demoPracticeName}, {"Sunil Varma", demoPracticeName}, {"Jo Metcalfe", demoPracticeName}},
	"practice_staff": {{"Imran Qadir (clinical pharmacist)", demoPracticeName}, {"Leanne Holt (health care assistant)", demoPracticeName}, {"Dan Crowther (physiotherapist)", demoPracticeName}},
}

var contactTexts = map[string][]string{
	"first":      {"Introductory call: explained social prescribing and what the link worker can help with.", "Phoned after referral; talked through what matters to them.", "First call: explained the service; happy to go ahead."},
	"in_person":  {"Met to talk about what matters; looked at groups nearby.", "Went through the options together and chose one to try.", "Reviewed progress; feeling more settled.", "Talked about barriers to going to the group; arranged a buddy for the first visit."},
	"phone":      {"Check-in call; went to the group and enjoyed it.", "Phoned to see how the first session went.", "Call about the benefits form; appointment booked with advice service.", "Brief call to confirm next appointment."},
	"video":      {"Video call: reviewed goals and next steps.", "Video call with daughter present; agreed plan."},
	"home_visit": {"Home visit: talked through support; helped fill in a form.", "Home visit with carer present; looked at transport options.", "Home visit: house cold, referred for warm home advice."},
	"message":    {"Sent details of the group by text.", "Texted a reminder of Tuesday's session.", "E-mailed the advice service's details and opening times.", "Text: asked how the walk went."},
	"note":       {"Spoke to the group leader, who will look out for them on Thursday.", "Letter sent with the directory entries we discussed.", "Liaised with the advice service; appointment confirmed.", "Updated GP on progress."},
	"dna":        {"Did not attend; phoned and left a message.", "Did not attend; text sent offering a new appointment."},
	"attempt":    {"Phoned, no answer; left a voicemail.", "Phoned twice, no reply; text sent.", "Number not recognised; checked record."},
}

var demoCancelReasons = map[string][]string{
	"cancelled_patient":  {"Patient unwell", "Hospital appointment the same day", "Caring for a family member", "Transport fell through", "Patient asked to rearrange"},
	"cancelled_practice": {"Link worker off sick", "Room not available", "Practice training afternoon", "Link worker called to an urgent case"},
}

var demoClosingText = map[string]string{
	"goals_met":        "Goals met; connected to community support",
	"moved_away":       "Moved out of the area",
	"declined_support": "Decided they no longer want support",
	"not_engaging":     "Not engaging after several attempts",
	"died":             "Patient died",
	"transferred":      "Transferred to another service",
	"other":            "Closed after discussion with GP",
}

type demoHistory struct {
	at                           time.Time
	by                           int64
	kind, from, to, closing, why string
}

type demoAppt struct {
	id                  int64
	start, end          time.Time
	typ, mode, status   string
	site                int64
	cancel, notes       string
	bookedAt, updatedAt time.Time
	bookedBy, updatedBy int64
}

type demoContact struct {
	at      time.Time
	kind    string
	minutes int
	text    string
	by      int64
}

// episode is one referral as the generator builds it, before it is written.
type episode struct {
	id, patient, worker int64
	p                   *demoPatient
	received            time.Time
	receivedDay         int
	source, priority    string
	reasons             []string
	status              string
	statusAt            time.Time
	lastBy              int64
	firstContact        *time.Time
	closedAt            *time.Time
	closing             string
	snomed              string
	snomedAt            *time.Time
	coded               bool
	codedAt             time.Time
	createdBy           int64
	lastActivity        time.Time
	history             []demoHistory
	appts               []demoAppt
	contacts            []demoContact
}

func (e *episode) touch(t time.Time) {
	if t.After(e.lastActivity) {
		e.lastActivity = t
	}
}

func (g *demoGen) move(e *episode, at time.Time, by int64, to, why, closing string) bool {
	if at.After(g.now) {
		return false
	}
	if !at.After(e.statusAt) {
		at = e.statusAt.Add(time.Duration(1+g.r.IntN(20)) * time.Minute)
		if at.After(g.now) {
			return false
		}
	}
	e.history = append(e.history, demoHistory{at: at, by: by, kind: "status", from: e.status, to: to, closing: closing, why: why})
	e.status, e.statusAt, e.lastBy = to, at, by
	e.touch(at)
	switch to {
	case "closed", "declined", "unable_to_contact":
		t := at
		e.closedAt = &t
		e.closing = closing
	}
	return true
}

func (g *demoGen) addContact(e *episode, at time.Time, kind string, minutes int, text string, by int64) {
	if at.After(g.now) {
		return
	}
	e.contacts = append(e.contacts, demoContact{at, kind, minutes, text, by})
	e.touch(at)
}

// choosePatient finds a patient who is registered by the day, has no open
// episode then, and (mostly) is an adult; older people are referred more.
func (g *demoGen) choosePatient(day int) int {
	year := g.day(day).Year()
	n := len(g.patients)
	ok := func(i int, strict bool) bool {
		p := &g.patients[i]
		if int(p.createdDay) > day || int(p.freeFrom) > day {
			return false
		}
		age := year - p.born
		if age < 11 {
			return false
		}
		if !strict {
			return true
		}
		switch {
		case age < 18:
			return g.chance(0.2)
		case age < 40:
			return g.chance(0.55)
		case age < 65:
			return g.chance(0.8)
		}
		return true
	}
	for tries := 0; tries < 60; tries++ {
		if i := g.r.IntN(n); ok(i, true) {
			return i
		}
	}
	start := g.r.IntN(n)
	for k := 0; k < n; k++ {
		if i := (start + k) % n; ok(i, false) {
			return i
		}
	}
	return -1
}

func (g *demoGen) referrals() error {
	total := int(math.Round(float64(g.opt.Patients) * float64(g.opt.Years) * 0.015))
	if total < 1 {
		total = 1
	}
	days := make([]int, total)
	for i := range days {
		d := g.r.IntN(g.days + 1)
		// Referrals come in on working days, bar a few self-referrals online.
		if (g.weekday(d) > 5 || g.holiday[d]) && g.chance(0.85) {
			d = g.workDay(d)
			if d > g.days {
				d = g.days
			}
		}
		days[i] = d
	}
	sort.Ints(days)
	for i, d := range days {
		if i%250 == 0 {
			g.progress("referrals", i, total)
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		if err := g.referral(int64(i+1), d); err != nil {
			return err
		}
	}
	g.progress("referrals", total, total)
	return nil
}

func (g *demoGen) referral(id int64, day int) error {
	pi := g.choosePatient(day)
	if pi < 0 {
		return nil // every patient is busy: skip this one
	}
	p := &g.patients[pi]
	e := &episode{id: id, patient: int64(pi + 1), p: p, receivedDay: day}
	minute := 8*60 + g.r.IntN(9*60)
	e.received = g.at(day, minute)
	if e.received.After(g.now) {
		e.received = g.now.Add(-time.Duration(1+g.r.IntN(60)) * time.Minute)
	}
	e.source = []string{"gp", "practice_nurse", "practice_staff", "self", "hospital", "mental_health", "social_care", "housing", "vcse", "family_carer", "other"}[g.pick(45, 10, 4, 10, 6, 7, 6, 3, 5, 3, 1)]
	var referrer, org string
	e.createdBy = g.receps[g.r.IntN(len(g.receps))]
	switch e.source {
	case "gp":
		gp := g.gps[g.r.IntN(len(g.gps))]
		referrer, org = g.userName[gp], demoPracticeName
		if g.chance(0.7) {
			e.createdBy = gp
		}
	case "self":
		referrer = p.given + " " + p.family
	case "family_carer":
		rel := g.one([]string{"daughter", "son", "wife", "husband", "neighbour", "friend", "partner"})
		referrer = g.one(demoNameGroups[0].female) + " " + p.family + " (" + rel + ")"
	default:
		x := demoOtherReferrers[e.source][g.r.IntN(len(demoOtherReferrers[e.source]))]
		referrer, org = x[0], x[1]
	}
	// Reasons: one to three, distinct.
	nr := 1 + g.pick(45, 38, 17)
	for len(e.reasons) < nr {
		r := demoReasons[g.pick(demoReasonWeights...)]
		dup := false
		for _, x := range e.reasons {
			dup = dup || x == r
		}
		if !dup {
			e.reasons = append(e.reasons, r)
		}
	}
	e.priority = []string{"routine", "soon", "urgent"}[g.pick(82, 14, 4)]
	priorityReason := ""
	if e.priority != "routine" {
		priorityReason = g.one(demoPriorityReasons[e.priority])
	}
	wm := g.one(whatMatters[e.reasons[0]])
	consentBy := g.one([]string{"Patient (verbal)", "Patient (verbal)", "Patient (verbal)", "Patient (written)"})
	if e.source == "family_carer" {
		consentBy = "Patient (verbal, with family present)"
	}
	e.worker = g.workers[g.pick(g.workerW...)]
	wi := 0
	for i, w := range g.workers {
		if w == e.worker {
			wi = i
		}
	}
	e.status, e.statusAt, e.lastBy = "", e.received, e.createdBy
	e.lastActivity = e.received
	e.history = append(e.history, demoHistory{at: e.received, by: e.createdBy, kind: "status", to: "received", why: "Referral received"})
	e.status = "received"

	g.simulate(e, wi)

	// Not yet allocated: a few of this week's referrals.
	var worker any = e.worker
	if e.status == "received" && g.now.Sub(e.received) < 5*24*time.Hour && g.chance(0.6) {
		worker = nil
	}
	// The patient may be referred again some time after this episode ends.
	switch {
	case e.closedAt == nil || e.closing == "died" || e.closing == "moved_away":
		p.freeFrom = math.MaxInt32
	default:
		p.freeFrom = int32(g.dayIndex(*e.closedAt) + 30 + g.r.IntN(300))
	}
	updatedAt, updatedBy := e.statusAt, e.lastBy
	if e.coded && e.codedAt.After(updatedAt) {
		updatedAt = e.codedAt
	}
	if err := g.exec("referral", e.id, e.patient, g.date(day), e.source, referrer, org, wm, e.priority, priorityReason,
		consentBy, g.date(day), worker, e.status, ts(e.statusAt), tsPtr(e.firstContact), tsPtr(e.closedAt),
		nullString(e.closing), nullString(e.snomed), tsPtr(e.snomedAt), e.coded, ts(e.lastActivity),
		ts(e.received), e.createdBy, ts(updatedAt), updatedBy); err != nil {
		return err
	}
	for _, r := range e.reasons {
		if err := g.exec("reason", e.id, r); err != nil {
			return err
		}
	}
	sort.SliceStable(e.history, func(i, j int) bool { return e.history[i].at.Before(e.history[j].at) })
	for _, h := range e.history {
		g.histID++
		if err := g.exec("history", g.histID, e.id, ts(h.at), h.by, h.kind, nullString(h.from), nullString(h.to),
			nullString(h.closing), h.why); err != nil {
			return err
		}
	}
	for _, a := range e.appts {
		var site any
		if a.site != 0 {
			site = a.site
		}
		if err := g.exec("appointment", a.id, e.worker, e.patient, e.id, ts(a.start), ts(a.end), a.typ, a.mode, site,
			a.status, a.notes, a.cancel, ts(a.bookedAt), a.bookedBy, ts(a.updatedAt), a.updatedBy); err != nil {
			return err
		}
	}
	sort.SliceStable(e.contacts, func(i, j int) bool { return e.contacts[i].at.Before(e.contacts[j].at) })
	for _, c := range e.contacts {
		g.contactID++
		written := c.at.Add(time.Duration(c.minutes) * time.Minute / 2)
		if err := g.exec("contact", g.contactID, e.id, ts(c.at), c.kind, c.minutes, c.text, ts(written), c.by); err != nil {
			return err
		}
		g.contactEvent(e, c, g.contactID, written)
	}
	g.episodeEvents(e)
	return g.outcomes(e)
}

func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// simulate runs the episode from received to its end or to now.
func (g *demoGen) simulate(e *episode, wi int) {
	w := e.worker
	outcome := []string{"closed", "declined", "unable", "long"}[g.pick(72, 10, 8, 10)]
	if e.source == "self" && outcome == "unable" {
		outcome = "closed"
	}
	if outcome == "unable" {
		// Attempts to reach the patient, then give up (sometimes after a
		// first conversation).
		t := e.received
		if g.chance(0.25) {
			t = g.later(t, 1, 6)
			g.addContact(e, t, "phone", 10+g.r.IntN(10), g.one(contactTexts["first"]), w)
			if !g.move(e, t, w, "contacted", "Spoke to patient", "") {
				return
			}
			ft := t
			e.firstContact = &ft
		}
		for k := 0; k < 2+g.r.IntN(2); k++ {
			t = g.later(t, 2, 6)
			g.addContact(e, t, "phone", 2+g.r.IntN(4), g.one(contactTexts["attempt"]), w)
		}
		t = g.later(t, 1, 3)
		g.addContact(e, t, "note", 5, "Letter sent asking them to get in touch within two weeks.", w)
		t = g.later(t, 10, 16)
		g.move(e, t, w, "unable_to_contact", "No reply to three calls and a letter", "")
		return
	}
	contactAt := g.later(e.received, 1, 8)
	if e.priority == "urgent" {
		contactAt = g.later(e.received, 0, 1)
	}
	if !g.move(e, contactAt, w, "contacted", "Spoke to patient by phone", "") {
		return
	}
	e.firstContact = &contactAt
	g.addContact(e, contactAt, "phone", 10+g.r.IntN(15), g.one(contactTexts["first"]), w)
	if outcome == "declined" {
		t := contactAt.Add(time.Duration(5+g.r.IntN(20)) * time.Minute)
		if g.chance(0.5) {
			t = g.later(contactAt, 1, 7)
			g.addContact(e, t, "phone", 5+g.r.IntN(10), "Called back as agreed; does not want support at the moment.", w)
		}
		why := g.one([]string{"Does not feel it would help", "Already has support from family", "Not the right time", "Prefers to manage on their own"})
		if g.move(e, t, w, "declined", why, "") {
			e.snomed, e.snomedAt = snomedDeclined, e.closedAt
			g.code(e, *e.closedAt)
		}
		return
	}
	acceptAt := contactAt.Add(time.Duration(10+g.r.IntN(20)) * time.Minute)
	if g.chance(0.5) {
		acceptAt = g.later(contactAt, 1, 6)
	}
	if !g.move(e, acceptAt, w, "accepted", "Agreed to work with the link worker", "") {
		return
	}
	acc := e.statusAt
	e.snomed, e.snomedAt = snomedAccepted, &acc
	g.code(e, acc)

	closing := []string{"goals_met", "not_engaging", "declined_support", "moved_away", "transferred", "died", "other"}[g.pick(62, 10, 8, 6, 4, 2, 8)]
	n := 6 + g.r.IntN(7)
	gapMin, gapMax := 7, 21
	if outcome == "long" {
		n, gapMin, gapMax = 9+g.r.IntN(4), 14, 42
	}
	switch closing {
	case "declined_support", "moved_away", "transferred", "died":
		n = 2 + g.r.IntN(4)
	}
	age := g.day(e.receivedDay).Year() - e.p.born
	target := g.dayIndex(acc) + 2 + g.r.IntN(12)
	prevEnd := acc
	attended, dnaRun := 0, 0
	var lastEnd time.Time
	open := false // an appointment is booked in the future
	for k := 0; k < n; k++ {
		bookedAt := prevEnd.Add(-time.Duration(g.r.IntN(5)) * time.Minute)
		if !bookedAt.After(acc) {
			bookedAt = acc.Add(time.Duration(1+g.r.IntN(30)) * time.Minute)
		}
		if bookedAt.After(g.now) {
			break
		}
		if from := g.dayIndex(bookedAt) + 1; target < from {
			target = from
		}
		typ, mode := "follow_up", "in_person"
		switch {
		case attended == 0:
			typ = "initial_assessment"
			mode = []string{"in_person", "phone", "video"}[g.pick(85, 12, 3)]
			if age >= 80 && g.chance(0.3) {
				mode = "home_visit"
			}
		case k == n-1 || k == n/2:
			typ = "review"
			mode = []string{"in_person", "phone"}[g.pick(80, 20)]
		default:
			switch g.pick(55, 22, 10, 8) {
			case 1:
				typ, mode = "phone_call", "phone"
			case 2:
				if age >= 75 || g.chance(0.3) {
					typ, mode = "home_visit", "home_visit"
				}
			case 3:
				mode = "video"
			}
		}
		minutes := map[string]int{"initial_assessment": 60, "follow_up": 30, "review": 30, "phone_call": 20, "home_visit": 90}[typ]
		if mode == "home_visit" && typ != "home_visit" {
			minutes = 90
		}
		d, m, site, ok := g.findSlot(wi, target, minutes, 14)
		if !ok {
			target += 7
			continue
		}
		start := g.at(d, m)
		a := demoAppt{start: start, end: start.Add(time.Duration(minutes) * time.Minute), typ: typ, mode: mode,
			bookedAt: bookedAt, bookedBy: w, status: "booked"}
		if mode == "in_person" {
			a.site = site
		}
		if g.chance(0.4) {
			a.bookedBy = g.receps[g.r.IntN(len(g.receps))]
		}
		a.updatedAt, a.updatedBy = a.bookedAt, a.bookedBy
		if g.chance(0.04) {
			a.notes = g.one([]string{"Needs a ground-floor room", "Prefers afternoons", "Bring the council tax letter", "Daughter will attend too", "Interpreter booked"})
		}
		if a.end.After(g.now) {
			open = true
		} else {
			a.status = []string{"attended", "dna", "cancelled_patient", "cancelled_practice"}[g.pick(85, 10, 3, 2)]
			if outcome == "closed" && closing == "not_engaging" && attended > 0 && g.chance(0.5) {
				a.status = "dna"
			}
			switch a.status {
			case "attended":
				a.updatedAt, a.updatedBy = a.end.Add(time.Duration(g.r.IntN(15))*time.Minute), w
			case "dna":
				a.updatedAt, a.updatedBy = start.Add(time.Duration(15+g.r.IntN(30))*time.Minute), g.receps[g.r.IntN(len(g.receps))]
			default:
				span := start.Sub(bookedAt)
				c := bookedAt.Add(time.Duration(g.r.Int64N(int64(span)/int64(time.Minute)+1)) * time.Minute)
				a.cancel = g.one(demoCancelReasons[a.status])
				a.updatedAt, a.updatedBy = c, g.receps[g.r.IntN(len(g.receps))]
				if a.status == "cancelled_practice" {
					a.updatedBy = w
				}
				g.markSlots(wi, d, m, minutes, false) // the slot is free again
			}
			if a.updatedAt.After(g.now) {
				a.updatedAt = g.now
			}
		}
		g.apptID++
		a.id = g.apptID
		e.appts = append(e.appts, a)
		e.touch(a.bookedAt)
		e.touch(a.updatedAt)
		switch a.status {
		case "attended":
			attended++
			dnaRun = 0
			kind := map[string]string{"in_person": "in_person", "phone": "phone", "video": "video", "home_visit": "home_visit"}[mode]
			g.addContact(e, a.start, kind, minutes, g.one(contactTexts[kind]), w)
			if attended == 1 {
				g.move(e, a.end, w, "active", "Initial assessment done; plan agreed", "")
			}
		case "dna":
			dnaRun++
			g.addContact(e, a.start.Add(30*time.Minute), "phone", 5, g.one(contactTexts["dna"]), w)
		}
		prevEnd = a.end
		if a.status == "cancelled_patient" || a.status == "cancelled_practice" {
			prevEnd = a.updatedAt
		}
		lastEnd = a.end
		if dnaRun >= 2 {
			closing = "not_engaging"
			break
		}
		target = d + gapMin + g.r.IntN(gapMax-gapMin+1)
	}
	// Extra calls, messages and notes between appointments.
	upto := g.now
	if !open && !lastEnd.IsZero() && lastEnd.Before(upto) {
		upto = lastEnd
	}
	want := 6 + g.r.IntN(7)
	for k := 0; len(e.contacts) < want && k < 20 && upto.After(acc); k++ {
		t := acc.Add(time.Duration(g.r.Int64N(int64(upto.Sub(acc)))))
		t = g.at(g.dayIndex(t), 9*60+g.r.IntN(8*60))
		if !t.After(acc) || t.After(upto) {
			continue
		}
		kind := []string{"message", "note", "phone"}[g.pick(40, 35, 25)]
		mins := map[string]int{"message": 2, "note": 5 + g.r.IntN(10), "phone": 5 + g.r.IntN(15)}[kind]
		g.addContact(e, t, kind, mins, g.one(contactTexts[kind]), w)
	}
	if open {
		return
	}
	// Close the episode after the last appointment.
	from := lastEnd
	why := ""
	if from.IsZero() {
		// No appointment could be found: the diary was full.
		from = g.later(acc, 20, 40)
		closing, why = "other", "No link worker appointment available; signposted to services instead"
	}
	if e.status == "accepted" && closing == "goals_met" {
		closing = "not_engaging"
	}
	if outcome == "long" && g.chance(0.5) {
		from = g.later(from, 20, 60) // still being supported
	}
	closeAt := g.later(from, 0, 10)
	if why == "" {
		why = demoClosingText[closing]
	}
	g.move(e, closeAt, w, "closed", why, closing)
}

// code records that the SNOMED code was entered in the GP record, mostly
// within a few days.
func (g *demoGen) code(e *episode, at time.Time) {
	if !g.chance(0.9) {
		return
	}
	t := g.later(at, 0, 3)
	if t.After(g.now) {
		return
	}
	by := g.receps[g.r.IntN(len(g.receps))]
	if g.chance(0.5) {
		by = e.worker
	}
	e.coded, e.codedAt = true, t
	e.history = append(e.history, demoHistory{at: t, by: by, kind: "coded", why: "SNOMED CT " + e.snomed + " entered in the GP record"})
	e.touch(t)
}
