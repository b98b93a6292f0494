package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// rxFixture is the diary fixture plus a GP, a referral for p1 and three
// services (one of them paused).
type rxFixture struct {
	diaryFixture
	gp                    User
	referral              Referral
	walking, debt, paused int64
}

func newRxFixture(t *testing.T) rxFixture {
	t.Helper()
	ctx := context.Background()
	f := rxFixture{diaryFixture: newDiaryFixture(t)}
	var err error
	if f.gp, err = f.s.CreateUser(ctx, f.s.session(f.admin), NewUser{Username: "gp", FullName: "Dr Nia Roberts", Role: RoleGP, Password: "a long password"}); err != nil {
		t.Fatal(err)
	}
	if f.referral, err = f.s.CreateReferral(ctx, f.s.session(f.gp), Referral{PatientID: f.p1.ID, Source: "gp", ReferrerName: "Dr Nia Roberts",
		Reasons: []string{"loneliness"}, ConsentBy: "the patient", ConsentOn: "25/11/2026", LinkWorkerID: f.w1.ID}); err != nil {
		t.Fatal(err)
	}
	service := func(name, status string) int64 {
		res, err := f.s.db.Exec(`INSERT INTO services (name, organisation, address, postcode, phone, email, website, schedule, cost,
			is_free, access, status, created_at, updated_at) VALUES (?, 'Calder Valley Trust', '3 Canal Street, Calderbridge', 'HX1 2CD',
			'01422 111222', 'hello@example.org', 'https://example.org/walks', 'Tuesdays 10:00–12:00', '', 1, 'drop_in', ?, ?, ?)`,
			name, status, f.s.stamp(), f.s.stamp())
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	f.walking, f.debt, f.paused = service("Canal Walking Group", "active"), service("Money Matters Advice", "active"), service("Knit and Natter", "paused")
	return f
}

func TestIssuePrescriptionStoresItemsAndContent(t *testing.T) {
	f := newRxFixture(t)
	ctx := context.Background()
	next := f.mustBook(t, f.w1, f.p1, "30/11/2026 09:00")
	p, err := f.s.IssuePrescription(ctx, f.s.session(f.gp), NewPrescription{PatientID: f.p1.ID, ReferralID: f.referral.ID, NextAppointmentID: next.ID,
		Items: []NewPrescriptionItem{{ServiceID: f.walking, Note: "  Ask for Jane; bus 24 stops outside "}, {ServiceID: f.debt, Note: "Take your letters"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.Prescription(ctx, f.s.sessionFor(OpViewPrescription), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.PatientID != f.p1.ID || got.ReferralID != f.referral.ID || got.PrescriberID != f.gp.ID || got.PrescriberName != "Dr Nia Roberts" ||
		got.NextAppointmentID != next.ID || got.LargePrint || !got.IssuedAt.Equal(f.s.now()) {
		t.Errorf("prescription = %+v", got)
	}
	if len(got.Items) != 2 || got.Items[0].ServiceID != f.walking || got.Items[0].Note != "Ask for Jane; bus 24 stops outside" ||
		got.Items[0].Service.Name != "Canal Walking Group" || got.Items[1].Note != "Take your letters" || got.Items[1].Service.Phone != "01422 111222" {
		t.Errorf("items = %+v", got.Items)
	}
	c := got.Content
	if c.Practice.Name != "Riverside Medical Practice" || c.Practice.Phone == "" || c.Patient.FullName != "Siân Llewellyn" ||
		c.Patient.DateOfBirth != "1950-03-01" || c.Prescriber != "Dr Nia Roberts" || c.LinkWorker.Name != "Amira Khan" ||
		c.LinkWorker.Phone != c.Practice.Phone {
		t.Errorf("content = %+v", c)
	}
	if len(c.Items) != 2 || c.Items[0].Website != "https://example.org/walks" || c.Items[0].Cost != "Free" ||
		c.Items[0].Access != "Drop in: just turn up." || c.Items[0].Address != "3 Canal Street, Calderbridge" {
		t.Errorf("content items = %+v", c.Items)
	}
	a := c.NextAppointment
	if a == nil || !a.Start.Equal(next.Start) || a.Type != "Follow-up" || a.Mode != "In person" || !strings.Contains(a.Where, "Main Surgery") {
		t.Errorf("next appointment = %+v", a)
	}
	list, err := f.s.PatientPrescriptions(ctx, f.s.sessionFor(OpViewPrescription), f.p1.ID)
	if err != nil || len(list) != 1 || list[0].ID != p.ID {
		t.Errorf("patient prescriptions = %v, %v", list, err)
	}
	if audited := queryCount(t, f.s, `SELECT count(*) FROM audit_events WHERE entity = 'prescription' AND action = 'issue' AND entity_id = ?`, p.ID); audited != 1 {
		t.Errorf("%d audit events", audited)
	}
}

func TestIssuePrescriptionWithoutReferralOrAppointment(t *testing.T) {
	f := newRxFixture(t)
	p, err := f.s.IssuePrescription(context.Background(), f.s.session(f.w2), NewPrescription{PatientID: f.p2.ID, LargePrint: true,
		Items: []NewPrescriptionItem{{ServiceID: f.debt}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.ReferralID != 0 || p.NextAppointmentID != 0 || p.Content.NextAppointment != nil || !p.LargePrint || !p.Content.LargePrint ||
		p.Content.LinkWorker.Name != "Tom Fletcher" || p.Content.LinkWorker.Phone != "0113 496 0000" {
		t.Errorf("prescription = %+v", p)
	}
}

func TestLargePrintFollowsThePatientsRecord(t *testing.T) {
	f := newRxFixture(t)
	ctx := context.Background()
	pat := f.p3
	pat.LargePrint, pat.Interpreter, pat.Language = true, true, "Polish"
	pat, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), pat, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.s.IssuePrescription(ctx, f.s.session(f.gp), NewPrescription{PatientID: pat.ID, Items: []NewPrescriptionItem{{ServiceID: f.walking}}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.LargePrint || strings.Join(p.Content.Patient.CommunicationNeeds, ", ") != "Interpreter (Polish), Large print" {
		t.Errorf("large print %v, needs %v", p.LargePrint, p.Content.Patient.CommunicationNeeds)
	}
}

func TestIssuePrescriptionRefusals(t *testing.T) {
	f := newRxFixture(t)
	ctx := context.Background()
	theirs := f.mustBook(t, f.w1, f.p2, "30/11/2026 09:00")
	cancelled := f.mustBook(t, f.w1, f.p1, "30/11/2026 10:00")
	if err := f.s.Cancel(ctx, f.s.session(f.recep), cancelled.ID, true, "unwell"); err != nil {
		t.Fatal(err)
	}
	past := f.mustBook(t, f.w1, f.p1, "30/11/2026 11:00")
	other, err := f.s.CreateReferral(ctx, f.s.session(f.gp), Referral{PatientID: f.p2.ID, Source: "self", Reasons: []string{"housing"},
		ConsentBy: "the patient", ConsentOn: "25/11/2026"})
	if err != nil {
		t.Fatal(err)
	}
	walk := []NewPrescriptionItem{{ServiceID: f.walking}}
	for _, c := range []struct {
		name, field, words string
		in                 NewPrescription
		clock              time.Time
	}{
		{"no items", "Items", "at least one service", NewPrescription{PatientID: f.p1.ID}, time.Time{}},
		{"no patient", "PatientID", "not on the register", NewPrescription{PatientID: 9999, Items: walk}, time.Time{}},
		{"paused service", "Items", "Knit and Natter is paused", NewPrescription{PatientID: f.p1.ID, Items: []NewPrescriptionItem{{ServiceID: f.paused}}}, time.Time{}},
		{"unknown service", "Items", "not in the directory", NewPrescription{PatientID: f.p1.ID, Items: []NewPrescriptionItem{{ServiceID: 9999}}}, time.Time{}},
		{"duplicate", "Items", "twice", NewPrescription{PatientID: f.p1.ID, Items: append(walk, walk...)}, time.Time{}},
		{"long note", "Items", "too long", NewPrescription{PatientID: f.p1.ID, Items: []NewPrescriptionItem{{ServiceID: f.walking, Note: strings.Repeat("ŵ", MaxPrescriptionNote+1)}}}, time.Time{}},
		{"other patient's referral", "ReferralID", "not this patient's", NewPrescription{PatientID: f.p1.ID, ReferralID: other.ID, Items: walk}, time.Time{}},
		{"other patient's appointment", "NextAppointmentID", "not this patient's", NewPrescription{PatientID: f.p1.ID, NextAppointmentID: theirs.ID, Items: walk}, time.Time{}},
		{"cancelled appointment", "NextAppointmentID", "cancelled by patient", NewPrescription{PatientID: f.p1.ID, NextAppointmentID: cancelled.ID, Items: walk}, time.Time{}},
		{"past appointment", "NextAppointmentID", "already started", NewPrescription{PatientID: f.p1.ID, NextAppointmentID: past.ID, Items: walk},
			time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)},
	} {
		if !c.clock.IsZero() {
			f.s.SetClock(func() time.Time { return c.clock })
		}
		_, err := f.s.IssuePrescription(ctx, f.s.session(f.gp), c.in)
		if v, ok := FieldErrors(err); !ok || !strings.Contains(v.For(c.field), c.words) {
			t.Errorf("%s: want %s error with %q, got %v", c.name, c.field, c.words, err)
		}
	}
	if _, err := f.s.IssuePrescription(ctx, f.s.session(f.recep), NewPrescription{PatientID: f.p1.ID, Items: walk}); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("receptionist prescribing: %v", err)
	}
	if n := queryCount(t, f.s, `SELECT (SELECT count(*) FROM prescriptions) + (SELECT count(*) FROM prescription_items)`); n != 0 {
		t.Errorf("%d rows written by refused prescriptions", n)
	}
}

func TestRecordPrintMarksReprints(t *testing.T) {
	f := newRxFixture(t)
	ctx := context.Background()
	p, err := f.s.IssuePrescription(ctx, f.s.session(f.gp), NewPrescription{PatientID: f.p1.ID, Items: []NewPrescriptionItem{{ServiceID: f.walking}}})
	if err != nil {
		t.Fatal(err)
	}
	reprint, before, err := f.s.RecordPrint(ctx, f.s.session(f.gp), p.ID)
	if err != nil || reprint || !before.IsZero() {
		t.Fatalf("first print: %v %v %v", reprint, before, err)
	}
	first := f.s.now()
	f.s.SetClock(func() time.Time { return first.AddDate(1, 0, 0) })
	reprint, before, err = f.s.RecordPrint(ctx, f.s.session(f.manager), p.ID)
	if err != nil || !reprint || !before.Equal(first) {
		t.Fatalf("second print: %v %v %v", reprint, before, err)
	}
	var prints, reprints int
	f.s.db.QueryRow(`SELECT count(*), sum(reprint) FROM prescription_prints WHERE prescription_id = ?`, p.ID).Scan(&prints, &reprints)
	if prints != 2 || reprints != 1 {
		t.Errorf("%d prints, %d reprints", prints, reprints)
	}
	if _, _, err := f.s.RecordPrint(ctx, f.s.session(f.manager), 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing prescription: %v", err)
	}
}

// TestContentIsFrozenAtIssue: the directory entry, the practice and the
// patient change after issue; the prescription still shows what was issued.
func TestContentIsFrozenAtIssue(t *testing.T) {
	f := newRxFixture(t)
	ctx := context.Background()
	p, err := f.s.IssuePrescription(ctx, f.s.session(f.gp), NewPrescription{PatientID: f.p1.ID, Items: []NewPrescriptionItem{{ServiceID: f.walking, Note: "Ask for Jane"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE services SET name = 'Renamed Walks', phone = '0800 000000', status = 'closed' WHERE id = ?`,
		`UPDATE practice SET name = 'New Name Surgery' WHERE id = 1 AND ? > 0`,
		`UPDATE patients SET family_name = 'Changed' WHERE ? > 0`,
	} {
		if _, err := f.s.db.Exec(q, f.walking); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.s.Prescription(ctx, f.s.sessionFor(OpViewPrescription), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Items[0].Service.Name != "Canal Walking Group" || got.Content.Items[0].Name != "Canal Walking Group" ||
		got.Content.Items[0].Phone != "01422 111222" || got.Content.Practice.Name != "Riverside Medical Practice" ||
		got.Content.Patient.FullName != "Siân Llewellyn" || got.Items[0].Note != "Ask for Jane" {
		t.Errorf("content changed with the records: %+v", got.Content)
	}
}

// TestOldLayoutIsRefused: content in another layout (the demo's before it
// stored what the app stores) is refused with a way out, not misread.
func TestOldLayoutIsRefused(t *testing.T) {
	f := newRxFixture(t)
	ctx := context.Background()
	p, err := f.s.IssuePrescription(ctx, f.s.session(f.gp), NewPrescription{PatientID: f.p1.ID, Items: []NewPrescriptionItem{{ServiceID: f.walking}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{
		`{"practice":"Calder Valley Practice","practice_phone":"01632 960100","issued_at":"2026-03-01T10:00:00Z","items":[]}`,
		`{"format":2,"prescriber":"Dr A"}`,
	} {
		if _, err := f.s.db.Exec(`UPDATE prescriptions SET content = ? WHERE id = ?`, old, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Prescription(ctx, f.s.sessionFor(OpViewPrescription), p.ID); err == nil || !strings.Contains(err.Error(), "must be made again") {
			t.Errorf("%s: %v", old, err)
		}
	}
}
