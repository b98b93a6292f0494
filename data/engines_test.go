package data

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
)

// The store's tests run on both engines from one set of tests: first on
// SQLite, then (TestMain re-runs the test binary with
// LINKWELL_TEST_ENGINE=postgres) on the PostgreSQL server named by
// LINKWELL_TEST_PG, which `make test` starts (.ci/postgres). newStore
// gives each test a fresh database on the engine of the pass. A test that
// is about SQLite's file itself (the mark, WAL, integrity_check, backups
// of the file, damage) says so with sqliteOnly and is skipped in the
// PostgreSQL pass.

// testEngine is the engine of this pass.
var testEngine = engineSQLite

// testServerURL is the PostgreSQL server of the second pass.
var testServerURL = os.Getenv("LINKWELL_TEST_PG")

// testTemplate is the database that holds a fresh Linkwell schema; each
// test's database is a copy (CREATE DATABASE … TEMPLATE, a file copy).
var testTemplate string

// runEngines runs the tests on SQLite, then again on PostgreSQL.
func runEngines(m *testing.M) int {
	if os.Getenv("LINKWELL_TEST_ENGINE") == "postgres" {
		testEngine = enginePostgres
		if err := makeTestTemplate(); err != nil {
			fmt.Fprintln(os.Stderr, "PostgreSQL pass:", err)
			return 1
		}
		defer dropTestDatabase(testTemplate)
		return m.Run()
	}
	code := m.Run()
	if testServerURL == "" {
		if os.Getenv("CI") == "true" {
			// In CI a missing server is a failure, never a quiet skip.
			fmt.Fprintln(os.Stderr, "FAIL: LINKWELL_TEST_PG is not set, so the store was not tested on PostgreSQL (make test starts a server: .ci/postgres)")
			return 1
		}
		fmt.Fprintln(os.Stderr, "note: LINKWELL_TEST_PG is not set: the store was tested on SQLite only (make test starts a PostgreSQL server)")
		return code
	}
	fmt.Fprintln(os.Stderr, "=== the same tests on PostgreSQL")
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = append(os.Environ(), "LINKWELL_TEST_ENGINE=postgres")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL on PostgreSQL:", err)
		return 1
	}
	return code
}

// sqliteOnly skips a test in the PostgreSQL pass: it is about SQLite's
// file itself, which a server does not have.
func sqliteOnly(t testing.TB) {
	t.Helper()
	if testEngine != engineSQLite {
		t.Skip("about SQLite's file; not a PostgreSQL matter")
	}
}

// serverURL is testServerURL with another database.
func serverURL(database string) string {
	u, err := url.Parse(testServerURL)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + database
	return u.String()
}

// adminExec runs a statement on the server's test database (CREATE and
// DROP DATABASE cannot run in the database they are about).
func adminExec(query string) error {
	db, err := openPostgres(testServerURL)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(context.Background(), query)
	return err
}

func makeTestTemplate() error {
	if testServerURL == "" {
		return fmt.Errorf("LINKWELL_TEST_PG is not set")
	}
	testTemplate = fmt.Sprintf("lw_template_%d", os.Getpid())
	dropTestDatabase(testTemplate)
	if err := adminExec(`CREATE DATABASE ` + testTemplate); err != nil {
		return err
	}
	_, _, err := InitServer(context.Background(), serverURL(testTemplate))
	return err
}

func dropTestDatabase(name string) {
	adminExec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
}

var testDatabases atomic.Int64

// newServerStore opens a fresh copy of the template database.
func newServerStore(t testing.TB) *Store {
	t.Helper()
	name := fmt.Sprintf("lw_test_%d_%d", os.Getpid(), testDatabases.Add(1))
	if err := adminExec(`CREATE DATABASE ` + name + ` TEMPLATE ` + testTemplate); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropTestDatabase(name) })
	s, err := Open(serverURL(name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
