package data

// The demo practice: a made-up practice with years of history, for trying
// Linkwell out and for tests. This file holds the options, the sign-ins and
// CreateDemo; the generator is in the demo_*.go files beside it.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
