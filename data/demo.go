package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zoneinfo database (Windows)
)

// DemoOptions tune the demo practice that CreateDemo builds.
type DemoOptions struct {
	Patients int       // registered patients; default 10,000
	Years    int       // years of referral history up to Today; default 3
	Seed     int64     // random seed; default 1
	Today    time.Time // the data ends here; the store's clock when zero
	// Progress, when not nil, is called now and then (not per row) with the
	// stage ("users", "services", "patients", "referrals") and how far it is.
	Progress func(stage string, done, total int)
}

// DemoAccount is a sign-in of the demo practice.
type DemoAccount struct {
	Username, Password string
	Role               Role
	FullName           string
}

type demoStaff struct {
	username, fullName string
	role               Role
	jobTitle           string
}

// demoStaffList is the demo practice's staff; the administrator comes first
// because it creates the others.
var demoStaffList = []demoStaff{
	{"admin", "Mark Ellison", RoleAdministrator, "Systems administrator"},
	{"manager", "Helen Redfern", RolePracticeManager, "Practice manager"},
	{"gp1", "Dr Sarah Whitfield", RoleGP, "GP partner"},
	{"gp2", "Dr Rajesh Mehta", RoleGP, "GP partner"},
	{"gp3", "Dr Catherine O'Neill", RoleGP, "Salaried GP"},
	{"gp4", "Dr James Okafor", RoleGP, "Salaried GP"},
	{"gp5", "Dr Emily Hart", RoleGP, "GP registrar"},
	{"gp6", "Dr Owain Price", RoleGP, "Salaried GP"},
	{"linkworker1", "Amira Khan", RoleLinkWorker, "Social prescribing link worker"},
	{"linkworker2", "Tom Fletcher", RoleLinkWorker, "Social prescribing link worker"},
	{"linkworker3", "Bethan Hughes", RoleLinkWorker, "Social prescribing link worker"},
	{"reception1", "Julie Barker", RoleReceptionist, "Senior receptionist"},
	{"reception2", "Kerry Marsh", RoleReceptionist, "Receptionist"},
	{"reception3", "Lorraine Pike", RoleReceptionist, "Receptionist"},
	{"reception4", "Agnieszka Nowak", RoleReceptionist, "Receptionist"},
}

// DemoAccounts lists the sign-ins of a demo database with their passwords,
// so the sign-in screen of a demo database can show them.
func DemoAccounts() []DemoAccount {
	out := make([]DemoAccount, len(demoStaffList))
	for i, s := range demoStaffList {
		out[i] = DemoAccount{Username: s.username, Password: "demo-pass-" + s.username, Role: s.role, FullName: s.fullName}
	}
	return out
}

const (
	demoPracticeName = "Riverside Medical Practice"
	demoTown         = "Calderbridge"
	demoMaxPatients  = 900_000 // the 999 test range holds about 909,000 valid NHS numbers
	demoAheadDays    = 150     // days after Today the diary is kept for
	accessDropIn     = "drop_in"
	accessSelfRefer  = "self_refer"
	accessReferral   = "needs_referral"
	snomedAccepted   = "871731000000106"
	snomedDeclined   = "871711000000103"
)

// CreateDemo fills an empty, freshly opened store with a made-up practice:
// staff, sites, working patterns, leave, a community directory, patients and
// years of referrals with their appointments, contacts, goals, wellbeing
// scores and prescriptions. The same options give the same data (apart from
// the salted password hashes). It returns the sign-in accounts.
func (s *Store) CreateDemo(ctx context.Context, opt DemoOptions) ([]DemoAccount, error) {
	if opt.Patients == 0 {
		opt.Patients = 10000
	}
	if opt.Years == 0 {
		opt.Years = 3
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Today.IsZero() {
		opt.Today = s.now()
	}
	if opt.Patients < 1 || opt.Patients > demoMaxPatients {
		return nil, fmt.Errorf("a demo practice has 1 to %d patients", demoMaxPatients)
	}
	if opt.Years < 1 || opt.Years > 30 {
		return nil, errors.New("a demo practice has 1 to 30 years of history")
	}
	empty, err := s.NeedsSetUp(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		return nil, fmt.Errorf("%w: a demo practice can only be made in a new, empty database", ErrAlreadySetUp)
	}
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, fmt.Errorf("the Europe/London time zone is missing: %w", err)
	}
	g := newDemoGen(ctx, opt, loc)
	err = s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM practice) + (SELECT count(*) FROM users)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		g.tx = tx
		return g.run()
	})
	if err != nil {
		return nil, err
	}
	return DemoAccounts(), nil
}

// ---------------------------------------------------------------------------
// The generator.

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

func ts(t time.Time) string { return t.UTC().Format(TimeLayout) }

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

// ---------------------------------------------------------------------------
// Bank holidays and leave.

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

// ---------------------------------------------------------------------------
// The diary.

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

// ---------------------------------------------------------------------------
// The community directory.

// serviceTemplate is one kind of service; {A} is replaced by an area and {V}
// by a venue, so each template makes several services.
type serviceTemplate struct {
	name, org, desc string
	extra           []string // categories besides the template's own
}

type serviceCategoryInfo struct {
	access      []int // weights of drop_in, self_refer, needs_referral
	costs       []string
	eligibility []string
	schedules   []string
	templates   []serviceTemplate
}

var demoAreas = []string{"Riverside", "Northgate", "Millbank", "Westfield", "Hill Top", "Eastwood", "St Mary's", "Canal Side", "Moor End", "Old Town"}

var demoVenues = []struct{ name, street, area, postcode string }{
	{"St Mary's Church Hall", "Church Lane", "St Mary's", "HX1 3SM"},
	{"Northgate Community Centre", "Northgate Road", "Northgate", "HX2 6NG"},
	{"Calderbridge Central Library", "Market Street", "Old Town", "HX1 1LB"},
	{"Millbank Community Hub", "Canal Street", "Millbank", "HX3 9BH"},
	{"Westfield Methodist Church", "Westfield Avenue", "Westfield", "HX4 2WM"},
	{"Hill Top Scout Hut", "Moor Lane", "Hill Top", "HX5 8HT"},
	{"The Old Mill Arts Centre", "Weavers Row", "Canal Side", "HX3 7AR"},
	{"Eastwood Park Pavilion", "Park Drive", "Eastwood", "HX6 4EP"},
	{"Riverside Leisure Centre", "Riverside Way", "Riverside", "HX1 4RL"},
	{"Calderbridge Mosque Community Rooms", "Brunswick Street", "Old Town", "HX1 5QM"},
	{"Moor End Allotments", "Allotment Lane", "Moor End", "HX2 9AL"},
	{"Canal Side Wharf", "Wharf Street", "Canal Side", "HX3 8WF"},
	{"Calderbridge Town Hall", "Crossley Street", "Old Town", "HX1 1TH"},
	{"Gurdwara Sahib Calderbridge", "Hanson Lane", "Westfield", "HX4 3GS"},
	{"St Joseph's Parish Centre", "Queens Road", "Eastwood", "HX6 2SJ"},
	{"Calderbridge Polish Centre", "Dean Clough Road", "Northgate", "HX2 5PC"},
}

