package data

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRebindForPostgres(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?', "?x", b FROM t WHERE c = ? -- why?
			/* what? */ AND d = ?`, `SELECT '?', "?x", b FROM t WHERE c = $1 -- why?
			/* what? */ AND d = $2`},
		{`SELECT 'it''s ?' WHERE a = ?`, `SELECT 'it''s ?' WHERE a = $1`},
		{`SELECT x FROM temp.service_import WHERE template = ?`, `SELECT x FROM pg_temp.service_import WHERE template = $1`},
		{`SELECT x WHERE a < ?1 AND b <= ?2 OR c >= ?1`, `SELECT x WHERE a < $1 AND b <= $2 OR c >= $1`},
		{`SELECT r.id FROM referrals r INDEXED BY referrals_received ORDER BY r.id`, `SELECT r.id FROM referrals r  ORDER BY r.id`},
		{`SELECT r.id FROM referrals r NOT INDEXED WHERE r.status NOT IN (?) ORDER BY r.id`, `SELECT r.id FROM referrals r  WHERE r.status NOT IN ($1) ORDER BY r.id`},
		{`SELECT r.id FROM r WHERE +r.status IN (?) AND +r.source = ? GROUP BY +r.status ORDER BY a+b, c + d, 1+2`, `SELECT r.id FROM r WHERE r.status IN ($1) AND r.source = $2 GROUP BY r.status ORDER BY a+b, c + d, 1+2`},
		{`FROM referral_reasons rr CROSS JOIN referrals r INDEXED BY referrals_narrow ON r.id = rr.referral_id`,
			`FROM referral_reasons rr  JOIN referrals r  ON r.id = rr.referral_id`},
		{`SELECT 1 FROM a CROSS JOIN b WHERE x`, `SELECT 1 FROM a CROSS JOIN b WHERE x`},
		{`SELECT count(*) FROM (SELECT 1 FROM t LIMIT ?)`, `SELECT count(*) FROM (SELECT 1 FROM t LIMIT $1) AS subquery`},
		{`SELECT n FROM (SELECT 1 AS n) AS named`, `SELECT n FROM (SELECT 1 AS n) AS named`},
		{`SELECT n FROM (SELECT 1 AS n) x WHERE n = ?`, `SELECT n FROM (SELECT 1 AS n) x WHERE n = $1`},
		{`WHERE (a, b) IS DISTINCT FROM (c, d)`, `WHERE (a, b) IS DISTINCT FROM (c, d)`},
		{`CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 WHERE '?' = '?' $$`, `CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 WHERE '?' = '?' $$`},
		{`PRAGMA data_version`, `SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint`},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// No SQL in the store puts a ? inside a string literal, where rebind would
// rightly leave it and the query would lose a parameter.
func TestNoPlaceholderInsideAStringLiteral(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	literal := regexp.MustCompile("`[^`]*`")
	statement := regexp.MustCompile(`(?i)\b(SELECT|INSERT|UPDATE|DELETE)\b`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range literal.FindAllString(string(src), -1) {
			// rebind leaves a ? only where it is not a placeholder.
			if statement.MatchString(q) && strings.Contains(rebind(q), "?") {
				t.Errorf("%s: a ? that is not a placeholder in %s", f, q)
			}
		}
	}
}

func TestInsertTableForLastInsertID(t *testing.T) {
	for in, want := range map[string]string{
		"INSERT INTO patients (a) VALUES ($1)":                                              "patients",
		"\n\t\tINSERT INTO pg_temp.service_import (pos) VALUES ($1)":                        "pg_temp.service_import",
		"INSERT INTO audit_head (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET last_id = 2": "",
		"INSERT INTO t (a) VALUES (1) RETURNING id":                                         "",
		"UPDATE t SET a = 1": "",
	} {
		if got := insertTable(in); got != want {
			t.Errorf("insertTable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://desk:s3cret@db.practice.local:5432/linkwell?sslmode=verify-full": "postgres://desk:xxxxx@db.practice.local:5432/linkwell?sslmode=verify-full",
		"postgresql://desk@db/linkwell?password=s3cret&sslmode=require":              "postgresql://desk@db/linkwell?password=xxxxx&sslmode=require",
		"C:\\Linkwell\\practice.db": "C:\\Linkwell\\practice.db",
	} {
		got := RedactURL(in)
		if got != want || strings.Contains(got, "s3cret") {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
