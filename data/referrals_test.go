package data

import (
	"context"
	"errors"
	"testing"
	"time"
)

type referralFixture struct {
	s       *Store
	admin   User
	worker  User
	worker2 User
	patient Patient
}

func newReferralFixture(t *testing.T) referralFixture {
	t.Helper()
	s := newStore(t)
	admin := setUpPractice(t, s)
	ctx := context.Background()
	w1, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: "lw1", FullName: "Amira Khan", Role: RoleLinkWorker, Password: "link worker 1"})
	if err != nil {
		t.Fatal(err)
	}
	w2, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: "lw2", FullName: "Tom Fletcher", Role: RoleLinkWorker, Password: "link worker 2"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{NHSNumber: "9434765919", GivenName: "Siân", FamilyName: "Llewellyn", DateOfBirth: "1950-03-01", Phone: "07700 900123"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return referralFixture{s, admin, w1, w2, p}
}

func (f referralFixture) referral(t *testing.T, patientID int64) Referral {
	t.Helper()
	r, err := f.s.CreateReferral(context.Background(), f.s.sessionFor(OpRefer), Referral{PatientID: patientID, Source: "gp", ReferrerName: "Dr Sarah Whitfield",
		Reasons: []string{"loneliness", "stress_low_mood"}, WhatMatters: "Getting out of the house", ConsentBy: "Patient", ConsentOn: "01/11/2026", LinkWorkerID: f.worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCreateReferralValidation(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	_, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: f.patient.ID, Priority: "urgent", ConsentOn: "2030-01-01", ReceivedOn: "yesterday"})
	v, ok := FieldErrors(err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	for _, field := range []string{"Source", "Reasons", "PriorityReason", "ConsentBy", "ConsentOn", "ReceivedOn"} {
		if v.For(field) == "" {
			t.Errorf("no message for %s: %v", field, v.Fields)
		}
	}
	// A self-referral needs no referrer name; a link worker must be one.
	_, err = f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: f.patient.ID, Source: "self", Reasons: []string{"housing"},
		ConsentBy: "Patient", ConsentOn: "2026-11-20", LinkWorkerID: f.admin.ID})
	if v, _ := FieldErrors(err); v == nil || v.For("LinkWorkerID") == "" {
		t.Errorf("an administrator was accepted as link worker: %v", err)
	}
	r, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: f.patient.ID, Source: "self", Reasons: []string{"housing", "housing"},
		ConsentBy: "Patient", ConsentOn: "2026-11-20"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusReceived || r.ReceivedOn != "2026-11-25" || len(r.Reasons) != 1 {
		t.Errorf("created %+v", r)
	}
}

func TestOneOpenReferralPerPatient(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	first := f.referral(t, f.patient.ID)
	_, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: f.patient.ID, Source: "self", Reasons: []string{"housing"}, ConsentBy: "Patient", ConsentOn: "2026-11-20"})
	var open *OpenReferralError
	if !errors.As(err, &open) || open.Existing.ID != first.ID {
		t.Fatalf("second open referral: %v", err)
	}
	// Once the first ends, a new episode may start.
	f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), first.ID, StatusUnableToContact, "Three calls, no answer", "")
	if _, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: f.patient.ID, Source: "self", Reasons: []string{"housing"}, ConsentBy: "Patient", ConsentOn: "2026-11-20"}); err != nil {
		t.Fatal(err)
	}
}

