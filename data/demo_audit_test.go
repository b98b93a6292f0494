package data

import (
	"context"
	"testing"
	"time"
)

// The demo carries years of audit history, written as the app writes it:
// the chain verifies, the events run in time order, and every kind the
// Audit screen filters on is there, naming real records.
func TestDemoAuditHistory(t *testing.T) {
	s := openDemo(t, "demo.db", DemoOptions{Patients: 500, Years: 1, Today: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	ctx := context.Background()
	c, err := s.VerifyAudit(ctx)
	if err != nil || !c.Intact() {
		t.Fatalf("audit: %v %v", c, err)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events a JOIN audit_events b ON b.id = a.id + 1 WHERE b.at < a.at`); n != 0 {
		t.Errorf("%d events earlier than the one before", n)
	}
	for _, action := range []string{"sign_in", "sign_out", "sign_in_failed", "search", "view", "create", "move", "book", "print", "export", "backup"} {
		if n := queryCount(t, s, `SELECT count(*) FROM audit_events WHERE action = ?`, action); n == 0 {
			t.Errorf("no %q events", action)
		}
	}
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events WHERE action = 'view' AND entity = 'patient'
		AND entity_id NOT IN (SELECT id FROM patients)`); n != 0 {
		t.Errorf("%d openings of patients who do not exist", n)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events WHERE at > ?`, "2026-11-25T12:30:00Z"); n != 0 { // lunchtime on its today
		t.Errorf("%d events after the demo's today", n)
	}
	// The Audit screen's filters find them.
	pm := s.sessionFor(OpViewAudit)
	searches, err := s.AuditEvents(ctx, pm, AuditFilter{Action: "search"}, 0, 5)
	if err != nil || len(searches) != 5 || searches[0].Detail == "" || searches[0].UserName == "" {
		t.Errorf("searches: %+v %v", searches, err)
	}
}
