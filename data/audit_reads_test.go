package data

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lastEvent is the newest audit event.
func lastEvent(t *testing.T, s *Store) AuditEvent {
	t.Helper()
	got, err := s.auditEvents(context.Background(), AuditFilter{}, 0, 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("newest event: %v %v", got, err)
	}
	return got[0]
}

func wantEvent(t *testing.T, e AuditEvent, who User, action, entity string, id int64, detail string) {
	t.Helper()
	if e.UserID != who.ID || e.Action != action || e.Entity != entity || e.EntityID != id || !strings.Contains(e.Detail, detail) {
		t.Errorf("event %+v, want %s by %s on %s %d with %q", e, action, who.FullName, entity, id, detail)
	}
}

func intact(t *testing.T, s *Store) {
	t.Helper()
	c, err := s.VerifyAudit(context.Background())
	if err != nil || !c.Intact() {
		t.Errorf("audit: %v %v", c, err)
	}
}

func TestReadsAreAudited(t *testing.T) {
	f := newRxFixture(t)
	s, ctx := f.s, context.Background()
	as := func(u User) *Session { return s.session(u) }

	if _, err := s.Patient(ctx, as(f.recep), f.p2.ID); err != nil {
		t.Fatal(err)
	}
	e := lastEvent(t, s)
	wantEvent(t, e, f.recep, "view", "patient", f.p2.ID, "")
	if e.Record != "Patient "+itoa(f.p2.ID)+": Łukasz Nowak" || e.UserName != "Rita Reception" {
		t.Errorf("the event names %q by %q", e.Record, e.UserName)
	}

	before := queryCount(t, s, `SELECT count(*) FROM audit_events`)
	c, err := s.CaseRecord(ctx, as(f.w1), f.referral.ID)
	if err != nil || c.Patient.ID != f.p1.ID {
		t.Fatal(c.Patient, err)
	}
	// One event for the case record, not one per part of it.
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events`); n != before+1 {
		t.Errorf("%d events for one case record", n-before)
	}
	wantEvent(t, lastEvent(t, s), f.w1, "view", "referral", f.referral.ID, "case record")

	if _, err := s.SearchPatients(ctx, as(f.recep), "  nowak ", 20); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, lastEvent(t, s), f.recep, "search", "patient", 0, "nowak")
	if e := lastEvent(t, s); e.Detail != "nowak" {
		t.Errorf("search detail %q: the query, nothing else", e.Detail)
	}
	// An empty search searches nothing and records nothing.
	n := queryCount(t, s, `SELECT count(*) FROM audit_events`)
	s.SearchPatients(ctx, as(f.recep), "   ", 20)
	if queryCount(t, s, `SELECT count(*) FROM audit_events`) != n {
		t.Error("an empty search was recorded")
	}

	// The referrals list's filter box searches patients too: recorded once
	// with its first page, not again for the pages after it.
	if _, err := s.ListReferrals(ctx, as(f.manager), ReferralFilter{Text: " nowak"}, ReferralSort{}, 0, 20); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, lastEvent(t, s), f.manager, "search", "referral", 0, "nowak")
	n = queryCount(t, s, `SELECT count(*) FROM audit_events`)
	s.ListReferrals(ctx, as(f.manager), ReferralFilter{Text: "nowak"}, ReferralSort{}, 20, 20)
	s.ListReferrals(ctx, as(f.manager), ReferralFilter{}, ReferralSort{}, 0, 20)
	if queryCount(t, s, `SELECT count(*) FROM audit_events`) != n {
		t.Error("a later page, or the list with no search, was recorded as a search")
	}

	dir := t.TempDir()
	if _, err := s.ExportReferralsFile(ctx, as(f.manager), "2026-01-01", "", filepath.Join(dir, "r.csv")); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, lastEvent(t, s), f.manager, "export", "referral", 0, "1 referrals from 2026-01-01 to "+filepath.Join(dir, "r.csv"))
	if _, err := s.ExportDiaryFile(ctx, as(f.manager), f.w1, ukTime(t, "30/11/2026 00:00"), ukTime(t, "06/12/2026 00:00"), true, filepath.Join(dir, "d.ics")); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, lastEvent(t, s), f.manager, "export", "appointment", 0, "diary of Amira Khan")
	if _, err := s.ExportServicesFile(ctx, as(f.recep), filepath.Join(dir, "s.csv")); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, lastEvent(t, s), f.recep, "export", "service", 0, "3 services")

	appt := f.mustBook(t, f.w1, f.p1, "30/11/2026 09:00")
	if err := s.RecordCardPrint(ctx, as(f.recep), appt.ID, true); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, lastEvent(t, s), f.recep, "print", "appointment", appt.ID, "large print")

	if _, err := s.Backup(ctx, s.session(f.admin), filepath.Join(dir, "b.db")); err != nil {
		t.Fatal(err)
	}
	wantEvent(t, lastEvent(t, s), f.admin, "backup", "database", 0, filepath.Join(dir, "b.db"))
	if testEngine == engineSQLite { // a server desk makes no automatic backups
		if _, err := s.AutoBackup(ctx, filepath.Join(dir, "auto"), time.Now()); err != nil {
			t.Fatal(err)
		}
		wantEvent(t, lastEvent(t, s), User{}, "backup", "database", 0, "automatic backup")
	}

	intact(t, s)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A read-only store cannot record a read, so it refuses patient data; it
// still backs up (the rescue path) and exports the directory.
func TestReadOnlyStoreRefusesUnrecordedReads(t *testing.T) {
	f := newRxFixture(t)
	path := f.s.Path()
	f.s.Close()
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	ctx := context.Background()
	dir := t.TempDir()
	sess := ro.session(f.manager)
	if _, err := ro.Patient(ctx, sess, f.p1.ID); !errors.Is(err, ErrNotAudited) || !errors.Is(err, ErrReadOnly) {
		t.Errorf("patient from a read-only store: %v", err)
	}
	if _, err := ro.CaseRecord(ctx, sess, f.referral.ID); !errors.Is(err, ErrNotAudited) {
		t.Errorf("case record from a read-only store: %v", err)
	}
	if _, err := ro.SearchPatients(ctx, sess, "nowak", 10); !errors.Is(err, ErrNotAudited) {
		t.Errorf("search of a read-only store: %v", err)
	}
	if _, err := ro.ExportReferralsFile(ctx, sess, "", "", filepath.Join(dir, "r.csv")); !errors.Is(err, ErrNotAudited) {
		t.Errorf("export from a read-only store: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "r.csv")); err == nil {
		t.Error("the refused export left a file")
	}
	if _, err := ro.ExportServicesFile(ctx, sess, filepath.Join(dir, "s.csv")); err != nil {
		t.Errorf("directory export from a read-only store: %v", err)
	}
	if _, err := ro.Backup(ctx, ro.session(f.admin), filepath.Join(dir, "b.db")); err != nil {
		t.Errorf("backup from a read-only store: %v", err)
	}
}

// Another desk holding the write lock for a moment delays a read, it does
// not fail it; held past the retries, the record is not shown.
func TestReadWaitsForABusyDatabase(t *testing.T) {
	f := newRxFixture(t)
	desk := impatientStore(t, f.s, 2*time.Second)
	ctx := context.Background()
	release := holdWriteLock(t, f.s)
	go func() { time.Sleep(300 * time.Millisecond); release() }()
	if _, err := desk.CaseRecord(ctx, desk.session(f.w1), f.referral.ID); err != nil {
		t.Fatalf("case record while another desk wrote for a moment: %v", err)
	}

	desk = impatientStore(t, f.s, 200*time.Millisecond)
	release = holdWriteLock(t, f.s)
	defer release()
	_, err := desk.CaseRecord(ctx, desk.session(f.w1), f.referral.ID)
	if !errors.Is(err, ErrNotAudited) || !errors.Is(err, ErrBusy) {
		t.Errorf("case record that could not be recorded: %v", err)
	}
}

func TestAuditEventsFilterAndExport(t *testing.T) {
	f := newRxFixture(t)
	s, ctx := f.s, context.Background()
	for _, p := range []Patient{f.p1, f.p2, f.p3} {
		s.Patient(ctx, s.session(f.recep), p.ID)
	}
	s.SearchPatients(ctx, s.session(f.w1), "okafor", 10)
	s.CaseRecord(ctx, s.session(f.w1), f.referral.ID)
	pm := s.session(f.manager)

	all, err := s.AuditEvents(ctx, pm, AuditFilter{}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Fatal("not newest first")
		}
	}
	byRecep, _ := s.AuditEvents(ctx, pm, AuditFilter{UserID: f.recep.ID}, 0, 1000)
	if len(byRecep) != 3 {
		t.Errorf("%d events by reception, want 3: %+v", len(byRecep), byRecep)
	}
	searches, _ := s.AuditEvents(ctx, pm, AuditFilter{Action: "search"}, 0, 1000)
	if len(searches) != 1 || searches[0].Detail != "okafor" {
		t.Errorf("searches: %+v", searches)
	}
	// Patient 1: made, opened, referred, case record opened.
	forP1, _ := s.AuditEvents(ctx, pm, AuditFilter{PatientID: f.p1.ID}, 0, 1000)
	kinds := map[string]bool{}
	for _, e := range forP1 {
		kinds[e.Action+" "+e.Entity] = true
	}
	for _, want := range []string{"create patient", "view patient", "create referral", "view referral"} {
		if !kinds[want] {
			t.Errorf("patient 1's events lack %q: %v", want, kinds)
		}
	}
	today := s.Now().Format(DateLayout)
	if got, _ := s.AuditEvents(ctx, pm, AuditFilter{From: today, To: today}, 0, 1000); len(got) != len(all) {
		t.Errorf("today: %d of %d", len(got), len(all))
	}
	if got, _ := s.AuditEvents(ctx, pm, AuditFilter{To: "2000-01-01"}, 0, 1000); len(got) != 0 {
		t.Errorf("before 2000: %d", len(got))
	}
	if got, _ := s.AuditEvents(ctx, pm, AuditFilter{From: "2999-01-01"}, 0, 1000); len(got) != 0 {
		t.Errorf("after 2999: %d", len(got))
	}
	// Pages follow on.
	page1, _ := s.AuditEvents(ctx, pm, AuditFilter{}, 0, 4)
	page2, _ := s.AuditEvents(ctx, pm, AuditFilter{}, page1[3].ID, 4)
	if len(page2) == 0 || page2[0].ID != all[4].ID {
		t.Errorf("the second page starts at %v, want %d", page2, all[4].ID)
	}

	out := filepath.Join(t.TempDir(), "audit.csv")
	n, err := s.ExportAuditFile(ctx, pm, AuditFilter{UserID: f.recep.ID}, out)
	if err != nil || n != 3 {
		t.Fatal(n, err)
	}
	raw, _ := os.ReadFile(out)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 4 || rows[1][2] != "Rita Reception" || rows[1][3] != "Opened a record" {
		t.Errorf("csv %v %v", rows, err)
	}
	wantEvent(t, lastEvent(t, s), f.manager, "export", "audit", 0, "3 events (user")
	if _, err := s.AuditEvents(ctx, s.session(f.admin), AuditFilter{}, 0, 10); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("the administrator read the audit: %v", err)
	}
	intact(t, s)
}

// A case record open on screen is read again when another desk changes it
// (ui/live.go) without another "view" event: only opening it is a read.
// A refresh of a record the user has not opened since signing in is
// refused, so it cannot be used to read one unrecorded.
func TestRefreshingACaseRecordIsNotAnotherRead(t *testing.T) {
	f := newRxFixture(t)
	s, ctx := f.s, context.Background()
	sess, err := s.SignIn(ctx, f.w1.Username, "a long password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshCaseRecord(ctx, sess, f.referral.ID); !errors.Is(err, ErrNotAudited) {
		t.Fatalf("refreshed a record never opened: %v", err)
	}
	if _, err := s.CaseRecord(ctx, sess, f.referral.ID); err != nil {
		t.Fatal(err)
	}
	before := queryCount(t, s, `SELECT count(*) FROM audit_events`)
	for range 3 {
		c, err := s.RefreshCaseRecord(ctx, sess, f.referral.ID)
		if err != nil || c.Referral.ID != f.referral.ID || c.Patient.ID != f.p1.ID {
			t.Fatalf("refresh: %+v %v", c.Referral, err)
		}
	}
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events`); n != before {
		t.Errorf("three refreshes wrote %d audit events", n-before)
	}
	// The GP has not opened it: their refresh is refused.
	if _, err := s.RefreshCaseRecord(ctx, s.session(f.gp), f.referral.ID); !errors.Is(err, ErrNotAudited) {
		t.Errorf("refreshed by someone who never opened it: %v", err)
	}
	// A new sign-in (tomorrow, another desk) needs a new opening.
	again, err := s.SignIn(ctx, f.w1.Username, "a long password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshCaseRecord(ctx, again, f.referral.ID); !errors.Is(err, ErrNotAudited) {
		t.Errorf("refreshed after signing in again without opening it: %v", err)
	}
	intact(t, s)
}
