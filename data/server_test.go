package data

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
)

// The README's server set-up, as written: the database's owner (not a
// superuser) makes the schema with InitServer; the desks' login, given rows
// and nothing else, sets the practice up, books and keeps the audit, and
// cannot change a table.
func TestLeastPrivilegeDeskLogin(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("the server edition's logins")
	}
	ctx := context.Background()
	ownerURL, deskURL, ownerDB := ownerAndDesk(t)
	if _, after, err := InitServer(ctx, ownerURL); err != nil || after != SchemaVersion() {
		t.Fatalf("server init by the owner: %d %v", after, err)
	}
	grantDeskRights(t, ownerDB, deskURL)

	s, err := Open(deskURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if strings.Contains(s.Path(), "desk password") {
		t.Errorf("the password shows in %s", s.Path())
	}
	admin := setUpPractice(t, s)
	p, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{GivenName: "Siân", FamilyName: "Llewellyn", DateOfBirth: "01/03/1950", Phone: "07700 900123"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportServices(ctx, s.session(admin), benchServiceRows(20), nil); err != nil {
		t.Fatal(err)
	}
	if c, err := s.VerifyAudit(ctx); err != nil || !c.Intact() || c.Events < 3 {
		t.Errorf("audit: %+v %v (patient %d)", c, err, p.ID)
	}
	for _, q := range []string{`CREATE TABLE sneaky (a int)`, `DROP TRIGGER audit_no_delete ON audit_events`,
		`DELETE FROM audit_events`, `UPDATE linkwell_schema SET version = 99`} {
		if _, err := s.db.Exec(q); err == nil {
			t.Errorf("the desks' login could: %s", q)
		}
	}
}

// The server drops every connection (a restart, a network blip): the next
// save goes through on a new one.
func TestReconnectAfterTheServerDropsConnections(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("a server's connections")
	}
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	save := func(given string) error {
		_, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{GivenName: given, FamilyName: "Evans", DateOfBirth: "1960-01-01", Phone: "07700 900002"}, SaveOptions{AcceptSimilar: true})
		return err
	}
	if err := save("Before"); err != nil {
		t.Fatal(err)
	}
	var database string
	if err := s.db.QueryRow(`SELECT current_database()`).Scan(&database); err != nil {
		t.Fatal(err)
	}
	if err := adminExec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '` + database + `'`); err != nil {
		t.Fatal(err)
	}
	if err := save("After"); err != nil {
		t.Errorf("the first save after the server dropped the connections: %v", err)
	}
	if err := save("Later"); err != nil {
		t.Errorf("a later save: %v", err)
	}
}

// A desk neither checks a server's files nor backs the server up by itself:
// the server keeps its files whole, and a copy of the whole practice on
// every desk's disk is what the server edition must not leave behind.
func TestDesksLeaveTheServersFilesAndBackupsToTheServer(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("a server's files")
	}
	s := newStore(t)
	setUpPractice(t, s)
	if !s.IsServer() {
		t.Fatal("not a server store")
	}
	if err := s.CheckIntegrity(context.Background()); err != nil {
		t.Errorf("CheckIntegrity: %v", err)
	}
	dir := t.TempDir()
	if _, err := s.AutoBackup(context.Background(), dir, s.now()); err == nil {
		t.Error("a desk backed the server up by itself")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in the backup folder: %v", entries)
	}
}

// ownerAndDesk makes a database and its two logins as the README has them
// (the owner's may make tables, the desks' is given rows only), dropped
// when the test ends; ownerDB is connected as the owner.
func ownerAndDesk(t *testing.T) (ownerURL, deskURL string, ownerDB *sql.DB) {
	t.Helper()
	suffix := fmt.Sprint(os.Getpid())
	owner, desk, database := "lw_owner_"+suffix, "lw_desk_"+suffix, "lw_priv_"+suffix
	for _, q := range []string{
		`CREATE ROLE ` + owner + ` LOGIN PASSWORD 'owner password 1'`,
		`CREATE ROLE ` + desk + ` LOGIN PASSWORD 'desk password 1'`,
		`CREATE DATABASE ` + database + ` OWNER ` + owner + ` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`,
	} {
		if err := adminExec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		dropTestDatabase(database)
		adminExec(`DROP ROLE IF EXISTS ` + desk)
		adminExec(`DROP ROLE IF EXISTS ` + owner)
	})
	as := func(user, password string) string {
		u, _ := url.Parse(serverURL(database))
		q := u.Query()
		q.Set("user", user)
		q.Set("password", password)
		u.RawQuery = q.Encode()
		return u.String()
	}
	ownerDB, err := openPostgres(as(owner, "owner password 1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ownerDB.Close() })
	if _, err := ownerDB.Exec(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`); err != nil {
		t.Fatal(err)
	}
	return as(owner, "owner password 1"), as(desk, "desk password 1"), ownerDB
}

