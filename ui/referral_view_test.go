package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// The finding: a receptionist opened Referrals → a case record, read the
// link worker's notes and closed an active referral from there. Now she
// sees what booking needs, and the store refuses the rest.
func TestReceptionSeesOnlyWhatBookingNeeds(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson")
	ctx := context.Background()
	worker := sessionFor(t, rw.store, data.OpWriteCaseNotes)
	r, err := rw.store.CreateReferral(ctx, worker, data.Referral{PatientID: rw.patients[0].ID, Source: "gp", ReferrerName: "Dr Who",
		Reasons: []string{"money_debt"}, WhatMatters: "Keeping the flat after the bereavement", ConsentBy: "Patient", ConsentOn: "2026-11-01",
		LinkWorkerID: worker.User().ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rw.store.AddContact(ctx, worker, data.Contact{ReferralID: r.ID, Kind: "phone", Minutes: 20,
		Text: "Talked about the overdraft and her low mood"}); err != nil {
		t.Fatal(err)
	}

	rita := signInAs(t, rw.store, "rita")
	rw.a.SignedIn(rita)
	if _, ok := rw.a.navItems["New referral"]; ok {
		t.Error("reception is offered New referral")
	}
	rw.a.Show("Referrals")
	if rw.a.referrals.open.Text != "Open referral" {
		t.Errorf("the open button says %q", rw.a.referrals.open.Text)
	}
	rw.a.OpenCase(r.ID)
	if rw.a.caseRecord != nil || rw.a.referralView == nil || rw.a.Current() != "Referral" {
		t.Fatalf("reception opened %q (case record %v)", rw.a.Current(), rw.a.caseRecord != nil)
	}
	text := rw.a.referralView.Text()
	for _, want := range []string{"Mary Wilson", "07700 900123", worker.User().FullName, "Next appointment", "none booked"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q is not shown:\n%s", want, text)
		}
	}
	for _, secret := range []string{"overdraft", "low mood", "Keeping the flat", "Money or debt", "Close", "Goals", "Wellbeing"} {
		if strings.Contains(text, secret) {
			t.Errorf("reception sees %q:\n%s", secret, text)
		}
	}
	for _, o := range test.LaidOutObjects(rw.a.referralView.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text != "Back to referrals" && b.Text != "Diary" {
			t.Errorf("reception is offered %q", b.Text)
		}
	}
	// The store refuses her whatever a screen might do.
	if _, err := rw.store.CaseRecord(ctx, rita, r.ID); !errors.Is(err, data.ErrNotAllowed) {
		t.Errorf("CaseRecord as reception: %v", err)
	}
	if _, err := rw.store.Move(ctx, rita, r.ID, data.StatusClosed, "", "goals_met"); !errors.Is(err, data.ErrNotAllowed) {
		t.Errorf("Move as reception: %v", err)
	}
	if got, _ := rw.store.Referral(ctx, rita, r.ID); got.WhatMatters != "" || len(got.Reasons) != 0 {
		t.Errorf("Referral as reception: %+v", got)
	}
}

// Switching an account off ends its session at its next action: the app
// goes back to sign-in and says why.
func TestSwitchedOffAccountReturnsToSignIn(t *testing.T) {
	rw := newReferralWorld(t, "Mary Wilson")
	rita := signInAs(t, rw.store, "rita")
	rw.a.SignedIn(rita)
	admin := signInAs(t, rw.store, "admin")
	if err := rw.store.SetUserActive(context.Background(), admin, rita.User().ID, false); err != nil {
		t.Fatal(err)
	}
	rw.a.OpenCase(rw.refer(t, rw.patients[0], 1, "money_debt").ID)
	if rw.a.signIn == nil || rw.a.User().ID != 0 || !strings.Contains(rw.a.signIn.message.Text, "signed out") {
		t.Fatalf("after the account was switched off: user %q, sign-in %v", rw.a.User().Username, rw.a.signIn != nil)
	}
}
