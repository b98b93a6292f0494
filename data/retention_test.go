package data

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// retentionWorld: an episode closed in 2021 (old), one closed last month
// (recent) and one still open, each with a case note and a goal.
type retentionWorld struct {
	f                 referralFixture
	old, recent, open Referral
	oldPatient, other Patient
	clock             *time.Time
}

func newRetentionWorld(t *testing.T) retentionWorld {
	t.Helper()
	f := newReferralFixture(t)
	ctx := context.Background()
	now := time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC)
	f.s.SetClock(func() time.Time { return now })
	w := retentionWorld{f: f, clock: &now}
	editor := f.s.sessionFor(OpEditPatient)
	var err error
	w.oldPatient = f.patient
	if w.other, err = f.s.SavePatient(ctx, editor, Patient{NHSNumber: "9434765870", GivenName: "Ffion", FamilyName: "Morgan", DateOfBirth: "1961-05-02", Phone: "07700 900456"}, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	episode := func(p Patient, note, goal string, close bool) Referral {
		r, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: p.ID, Source: "gp", ReferrerName: "Dr Sarah Whitfield",
			Reasons: []string{"loneliness"}, WhatMatters: "Seeing my grandchildren", ConsentBy: "Patient", ConsentOn: now.Format(DateLayout), LinkWorkerID: f.worker.ID})
		if err != nil {
			t.Fatal(err)
		}
		lw := f.s.session(f.worker)
		if _, err := f.s.AddContact(ctx, lw, Contact{ReferralID: r.ID, Kind: "phone", Minutes: 20, Text: note}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AddGoal(ctx, lw, Goal{ReferralID: r.ID, Description: goal, StartScore: 3}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.RecordWellbeing(ctx, lw, Wellbeing{ReferralID: r.ID, Stage: "baseline", Scores: [4]int{3, 4, 4, 8}}); err != nil {
			t.Fatal(err)
		}
		if close {
			for _, to := range []ReferralStatus{StatusContacted, StatusAccepted, StatusActive} {
				if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, to, "", ""); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusClosed, "Joined the walking group", "goals_met"); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	w.old = episode(w.oldPatient, "Lives alone since her husband died", "Join the choir", true)
	now = time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC)
	w.recent = episode(w.other, "Recent note about Ffion", "Walk to the shop", true)
	now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	w.open = episode(w.oldPatient, "Came back for support with debt", "Sort out the bills", false)
	return w
}