func TestStatusMachine(t *testing.T) {
	all := ReferralStatuses
	allowed := map[[2]ReferralStatus]bool{
		{StatusReceived, StatusContacted}: true, {StatusReceived, StatusDeclined}: true, {StatusReceived, StatusUnableToContact}: true,
		{StatusContacted, StatusAccepted}: true, {StatusContacted, StatusDeclined}: true, {StatusContacted, StatusUnableToContact}: true,
		{StatusAccepted, StatusActive}: true, {StatusAccepted, StatusClosed}: true,
		{StatusActive, StatusClosed}: true, {StatusClosed, StatusActive}: true,
	}
	// path leads a new referral to each status by allowed moves.
	path := map[ReferralStatus][]ReferralStatus{
		StatusReceived:        nil,
		StatusContacted:       {StatusContacted},
		StatusAccepted:        {StatusContacted, StatusAccepted},
		StatusActive:          {StatusContacted, StatusAccepted, StatusActive},
		StatusClosed:          {StatusContacted, StatusAccepted, StatusActive, StatusClosed},
		StatusDeclined:        {StatusDeclined},
		StatusUnableToContact: {StatusUnableToContact},
	}
	ctx := context.Background()
	for _, from := range all {
		for _, to := range all {
			f := newReferralFixture(t)
			r := f.referral(t, f.patient.ID)
			for _, step := range path[from] {
				if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, step, "because", "goals_met"); err != nil {
					t.Fatalf("path to %s: %v", from, err)
				}
			}
			_, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, to, "a reason", "goals_met")
			if allowed[[2]ReferralStatus{from, to}] {
				if err != nil {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				got, _ := f.s.Referral(ctx, f.s.sessionFor(OpViewReferralList), r.ID)
				if got.Status != to {
					t.Errorf("%s → %s: status %s", from, to, got.Status)
				}
				var n int
				f.s.db.QueryRow(`SELECT count(*) FROM referral_history WHERE referral_id = ? AND kind = 'status' AND from_status = ? AND to_status = ? AND by_user = ?`,
					r.ID, string(from), string(to), f.s.sessionFor(OpMoveReferral).User().ID).Scan(&n)
				if n != 1 {
					t.Errorf("%s → %s: %d history rows", from, to, n)
				}
			} else {
				var me *MoveError
				if !errors.As(err, &me) {
					t.Errorf("%s → %s allowed (err %v)", from, to, err)
				}
			}
		}
	}
}

func TestMoveRulesAndSNOMED(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	r := f.referral(t, f.patient.ID)
	if err := f.s.SetCoded(ctx, f.s.sessionFor(OpMoveReferral), r.ID, true); err == nil {
		t.Error("coded before there was a code")
	}
	r, _ = f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusContacted, "", "")
	if r.FirstContactAt == "" {
		t.Error("first contact not recorded")
	}
	r, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusAccepted, "", "")
	if err != nil || r.SNOMEDCode != SNOMEDReferred {
		t.Fatalf("accept: %v %+v", err, r)
	}
	if err := f.s.SetCoded(ctx, f.s.sessionFor(OpMoveReferral), r.ID, true); err != nil {
		t.Fatal(err)
	}
	f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusActive, "", "")
	if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusClosed, "", ""); err == nil {
		t.Error("closed without a closing reason")
	}
	r, err = f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusClosed, "Joined the walking group", "goals_met")
	if err != nil || r.ClosingReason != "goals_met" || r.ClosedAt == "" {
		t.Fatalf("close: %v %+v", err, r)
	}
	if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusActive, "", ""); err == nil {
		t.Error("reopened without a reason")
	}
	r, err = f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusActive, "Lost her husband; asked for support again", "")
	if err != nil || r.ClosedAt != "" || r.ClosingReason != "" || r.SNOMEDCode != SNOMEDReferred || !r.CodedInGPRecord {
		t.Fatalf("reopen: %v %+v", err, r)
	}
	var codes int
	f.s.db.QueryRow(`SELECT count(*) FROM referral_history WHERE referral_id = ? AND kind = 'coded'`, r.ID).Scan(&codes)
	if codes != 1 {
		t.Errorf("%d coding events, want 1", codes)
	}

	// Declining records the declined code.
	p2, _ := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), Patient{GivenName: "Олена", FamilyName: "Шевченко", DateOfBirth: "1985-05-05", Phone: "07700 900124"}, SaveOptions{})
	d := f.referral(t, p2.ID)
	if _, err := f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), d.ID, StatusDeclined, "", ""); err == nil {
		t.Error("declined without a reason")
	}
	d, err = f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), d.ID, StatusDeclined, "Not for her at the moment", "")
	if err != nil || d.SNOMEDCode != SNOMEDDeclined {
		t.Fatalf("decline: %v %+v", err, d)
	}
}