var demoServiceCategories = map[string]serviceCategoryInfo{
	"befriending": {
		access: []int{1, 6, 3}, costs: []string{"Free"}, eligibility: []string{"Adults 18+ who feel lonely or isolated", "Over 60s living alone", "Anyone aged 18+"},
		schedules: []string{"Weekly visit or phone call, arranged with your volunteer", "Telephone befriending, Monday to Friday 10:00–16:00", "Thursdays 14:00–16:00"},
		templates: []serviceTemplate{
			{"{A} Befriending Service", "Age UK Calderbridge", "A trained volunteer visits or phones every week for a chat and a cup of tea, and helps you get back out into the community at your own pace.", nil},
			{"Good Neighbours {A}", "Good Neighbours {A}", "Local volunteers who call in on neighbours, help with small jobs and offer friendly company.", []string{"transport"}},
			{"Chatty Café at {V}", "The Chatty Café Scheme", "A 'chatter and natter' table where anyone can sit and talk with others. Volunteers host each session.", nil},
			{"Silver Line Friends – {A}", "{A} Volunteer Centre", "Regular friendship calls for older people, with a monthly get-together.", nil},
			{"Men's Shed {A}", "{A} Men's Shed", "A workshop where men (and women) come together to make, mend and chat. Tools and materials provided.", []string{"mental wellbeing"}},
		},
	},
	"arts": {
		access: []int{5, 4, 1}, costs: []string{"Free", "£2 a session (first session free)", "£3 a session, materials included"}, eligibility: []string{"Adults 18+", "Anyone", "Adults with low mood or anxiety"},
		schedules: []string{"Wednesdays 10:00–12:00", "Mondays 13:30–15:30", "Fridays 10:30–12:30", "Tuesdays 18:00–20:00"},
		templates: []serviceTemplate{
			{"Arts on Prescription at {V}", "Calderbridge Arts Partnership", "A ten-week course of painting, printing and collage in a relaxed group, for people whose mental health is affecting their everyday life.", []string{"mental wellbeing"}},
			{"{A} Craft and Natter", "{A} Community Association", "Knitting, crochet, sewing and card making with plenty of tea. Bring a project or learn a new one.", []string{"befriending"}},
			{"Creative Writing Group – {V}", "Calderbridge Libraries", "Write stories, poems and memories together with a friendly tutor. No experience needed.", nil},
			{"Open Studio at {V}", "The Old Mill Arts Centre", "Drop-in studio time with an artist on hand to help you try drawing, clay and textiles.", nil},
			{"{A} Photography Walks", "Calderbridge Camera Club", "Learn to take better photos with a phone or camera on gentle walks around the area.", []string{"walking"}},
		},
	},
	"gardening": {
		access: []int{4, 5, 1}, costs: []string{"Free", "Free; donations welcome"}, eligibility: []string{"Adults 18+", "Anyone", "Adults with long-term health conditions"},
		schedules: []string{"Tuesdays and Thursdays 10:00–13:00", "Saturdays 10:00–12:00", "Wednesdays 09:30–12:30"},
		templates: []serviceTemplate{
			{"{A} Community Garden", "Calderbridge Green Spaces Trust", "Grow fruit, vegetables and flowers alongside others. Tools, gloves and tea provided; raised beds for those who cannot kneel.", []string{"mental wellbeing"}},
			{"Therapeutic Allotment at {V}", "Grow Well Calderbridge", "Supported horticulture sessions led by a qualified therapeutic gardener.", []string{"mental wellbeing"}},
			{"{A} In Bloom Volunteers", "{A} In Bloom", "Help keep the neighbourhood's planters, verges and park beds looking their best.", nil},
			{"Green Gym {A}", "The Conservation Volunteers", "Outdoor conservation work – hedge laying, path building, tree planting – that gets you fit and out in the fresh air.", []string{"exercise"}},
			{"Seed Swap and Grow Club at {V}", "Calderbridge Libraries", "Monthly club to share seeds, cuttings and growing tips, including growing on a windowsill or balcony.", nil},
		},
	},
	"walking": {
		access: []int{8, 2, 0}, costs: []string{"Free"}, eligibility: []string{"Anyone who can walk for 20 minutes", "Adults 18+", "Anyone"},
		schedules: []string{"Mondays 10:30 from {V}, about an hour", "Wednesdays 13:30–14:30", "Saturdays 10:00, 2–3 miles", "Fridays 11:00–12:00"},
		templates: []serviceTemplate{
			{"{A} Health Walk", "Walking for Health Calderbridge", "Short, sociable walks on the flat led by trained volunteers, finishing with a cuppa. Go at your own pace.", []string{"exercise"}},
			{"{A} Strollers", "Calderbridge Ramblers", "Longer countryside walks of 3 to 6 miles for those ready for more.", []string{"exercise"}},
			{"Buggy Walk {A}", "{A} Family Centre", "A gentle walk for parents and carers with pushchairs, ending at the family centre for a drink.", nil},
			{"Canal Towpath Walkers – {A}", "Canal & River Trust volunteers", "Walk the towpath, learn about the canal's history and meet new people.", nil},
			{"Walk and Talk {A}", "Calderbridge Mind", "A peer-led walking group where you can talk about how you are feeling – or simply walk.", []string{"mental wellbeing"}},
		},
	},
	"exercise": {
		access: []int{5, 4, 1}, costs: []string{"£3 a class", "£2.50 a session", "Free for the first 12 weeks", "Free"}, eligibility: []string{"Adults 18+", "Over 50s", "Adults with long-term conditions, referred by a health professional"},
		schedules: []string{"Mondays and Thursdays 11:00–12:00", "Tuesdays 10:00–11:00", "Wednesdays 14:00–15:00", "Fridays 09:30–10:30"},
		templates: []serviceTemplate{
			{"Chair-based Exercise at {V}", "Active Calderbridge", "Seated exercise to music that builds strength and balance. Suitable for people with limited mobility.", nil},
			{"{A} Exercise on Referral", "Riverside Leisure Centre", "A 12-week supported gym and swim programme with an instructor, for people with a health condition.", nil},
			{"Strength and Balance – {A}", "Active Calderbridge", "A falls-prevention class for older people led by a postural stability instructor.", nil},
			{"Walking Football {A}", "{A} Community Sports Club", "Football at walking pace: no running, no tackling, plenty of laughs.", []string{"befriending"}},
			{"Gentle Yoga at {V}", "Calderbridge Yoga Collective", "Slow, gentle yoga with chair options. Mats provided.", []string{"mental wellbeing"}},
		},
	},
	"choirs": {
		access: []int{7, 3, 0}, costs: []string{"Free", "£2 a session", "Donations welcome"}, eligibility: []string{"Anyone who likes to sing", "Adults 18+", "People living with lung conditions"},
		schedules: []string{"Tuesdays 19:00–20:30", "Thursdays 13:30–15:00", "Mondays 14:00–15:30"},
		templates: []serviceTemplate{
			{"{A} Community Choir", "{A} Community Choir", "A friendly choir that sings pop, folk and gospel. No auditions and no need to read music.", []string{"befriending"}},
			{"Singing for Lung Health – {A}", "Asthma + Lung UK volunteers", "Singing exercises and songs that help breathing, for people with COPD and other lung conditions.", []string{"exercise"}},
			{"Rock Choir {A}", "Calderbridge Rock Choir", "Sing along to classic rock and pop in a big, welcoming group.", nil},
			{"Sing Out {A}", "Calderbridge Mind", "A relaxed singing group for wellbeing; come and listen before you join in.", []string{"mental wellbeing"}},
			{"Ukulele Club at {V}", "Calderbridge Libraries", "Learn ukulele from scratch; instruments available to borrow.", []string{"arts"}},
		},
	},
	"dementia": {
		access: []int{3, 5, 2}, costs: []string{"Free", "£2 a session including refreshments"}, eligibility: []string{"People living with dementia and their carers", "Carers of people with memory problems"},
		schedules: []string{"Second Tuesday of the month 14:00–16:00", "Wednesdays 10:30–12:00", "First Friday of the month 10:00–12:00"},
		templates: []serviceTemplate{
			{"Singing for the Brain – {A}", "Alzheimer's Society Calderbridge", "Singing sessions for people with dementia and their carers, bringing people together in a fun and friendly way.", []string{"choirs", "carers"}},
			{"{A} Memory Café", "Dementia Friendly Calderbridge", "An informal café where people with memory problems and their families meet, get advice and enjoy activities.", []string{"befriending", "carers"}},
			{"Dementia Support Adviser – {A}", "Alzheimer's Society Calderbridge", "One-to-one advice and support after a diagnosis of dementia, by phone or at home.", nil},
			{"Reminiscence Group at {V}", "Calderbridge Museums", "Memory boxes, old photographs and objects from the town's past to spark conversation.", nil},
			{"Dementia-friendly Swim – {A}", "Riverside Leisure Centre", "A quiet swimming session with extra staff and a warm changing area.", []string{"exercise"}},
		},
	},
	"debt and benefits advice": {
		access: []int{2, 7, 1}, costs: []string{"Free"}, eligibility: []string{"Residents of Calderbridge", "Anyone", "Adults 18+"},
		schedules: []string{"Monday to Friday 09:30–16:30, by appointment", "Drop-in Tuesdays 10:00–13:00 at {V}", "Phone line Monday to Friday 09:00–17:00"},
		templates: []serviceTemplate{
			{"Citizens Advice – {A} Outreach", "Citizens Advice Calderbridge", "Free, confidential advice on benefits, debt, housing, employment and consumer problems.", []string{"housing", "employment"}},
			{"{A} Money Advice", "Calderbridge Council Welfare Rights", "Help to check your benefit entitlement, complete forms and challenge decisions, including Attendance Allowance and PIP.", nil},
			{"Debt Help Clinic at {V}", "Christians Against Poverty Calderbridge", "Free debt counselling: a coach helps you make a budget and deal with creditors.", []string{"faith and culture"}},
			{"Macmillan Benefits Advice – {A}", "Macmillan Cancer Support", "Benefits advice for people affected by cancer and their families.", nil},
			{"Energy and Warm Home Advice {A}", "Calderbridge Warm Homes", "Advice on energy bills, grants, draught-proofing and the Warm Home Discount.", []string{"housing"}},
		},
	},
	"foodbank": {
		access: []int{2, 2, 6}, costs: []string{"Free"}, eligibility: []string{"People in crisis, with a food voucher from a referral agency", "Residents of Calderbridge on a low income", "Anyone"},
		schedules: []string{"Tuesdays and Fridays 11:00–13:00", "Mondays 12:00–14:00", "Saturdays 10:00–12:00"},
		templates: []serviceTemplate{
			{"{A} Foodbank", "Calderbridge Foodbank (Trussell)", "Three days' emergency food with a voucher, plus signposting to advice on the day.", nil},
			{"{A} Community Pantry", "{A} Community Association", "Members pay £4 a week for groceries worth much more, including fresh fruit and vegetables.", nil},
			{"Community Fridge at {V}", "Hubbub Community Fridge Network", "Surplus food from local shops, free to anyone. Just turn up.", nil},
			{"{A} Hot Meal Night", "Calderbridge Churches Together", "A free hot two-course meal and company every week. No questions asked.", []string{"lunch clubs", "faith and culture"}},
			{"Baby Bank {A}", "{A} Family Centre", "Nappies, clothes, cots and pushchairs for families in need.", []string{"youth"}},
		},
	},
	"housing": {
		access: []int{1, 6, 3}, costs: []string{"Free"}, eligibility: []string{"Calderbridge residents", "Tenants of Calder Valley Homes", "Anyone at risk of losing their home"},
		schedules: []string{"Monday to Friday 09:00–17:00", "Thursdays 10:00–12:00 at {V}", "By appointment"},
		templates: []serviceTemplate{
			{"{A} Housing Options", "Calderbridge Council Housing Options", "Advice if you are homeless or at risk of losing your home, and help to apply for social housing.", nil},
			{"Tenancy Support – {A}", "Calder Valley Homes", "A support worker helps you manage your tenancy, bills and repairs.", []string{"debt and benefits advice"}},
			{"Shelter Advice Clinic at {V}", "Shelter North", "Free expert advice on renting, repairs, eviction and disrepair.", nil},
			{"Safe at Home Repairs – {A}", "Care & Repair Calderbridge", "Small repairs and adaptations – grab rails, key safes, stair rails – for older and disabled people.", nil},
			{"Warm and Well {A}", "Calderbridge Warm Homes", "Home visits to help older people keep warm: heating checks, grants and energy tariffs.", []string{"debt and benefits advice"}},
		},
	},
	"employment": {
		access: []int{2, 6, 2}, costs: []string{"Free"}, eligibility: []string{"Adults 18+ out of work", "People with health conditions who want to work", "Anyone looking for work or training"},
		schedules: []string{"Wednesdays 10:00–13:00", "Monday to Friday, by appointment", "Tuesdays 13:00–16:00 at {V}"},
		templates: []serviceTemplate{
			{"{A} Job Club", "Calderbridge Works", "Help with CVs, applications and interviews, with computers and a friendly adviser.", []string{"digital skills"}},
			{"Working Well – {A}", "Calderbridge Works", "One-to-one employment support for people whose health makes work hard to find or keep.", []string{"mental wellbeing"}},
			{"Volunteer Centre Drop-in – {A}", "Calderbridge Volunteer Centre", "Find a volunteering role that suits you: a step towards work, confidence and new friends.", []string{"befriending"}},
			{"Adult Learning Taster Courses at {V}", "Calderbridge Adult Learning", "Free short courses in English, maths, computers and more.", []string{"digital skills"}},
			{"Individual Placement and Support {A}", "Calderbridge Talking Therapies", "Employment specialists for people using mental health services.", nil},
		},
	},
	"carers": {
		access: []int{2, 7, 1}, costs: []string{"Free"}, eligibility: []string{"Unpaid carers of any age", "Adults caring for a family member or friend", "Young carers aged 8–18"},
		schedules: []string{"Monday to Friday 09:00–17:00", "Monthly carers' café, last Thursday 13:30–15:30", "Wednesdays 18:00–19:30"},
		templates: []serviceTemplate{
			{"{A} Carers' Café", "Calderbridge Carers' Centre", "Meet other carers, get information and have a break. Replacement care can be arranged.", []string{"befriending"}},
			{"Carers' Assessment and Advice – {A}", "Calderbridge Carers' Centre", "Advice on carer's allowance, breaks, emergency plans and a carer's assessment.", []string{"debt and benefits advice"}},
			{"Young Carers Club {A}", "Calderbridge Young Carers", "Activities, trips and a chance to be a young person first.", []string{"youth"}},
			{"Carers' Relaxation Group at {V}", "Calderbridge Carers' Centre", "Massage, mindfulness and a proper cup of tea for people who look after someone.", []string{"mental wellbeing"}},
			{"Parent Carers Forum {A}", "Calderbridge Parent Carers", "Support for parents of children with special educational needs and disabilities.", nil},
		},
	},
	"bereavement": {
		access: []int{2, 7, 1}, costs: []string{"Free"}, eligibility: []string{"Adults who have been bereaved", "Anyone bereaved by suicide", "Children and young people who have lost someone"},
		schedules: []string{"Second and fourth Tuesday 14:00–16:00", "By appointment", "Thursdays 18:30–20:00"},
		templates: []serviceTemplate{
			{"Cruse Bereavement Support – {A}", "Cruse Bereavement Support", "One-to-one support from a trained volunteer after the death of someone close.", []string{"mental wellbeing"}},
			{"{A} Bereavement Café", "St Mary's Hospice", "An informal café for anyone who has lost someone, however long ago.", []string{"befriending"}},
			{"Walking Through Grief – {A}", "St Mary's Hospice", "A gentle walk and talk group for bereaved people.", []string{"walking"}},
			{"Widowed and Young – {A} Meet-up", "WAY Widowed and Young", "Peer support for people widowed aged 50 or under.", nil},
			{"Suicide Bereavement Support at {V}", "Calderbridge Mind", "A group for people bereaved by suicide, run by people who understand.", nil},
		},
	},
	"veterans": {
		access: []int{3, 6, 1}, costs: []string{"Free"}, eligibility: []string{"Veterans of the armed forces and their families", "Anyone who has served, and their carers"},
		schedules: []string{"Fridays 10:00–12:00", "First Monday of the month 19:00–21:00", "By appointment"},
		templates: []serviceTemplate{
			{"{A} Veterans' Breakfast Club", "Calderbridge Armed Forces Network", "A cooked breakfast and a catch-up with other veterans.", []string{"befriending"}},
			{"Royal British Legion – {A} Branch", "The Royal British Legion", "Welfare advice, grants and friendship for the armed forces community.", []string{"debt and benefits advice"}},
			{"Op COURAGE Drop-in at {V}", "NHS Op COURAGE", "Mental health support for veterans, from people who know military life.", []string{"mental wellbeing"}},
			{"Veterans' Walking Group {A}", "Calderbridge Armed Forces Network", "A monthly walk for veterans and families.", []string{"walking"}},
			{"SSAFA Caseworker – {A}", "SSAFA, the Armed Forces charity", "Home visits from a caseworker who helps with practical and financial needs.", nil},
		},
	},
	"mental wellbeing": {
		access: []int{2, 6, 2}, costs: []string{"Free"}, eligibility: []string{"Adults 18+", "Adults with mild to moderate anxiety or low mood", "Anyone"},
		schedules: []string{"Wednesdays 18:00–19:30", "Mondays 10:00–12:00", "Six-week course, Tuesdays 13:00–15:00", "Monday to Friday 09:00–20:00 by phone"},
		templates: []serviceTemplate{
			{"Calderbridge Talking Therapies – {A}", "NHS Calderbridge Talking Therapies", "Free NHS talking therapy for anxiety, depression and stress. Refer yourself online or by phone.", nil},
			{"{A} Wellbeing Café", "Calderbridge Mind", "A safe space to talk, with peer supporters and information on local help.", []string{"befriending"}},
			{"Stress Control Course at {V}", "NHS Calderbridge Talking Therapies", "A six-week class teaching practical skills to manage stress. You do not have to talk about yourself.", nil},
			{"Mindfulness for Beginners – {A}", "Calderbridge Adult Learning", "A short course in mindfulness and relaxation.", nil},
			{"Andy's Man Club {A}", "Andy's Man Club", "A peer-to-peer talking group for men aged 18+. #ITSOKAYTOTALK", []string{"befriending"}},
		},
	},
	"lunch clubs": {
		access: []int{4, 5, 1}, costs: []string{"£4.50 for a two-course lunch", "£3.50 including tea and cake", "£5, transport available"}, eligibility: []string{"Over 60s", "Older people and disabled adults", "Anyone"},
		schedules: []string{"Wednesdays 12:00–14:00", "Tuesdays and Fridays 12:00–13:30", "Thursdays 11:30–14:00"},
		templates: []serviceTemplate{
			{"{A} Lunch Club", "Age UK Calderbridge", "A freshly cooked two-course lunch with company, a quiz and bingo.", []string{"befriending"}},
			{"Friendship Lunch at {V}", "{A} Good Neighbours", "A warm meal and good company; door-to-door transport for those who need it.", []string{"befriending", "transport"}},
			{"{A} Curry Club", "Calderbridge Asian Elders", "A South Asian lunch club for elders with activities and advice in community languages.", []string{"faith and culture"}},
			{"Men's Lunch {A}", "{A} Men's Shed", "A monthly lunch for older men.", []string{"befriending"}},
			{"Pensioners' Dinner at {V}", "Calderbridge Churches Together", "A traditional Sunday-style dinner on a weekday.", []string{"faith and culture"}},
		},
	},
	"transport": {
		access: []int{0, 8, 2}, costs: []string{"Annual membership £10, then a small fare", "Free", "Mileage-based fare"}, eligibility: []string{"People who cannot use ordinary buses", "Older and disabled residents", "Anyone without transport to health appointments"},
		schedules: []string{"Monday to Friday 08:30–17:00, book 48 hours ahead", "Monday to Saturday, book by phone", "By arrangement"},
		templates: []serviceTemplate{
			{"{A} Dial-a-Ride", "Calderbridge Community Transport", "Door-to-door minibus for shopping, appointments and social activities.", nil},
			{"Volunteer Car Scheme – {A}", "{A} Volunteer Centre", "Volunteer drivers take you to medical appointments and clubs.", []string{"befriending"}},
			{"Shopper Bus {A}", "Calderbridge Community Transport", "A weekly bus to the supermarket with help to carry shopping.", nil},
			{"Wheels to Work {A}", "Calderbridge Works", "Moped or e-bike loans to get to work or training.", []string{"employment"}},
			{"Community Bike Library at {V}", "Calderbridge Cycling Hub", "Borrow a bike, adapted trike or e-bike and learn to ride with confidence.", []string{"exercise"}},
		},
	},
	"digital skills": {
		access: []int{6, 4, 0}, costs: []string{"Free", "Free; devices available to borrow"}, eligibility: []string{"Anyone", "Adults 18+", "Older people new to computers"},
		schedules: []string{"Thursdays 10:00–12:00", "Mondays 14:00–16:00", "Saturdays 10:00–12:00"},
		templates: []serviceTemplate{
			{"Digital Drop-in at {V}", "Calderbridge Libraries", "Help with phones, tablets and computers: e-mail, video calls, online forms and the NHS App.", nil},
			{"{A} Silver Surfers", "Age UK Calderbridge", "Patient one-to-one help for older people getting online.", []string{"befriending"}},
			{"Device Bank – {A}", "Calderbridge Digital Inclusion", "Free refurbished laptops, tablets and data SIMs for people who cannot afford them.", nil},
			{"Get Online for Work – {A}", "Calderbridge Adult Learning", "Learn to search and apply for jobs online and use Universal Credit.", []string{"employment"}},
			{"Tech Tea Party at {V}", "{A} Community Association", "Tea, cake and help from young volunteers with your gadgets.", []string{"youth"}},
		},
	},
	"faith and culture": {
		access: []int{8, 2, 0}, costs: []string{"Free", "Donations welcome"}, eligibility: []string{"Anyone, of any faith or none", "Women only", "Polish-speaking community"},
		schedules: []string{"Sundays 14:00–16:00", "Wednesdays 10:00–12:00", "Saturdays 11:00–13:00"},
		templates: []serviceTemplate{
			{"{A} Women's Circle at {V}", "Calderbridge Women's Centre", "A welcoming group for women from all backgrounds: crafts, English practice and friendship.", []string{"befriending"}},
			{"Polish Community Club – {A}", "Calderbridge Polish Centre", "Coffee, advice and activities in Polish for families and older people.", []string{"befriending"}},
			{"Ukrainian Welcome Hub {A}", "Calderbridge Ukrainian Community", "Support, English classes and social events for people from Ukraine.", []string{"befriending"}},
			{"Langar and Chat at {V}", "Gurdwara Sahib Calderbridge", "A free community meal open to everyone, with company afterwards.", []string{"lunch clubs"}},
			{"Caribbean Elders' Social – {A}", "Calderbridge African Caribbean Association", "Dominoes, music and a Caribbean lunch for elders.", []string{"lunch clubs"}},
		},
	},
	"youth": {
		access: []int{6, 4, 0}, costs: []string{"Free", "50p a session"}, eligibility: []string{"Young people aged 11–18", "Young people aged 16–25", "Young people aged 11–25"},
		schedules: []string{"Tuesdays and Thursdays 18:00–20:00", "Fridays 17:00–19:00", "Saturdays 13:00–16:00"},
		templates: []serviceTemplate{
			{"{A} Youth Club", "Calderbridge Youth Service", "Games, sport, cooking and trips with youth workers in a safe space.", nil},
			{"Kooth Online Support – {A}", "Kooth", "Free, safe and anonymous online mental health support for young people.", []string{"mental wellbeing"}},
			{"Young Minds Matter at {V}", "Calderbridge Mind", "A peer support group for young people with anxiety or low mood.", []string{"mental wellbeing"}},
			{"{A} Youth Football", "{A} Community Sports Club", "Free football sessions for all abilities.", []string{"exercise"}},
			{"Youth Employment Hub – {A}", "Calderbridge Works", "Careers advice, training and apprenticeships for 16–25 year olds.", []string{"employment"}},
		},
	},
}

