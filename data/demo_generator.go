package data

// The demo generator: its state, the helpers every step uses, the prepared
// inserts, and the first steps: the practice, the staff, the sites and the
// link workers' working patterns.

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

type demoSession struct {
	start, end int // minutes after midnight, wall clock
	site       int64
}

type demoPatient struct {
	given, family        string
	born                 int
	createdDay, freeFrom int32
}

type demoService struct {
	id     int64
	active bool
}

// slotDay is one day of one worker's diary: a bit per 5 minutes.
type slotDay [5]uint64

type demoGen struct {
	ctx  context.Context
	tx   *sql.Tx
	r    *rand.Rand
	opt  DemoOptions
	loc  *time.Location
	y, d int
	m    time.Month
	// days is the index of Today; day 0 is Years before it.
	days    int
	now     time.Time
	setupAt time.Time

	userName  map[int64]string
	admin     int64
	manager   int64
	gps       []int64
	workers   []int64
	receps    []int64
	workerW   []int // referral share of each worker
	sites     []int64
	siteNames map[int64]string

	sessions [][8][]demoSession // worker index × weekday (1 = Monday)
	holiday  []bool             // bank holidays by day index
	blocked  [][]bool           // worker index × day: leave or bank holiday
	busy     [][]slotDay        // worker index × day
	freeMin  [][]int16

	patients   []demoPatient
	services   []demoService
	byCategory map[string][]int // active services by category (indexes into services)
	foldCache  map[string]string

	// next ids
	apptID, contactID, goalID, measureID, rxID, rxItemID, histID int64

	st map[string]*sql.Stmt

	// The audit history (demo_audit.go): staff by demoStaffList's order,
	// the events gathered, and their own random source.
	staffIDs []int64
	events   []demoEvent
	ar       *rand.Rand
}

func newDemoGen(ctx context.Context, opt DemoOptions, loc *time.Location) *demoGen {
	g := &demoGen{ctx: ctx, opt: opt, loc: loc}
	g.r = rand.New(rand.NewPCG(uint64(opt.Seed), 0x4c696e6b77656c6c))
	today := opt.Today.In(loc)
	ty, tm, td := today.Date()
	start := time.Date(ty-opt.Years, tm, td, 0, 0, 0, 0, time.UTC)
	g.y, g.m, g.d = start.Date()
	g.days = int(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Sub(start).Hours()/24 + 0.5)
	if h, mi, sec := opt.Today.Clock(); h == 0 && mi == 0 && sec == 0 && opt.Today.Nanosecond() == 0 {
		// A bare date: the data ends at lunchtime that day.
		g.now = time.Date(ty, tm, td, 12, 30, 0, 0, loc)
	} else {
		g.now = opt.Today.Truncate(time.Second)
	}
	g.setupAt = g.at(-7, 10*60)
	g.foldCache = map[string]string{}
	g.userName = map[int64]string{}
	g.siteNames = map[int64]string{}
	return g
}

// day is midnight (London) of a day index.
func (g *demoGen) day(i int) time.Time { return time.Date(g.y, g.m, g.d+i, 0, 0, 0, 0, g.loc) }

// at is a wall-clock minute of a day index, in London.
func (g *demoGen) at(i, minute int) time.Time {
	return time.Date(g.y, g.m, g.d+i, minute/60, minute%60, 0, 0, g.loc)
}

func (g *demoGen) date(i int) string {
	return time.Date(g.y, g.m, g.d+i, 0, 0, 0, 0, time.UTC).Format(DateLayout)
}

