package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
)

var demoTestToday = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func openDemo(t *testing.T, name string, opt DemoOptions) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.CreateDemo(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	return s
}

// queryCount runs a query that counts, failing the test if it cannot.
func queryCount(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestDemoSmallPracticeIsHealthy(t *testing.T) {
	const patients, years = 2000, 2
	var stages []string
	s := openDemo(t, "demo.db", DemoOptions{Patients: patients, Years: years, Seed: 7, Today: demoTestToday,
		Progress: func(stage string, done, total int) {
			if len(stages) == 0 || stages[len(stages)-1] != stage {
				stages = append(stages, stage)
			}
		}})
	ctx := context.Background()
	h, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Healthy() {
		t.Fatalf("demo database is not healthy: %+v", h)
	}
	if got := strings.Join(stages, ","); !strings.Contains(got, "patients") || !strings.Contains(got, "referrals") {
		t.Errorf("progress stages = %s", got)
	}
	p, err := s.Practice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsDemo || p.ListSize != patients {
		t.Errorf("practice = %+v", p)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM users`); n != len(DemoAccounts()) || n != 15 {
		t.Errorf("users = %d", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM patients`); n != patients {
		t.Errorf("patients = %d", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM services`); n < 180 || n > 220 {
		t.Errorf("services = %d", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM sites`); n < 2 || n > 3 {
		t.Errorf("sites = %d", n)
	}
	if n := queryCount(t, s, `SELECT count(DISTINCT worker_id) FROM work_sessions`); n != 3 {
		t.Errorf("workers with sessions = %d", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM leave WHERE worker_id IS NULL AND first_day BETWEEN '2025-01-01' AND '2025-12-31'`); n != 8 {
		t.Errorf("bank holidays in 2025 = %d, want 8", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM leave WHERE worker_id IS NULL AND first_day IN ('2025-04-18', '2025-04-21', '2026-12-28')`); n != 3 {
		t.Errorf("Good Friday, Easter Monday 2025 or the Boxing Day 2026 substitute missing (%d)", n)
	}
	want := patients * years * 15 / 1000
	if n := queryCount(t, s, `SELECT count(*) FROM referrals`); n < want*9/10 || n > want*11/10 {
		t.Errorf("referrals = %d, want about %d", n, want)
	}
	for _, q := range []string{
		`SELECT count(*) FROM appointments`, `SELECT count(*) FROM contacts`, `SELECT count(*) FROM goals`,
		`SELECT count(*) FROM wellbeing_measures`, `SELECT count(*) FROM prescriptions`, `SELECT count(*) FROM prescription_items`,
		`SELECT count(*) FROM referrals WHERE status = 'closed'`, `SELECT count(*) FROM referrals WHERE status = 'declined'`,
		`SELECT count(*) FROM referrals WHERE status IN ('received', 'contacted', 'accepted', 'active')`,
		`SELECT count(*) FROM appointments WHERE status = 'booked'`,
		`SELECT count(*) FROM patients WHERE nhs_number IS NULL`,
	} {
		if queryCount(t, s, q) == 0 {
			t.Errorf("%s: none", q)
		}
	}
	// Every NHS number is valid, and none is empty text.
	rows, err := s.db.Query(`SELECT nhs_number FROM patients WHERE nhs_number IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var nhs string
		rows.Scan(&nhs)
		if _, err := NormaliseNHSNumber(nhs); err != nil || !strings.HasPrefix(nhs, "999") {
			t.Errorf("NHS number %q: %v", nhs, err)
		}
	}
	rows.Close()
	// Keys are the folded names; postcodes are normalised.
	rows, err = s.db.Query(`SELECT given_name, family_name, given_key, family_key, postcode FROM patients`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var gn, fn, gk, fk, pc string
		rows.Scan(&gn, &fn, &gk, &fk, &pc)
		if gk != foldKey(gn) || fk != foldKey(fn) {
			t.Errorf("keys of %s %s = %q %q", gn, fn, gk, fk)
		}
		if n, err := NormalisePostcode(pc); err != nil || n != pc {
			t.Errorf("postcode %q", pc)
		}
	}
	rows.Close()
	// Every status move is in the history, ending at the current status.
	if n := queryCount(t, s, `SELECT count(*) FROM referrals r WHERE r.status <> (SELECT to_status FROM referral_history h
		WHERE h.referral_id = r.id AND h.kind = 'status' ORDER BY h.at DESC, h.id DESC LIMIT 1)`); n != 0 {
		t.Errorf("%d referrals whose last history row is not their status", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM referral_history h JOIN referral_history p ON p.referral_id = h.referral_id
		AND p.kind = 'status' AND h.kind = 'status' AND p.id = (SELECT max(id) FROM referral_history x
		WHERE x.referral_id = h.referral_id AND x.kind = 'status' AND x.id < h.id) WHERE p.to_status <> h.from_status`); n != 0 {
		t.Errorf("%d history rows that do not follow on", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM referral_history WHERE kind = 'status' AND NOT (
		(from_status IS NULL AND to_status = 'received') OR
		(from_status = 'received' AND to_status IN ('contacted', 'declined', 'unable_to_contact')) OR
		(from_status = 'contacted' AND to_status IN ('accepted', 'declined', 'unable_to_contact')) OR
		(from_status = 'accepted' AND to_status IN ('active', 'closed')) OR
		(from_status = 'active' AND to_status = 'closed'))`); n != 0 {
		t.Errorf("%d status moves outside the state machine", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM referrals WHERE status IN ('accepted', 'active', 'closed') AND snomed_code IS NOT '871731000000106'
		OR status = 'declined' AND snomed_code IS NOT '871711000000103'`); n != 0 {
		t.Errorf("%d referrals with the wrong SNOMED code", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM referrals WHERE (status = 'closed') <> (closing_reason IS NOT NULL)
		OR (status IN ('closed', 'declined', 'unable_to_contact')) <> (closed_at IS NOT NULL)
		OR status IN ('contacted', 'accepted', 'active', 'closed', 'declined') AND first_contact_at IS NULL
		OR last_activity_at < status_changed_at OR status_changed_at < created_at`); n != 0 {
		t.Errorf("%d referrals with inconsistent dates or closing reasons", n)
	}
	// Nothing happens after the end of the data.
	end := "2026-11-25T12:30:00Z"
	for _, q := range []string{
		`SELECT count(*) FROM referral_history WHERE at > ?`, `SELECT count(*) FROM contacts WHERE at > ?`,
		`SELECT count(*) FROM appointments WHERE booked_at > ? OR updated_at > ?`,
		`SELECT count(*) FROM appointments WHERE status <> 'booked' AND starts_at > ?`,
		`SELECT count(*) FROM prescriptions WHERE issued_at > ?`,
	} {
		if n := queryCount(t, s, q, end, end); n != 0 {
			t.Errorf("%s: %d in the future", q, n)
		}
	}
	if n := queryCount(t, s, `SELECT count(*) FROM prescription_items i JOIN services v ON v.id = i.service_id WHERE v.status <> 'active'`); n != 0 {
		t.Errorf("%d prescription items for services that are not active", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM services WHERE last_verified_on < '2025-11-25'`); n == 0 {
		t.Error("no stale directory entries")
	}
	// The demo accounts sign in.
	for _, a := range DemoAccounts() {
		if msg := passwordProblem(a.Password, a.Username, a.FullName); msg != "" {
			t.Errorf("%s: %s", a.Username, msg)
		}
	}
	a := DemoAccounts()[0]
	if _, err := s.SignIn(ctx, a.Username, a.Password); err != nil {
		t.Errorf("sign in as %s: %v", a.Username, err)
	}
	// A second demo into the same database is refused.
	if _, err := s.CreateDemo(ctx, DemoOptions{Patients: 10, Years: 1, Today: demoTestToday}); err == nil {
		t.Error("CreateDemo on a database already set up: no error")
	}
}

// demoDigest hashes every row of every table, leaving out the salted
// password hashes and sign-in times.
func demoDigest(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.db.Query(`SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	withoutRowid := map[string]bool{}
	for rows.Next() {
		var n string
		var w bool
		rows.Scan(&n, &w)
		tables = append(tables, n)
		withoutRowid[n] = w
	}
	rows.Close()
	h := sha256.New()
	for _, table := range tables {
		cols := []string{}
		crows, err := s.db.Query(`SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for crows.Next() {
			var c string
			crows.Scan(&c)
			if table == "users" && (c == "password_hash" || c == "last_sign_in") {
				continue
			}
			cols = append(cols, `"`+c+`"`)
		}
		crows.Close()
		order := " ORDER BY rowid"
		if withoutRowid[table] {
			order = " ORDER BY 1, 2"
		}
		r, err := s.db.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM "` + table + `"` + order)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		n := 0
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s|%q\n", table, vals)
			n++
		}
		r.Close()
		fmt.Fprintf(h, "%s rows %d\n", table, n)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDemoIsDeterministic(t *testing.T) {
	opt := DemoOptions{Patients: 1500, Years: 2, Seed: 42, Today: demoTestToday}
	a := demoDigest(t, openDemo(t, "a.db", opt))
	b := demoDigest(t, openDemo(t, "b.db", opt))
	if a != b {
		t.Errorf("same seed, different content: %s vs %s", a, b)
	}
	opt.Seed = 43
	c := demoDigest(t, openDemo(t, "c.db", opt))
	if a == c {
		t.Error("a different seed gave the same content")
	}
}

func TestDemoDiaryHasNoOverlaps(t *testing.T) {
	// A busy practice for its three link workers, so the diary fills up.
	s := openDemo(t, "busy.db", DemoOptions{Patients: 30000, Years: 2, Seed: 3, Today: demoTestToday})
	live := `('booked', 'arrived', 'attended')`
	if n := queryCount(t, s, `SELECT count(*) FROM appointments a JOIN appointments b ON a.worker_id = b.worker_id AND a.id < b.id
		AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
		WHERE a.status IN `+live+` AND b.status IN `+live); n != 0 {
		t.Errorf("%d overlapping live appointments of one worker", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM appointments a JOIN appointments b ON a.patient_id = b.patient_id AND a.id < b.id
		AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
		WHERE a.status IN `+live+` AND b.status IN `+live); n != 0 {
		t.Errorf("%d overlapping live appointments of one patient", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM (SELECT patient_id FROM referrals
		WHERE status IN ('received', 'contacted', 'accepted', 'active') GROUP BY patient_id HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d patients with more than one open referral", n)
	}
	// Appointments fall inside the worker's sessions, on days without leave.
	loc, _ := time.LoadLocation("Europe/London")
	type session struct{ wd, start, end int }
	sessions := map[int64][]session{}
	rows, err := s.db.Query(`SELECT worker_id, weekday, start_min, end_min FROM work_sessions`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var w int64
		var x session
		rows.Scan(&w, &x.wd, &x.start, &x.end)
		sessions[w] = append(sessions[w], x)
	}
	rows.Close()
	rows, err = s.db.Query(`SELECT worker_id, starts_at, ends_at, type,
		(SELECT count(*) FROM leave l WHERE (l.worker_id = a.worker_id OR l.worker_id IS NULL)
			AND substr(a.starts_at, 1, 10) BETWEEN l.first_day AND l.last_day) FROM appointments a`)
	if err != nil {
		t.Fatal(err)
	}
	n, bad, onLeave := 0, 0, 0
	lengths := map[string]int{"initial_assessment": 60, "follow_up": 30, "review": 30, "phone_call": 20, "home_visit": 90}
	for rows.Next() {
		var w int64
		var start, end, typ string
		var leave int
		rows.Scan(&w, &start, &end, &typ, &leave)
		n++
		st, _ := time.Parse(TimeLayout, start)
		en, _ := time.Parse(TimeLayout, end)
		ls, le := st.In(loc), en.In(loc)
		wd := int(ls.Weekday())
		if wd == 0 {
			wd = 7
		}
		sm, em := ls.Hour()*60+ls.Minute(), le.Hour()*60+le.Minute()
		ok := false
		for _, x := range sessions[w] {
			ok = ok || x.wd == wd && sm >= x.start && em <= x.end
		}
		if !ok {
			bad++
		}
		if leave > 0 {
			onLeave++
		}
		if m := int(en.Sub(st).Minutes()); m != lengths[typ] && m != 90 {
			t.Errorf("%s of %d minutes", typ, m)
		}
	}
	rows.Close()
	if n == 0 || bad > 0 || onLeave > 0 {
		t.Errorf("%d appointments, %d outside sessions, %d on leave or bank holidays", n, bad, onLeave)
	}
}

func TestDemoNamesAreVaried(t *testing.T) {
	s := openDemo(t, "names.db", DemoOptions{Patients: 3000, Years: 1, Seed: 1, Today: demoTestToday})
	rows, err := s.db.Query(`SELECT given_name || ' ' || family_name FROM patients`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var polish, cyrillic, accented int
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if strings.ContainsAny(name, "ŁłŻżŚśĄąĘęŃń") {
			polish++
		}
		for _, r := range name {
			if unicode.Is(unicode.Cyrillic, r) {
				cyrillic++
				break
			}
		}
		if strings.ContainsAny(name, "âáéëóúíÓŷ") {
			accented++
		}
	}
	if polish == 0 || cyrillic == 0 || accented == 0 {
		t.Errorf("names lack variety: %d Polish, %d Cyrillic, %d accented", polish, cyrillic, accented)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM patients WHERE interpreter = 1 AND language <> ''`); n == 0 {
		t.Error("no patient needs an interpreter")
	}
}

func TestDemoAccountsAreFixed(t *testing.T) {
	a, b := DemoAccounts(), DemoAccounts()
	roles := map[Role]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("DemoAccounts changes between calls")
		}
		roles[a[i].Role]++
	}
	if roles[RoleGP] != 6 || roles[RoleLinkWorker] != 3 || roles[RoleReceptionist] != 4 || roles[RolePracticeManager] != 1 || roles[RoleAdministrator] != 1 {
		t.Errorf("roles = %v", roles)
	}
}
