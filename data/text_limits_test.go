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