func TestReassignRecorded(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	r := f.referral(t, f.patient.ID)
	if err := f.s.Reassign(ctx, f.s.sessionFor(OpMoveReferral), r.ID, f.worker2.ID, "Caseload balance"); err != nil {
		t.Fatal(err)
	}
	c, err := f.s.CaseRecord(ctx, f.s.sessionFor(OpViewCaseRecord), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.LinkWorker != "Tom Fletcher" {
		t.Errorf("link worker %q", c.LinkWorker)
	}
	found := false
	for _, e := range c.Timeline {
		if e.Kind == "reassigned" && e.Title == "Link worker: Amira Khan → Tom Fletcher" && e.Detail == "Caseload balance" {
			found = true
		}
	}
	if !found {
		t.Errorf("reassignment not in the timeline: %+v", c.Timeline)
	}
}

func TestReferralListFilterSortCount(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	var day = 0
	f.s.SetClock(func() time.Time { return time.Date(2026, 11, 25, 10, 0, day, 0, time.UTC) })
	names := [][2]string{{"Zoë", "Adams"}, {"Łukasz", "Nowak"}, {"Priya", "Patel"}, {"Pádraig", "Ó Briain"}}
	var ids []int64
	for i, n := range names {
		p, err := f.s.SavePatient(ctx, f.s.sessionFor(OpEditPatient), Patient{GivenName: n[0], FamilyName: n[1], DateOfBirth: "1970-01-01", Phone: "07700 900123"}, SaveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), Referral{PatientID: p.ID, ReceivedOn: time.Date(2026, 11, 1+i*5, 0, 0, 0, 0, time.UTC).Format(DateLayout),
			Source: []string{"gp", "self", "gp", "hospital"}[i], ReferrerName: "Dr X", Reasons: []string{[]string{"loneliness", "housing", "housing", "bereavement"}[i]},
			ConsentBy: "Patient", ConsentOn: "2026-11-01", LinkWorkerID: []int64{f.worker.ID, f.worker.ID, f.worker2.ID, 0}[i]})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		day++
	}
	f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), ids[0], StatusContacted, "", "")

	all, err := f.s.ListReferrals(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{}, ReferralSort{}, 0, 50)
	if err != nil || len(all) != 4 {
		t.Fatalf("list: %v %d", err, len(all))
	}
	if all[0].PatientName != "Ó Briain, Pádraig" || all[3].PatientName != "Adams, Zoë" {
		t.Errorf("default order (newest first): %s … %s", all[0].PatientName, all[3].PatientName)
	}
	if all[3].Status != StatusContacted || all[3].DaysWaiting != 24 || all[0].DaysWaiting != 9 {
		t.Errorf("days waiting: %+v / %+v", all[3], all[0])
	}
	check := func(name string, filt ReferralFilter, sort ReferralSort, want ...string) {
		t.Helper()
		rows, err := f.s.ListReferrals(ctx, f.s.sessionFor(OpViewReferralList), filt, sort, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.PatientName)
		}
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
			return
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: got %v, want %v", name, got, want)
				return
			}
		}
		n, _ := f.s.CountReferrals(ctx, f.s.sessionFor(OpViewReferralList), filt)
		if n != len(want) {
			t.Errorf("%s: count %d, want %d", name, n, len(want))
		}
	}
	check("by patient", ReferralFilter{}, ReferralSort{Column: SortPatient}, "Adams, Zoë", "Nowak, Łukasz", "Ó Briain, Pádraig", "Patel, Priya")
	check("by waiting desc", ReferralFilter{Statuses: []ReferralStatus{StatusReceived}}, ReferralSort{Column: SortWaiting, Desc: true}, "Nowak, Łukasz", "Patel, Priya", "Ó Briain, Pádraig")
	check("caseload", ReferralFilter{LinkWorkerID: f.worker.ID}, ReferralSort{Column: SortReceived}, "Adams, Zoë", "Nowak, Łukasz")
	check("reason", ReferralFilter{Reason: "housing"}, ReferralSort{Column: SortPatient}, "Nowak, Łukasz", "Patel, Priya")
	check("source", ReferralFilter{Source: "hospital"}, ReferralSort{}, "Ó Briain, Pádraig")
	check("dates", ReferralFilter{From: "2026-11-05", To: "2026-11-12"}, ReferralSort{Column: SortReceived}, "Nowak, Łukasz", "Patel, Priya")
	check("text accent-free", ReferralFilter{Text: "lukasz"}, ReferralSort{}, "Nowak, Łukasz")
	check("text two words", ReferralFilter{Text: "o bri"}, ReferralSort{}, "Ó Briain, Pádraig")
	check("worker sort", ReferralFilter{}, ReferralSort{Column: SortLinkWorker}, "Ó Briain, Pádraig", "Adams, Zoë", "Nowak, Łukasz", "Patel, Priya")

	// Unable to contact: the wait stops when the episode ends.
	f.s.SetClock(func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) })
	f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), ids[1], StatusUnableToContact, "No answer to three calls", "")
	f.s.SetClock(func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) })
	ended, _ := f.s.ListReferrals(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{Statuses: []ReferralStatus{StatusUnableToContact}}, ReferralSort{}, 0, 5)
	if len(ended) != 1 || ended[0].DaysWaiting != 14 {
		t.Errorf("days waiting of an ended episode: %+v", ended)
	}

	page, _ := f.s.ListReferrals(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{}, ReferralSort{Column: SortPatient}, 2, 1)
	if len(page) != 1 || page[0].PatientName != "Ó Briain, Pádraig" {
		t.Errorf("paging: %+v", page)
	}
	counts, err := f.s.StatusCounts(ctx, f.s.sessionFor(OpViewReferralList), ReferralFilter{Statuses: []ReferralStatus{StatusClosed}, LinkWorkerID: f.worker.ID})
	if err != nil || counts[StatusUnableToContact] != 1 || counts[StatusContacted] != 1 || counts[StatusReceived] != 0 || counts[StatusClosed] != 0 {
		t.Errorf("counts %v %v", counts, err)
	}
}