func (g *demoGen) weekday(i int) int {
	wd := int(time.Date(g.y, g.m, g.d+i, 12, 0, 0, 0, time.UTC).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// dayIndex is the day index of an instant (London date).
func (g *demoGen) dayIndex(t time.Time) int {
	l := t.In(g.loc)
	y, m, d := l.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	s := time.Date(g.y, g.m, g.d, 0, 0, 0, 0, time.UTC)
	return int(math.Round(u.Sub(s).Hours() / 24))
}

func (g *demoGen) fold(s string) string {
	if k, ok := g.foldCache[s]; ok {
		return k
	}
	k := foldKey(s)
	g.foldCache[s] = k
	return k
}

func (g *demoGen) one(list []string) string { return list[g.r.IntN(len(list))] }

// pick returns an index chosen with the given weights.
func (g *demoGen) pick(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := g.r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *demoGen) chance(p float64) bool { return g.r.Float64() < p }

func clampScore(f float64) int {
	n := int(math.Round(f))
	if n < 0 {
		return 0
	}
	if n > 10 {
		return 10
	}
	return n
}

func (g *demoGen) progress(stage string, done, total int) {
	if g.opt.Progress != nil {
		g.opt.Progress(stage, done, total)
	}
}

func (g *demoGen) prepare() error {
	g.st = map[string]*sql.Stmt{}
	for name, q := range map[string]string{
		"patient": `INSERT INTO patients (id, nhs_number, given_name, family_name, given_key, family_key, date_of_birth, sex,
			ethnic_category, address, postcode, phone, email, preferred_contact, interpreter, language, large_print, easy_read,
			bsl, consent_contact, consent_share, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"service": `INSERT INTO services (id, name, organisation, categories, description, address, postcode, phone, email, website,
			schedule, cost, is_free, access, eligibility, accessibility, status, last_verified_on, verified_by,
			created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"referral": `INSERT INTO referrals (id, patient_id, received_on, source, referrer_name, referrer_org, what_matters, priority,
			priority_reason, consent_by, consent_on, link_worker_id, status, status_changed_at, first_contact_at, closed_at,
			closing_reason, snomed_code, snomed_recorded_at, coded_in_gp_record, last_activity_at, created_at, created_by,
			updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"reason": `INSERT INTO referral_reasons (referral_id, reason) VALUES (?, ?)`,
		"history": `INSERT INTO referral_history (id, referral_id, at, by_user, kind, from_status, to_status, closing_reason, reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"appointment": `INSERT INTO appointments (id, worker_id, patient_id, referral_id, starts_at, ends_at, type, mode, site_id,
			status, notes, cancel_reason, booked_at, booked_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"contact": `INSERT INTO contacts (id, referral_id, at, kind, minutes, text, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		"goal": `INSERT INTO goals (id, referral_id, description, start_score, set_on, review_score, reviewed_on, created_at,
			created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"measure": `INSERT INTO wellbeing_measures (id, referral_id, stage, taken_on, life_satisfaction, worthwhile, happiness,
			anxiety, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"rx": `INSERT INTO prescriptions (id, patient_id, referral_id, prescriber_id, issued_at, next_appointment_id, large_print,
			content, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"rxitem":  `INSERT INTO prescription_items (id, prescription_id, position, service_id, service_name, note) VALUES (?, ?, ?, ?, ?, ?)`,
		"rxprint": `INSERT INTO prescription_prints (prescription_id, printed_at, printed_by, reprint) VALUES (?, ?, ?, ?)`,
	} {
		st, err := g.tx.PrepareContext(g.ctx, q)
		if err != nil {
			return fmt.Errorf("demo %s: %w", name, err)
		}
		g.st[name] = st
	}
	return nil
}

func (g *demoGen) exec(stmt string, args ...any) error {
	if _, err := g.st[stmt].ExecContext(g.ctx, args...); err != nil {
		return fmt.Errorf("demo %s: %w", stmt, err)
	}
	return nil
}

func (g *demoGen) run() error {
	if err := g.prepare(); err != nil {
		return err
	}
	defer func() {
		for _, st := range g.st {
			st.Close()
		}
	}()
	steps := []func() error{g.practice, g.users, g.sitesAndSessions, g.leave, g.directory, g.register, g.referrals}
	for _, step := range steps {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	if err := g.writeEvents(); err != nil {
		return err
	}
	return audit(g.ctx, g.tx, ts(g.now), g.admin, "create_demo", "practice", 1,
		fmt.Sprintf("patients=%d years=%d seed=%d today=%s", g.opt.Patients, g.opt.Years, g.opt.Seed, g.date(g.days)))
}

func (g *demoGen) practice() error {
	at := ts(g.setupAt)
	if _, err := g.tx.ExecContext(g.ctx, `INSERT INTO practice (id, name, ods_code, address, postcode, phone, list_size, is_demo, created_at, updated_at)
		VALUES (1, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, demoPracticeName, "DEMO01", "1 Riverside Way, Riverside, "+demoTown, "HX1 4RW",
		"01632 960100", g.opt.Patients, at, at); err != nil {
		return err
	}
	for _, kv := range [][2]string{
		{"demo.seed", strconv.FormatInt(g.opt.Seed, 10)},
		{"demo.patients", strconv.Itoa(g.opt.Patients)},
		{"demo.years", strconv.Itoa(g.opt.Years)},
		{"demo.today", g.date(g.days)},
	} {
		if _, err := g.tx.ExecContext(g.ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

func (g *demoGen) users() error {
	at := ts(g.setupAt)
	for i, a := range demoStaffList {
		g.progress("users", i, len(demoStaffList))
		first := strings.ToLower(strings.Fields(strings.TrimPrefix(a.fullName, "Dr "))[0])
		u := NewUser{Username: a.username, FullName: a.fullName, Role: a.role, JobTitle: a.jobTitle,
			Email: first + "." + a.username + "@riverside.example.org", Password: "demo-pass-" + a.username}
		if err := u.validate(); err != nil {
			return err
		}
		created, err := insertUser(g.ctx, g.tx, at, g.admin, u)
		if err != nil {
			return err
		}
		g.userName[created.ID] = created.FullName
		g.staffIDs = append(g.staffIDs, created.ID)
		switch a.role {
		case RoleAdministrator:
			g.admin = created.ID
		case RolePracticeManager:
			g.manager = created.ID
		case RoleGP:
			g.gps = append(g.gps, created.ID)
		case RoleLinkWorker:
			g.workers = append(g.workers, created.ID)
		case RoleReceptionist:
			g.receps = append(g.receps, created.ID)
		}
	}
	g.progress("users", len(demoStaffList), len(demoStaffList))
	return nil
}

func (g *demoGen) sitesAndSessions() error {
	for _, s := range [][4]string{
		{"Main Surgery", "1 Riverside Way, Riverside, " + demoTown, "HX1 4RW", "01632 960100"},
		{"Branch Surgery", "22 Moor End Road, Northgate, " + demoTown, "HX2 7NE", "01632 960200"},
		{"Community Hub", "Millbank Community Hub, 5 Canal Street, Millbank, " + demoTown, "HX3 9BH", "01632 960300"},
	} {
		res, err := g.tx.ExecContext(g.ctx, `INSERT INTO sites (name, address, postcode, phone) VALUES (?, ?, ?, ?)`, s[0], s[1], s[2], s[3])
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		g.sites = append(g.sites, id)
		g.siteNames[id] = s[0]
	}
	main, branch, hub := g.sites[0], g.sites[1], g.sites[2]
	// Weekly patterns: full time, four days, three days.
	type row struct {
		wd         int
		start, end int
		site       int64
	}
	patterns := [][]row{
		{
			{1, 540, 750, main}, {1, 810, 1020, main},
			{2, 540, 750, branch}, {2, 810, 1020, branch},
			{3, 540, 750, main}, {3, 810, 1020, hub},
			{4, 540, 750, main}, {4, 810, 1020, main},
			{5, 540, 750, hub}, {5, 810, 1020, main},
		},
		{
			{1, 510, 750, branch}, {1, 780, 990, branch},
			{2, 510, 750, main}, {2, 780, 990, hub},
			{4, 510, 750, hub}, {4, 780, 990, hub},
			{5, 510, 750, main}, {5, 780, 990, branch},
		},
		{
			{2, 570, 780, hub}, {2, 810, 1050, main},
			{3, 570, 780, main}, {3, 810, 1050, main},
			{4, 570, 780, branch}, {4, 810, 1050, hub},
		},
	}
	g.workerW = []int{50, 32, 22}
	g.sessions = make([][8][]demoSession, len(g.workers))
	at := ts(g.setupAt)
	for wi, w := range g.workers {
		for _, p := range patterns[wi%len(patterns)] {
			if _, err := g.tx.ExecContext(g.ctx, `INSERT INTO work_sessions (worker_id, weekday, start_min, end_min, site_id, valid_from, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, w, p.wd, p.start, p.end, p.site, g.date(-7), at, g.manager); err != nil {
				return err
			}
			g.sessions[wi][p.wd] = append(g.sessions[wi][p.wd], demoSession{p.start, p.end, p.site})
		}
	}
	n := g.days + demoAheadDays
	g.holiday = make([]bool, n)
	g.blocked = make([][]bool, len(g.workers))
	g.busy = make([][]slotDay, len(g.workers))
	g.freeMin = make([][]int16, len(g.workers))
	for wi := range g.workers {
		g.blocked[wi] = make([]bool, n)
		g.busy[wi] = make([]slotDay, n)
		g.freeMin[wi] = make([]int16, n)
		for d := 0; d < n; d++ {
			for _, s := range g.sessions[wi][g.weekday(d)] {
				g.freeMin[wi][d] += int16(s.end - s.start)
			}
		}
	}
	return nil
}
