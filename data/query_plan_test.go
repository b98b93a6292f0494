package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Every query a list screen runs must read through an index, never the
// whole patients, referrals or appointments table: a full scan costs what
// the database holds, however little the screen shows. The screens' store
// methods run on a store that records each query, and each recorded query's
// plan is checked, so a query that turns into a full scan fails here.

// TestListScreensUseIndexes runs what each list screen runs, in every
// filter and sort, and checks the plan of every query.
func TestListScreensUseIndexes(t *testing.T) {
	sqliteOnly(t)
	plain := openListTest(t)
	s, rec := recordingStore(t, plain.path)
	ctx := context.Background()
	var worker int64
	plain.db.QueryRow(`SELECT link_worker_id FROM referrals WHERE link_worker_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&worker)
	var given, family, dob, nhs string
	plain.db.QueryRow(`SELECT given_name, family_name, date_of_birth, nhs_number FROM patients WHERE nhs_number IS NOT NULL ORDER BY id LIMIT 1 OFFSET 77`).Scan(&given, &family, &dob, &nhs)
	defer func(limit, names int) { readAllLimit, searchNamesAtMost = limit, names }(readAllLimit, searchNamesAtMost)

	screens := map[string]func() error{
		"patient search": func() error {
			for _, names := range []int{0, 50} { // given names sorted, or walked one by one
				searchNamesAtMost = names
				for _, q := range []string{"s", "sm", "smi", given, given + " " + family[:2], family + ", " + given, nhs[:5], FormatUKDate(dob),
					"ceal", "ma", "o'c", "siobhan ceallaigh", "ceallaigh s", "sean o suil", family + " " + FormatUKDate(dob), dob + " " + given} {
					if _, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), q, 200); err != nil {
						return err
					}
				}
			}
			return nil
		},
		"referrals": func() error {
			for _, limit := range []int{-1, 0, 1 << 30} { // walk, as it comes, read all
				readAllLimit = limit
				for _, f := range listTestFilters(t, plain) {
					for column := range sortTerms {
						for _, desc := range []bool{false, true} {
							if err := reloadReferrals(ctx, s, f, ReferralSort{Column: column, Desc: desc}); err != nil {
								return err
							}
						}
					}
				}
			}
			readAllLimit = 0
			return nil
		},
		"caseload": func() error {
			return reloadReferrals(ctx, s, ReferralFilter{LinkWorkerID: worker, Statuses: openStatusList()}, ReferralSort{Column: SortWaiting, Desc: true})
		},
		"diary": func() error {
			monday := time.Date(2026, 11, 23, 0, 0, 0, 0, London())
			if _, err := s.DiaryWeek(ctx, s.sessionFor(OpViewDiary), worker, monday); err != nil {
				return err
			}
			if _, err := s.DiaryDay(ctx, s.sessionFor(OpViewDiary), monday, []int64{worker}); err != nil {
				return err
			}
			_, err := s.DiaryDay(ctx, s.sessionFor(OpViewDiary), monday, nil)
			return err
		},
		"today": func() error {
			_, err := s.TodayAppointments(ctx, s.sessionFor(OpViewDiary), demoTestToday)
			return err
		},
		"audit": func() error {
			var someone, patient int64
			plain.db.QueryRow(`SELECT user_id FROM audit_events WHERE action = 'search' ORDER BY id LIMIT 1`).Scan(&someone)
			plain.db.QueryRow(`SELECT patient_id FROM referrals ORDER BY id DESC LIMIT 1`).Scan(&patient)
			for _, f := range []AuditFilter{{}, {UserID: someone}, {Action: "export"}, {UserID: someone, Action: "print"},
				{PatientID: patient}, {From: "2026-03-01", To: "2026-03-31"}, {From: "2026-11-01", UserID: someone, Action: "view"}} {
				page, err := s.AuditEvents(ctx, s.sessionFor(OpViewAudit), f, 0, AuditPage)
				if err != nil {
					return err
				}
				if len(page) > 0 {
					if _, err := s.AuditEvents(ctx, s.sessionFor(OpViewAudit), f, page[len(page)-1].ID, AuditPage); err != nil {
						return err
					}
				}
			}
			return nil
		},
		"reports": func() error {
			defer s.SetClock(s.now)
			s.SetClock(func() time.Time { return demoTestToday.Add(12 * time.Hour) })
			for _, p := range []Period{PeriodMonth(demoTestToday), PeriodYear(demoTestToday)} {
				if _, err := s.Dashboard(ctx, s.sessionFor(OpViewReports), p); err != nil {
					return err
				}
			}
			_, err := s.MonthlyReturn(ctx, s.sessionFor(OpViewReports), PeriodLastMonth(demoTestToday))
			return err
		},
		"directory": func() error {
			for _, q := range []ServiceQuery{{}, {Text: "wal"}, {Text: "hal fri", Status: "active"}, {Category: "walking"}} {
				if _, _, err := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), q, 0, 50); err != nil {
					return err
				}
			}
			_, err := s.StaleServices(ctx, s.sessionFor(OpViewDirectory), demoTestToday)
			return err
		},
	}
	for name, run := range screens {
		rec.reset()
		if err := run(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		queries := rec.take()
		if len(queries) == 0 {
			t.Fatalf("%s ran no queries", name)
		}
		seen := map[string]bool{}
		for _, q := range queries {
			if seen[q.sql] {
				continue
			}
			seen[q.sql] = true
			if scan := fullScan(t, plain.db, q); scan != "" {
				t.Errorf("%s: %q reads a whole table:\n%s\n%s", name, scan, q.sql, planText(plan(t, plain.db, q)))
			}
		}
		t.Logf("%s: %d queries, %d different, every one through an index", name, len(queries), len(seen))
	}
}

// reloadReferrals does what the Referrals screen's reload does, then the
// next page.
func reloadReferrals(ctx context.Context, s *Store, f ReferralFilter, sort ReferralSort) error {
	n, err := s.CountReferrals(ctx, s.sessionFor(OpViewReferralList), f)
	if err != nil {
		return err
	}
	if _, err := s.StatusCounts(ctx, s.sessionFor(OpViewReferralList), f); err != nil {
		return err
	}
	if n == 0 {
		_, err = s.CountReferrals(ctx, s.sessionFor(OpViewReferralList), ReferralFilter{})
		return err
	}
	if _, err := s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), f, sort, 0, 100); err != nil {
		return err
	}
	if f.LinkWorkerID != 0 {
		if _, err := s.ReferralsWithDNAs(ctx, s.sessionFor(OpViewReferralList), f.LinkWorkerID, 2); err != nil {
			return err
		}
	}
	_, err = s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), f, sort, 100, 100)
	return err
}

func openStatusList() []ReferralStatus {
	return []ReferralStatus{StatusReceived, StatusContacted, StatusAccepted, StatusActive}
}

// bigTables are the tables that grow with the practice, by the names the
// queries give them.
var bigTables = map[string]bool{"patients": true, "p": true, "referrals": true, "r": true, "appointments": true, "a": true,
	"referral_names": true, "n": true, "patient_name_words": true, "w": true,
	"audit_events": true, "e": true, "referral_history": true, "h": true, "prescriptions": true, "x": true}

// fewRows are partial indexes that hold only a few rows of a big table:
// referrals still waiting for a first contact. Reading one whole is fine.
var fewRows = map[string]bool{"referrals_still_waiting": true}

// fullScan is the plan step that reads a whole big table, or "": a scan
// of the table or of an index that does not stop at a LIMIT before
// everything has been read (a sort or grouping above it reads all first).
// Allowed: the fewRows indexes, and a walk of referrals in id order that
// stops at the page (NOT INDEXED, on purpose). An automatic index is never
// allowed: SQLite builds it by reading the whole table.
func fullScan(t *testing.T, db *sql.DB, q query) string {
	steps := plan(t, db, q)
	for _, st := range steps {
		if strings.Contains(st.detail, "AUTOMATIC") {
			return st.detail
		}
		name, rest, _ := strings.Cut(strings.TrimPrefix(st.detail, "SCAN "), " ")
		if !strings.HasPrefix(st.detail, "SCAN ") || !bigTables[name] {
			continue
		}
		index, byIndex := strings.CutPrefix(rest, "USING ")
		index = strings.TrimPrefix(strings.TrimPrefix(index, "COVERING "), "INDEX ")
		stops := strings.Contains(q.sql, "LIMIT") && !sortedAbove(steps, st)
		switch {
		case byIndex && fewRows[strings.Fields(index)[0]]:
		case byIndex && stops:
		case !byIndex && stops && name == "r" && strings.Contains(q.sql, "referrals r NOT INDEXED"):
		case !byIndex && stops && name == "e" && strings.Contains(q.sql, "ORDER BY e.id DESC LIMIT"): // the audit, newest first
		default:
			return st.detail
		}
	}
	return ""
}

// sortedAbove reports whether a sort or grouping sits beside the step or
// beside a step above it, so that every row is read before the first comes
// out.
func sortedAbove(steps []planStep, st planStep) bool {
	parentOf := map[int]int{}
	for _, s := range steps {
		parentOf[s.id] = s.parent
	}
	for p := st.parent; ; p = parentOf[p] {
		for _, s := range steps {
			if s.parent == p && (strings.HasPrefix(s.detail, "USE TEMP B-TREE FOR ORDER BY") || strings.HasPrefix(s.detail, "USE TEMP B-TREE FOR GROUP BY")) {
				return true
			}
		}
		if p == 0 {
			return false
		}
	}
}

// planStep is one step of EXPLAIN QUERY PLAN.
type planStep struct {
	id, parent int
	detail     string
}

// plan is the query's EXPLAIN QUERY PLAN.
func plan(t *testing.T, db *sql.DB, q query) []planStep {
	t.Helper()
	rows, err := db.Query(`EXPLAIN QUERY PLAN `+q.sql, q.args...)
	if err != nil {
		t.Fatalf("%v: %s", err, q.sql)
	}
	defer rows.Close()
	var out []planStep
	for rows.Next() {
		var st planStep
		var unused int
		if err := rows.Scan(&st.id, &st.parent, &unused, &st.detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, st)
	}
	return out
}

func planText(steps []planStep) string {
	var b strings.Builder
	for _, st := range steps {
		fmt.Fprintf(&b, "  %d/%d %s\n", st.id, st.parent, st.detail)
	}
	return b.String()
}

// recordingStore opens the database at path as a store whose every query
// is recorded, with its arguments.
func recordingStore(t *testing.T, path string) (*Store, *recorder) {
	t.Helper()
	probe, _ := sql.Open("sqlite", "")
	rec := &recorder{}
	db := sql.OpenDB(recordingConnector{recordingDriver{probe.Driver(), rec}, dsn(path, "WAL")})
	probe.Close()
	t.Cleanup(func() { db.Close() })
	return &Store{db: db, path: path, now: func() time.Time { return demoTestToday.Add(12 * time.Hour) }}, rec
}

type recorder struct {
	mu      sync.Mutex
	queries []query
}

func (r *recorder) add(q string, args []driver.NamedValue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var values []any
	for _, a := range args {
		values = append(values, a.Value)
	}
	r.queries = append(r.queries, query{q, values})
}

func (r *recorder) reset() { r.take() }

func (r *recorder) take() []query {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.queries
	r.queries = nil
	return out
}

type recordingConnector struct {
	d   recordingDriver
	dsn string
}

func (c recordingConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }
func (c recordingConnector) Driver() driver.Driver                        { return c.d }

type recordingDriver struct {
	driver.Driver
	rec *recorder
}

func (d recordingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return recordingConn{c, d.rec}, nil
}

// recordingConn has no QueryContext, so database/sql prepares each query
// and the statement records it when it runs.
type recordingConn struct {
	driver.Conn
	rec *recorder
}

func (c recordingConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c recordingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return recordingStmt{st, q, c.rec}, nil
}

func (c recordingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

type recordingStmt struct {
	driver.Stmt
	sql string
	rec *recorder
}

func (s recordingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.rec.add(s.sql, args)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s recordingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// TestFilterCountsReadCountTables checks that the total and the pipeline of
// a reason, a received-date range or a name come from the tables the
// triggers keep (005_referral_filter_counts.sql), reading no referral,
// reason or patient, and that a name is found through an index on each of
// its words; and that the caseload's missed-appointment warning counts DNAs
// from appointments_dna alone.
func TestFilterCountsReadCountTables(t *testing.T) {
	sqliteOnly(t) // SQLite's plans; the counts' answers are checked on both engines (referral_filter_counts_test.go)
	plain := openListTest(t)
	s, rec := recordingStore(t, plain.path)
	ctx := context.Background()
	var second string
	plain.db.QueryRow(`SELECT substr(w.word, 1, 3) FROM patient_name_words w JOIN referral_names n ON n.patient_id = w.patient_id
		ORDER BY n.referral_id LIMIT 1`).Scan(&second)
	if second == "" {
		t.Fatal("the demo has no referred patient whose names have a later word")
	}
	read := map[string]bool{"users": true, "referral_counts": true, "referral_month_counts": true, "referral_day_counts": true, "referral_names": true,
		"w": true, "matches": true, "counted": true} // the last two: a text filter's matches, read up to the limit (textMatches)
	for _, f := range []ReferralFilter{
		{Reason: "loneliness", From: "2020-01-01"},
		{Reason: "housing", From: "2021-02-14", To: "2024-07-09", Statuses: openStatusList()},
		{From: "2023-05-09", To: "2023-05-21"},
		{To: "2025-02-27", Statuses: []ReferralStatus{StatusClosed}},
		{Text: "smi"},
		{Text: second},
		{Text: "zzzz", Statuses: openStatusList()},
	} {
		rec.reset()
		if _, err := s.CountReferrals(ctx, s.sessionFor(OpViewReferralList), f); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StatusCounts(ctx, s.sessionFor(OpViewReferralList), f); err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, q := range rec.take() {
			for _, st := range plan(t, plain.db, q) {
				steps = append(steps, st.detail)
				verb, rest, _ := strings.Cut(st.detail, " ")
				table, _, _ := strings.Cut(rest, " ")
				if (verb == "SCAN" || verb == "SEARCH") && !strings.HasPrefix(table, "(") && !read[table] {
					t.Errorf("%+v: the counts read %s:\n%s\n%s", f, table, q.sql, planText(plan(t, plain.db, q)))
				}
			}
		}
		if f.Text == second && !slices.ContainsFunc(steps, func(d string) bool {
			return strings.HasPrefix(d, "SEARCH w USING PRIMARY KEY (word>? AND word<?)")
		}) {
			t.Errorf("%q: the name's later word is not found through patient_name_words:\n%s", second, strings.Join(steps, "\n"))
		}
	}

	var worker int64
	plain.db.QueryRow(`SELECT link_worker_id FROM referrals WHERE link_worker_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&worker)
	rec.reset()
	if _, err := s.ReferralsWithDNAs(ctx, s.sessionFor(OpViewReferralList), worker, 2); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range rec.take() {
		for _, st := range plan(t, plain.db, q) {
			found = found || strings.Contains(st.detail, "COVERING INDEX appointments_dna")
			if strings.HasPrefix(st.detail, "SEARCH a ") && !strings.Contains(st.detail, "COVERING INDEX appointments_dna") {
				t.Errorf("the DNA warning reads appointments: %s", st.detail)
			}
		}
	}
	if !found {
		t.Error("the DNA warning does not count from appointments_dna")
	}
}

