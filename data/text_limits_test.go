package data

import (
	"context"
	"strings"
	"testing"
)

// A note of 5,000 characters is saved; one more is refused beside the
// field, saying how long it is (issue 17: 50,000 pasted characters were
// saved whole).
func TestNoteLengthLimit(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	r := f.referral(t, f.patient.ID)
	sess := f.s.session(f.worker)
	full := strings.Repeat("ł", NoteMaxChars) // characters, not bytes
	if _, err := f.s.AddContact(ctx, sess, Contact{ReferralID: r.ID, Kind: "note", Text: full}); err != nil {
		t.Fatalf("a note of exactly %d characters: %v", NoteMaxChars, err)
	}
	_, err := f.s.AddContact(ctx, sess, Contact{ReferralID: r.ID, Kind: "note", Text: full + "x"})
	v, _ := FieldErrors(err)
	if v == nil || !strings.Contains(v.For("Text"), "5,000") || !strings.Contains(v.For("Text"), "5,001") {
		t.Fatalf("a note of 5,001 characters: %v", err)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1234: "1,234", 50000: "50,000", 1234567: "1,234,567"} {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

// What matters, why a referral is urgent and a status move's reason have
// limits too: at the limit the text is kept, one over is refused beside
// its field and nothing is saved.
func TestFreeTextLimits(t *testing.T) {
	f := newReferralFixture(t)
	ctx := context.Background()
	base := Referral{PatientID: f.patient.ID, Source: "gp", ReferrerName: "Dr Sarah Whitfield",
		Reasons: []string{"loneliness"}, ConsentBy: "Patient", ConsentOn: "01/11/2026", Priority: "urgent", PriorityReason: "carer in hospital"}

	long := base
	long.WhatMatters = strings.Repeat("é", WhatMattersMaxChars+1)
	long.PriorityReason = strings.Repeat("a", PriorityReasonMaxChars+1)
	_, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), long)
	v, _ := FieldErrors(err)
	if v == nil || !strings.Contains(v.For("WhatMatters"), "2,001") || !strings.Contains(v.For("PriorityReason"), "301") {
		t.Fatalf("over-long referral text: %v", err)
	}
	if got, _ := f.s.OpenReferral(ctx, f.s.sessionFor(OpViewReferralList), f.patient.ID); got.ID != 0 {
		t.Fatalf("an over-long referral was saved: %+v", got)
	}

	full := base
	full.WhatMatters = strings.Repeat("é", WhatMattersMaxChars)
	r, err := f.s.CreateReferral(ctx, f.s.sessionFor(OpRefer), full)
	if err != nil {
		t.Fatalf("what matters at the limit: %v", err)
	}
	_, err = f.s.Move(ctx, f.s.session(f.worker), r.ID, StatusDeclined, strings.Repeat("x", MoveReasonMaxChars+1), "")
	if v, _ := FieldErrors(err); v == nil || !strings.Contains(v.For("Reason"), "2,001") {
		t.Fatalf("over-long move reason: %v", err)
	}
	if _, err := f.s.Move(ctx, f.s.session(f.worker), r.ID, StatusDeclined, strings.Repeat("x", MoveReasonMaxChars), ""); err != nil {
		t.Fatalf("move reason at the limit: %v", err)
	}
}