// What the reports count: totals, the pipeline, the export's rows (minus
// the names), contacts' minutes and the scores.
func reportCounts(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	pm := s.sessionFor(OpExport)
	total, err := s.CountReferrals(ctx, pm, ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	status, err := s.StatusCounts(ctx, pm, ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	err = s.ExportReferrals(ctx, pm, "", "", func(r ReferralExportRow) error {
		r.PatientName, r.NHSNumber, r.ReferrerName, r.ReferrerOrg = "", "", "", ""
		raw, _ := json.Marshal(r)
		rows = append(rows, string(raw))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(status)
	return strings.Join(append(rows, string(raw), strings.Repeat("x", total),
		strconv.Itoa(queryCount(t, s, `SELECT sum(minutes) FROM contacts`)), strconv.Itoa(queryCount(t, s, `SELECT sum(start_score) FROM goals`)),
		strconv.Itoa(queryCount(t, s, `SELECT sum(anxiety) FROM wellbeing_measures`))), "\n")
}

func TestAnonymiseClosedEpisodes(t *testing.T) {
	w := newRetentionWorld(t)
	s := w.f.s
	ctx := context.Background()
	pm := s.sessionFor(OpRetention)
	if _, err := s.AnonymiseClosedEpisodes(ctx, pm, false); !errors.Is(err, ErrRetentionOff) {
		t.Fatalf("retention off by default: %v", err)
	}
	if err := s.SetRetentionYears(ctx, pm, 3); err != nil {
		t.Fatal(err)
	}
	before := reportCounts(t, s)
	dry, err := s.AnonymiseClosedEpisodes(ctx, pm, true)
	if err != nil {
		t.Fatal(err)
	}
	want := RetentionResult{DryRun: true, Years: 3, ClosedBefore: "2023-11-25T10:00:00Z", Episodes: 1, Contacts: 1, Goals: 1}
	if !reflect.DeepEqual(dry, want) {
		t.Fatalf("dry run: %+v, want %+v", dry, want)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM contacts WHERE text = ''`); n != 0 {
		t.Fatal("a dry run changed a note")
	}
	got, err := s.AnonymiseClosedEpisodes(ctx, pm, false)
	if err != nil {
		t.Fatal(err)
	}
	want.DryRun = false
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("anonymised: %+v, want %+v", got, want)
	}
	if after := reportCounts(t, s); after != before {
		t.Errorf("the reports changed:\n%s\n---\n%s", before, after)
	}
	cr, err := s.CaseRecord(ctx, s.sessionFor(OpViewCaseRecord), w.old.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cr.Timeline {
		if strings.Contains(e.Detail, "husband") || strings.Contains(e.Detail, "walking group") {
			t.Errorf("kept: %+v", e)
		}
	}
	if cr.Referral.WhatMatters != "" || cr.Referral.ReferrerName != "" || cr.Goals[0].Description != removedGoal ||
		cr.Goals[0].StartScore != 3 || cr.Referral.ClosingReason != "goals_met" || len(cr.Wellbeing) != 1 {
		t.Errorf("old episode: %+v goals %+v", cr.Referral, cr.Goals)
	}
	// The recent and the open episode are untouched, and so is the patient,
	// who still has an open one.
	for _, r := range []Referral{w.recent, w.open} {
		cr, _ := s.CaseRecord(ctx, s.sessionFor(OpViewCaseRecord), r.ID)
		if cr.Referral.WhatMatters == "" || cr.Goals[0].Description == removedGoal || !strings.Contains(cr.Timeline[0].Detail+cr.Timeline[1].Detail, " ") {
			t.Errorf("episode %d changed: %+v", r.ID, cr.Referral)
		}
	}
	if n := queryCount(t, s, `SELECT count(*) FROM contacts WHERE text <> ''`); n != 2 {
		t.Errorf("%d notes kept, want 2", n)
	}
	if p, _ := s.Patient(ctx, s.sessionFor(OpViewPatient), w.oldPatient.ID); p.FamilyName != "Llewellyn" {
		t.Errorf("a patient with an open episode was anonymised: %+v", p)
	}
	// An anonymised episode cannot be reopened.
	if _, err := s.Move(ctx, s.sessionFor(OpMoveReferral), w.old.ID, StatusActive, "back", ""); err == nil {
		t.Error("an anonymised episode was reopened")
	}
	// A second run finds nothing more.
	if again, err := s.AnonymiseClosedEpisodes(ctx, pm, false); err != nil || again.Episodes != 0 {
		t.Errorf("second run: %+v %v", again, err)
	}
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events WHERE action = 'anonymise' AND entity = 'referral' AND entity_id = ?`, w.old.ID); n != 1 {
		t.Errorf("%d audit events for the anonymised episode", n)
	}
}

// A patient whose every episode is anonymised loses their identifying
// details; what is statistical stays.
func TestAnonymisePatientWhenNothingIsHeld(t *testing.T) {
	w := newRetentionWorld(t)
	s := w.f.s
	ctx := context.Background()
	pm := s.sessionFor(OpRetention)
	// Close the open episode long ago too: move the clock on ten years.
	s.Move(ctx, s.sessionFor(OpMoveReferral), w.open.ID, StatusDeclined, "Did not want support", "")
	*w.clock = time.Date(2036, 12, 1, 10, 0, 0, 0, time.UTC)
	s.SetRetentionYears(ctx, pm, 8)
	got, err := s.AnonymiseClosedEpisodes(ctx, pm, false)
	if err != nil || got.Episodes != 3 || got.Patients != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	p, _ := s.Patient(ctx, s.sessionFor(OpViewPatient), w.oldPatient.ID)
	if p.NHSNumber != "" || p.FamilyName == "Llewellyn" || p.Phone != "" || p.DateOfBirth != "1950-07-01" {
		t.Errorf("patient: %+v", p)
	}
	// A returning patient is added again from the GP record, not referred
	// on the anonymised one.
	_, err = s.CreateReferral(ctx, s.sessionFor(OpRefer), Referral{PatientID: p.ID, Source: "gp", ReferrerName: "Dr Whitfield", Reasons: []string{"loneliness"},
		ConsentBy: "Patient", ConsentOn: "01/12/2036", LinkWorkerID: w.f.worker.ID})
	if v, _ := FieldErrors(err); v == nil || !strings.Contains(v.For("PatientID"), "anonymised") {
		t.Errorf("referral of an anonymised patient: %v", err)
	}
}

func TestSubjectAccessJSON(t *testing.T) {
	w := newRetentionWorld(t)
	s := w.f.s
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "sar.json")
	if _, err := s.ExportSubjectAccessFile(ctx, s.sessionFor(OpViewCaseRecord), Subject{NHSNumber: "943 476 5919"}, out, nil); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a link worker exported: %v", err)
	}
	sa, err := s.ExportSubjectAccessFile(ctx, s.sessionFor(OpSubjectAccess), Subject{NHSNumber: "943 476 5919"}, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(out)
	var back SubjectAccess
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.Patient.FamilyName != "Llewellyn" || len(back.Referrals) != 2 || len(sa.Referrals) != 2 {
		t.Fatalf("%+v", back.Patient)
	}
	for _, want := range []string{`"nhs_number": "9434765919"`, "Lives alone since her husband died", "Join the choir", `"to_status": "closed"`, `"life_satisfaction": 3`, `"action": "create"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("missing %s", want)
		}
	}
	if n := queryCount(t, s, `SELECT count(*) FROM audit_events WHERE action = 'subject_access' AND entity = 'patient' AND entity_id = ?`, w.oldPatient.ID); n != 1 {
		t.Errorf("%d subject access events", n)
	}
	if _, err := s.ExportSubjectAccessFile(ctx, s.sessionFor(OpSubjectAccess), Subject{NHSNumber: "4010232137"}, out, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown NHS number: %v", err)
	}
}