// TestWaitingSortWalksIndexOnPostgres checks, on PostgreSQL, that the
// referrals list by days waiting reads the ended waits from their index in
// the list's order and stops at the page, instead of working out every
// referral's wait and sorting them (what a UNION ALL of plain queries, or
// a sort key that is not the index's expression, makes of it: 120 ms on
// the benchmark's 7,500 referrals). The test's table is small enough for
// a whole read to be the cheaper plan, so plain and bitmap scans are
// turned off: what is left shows whether the index can give the order.
func TestWaitingSortWalksIndexOnPostgres(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("about PostgreSQL's planner (SQLite's plans: TestListScreensUseIndexes)")
	}
	s := openListTest(t)
	ctx := context.Background()
	var worker int64
	s.db.QueryRow(`SELECT link_worker_id FROM referrals WHERE link_worker_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&worker)
	today := demoTestToday.Format(DateLayout)
	for _, c := range []struct {
		f     ReferralFilter
		index string
	}{
		{ReferralFilter{}, "referrals_waited"},
		{ReferralFilter{LinkWorkerID: worker, Statuses: openStatusList()}, "referrals_open_waited"},
	} {
		for _, desc := range []bool{false, true} {
			sort := ReferralSort{Column: SortWaiting, Desc: desc}
			groups, err := s.walk(ctx, c.f, c.f.terms(false), sort, today, 40)
			if err != nil || len(groups) != 1 {
				t.Fatalf("%+v: %d groups, %v", c.f, len(groups), err)
			}
			g := groups[0]
			if !pgPlan(t, s, query{g.sql + ` LIMIT ? OFFSET ?`, append(slices.Clone(g.args), 40, 0)}).walks(c.index, false) {
				t.Errorf("%+v %+v: the ended waits are not walked in order from %s:\n%s", c.f, sort, c.index, g.sql)
			}
		}
	}
}

// pgPlan is PostgreSQL's plan of q with plain and bitmap scans turned
// off: what is left shows whether an index can give the order.
func pgPlan(t *testing.T, s *Store, q query) pgPlanNode {
	t.Helper()
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var out string
	_, err = tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`)
	if err == nil {
		err = tx.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+q.sql, q.args...).Scan(&out)
	}
	if err != nil {
		t.Fatal(err)
	}
	var plans []struct{ Plan pgPlanNode }
	if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("EXPLAIN: %v\n%s", err, out)
	}
	return plans[0].Plan
}

// pgPlanNode is one node of PostgreSQL's EXPLAIN (FORMAT JSON).
type pgPlanNode struct {
	NodeType  string       `json:"Node Type"`
	IndexName string       `json:"Index Name"`
	Plans     []pgPlanNode `json:"Plans"`
}

// walks reports whether the plan reads the index with an index scan that
// no Sort stands above (sorted: a Sort is above this node).
func (n pgPlanNode) walks(index string, sorted bool) bool {
	if (n.NodeType == "Index Scan" || n.NodeType == "Index Only Scan") && n.IndexName == index {
		return !sorted
	}
	sorted = sorted || n.NodeType == "Sort" || n.NodeType == "Incremental Sort"
	for _, p := range n.Plans {
		if p.walks(index, sorted) {
			return true
		}
	}
	return false
}
