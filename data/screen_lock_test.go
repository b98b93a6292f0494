package data

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// The window's lock: the session's own password continues it, checked as
// at sign-in (a wrong one counts toward the account's lock), all audited.
func TestUnlockScreen(t *testing.T) {
	s, _, lw, _ := signInFixture(t)
	ctx := context.Background()
	sess, err := s.SignIn(ctx, "ljones", "green kettle morning walk")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LockScreen(ctx, sess, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.UnlockScreen(ctx, sess, "wrong"); !errors.Is(err, ErrBadSignIn) {
		t.Fatalf("wrong password unlocked: %v", err)
	}
	if err := s.UnlockScreen(ctx, sess, "green kettle morning walk"); err != nil {
		t.Fatal(err)
	}
	trail := auditTrail(t, s, lw.ID)
	want := []string{
		"sign_in by user: ",
		"screen_lock by user: no input for 10m0s",
		`sign_in_failed by user: username "ljones": wrong password (1 of 5)`,
		"screen_unlock by user: ",
	}
	if !slices.Equal(trail[len(trail)-4:], want) {
		t.Errorf("audit:\n%q\nwant it to end\n%q", trail, want)
	}
	// Five wrong passwords at the lock lock the account like sign-in's.
	for range MaxFailedSignIns {
		s.UnlockScreen(ctx, sess, "wrong")
	}
	if err := s.UnlockScreen(ctx, sess, "green kettle morning walk"); !errors.Is(err, ErrBadSignIn) {
		t.Fatalf("a locked account unlocked the screen: %v", err)
	}
	if _, err := s.SignIn(ctx, "ljones", "green kettle morning walk"); !errors.Is(err, ErrBadSignIn) {
		t.Fatalf("a locked account signed in: %v", err)
	}
}

func TestPracticeSettings(t *testing.T) {
	s, admin, _, _ := signInFixture(t)
	ctx := context.Background()
	got, err := s.PracticeSettings(ctx)
	if err != nil || got.IdleLockMinutes != DefaultIdleLockMinutes || got.RetentionYears != 0 {
		t.Fatalf("defaults: %+v %v", got, err)
	}
	as := s.session(admin)
	for _, bad := range []int{0, -1, MaxIdleLockMinutes + 1} {
		var v *ValidationError
		if err := s.SetIdleLock(ctx, as, bad); !errors.As(err, &v) || v.For("IdleLockMinutes") == "" {
			t.Errorf("idle lock %d: %v", bad, err)
		}
	}
	if err := s.SetIdleLock(ctx, as, 5); err != nil {
		t.Fatal(err)
	}
	pm := s.sessionFor(OpRetention)
	for _, bad := range []int{1, -2, MaxRetentionYears + 1} {
		if err := s.SetRetentionYears(ctx, pm, bad); err == nil {
			t.Errorf("retention %d accepted", bad)
		}
	}
	if err := s.SetRetentionYears(ctx, pm, 8); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PracticeSettings(ctx); got.IdleLockMinutes != 5 || got.RetentionYears != 8 || got.IdleLock() != 5*time.Minute {
		t.Errorf("after setting: %+v", got)
	}
}