// grantDeskRights runs the README's GRANTs for the desks' login.
func grantDeskRights(t *testing.T, ownerDB *sql.DB, deskURL string) {
	t.Helper()
	u, _ := url.Parse(deskURL)
	desk := u.Query().Get("user")
	for _, q := range []string{
		`GRANT USAGE ON SCHEMA public TO ` + desk,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ` + desk,
		`REVOKE DELETE, TRUNCATE ON audit_events FROM ` + desk,
		`REVOKE INSERT, UPDATE, DELETE ON linkwell_schema FROM ` + desk,
	} {
		if _, err := ownerDB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// An update of the schema (README: "run linkwell server init again") gives
// the desks' login its rights on the tables it makes: migration 011 makes
// referral_name_starts afresh and adds a view, which a desk's every new
// referral and status move write through their triggers.
func TestServerUpdateKeepsTheDesksRights(t *testing.T) {
	if testEngine != enginePostgres {
		t.Skip("the server edition's logins")
	}
	ctx := context.Background()
	ownerURL, deskURL, ownerDB := ownerAndDesk(t)
	if _, after, err := initServerTo(ctx, ownerURL, 10); err != nil || after != 10 {
		t.Fatalf("an earlier Linkwell's schema: %d %v", after, err)
	}
	grantDeskRights(t, ownerDB, deskURL)
	if before, after, err := InitServer(ctx, ownerURL); err != nil || before != 10 || after != SchemaVersion() {
		t.Fatalf("server init again after the update: %d → %d, %v", before, after, err)
	}
	s, err := Open(deskURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	setUpPractice(t, s)
	p, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{GivenName: "Siân", FamilyName: "Llewellyn", DateOfBirth: "01/03/1950", Phone: "07700 900123"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateReferral(ctx, s.sessionFor(OpRefer), Referral{PatientID: p.ID, Source: "gp", ReferrerName: "Dr Sarah Whitfield",
		Reasons: []string{"loneliness"}, WhatMatters: "Getting out", ConsentBy: "Patient", ConsentOn: "01/11/2026"})
	if err != nil {
		t.Fatalf("a new referral from a desk after the update: %v", err)
	}
	if _, err := s.Move(ctx, s.sessionFor(OpMoveReferral), r.ID, StatusContacted, "", ""); err != nil {
		t.Fatalf("a status move from a desk after the update: %v", err)
	}
	rows, err := s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), ReferralFilter{Text: "llew"}, ReferralSort{Column: SortStatus}, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].Status != StatusContacted {
		t.Errorf("the referral by its name, by status: %v %v", rows, err)
	}
	u, _ := url.Parse(deskURL)
	var privileges int
	if err := ownerDB.QueryRow(`SELECT count(*) FROM information_schema.role_table_grants
		WHERE (table_name = 'audit_events' AND privilege_type IN ('DELETE', 'TRUNCATE')
			OR table_name = 'linkwell_schema' AND privilege_type IN ('INSERT', 'UPDATE', 'DELETE')) AND grantee = ?`,
		u.Query().Get("user")).Scan(&privileges); err != nil || privileges != 0 {
		t.Errorf("the update gave the desks %d rights the README takes away (%v)", privileges, err)
	}
}
