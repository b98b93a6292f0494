package ui

import (
	"context"
	"strings"
	"testing"

	"linkwell/data"
)

// Reception's view of a referral is live too: the case given to another
// link worker at another desk shows within a second, and the refresh is not
// another audited reading of the patient (issue 14).
func TestLiveReferralViewFollowsAReassignment(t *testing.T) {
	a, other, q, _ := liveWorldAs(t, "reception1")
	ctx := context.Background()
	rows, err := other.ListReferrals(ctx, sessionFor(t, other, data.OpViewReferralList),
		data.ReferralFilter{Statuses: []data.ReferralStatus{data.StatusAccepted, data.StatusActive}},
		data.ReferralSort{Column: data.SortReceived}, 0, 1)
	if err != nil || len(rows) == 0 {
		t.Fatalf("no open referral: %v", err)
	}
	r, err := other.Referral(ctx, sessionFor(t, other, data.OpViewReferralList), rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	workers, err := other.UsersWithRole(ctx, sessionFor(t, other, data.OpViewReferralList), data.RoleLinkWorker)
	if err != nil {
		t.Fatal(err)
	}
	var to data.User
	for _, w := range workers {
		if w.ID != r.LinkWorkerID && w.Active {
			to = w
		}
	}
	if to.ID == 0 {
		t.Fatal("no other link worker")
	}
	auditor := sessionFor(t, other, data.OpViewAudit)
	views := func() int {
		t.Helper()
		events, err := other.AuditEvents(ctx, auditor, data.AuditFilter{UserID: a.session.User().ID, Action: "view"}, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return len(events)
	}
	a.OpenCase(r.ID)
	q.drain()
	v := a.referralView
	if v == nil || strings.Contains(v.Text(), to.FullName) {
		t.Fatalf("reception's view before: %v", v)
	}
	opened := views()

	if err := other.Reassign(ctx, sessionFor(t, other, data.OpMoveReferral), r.ID, to.ID, "caseload balancing"); err != nil {
		t.Fatal(err)
	}
	q.waitFor(t, func() bool { return strings.Contains(v.Text(), to.FullName) })
	if n := views(); n != opened {
		t.Errorf("the refresh was recorded as %d more readings", n-opened)
	}
}