var demoAccessibility = []string{
	"Step-free access; accessible toilet; hearing loop",
	"Ground floor; accessible toilet; parking nearby",
	"Step-free access; large print materials on request",
	"First floor with lift; accessible toilet",
	"Outdoors on uneven ground; some sessions not suitable for wheelchairs",
	"Phone and video options for people who cannot get there",
	"Assistance dogs welcome; quiet room available",
	"",
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldKey(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (g *demoGen) directory() error {
	g.byCategory = map[string][]int{}
	total := 0
	for _, c := range ServiceCategories {
		total += 2 * len(demoServiceCategories[c].templates)
	}
	seen := map[string]bool{}
	var id int64
	for _, cat := range ServiceCategories {
		info := demoServiceCategories[cat]
		for round := 0; round < 2; round++ {
			for _, t := range info.templates {
				// Each template twice, in different areas and venues.
				var area string
				var venue = demoVenues[g.r.IntN(len(demoVenues))]
				name := ""
				for tries := 0; tries < 20; tries++ {
					area = g.one(demoAreas)
					var local []int
					for vi, v := range demoVenues {
						if v.area == area {
							local = append(local, vi)
						}
					}
					if len(local) > 0 && g.chance(0.7) {
						venue = demoVenues[local[g.r.IntN(len(local))]]
					} else {
						venue = demoVenues[g.r.IntN(len(demoVenues))]
					}
					name = strings.NewReplacer("{A}", area, "{V}", venue.name).Replace(t.name)
					if !seen[name] {
						break
					}
				}
				if seen[name] {
					name += " (" + venue.area + ")"
				}
				seen[name] = true
				id++
				rep := strings.NewReplacer("{A}", area, "{V}", venue.name)
				org := rep.Replace(t.org)
				cats := append([]string{cat}, t.extra...)
				access := []string{accessDropIn, accessSelfRefer, accessReferral}[g.pick(info.access...)]
				cost := g.one(info.costs)
				free := strings.HasPrefix(cost, "Free") || strings.HasPrefix(cost, "Donations")
				status := []string{"active", "paused", "closed"}[g.pick(92, 5, 3)]
				var verified int
				if g.chance(0.7) {
					verified = g.days - g.r.IntN(365)
				} else {
					verified = g.days - 365 - g.r.IntN(365)
				}
				verifiedBy := g.workers[g.r.IntN(len(g.workers))]
				if g.chance(0.2) {
					verifiedBy = g.manager
				}
				createdAt := g.setupAt
				if verified > 0 && g.chance(0.3) {
					createdAt = g.at(verified, 9*60+g.r.IntN(8*60))
				}
				updatedAt := g.at(verified, 9*60+g.r.IntN(8*60))
				if updatedAt.Before(createdAt) {
					updatedAt = createdAt
				}
				if updatedAt.After(g.now) {
					updatedAt = g.now
				}
				desc := rep.Replace(t.desc)
				if status == "paused" {
					desc += " Paused for now; check before referring."
				}
				domain := slug(org) + ".example.org"
				address := fmt.Sprintf("%s, %d %s, %s, %s", venue.name, 1+g.r.IntN(80), venue.street, venue.area, demoTown)
				phone := fmt.Sprintf("01632 960%03d", 400+g.r.IntN(600))
				svc := demoService{id: id, active: status == "active"}
				schedule := rep.Replace(g.one(info.schedules))
				if err := g.exec("service", id, name, org, strings.Join(cats, ";"), desc, address, venue.postcode, phone,
					"info@"+domain, "https://"+domain+"/"+slug(name), schedule, cost, free, access,
					g.one(info.eligibility), g.one(demoAccessibility), status, g.date(verified), verifiedBy,
					ts(createdAt), g.admin, ts(updatedAt), verifiedBy); err != nil {
					return err
				}
				g.services = append(g.services, svc)
				if svc.active {
					for _, c := range cats {
						g.byCategory[c] = append(g.byCategory[c], len(g.services)-1)
					}
				}
			}
		}
		g.progress("services", int(id), total)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Names: the variety of a real English town.

func names(s string) []string { return strings.Split(s, "|") }

type nameGroup struct {
	weight             int
	female, male       []string
	femaleOld, maleOld []string // for people born before 1960, when set
	family             []string
	familyFemale       []string // feminine surname forms, parallel to family (Polish), when set
	ethnic             []string // ethnic category codes to choose from
	languages          []string // interpreter languages, when one is needed
	interpreterYoung   float64
	interpreterOld     float64 // for people born before 1965
}

var demoNameGroups = []nameGroup{
	{ // English
		weight:    700,
		female:    names("Olivia|Amelia|Isla|Ava|Mia|Ivy|Lily|Isabella|Sophia|Grace|Emily|Poppy|Ella|Freya|Charlotte|Evie|Jessica|Sophie|Chloe|Lucy|Hannah|Rebecca|Sarah|Emma|Laura|Rachel|Claire|Joanne|Nicola|Michelle|Lisa|Kelly|Gemma|Amy|Hayley|Stacey|Zoë|Chloë|Renée|Naomi|Abigail|Katie|Danielle|Leanne|Jade|Megan|Holly|Ellie|Bethany|Louise"),
		femaleOld: names("Margaret|Patricia|Elizabeth|Jean|Joan|Dorothy|Barbara|Sheila|Pauline|Christine|Janet|Carol|Gillian|Wendy|Angela|Susan|Linda|Helen|Karen|Julie|Mavis|Doreen|Irene|Brenda|Valerie|Ruth|Alice|Florence|Edith|Beryl|Marjorie|Sylvia|Maureen|Elaine|Kathleen|Hilda|Audrey|Shirley|June|Ann"),
		male:      names("Oliver|George|Harry|Noah|Jack|Leo|Arthur|Oscar|Charlie|Thomas|James|William|Jacob|Alfie|Joshua|Daniel|Matthew|Ryan|Liam|Luke|Adam|Benjamin|Samuel|Joseph|Christopher|Andrew|Mark|Paul|Jamie|Nathan|Callum|Kieran|Reece|Ethan|Dylan|Lewis|Scott|Craig|Dean|Lee|Darren|Wayne|Gary|Jason|Stuart|Simon|Carl|Neil|Shaun|Martin"),
		maleOld:   names("John|David|Michael|Peter|Robert|Ian|Kevin|Anthony|Keith|Brian|Kenneth|Derek|Roy|Norman|Frank|Alan|Colin|Graham|Trevor|Barry|Terence|Stanley|Albert|Ernest|Harold|Leslie|Geoffrey|Dennis|Malcolm|Raymond|Gordon|Bernard|Clifford|Donald|Eric|Ronald|Walter|Arthur|Stephen|Richard"),
		family:    names("Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Robinson|Wright|Thompson|Evans|Walker|White|Roberts|Green|Hall|Wood|Jackson|Clarke|Harris|Lewis|Turner|Hill|Cooper|Ward|Morris|Moore|Clark|Lee|King|Baker|Harrison|Morgan|Allen|James|Scott|Phillips|Watson|Davis|Parker|Price|Bennett|Young|Griffiths|Mitchell|Cook|Carter|Richardson|Bailey|Collins|Bell|Shaw|Miller|Cox|Richards|Marshall|Anderson|Simpson|Ellis|Adams|Wilkinson|Foster|Chapman|Powell|Webb|Rogers|Gray|Mason|Hunt|Holmes|Palmer|Barker|Mills|Lloyd|Butler|Dixon|Knight|Fletcher|Sutcliffe|Ackroyd|Haigh|Holroyd|Greenwood|Crossley|Barraclough|Pickles|Hirst|Marsden|Lumb|Brook|Firth|Booth|Bottomley|Hanson|Hartley|Redman|Ramsbottom|Thwaite|Earnshaw|Ibbotson|Whiteley|Dyson|Lockwood|Crowther|Ainsworth|Wormald|Oldroyd|Armitage|Stansfield|Clegg|Noble|Atkinson|Nicholson|Spencer|Holt|Hughes|Edwards|Stevens|Hudson|Hart|Pearson|Fox|Gibson|Lawrence|Hope|Rhodes|Summers|Batty|Mellor|Slater|Platt|Horsfall|Lister|Sugden|Priestley|Tordoff|Pollard|Crabtree|Horner|Illingworth|Bairstow|Rushworth|Fielding|Kershaw|Binns|Midgley|Feather|Moorhouse"),
		ethnic:    names("A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|F|D|G|Z|"),
	},
	{ // Welsh
		weight: 30,
		female: names("Siân|Gwenllian|Cerys|Ffion|Bethan|Rhiannon|Angharad|Nia|Eleri|Catrin|Megan|Seren|Lowri|Elin|Mererid|Heledd"),
		male:   names("Rhys|Dafydd|Gareth|Owain|Gethin|Iwan|Emyr|Huw|Llŷr|Aled|Geraint|Dylan|Ieuan|Cai|Tomos|Gruffudd"),
		family: names("ap Rhys|Llewellyn|Jones|Williams|Davies|Evans|Thomas|Roberts|Hughes|Lewis|Morgan|Griffiths|Pritchard|Prosser|Vaughan|ap Gwilym|Bowen|Howells|Parry|Pugh|Rees|Jenkins|Llwyd|Meredith"),
		ethnic: names("A"),
	},
	{ // Scottish
		weight: 30,
		female: names("Eilidh|Ailsa|Mhairi|Catriona|Iona|Morag|Isla|Kirsty|Fiona|Shona|Kirsteen|Rhona|Morven|Ishbel"),
		male:   names("Iain|Hamish|Callum|Ruaridh|Angus|Alasdair|Fraser|Euan|Lachlan|Calum|Murdo|Gregor|Ewan|Torquil"),
		family: names("MacLeod|MacDonald|Campbell|Stewart|McKenzie|Fraser|Robertson|Murray|MacKay|Sinclair|Ross|Cameron|Grant|Munro|Mackintosh|MacLean|Buchanan|Drummond|Ferguson|Gunn|McIntyre|Urquhart"),
		ethnic: names("A"),
	},
	{ // Irish
		weight: 35,
		female: names("Niamh|Siobhán|Aoife|Saoirse|Caoimhe|Róisín|Orla|Máire|Bríd|Sinéad|Gráinne|Clodagh|Aisling|Deirdre|Bridget|Mary"),
		male:   names("Pádraig|Seán|Ciarán|Cian|Oisín|Eoin|Dónal|Colm|Liam|Conor|Declan|Séamus|Tadhg|Fergal|Patrick|Brendan"),
		family: names("Ó Súilleabháin|Ó Briain|Ó Conchúir|Mac Cárthaigh|Ó Ceallaigh|Murphy|Kelly|O'Sullivan|Walsh|O'Brien|Byrne|Ryan|O'Connor|O'Neill|Doyle|McCarthy|Gallagher|Doherty|Kennedy|Lynch|Quinn|Brennan|Fitzgerald|Flanagan"),
		ethnic: names("B|B|B|B|A"),
	},
	{ // Polish
		weight:       45,
		female:       names("Małgorzata|Żaneta|Agnieszka|Katarzyna|Anna|Magdalena|Joanna|Ewa|Monika|Zuzanna|Dorota|Beata|Justyna|Aleksandra|Paulina|Iwona|Grażyna|Jadwiga"),
		male:         names("Łukasz|Piotr|Krzysztof|Tomasz|Paweł|Michał|Marcin|Grzegorz|Jakub|Mateusz|Wojciech|Andrzej|Kamil|Bartłomiej|Sławomir|Rafał|Zbigniew|Jerzy"),
		family:       names("Wiśniewski|Kowalski|Nowak|Wójcik|Kamiński|Lewandowski|Zieliński|Szymański|Woźniak|Dąbrowski|Kozłowski|Jankowski|Mazur|Krawczyk|Piotrowski|Grabowski|Pawłowski|Michalski|Król|Wróbel|Łukasik|Żak"),
		familyFemale: names("Wiśniewska|Kowalska|Nowak|Wójcik|Kamińska|Lewandowska|Zielińska|Szymańska|Woźniak|Dąbrowska|Kozłowska|Jankowska|Mazur|Krawczyk|Piotrowska|Grabowska|Pawłowska|Michalska|Król|Wróbel|Łukasik|Żak"),
		ethnic:       names("C"),
		languages:    names("Polish"), interpreterYoung: 0.06, interpreterOld: 0.35,
	},
	{ // Ukrainian, in Cyrillic
		weight:    15,
		female:    names("Олена|Оксана|Наталія|Юлія|Ірина|Світлана|Тетяна|Марія|Галина|Анастасія|Вікторія|Людмила"),
		male:      names("Андрій|Тарас|Дмитро|Богдан|Олександр|Сергій|Микола|Володимир|Іван|Петро|Василь|Юрій"),
		family:    names("Шевченко|Коваленко|Бондаренко|Ткаченко|Кравченко|Мельник|Бойко|Коваль|Олійник|Лисенко|Мороз|Петренко|Савченко|Руденко|Кравчук|Шевчук"),
		ethnic:    names("C"),
		languages: names("Ukrainian|Ukrainian|Russian"), interpreterYoung: 0.3, interpreterOld: 0.6,
	},
	{ // Indian (Gujarati and Hindu)
		weight:    30,
		female:    names("Priya|Anjali|Sunita|Kavita|Pooja|Neha|Asha|Meera|Divya|Hema|Nisha|Shreya|Bhavna|Hansa"),
		male:      names("Rajesh|Sanjay|Amit|Vijay|Arjun|Rohan|Anil|Deepak|Vikram|Ravi|Suresh|Kiran|Jayesh|Dinesh"),
		family:    names("Patel|Sharma|Mistry|Shah|Parmar|Chauhan|Solanki|Desai|Joshi|Mehta|Gupta|Kumar|Lad|Rana"),
		ethnic:    names("H"),
		languages: names("Gujarati|Hindi"), interpreterYoung: 0.01, interpreterOld: 0.15,
	},
	{ // Sikh
		weight:    15,
		female:    names("Gurpreet|Harpreet|Manjit|Jaspreet|Simran|Balvinder|Amarjit|Rajinder|Kulwant"),
		male:      names("Gurpreet|Harjit|Sukhwinder|Jaswinder|Balbir|Ranjit|Manpreet|Kuldip|Satnam"),
		family:    names("Singh|Sandhu|Gill|Dhillon|Sidhu|Bains|Johal|Virdi|Kaur|Atwal"),
		ethnic:    names("H"),
		languages: names("Punjabi"), interpreterYoung: 0.01, interpreterOld: 0.25,
	},
	{ // Pakistani
		weight:    40,
		female:    names("Ayesha|Fatima|Zainab|Maryam|Nadia|Saima|Shazia|Rubina|Amina|Sana|Hina|Noreen|Nasreen|Parveen"),
		male:      names("Mohammed|Muhammad|Imran|Tariq|Asif|Zubair|Bilal|Adnan|Usman|Hamza|Shahid|Nadeem|Zahid|Mohammed"),
		family:    names("Hussain|Khan|Ahmed|Ali|Iqbal|Akhtar|Mahmood|Shah|Rashid|Bashir|Aslam|Butt|Malik|Qureshi|Mirza|Hussain"),
		ethnic:    names("J"),
		languages: names("Urdu|Punjabi|Pahari"), interpreterYoung: 0.02, interpreterOld: 0.3,
	},
	{ // Bangladeshi
		weight:    10,
		female:    names("Nasima|Rehana|Shirin|Taslima|Sumaiya|Farhana|Rokeya|Jahanara"),
		male:      names("Abdul|Rahim|Kamal|Jamal|Shafiq|Mizanur|Anwar|Shahidul"),
		family:    names("Begum|Miah|Rahman|Uddin|Islam|Hoque|Chowdhury|Ahmed"),
		ethnic:    names("K"),
		languages: names("Bengali (Sylheti)|Bengali"), interpreterYoung: 0.03, interpreterOld: 0.45,
	},
	{ // Black African
		weight:    20,
		female:    names("Chidinma|Ngozi|Adaeze|Funmilayo|Abena|Amara|Blessing|Precious|Folake|Nneka"),
		male:      names("Chidi|Oluwaseun|Kwame|Emeka|Tunde|Kofi|Babajide|Samuel|Yaw|Obinna"),
		family:    names("Okafor|Adeyemi|Okonkwo|Mensah|Boateng|Adebayo|Oyelaran|Nwosu|Asante|Owusu|Eze|Ogunleye"),
		ethnic:    names("N|N|N|E"),
		languages: names("Tigrinya|Somali|Arabic"), interpreterYoung: 0.02, interpreterOld: 0.1,
	},
	{ // Caribbean
		weight: 15,
		female: names("Marcia|Beverley|Sonia|Jasmine|Kiara|Shanice|Hyacinth|Merline"),
		male:   names("Delroy|Winston|Marcus|Leon|Tyrone|Andre|Errol|Clive"),
		family: names("Campbell|Brown|Thomas|Williams|Francis|Clarke|Grant|Gordon|Reid|Forbes|McKenzie|Bailey"),
		ethnic: names("M|M|M|D"),
	},
	{ // Chinese
		weight:    10,
		female:    names("Mei|Li Na|Xiaoling|Jing|Wei Ling|Yan|Hui"),
		male:      names("Wei|Jian|Hao|Chen|Ming|Kwok Wai|Tao"),
		family:    names("Chen|Wang|Li|Zhang|Liu|Wong|Chan|Lam|Cheung|Ho"),
		ethnic:    names("R"),
		languages: names("Cantonese|Mandarin"), interpreterYoung: 0.05, interpreterOld: 0.4,
	},
	{ // Other European, accented
		weight:    15,
		female:    names("Renée|Zoë|Inês|Ana|Chloé|Ingrid|Aurélie|Ioana|Elena|Zsófia|Ilse|Mónica"),
		male:      names("José|Jérôme|João|Andrés|Nuno|Luís|Sören|Mihai|Ştefan|Jürgen|Tomáš|Gaëtan"),
		family:    names("García|Fernández|Rodrigues|da Silva|Pereira|Dubois|Lefèvre|Müller|Schröder|Popescu|Ionescu|Núñez|Novák|Søndergaard"),
		ethnic:    names("C|C|C|S"),
		languages: names("Portuguese|Romanian|Spanish"), interpreterYoung: 0.03, interpreterOld: 0.2,
	},
}

var demoStreetNames = names("Mill|Church|Station|Park|Victoria|Albert|Queens|Kings|Market|Bridge|Canal|Chapel|School|Moor|Heath|Wharf|Spring|Hollin|Cross|Manor|Orchard|Beech|Oak|Willow|Elm|Ash|Holly|Rowan|Cedar|Hawthorn|Weavers|Fullers|Dyers|Spinners|Crossley|Savile|Akroyd|Hebble|Shibden|Ovenden|Calder|Ryburn|Luddite|Brontë|Pennine|Heather|Bracken|Clough|Ing|Wood")

var demoStreetKinds = names("Street|Road|Lane|Avenue|Close|Grove|Terrace|Drive|Crescent|Court|Way|Gardens|Place|Rise|View|Fold|Mount|Row")

type demoStreet struct{ name, area, outward string }

var demoDistrictAreas = []struct{ outward, area string }{
	{"HX1", "Riverside"}, {"HX1", "Old Town"}, {"HX2", "Northgate"}, {"HX2", "Moor End"}, {"HX3", "Millbank"},
	{"HX3", "Canal Side"}, {"HX4", "Westfield"}, {"HX5", "Hill Top"}, {"HX6", "Eastwood"}, {"HX7", "St Mary's"},
}

const postcodeUnitLetters = "ABDEFGHJLNPQRSTUWXYZ"

// asciiLocal turns a name into the ASCII local part of an e-mail address.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie", 'ж': "zh", 'з': "z", 'и': "y",
	'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
	'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ю': "iu", 'я': "ia",
}

func asciiLocal(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		default:
			if l, ok := cyrillicLatin[r]; ok {
				b.WriteString(l)
			}
		}
	}
	return b.String()
}

func (g *demoGen) register() error {
	n := g.opt.Patients
	g.patients = make([]demoPatient, n)
	stmt := g.st["patient"]

	// Streets, each in one postcode district and sector.
	var streets []demoStreet
	for i, base := range demoStreetNames {
		for k := 0; k < 3; k++ {
			kind := demoStreetKinds[(i*7+k*5+g.r.IntN(3))%len(demoStreetKinds)]
			da := demoDistrictAreas[g.r.IntN(len(demoDistrictAreas))]
			streets = append(streets, demoStreet{base + " " + kind, da.area, da.outward + " " + strconv.Itoa(1+g.r.IntN(9))})
		}
	}
	weights := make([]int, len(demoNameGroups))
	for i, ng := range demoNameGroups {
		weights[i] = ng.weight
	}
	// NHS numbers: a stride through the 999 test range visits each
	// nine-digit stem once, so numbers are unique without a set.
	const stems = 1_000_000
	stride := 1 + 2*g.r.IntN(stems/2)
	for stride%5 == 0 || stride%2 == 0 {
		stride = 1 + 2*g.r.IntN(stems/2)
	}
	stem := g.r.IntN(stems)
	nextNHS := func() string {
		for {
			stem = (stem + stride) % stems
			nine := fmt.Sprintf("999%06d", stem)
			if c := NHSCheckDigit(nine); c >= 0 {
				return nine + strconv.Itoa(c)
			}
		}
	}
	firstDOB := time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDOB := time.Date(2010, 12, 31, 0, 0, 0, 0, time.UTC)
	if todayUTC := time.Date(g.y, g.m, g.d+g.days, 0, 0, 0, 0, time.UTC); lastDOB.After(todayUTC) {
		lastDOB = todayUTC
	}
	// Year-of-birth bands weighted to adults.
	type band struct{ from, to, w int }
	bands := []band{{1925, 1934, 3}, {1935, 1944, 8}, {1945, 1954, 13}, {1955, 1964, 16}, {1965, 1974, 15}, {1975, 1984, 15}, {1985, 1994, 15}, {1995, 2004, 12}, {2005, 2010, 8}}
	bw := make([]int, len(bands))
	for i, b := range bands {
		bw[i] = b.w
	}
	setup := ts(g.setupAt)
	for i := 0; i < n; i++ {
		if i%5000 == 0 {
			g.progress("patients", i, n)
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		ng := &demoNameGroups[g.pick(weights...)]
		b := bands[g.pick(bw...)]
		dob := time.Date(b.from+g.r.IntN(b.to-b.from+1), 1, 1+g.r.IntN(365), 0, 0, 0, 0, time.UTC)
		if dob.Before(firstDOB) {
			dob = firstDOB
		}
		if dob.After(lastDOB) {
			dob = lastDOB.AddDate(0, 0, -g.r.IntN(3000))
		}
		born := dob.Year()
		sex := []Sex{SexFemale, SexMale, SexOther, SexUnknown}[g.pick(510, 485, 2, 3)]
		female := sex == SexFemale || sex != SexMale && g.chance(0.5)
		var given string
		switch {
		case female && born < 1960 && ng.femaleOld != nil && g.chance(0.8):
			given = g.one(ng.femaleOld)
		case !female && born < 1960 && ng.maleOld != nil && g.chance(0.8):
			given = g.one(ng.maleOld)
		case female:
			given = g.one(ng.female)
		default:
			given = g.one(ng.male)
		}
		fi := g.r.IntN(len(ng.family))
		family := ng.family[fi]
		if female && ng.familyFemale != nil {
			family = ng.familyFemale[fi]
		}
		switch {
		case family == "Singh" && female:
			family = "Kaur"
		case family == "Kaur" && !female:
			family = "Singh"
		case family == "Begum" && !female:
			family = "Miah"
		}
		if ng.femaleOld != nil && g.chance(0.03) { // a double-barrelled English name
			family += "-" + g.one(ng.family)
		}
		ethnic := g.one(ng.ethnic)
		if g.chance(0.05) {
			ethnic = ""
		} else if g.chance(0.02) {
			ethnic = "Z"
		}
		st := streets[g.r.IntN(len(streets))]
		var address string
		if g.chance(0.15) {
			address = fmt.Sprintf("Flat %d, %s House, %d %s, %s, %s", 1+g.r.IntN(24), strings.Fields(st.name)[0], 1+g.r.IntN(120), st.name, st.area, demoTown)
		} else {
			address = fmt.Sprintf("%d %s, %s, %s", 1+g.r.IntN(180), st.name, st.area, demoTown)
		}
		postcode, err := NormalisePostcode(st.outward + string(postcodeUnitLetters[g.r.IntN(len(postcodeUnitLetters))]) + string(postcodeUnitLetters[g.r.IntN(len(postcodeUnitLetters))]))
		if err != nil {
			return err
		}
		age := g.day(g.days).Year() - born
		phone := ""
		switch {
		case g.chance(0.03):
		case age >= 75 && g.chance(0.55):
			phone = fmt.Sprintf("01632 960%03d", g.r.IntN(1000))
		default:
			phone = fmt.Sprintf("07700 900%03d", g.r.IntN(1000))
		}
		gk, fk := g.fold(given), g.fold(family)
		email := ""
		pEmail := 0.45
		if age >= 70 {
			pEmail = 0.12
		}
		if g.chance(pEmail) {
			local := asciiLocal(gk) + "." + asciiLocal(strings.ReplaceAll(fk, " ", ""))
			if g.chance(0.5) {
				local += strconv.Itoa(g.r.IntN(100))
			}
			email = local + "@" + g.one([]string{"example.com", "example.org", "example.net", "mail.example.co.uk"})
		}
		var contact ContactMethod
		switch {
		case phone == "" && email != "":
			contact = ContactEmail
		case phone == "":
			contact = ContactLetter
		case email != "" && g.chance(0.3):
			contact = ContactEmail
		case age >= 80 && g.chance(0.25) || g.chance(0.04):
			contact = ContactLetter
		case strings.HasPrefix(phone, "07") && g.chance(0.5):
			contact = ContactText
		default:
			contact = ContactPhone
		}
		interpreter, language := false, ""
		if ng.languages != nil {
			p := ng.interpreterYoung
			if born < 1965 {
				p = ng.interpreterOld
			}
			if g.chance(p) {
				interpreter, language = true, g.one(ng.languages)
			}
		}
		bsl := g.chance(0.002)
		if bsl {
			interpreter, language = true, "British Sign Language"
		}
		largePrint := age >= 75 && g.chance(0.1) || g.chance(0.005)
		easyRead := g.chance(0.01)
		var nhs any // NULL: a few patients have no NHS number yet
		if !g.chance(0.025) {
			nhs = nextNHS()
		}
		createdDay := -7
		created, by := setup, g.admin
		if g.chance(0.2) {
			createdDay = g.workDay(g.r.IntN(g.days + 1))
			if createdDay > g.days {
				createdDay = -7
			} else {
				created, by = ts(g.at(createdDay, 8*60+g.r.IntN(9*60))), g.receps[g.r.IntN(len(g.receps))]
				if created > ts(g.now) {
					createdDay, created, by = -7, setup, g.admin
				}
			}
		}
		g.patients[i] = demoPatient{given: given, family: family, born: born, createdDay: int32(createdDay)}
		if _, err := stmt.ExecContext(g.ctx, i+1, nhs, given, family, gk, fk, dob.Format(DateLayout), string(sex), ethnic,
			address, postcode, phone, email, string(contact), interpreter, language, largePrint, easyRead, bsl,
			g.chance(0.96), g.chance(0.88), created, by, created, by); err != nil {
			return fmt.Errorf("demo patient: %w", err)
		}
	}
	g.progress("patients", n, n)
	return nil
}

// ---------------------------------------------------------------------------
// Referrals and everything that hangs off them.

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
		if err := g.exec("contact", g.contactID, e.id, ts(c.at), c.kind, c.minutes, c.text, ts(c.at.Add(time.Duration(c.minutes)*time.Minute/2)), c.by); err != nil {
			return err
		}
	}
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
	if g.chance(0.08) {
		if re := issued.Add(time.Duration(1+g.r.IntN(20)) * 24 * time.Hour); !re.After(g.now) {
			return g.exec("rxprint", g.rxID, ts(re), g.receps[g.r.IntN(len(g.receps))], 1)
		}
	}
	return nil
}