func TestCaseworkRecords(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	r := f.referral(t, f.patient.ID)
	_, err := f.s.AddContact(ctx, f.s.session(f.worker), Contact{ReferralID: r.ID, Kind: "phone", Minutes: 15, Text: "  "})
	if v, _ := FieldErrors(err); v == nil || v.For("Text") == "" {
		t.Errorf("empty note accepted: %v", err)
	}
	if _, err := f.s.AddContact(ctx, f.s.session(f.worker), Contact{ReferralID: r.ID, At: "25/11/2026 10:32", Kind: "phone", Minutes: 15, Text: "First call; agreed to meet"}); err != nil {
		t.Fatal(err)
	}
	g, err := f.s.AddGoal(ctx, f.s.session(f.worker), Goal{ReferralID: r.ID, Description: "Go out once a week", StartScore: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReviewGoal(ctx, f.s.session(f.worker), g.ID, 11); err == nil {
		t.Error("score 11 accepted")
	}
	f.s.ReviewGoal(ctx, f.s.session(f.worker), g.ID, 7)
	if _, err := f.s.RecordWellbeing(ctx, f.s.session(f.worker), Wellbeing{ReferralID: r.ID, Stage: "review", Scores: [4]int{5, 5, 5, 5}}); err == nil {
		t.Error("review before baseline accepted")
	}
	f.s.RecordWellbeing(ctx, f.s.session(f.worker), Wellbeing{ReferralID: r.ID, Stage: "baseline", TakenOn: "01/11/2026", Scores: [4]int{3, 4, 4, 8}})
	f.s.RecordWellbeing(ctx, f.s.session(f.worker), Wellbeing{ReferralID: r.ID, Stage: "review", Scores: [4]int{6, 6, 4, 5}})

	c, err := f.s.CaseRecord(ctx, f.s.sessionFor(OpViewCaseRecord), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if change, ok := c.Goals[0].Change(); !ok || change != 4 {
		t.Errorf("goal change %d %v", change, ok)
	}
	base, _ := c.Baseline()
	ch := c.Wellbeing[1].ChangeSince(base)
	if ch[0].Delta != 3 || !ch[0].Better || ch[2].Better || ch[2].Worse || ch[3].Delta != -3 || !ch[3].Better {
		t.Errorf("ONS4 change %+v", ch)
	}
	if len(c.Timeline) != 2 || c.Timeline[0].Kind != "contact" || c.Timeline[1].Title != "Referral received" {
		t.Errorf("timeline %+v", c.Timeline)
	}
	// An ended episode is read-only until reopened.
	f.s.Move(ctx, f.s.sessionFor(OpMoveReferral), r.ID, StatusUnableToContact, "No answer", "")
	if _, err := f.s.AddContact(ctx, f.s.session(f.worker), Contact{ReferralID: r.ID, Kind: "note", Text: "late note"}); err == nil {
		t.Error("note added to an ended episode")
	}
}
