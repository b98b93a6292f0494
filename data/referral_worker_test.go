package data

import (
	"context"
	"testing"
)

// A booking follows the referral: ReferralWorker names the link worker of
// the patient's open referral, follows a reassignment, and names no one
// once the referral has ended or when it has no link worker.
func TestReferralWorkerFollowsTheOpenReferral(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	book := f.s.sessionFor(OpBook)
	worker := func(want User, when string) {
		t.Helper()
		got, err := f.s.ReferralWorker(ctx, book, f.patient.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != want.ID || got.FullName != want.FullName {
			t.Errorf("%s: ReferralWorker = %d %q, want %d %q", when, got.ID, got.FullName, want.ID, want.FullName)
		}
	}
	worker(User{}, "no referral")
	r := f.referral(t, f.patient.ID)
	worker(User{ID: f.worker.ID, FullName: "Amira Khan"}, "referred to Amira")
	if err := f.s.Reassign(ctx, f.s.sessionFor(OpMoveReferral), r.ID, f.worker2.ID, "Caseload balance"); err != nil {
		t.Fatal(err)
	}
	worker(User{ID: f.worker2.ID, FullName: "Tom Fletcher"}, "reassigned to Tom")
	if err := f.s.Reassign(ctx, f.s.sessionFor(OpMoveReferral), r.ID, 0, "back to the pool"); err != nil {
		t.Fatal(err)
	}
	worker(User{}, "no link worker")
	if err := f.s.Reassign(ctx, f.s.sessionFor(OpMoveReferral), r.ID, f.worker2.ID, "taken"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusUnableToContact, "Three calls, no answer", ""); err != nil {
		t.Fatal(err)
	}
	worker(User{}, "referral ended")
	// Another patient's referral is not this one's.
	other, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), Patient{GivenName: "Grace", FamilyName: "Okafor", DateOfBirth: "01/03/1950", Phone: "07700 900124"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f.referral(t, other.ID)
	worker(User{}, "another patient referred")
}
