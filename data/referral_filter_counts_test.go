package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// The tables the triggers keep for the referrals list's filters
// (migration 005, on each engine) stay exactly what a recount gives,
// whatever is inserted, changed or deleted: referrals' status, date and
// patient, their reasons, patients' names.
func TestReferralFilterCountsStayExact(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if _, err := s.CreateDemo(ctx, DemoOptions{Patients: 2000, Years: 1, Seed: 5, Today: demoTestToday}); err != nil {
		t.Fatal(err)
	}
	dump := func(q string) string {
		t.Helper()
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		var b strings.Builder
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range values {
				if by, ok := v.([]byte); ok {
					v = string(by)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	const counted = `SELECT '' AS reason, received_on, status FROM referrals
		UNION ALL SELECT rr.reason, r.received_on, r.status FROM referral_reasons rr JOIN referrals r ON r.id = rr.referral_id`
	checks := []struct{ name, kept, recount string }{
		{"referral_month_counts",
			`SELECT reason, month, status, n FROM referral_month_counts WHERE n <> 0 ORDER BY 1, 2, 3`,
			`SELECT reason, substr(received_on, 1, 7), status, count(*) FROM (` + counted + `) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`},
		{"referral_day_counts",
			`SELECT reason, day, status, n FROM referral_day_counts WHERE n <> 0 ORDER BY 1, 2, 3`,
			`SELECT reason, received_on, status, count(*) FROM (` + counted + `) x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`},
		{"referral_names",
			`SELECT referral_id, patient_id, status, given_key, family_key FROM referral_names ORDER BY 1`,
			`SELECT r.id, r.patient_id, r.status, p.given_key, p.family_key FROM referrals r JOIN patients p ON p.id = r.patient_id ORDER BY 1`},
	}
	check := func(step string) {
		t.Helper()
		for _, c := range checks {
			kept, recount := dump(c.kept), dump(c.recount)
			if kept != recount {
				t.Errorf("after %s, %s:\n kept %q\nwant %q", step, c.name, kept, recount)
			}
			if recount == "" {
				t.Errorf("after %s, %s is empty", step, c.name)
			}
		}
		if n := queryCount(t, s, `SELECT count(*) FROM referral_month_counts WHERE n < 0`) +
			queryCount(t, s, `SELECT count(*) FROM referral_day_counts WHERE n < 0`); n != 0 {
			t.Errorf("after %s, %d counts below 0", step, n)
		}
	}
	t.Logf("%d referrals, ids %d to %d", queryCount(t, s, `SELECT count(*) FROM referrals`), queryCount(t, s, `SELECT min(id) FROM referrals`), queryCount(t, s, `SELECT max(id) FROM referrals`))
	check("the demo")
	var keep []string
	cols, err := columnsOf(ctx, s.db, "referrals")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c != "id" {
			keep = append(keep, c)
		}
	}
	copied := strings.Join(keep, ", ")
	last := fmt.Sprint(queryCount(t, s, `SELECT max(id) FROM referrals`))
	steps := []struct{ name, sql string }{
		{"referrals moved to another day", `UPDATE referrals SET received_on = '2025-01-15' WHERE id % 4 = 0`},
		{"a status changed", `UPDATE referrals SET status = 'declined' WHERE status IN ('received', 'contacted', 'accepted', 'active') AND id % 2 = 1`},
		{"a status and a day changed at once", `UPDATE referrals SET status = 'contacted', received_on = '2025-02-03' WHERE status = 'declined' AND id % 3 = 0`},
		{"a reason changed", `UPDATE referral_reasons SET reason = 'other' WHERE reason = 'loneliness'
			AND referral_id NOT IN (SELECT referral_id FROM referral_reasons WHERE reason = 'other')`},
		{"a reason taken off", `DELETE FROM referral_reasons WHERE reason = 'money_debt'`},
		{"a reason added", `INSERT INTO referral_reasons (referral_id, reason) SELECT id, 'bereavement' FROM referrals
			WHERE id % 3 = 0 AND id NOT IN (SELECT referral_id FROM referral_reasons WHERE reason = 'bereavement')`},
		{"patients renamed", `UPDATE patients SET family_key = 'zed ' || family_key WHERE id % 2 = 0`},
		{"a referral moved to another patient", `UPDATE referrals SET patient_id = (SELECT max(id) FROM patients)
			WHERE id = (SELECT min(id) FROM referrals WHERE status IN ('closed', 'declined'))`},
		{"referrals inserted", `INSERT INTO referrals (` + copied + `) SELECT ` + copied + ` FROM referrals
			WHERE status IN ('closed', 'declined')`},
		{"their reasons inserted", `INSERT INTO referral_reasons (referral_id, reason) SELECT id, 'housing' FROM referrals WHERE id > ` + last},
		{"referrals deleted", `DELETE FROM referrals WHERE id > ` + last + ` AND id % 2 = 0`},
	}
	for _, step := range steps {
		res, err := s.db.Exec(step.sql)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Errorf("%s: no rows", step.name)
		}
		check(step.name)
	}
}
