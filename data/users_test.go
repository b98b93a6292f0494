package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestSetUpAndSignIn(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	needs, _ := s.NeedsSetUp(ctx)
	if !needs {
		t.Fatal("a new database does not need set-up")
	}
	_, err := s.SetUp(ctx, Practice{Name: "", ODSCode: "!"}, NewUser{Username: "a", FullName: "A", Password: "short"})
	v, ok := FieldErrors(err)
	if !ok || v.For("Name") == "" || v.For("ODSCode") == "" || v.For("Password") == "" {
		t.Fatalf("bad set-up: %v", err)
	}
	admin := setUpPractice(t, s)
	if admin.Role != RoleAdministrator {
		t.Errorf("first user role %q", admin.Role)
	}
	if _, err := s.SetUp(ctx, Practice{Name: "Again", ODSCode: "A12345"}, NewUser{Username: "b", FullName: "B", Password: "correct horse battery"}); !errors.Is(err, ErrAlreadySetUp) {
		t.Errorf("second set-up: %v", err)
	}
	p, _ := s.Practice(ctx)
	if p.ODSCode != "B86001" || p.Postcode != "LS11 5AB" {
		t.Errorf("practice %+v", p)
	}

	var hash string
	s.db.QueryRow("SELECT password_hash FROM users WHERE id = ?", admin.ID).Scan(&hash)
	if !strings.HasPrefix(hash, "$2") || strings.Contains(hash, "correct horse") {
		t.Errorf("password not stored as a bcrypt hash: %q", hash)
	}
	if _, err := s.SignIn(ctx, "admin", "wrong password"); !errors.Is(err, ErrBadSignIn) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := s.SignIn(ctx, "nobody", "correct horse battery"); !errors.Is(err, ErrBadSignIn) {
		t.Errorf("unknown user: %v", err)
	}
	u, err := s.SignIn(ctx, "ADMIN", "correct horse battery")
	if err != nil || u.User().ID != admin.ID {
		t.Fatalf("sign in: %v", err)
	}
}

func TestAdministratorManagesUsers(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	ctx := context.Background()
	lw, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: "ljones", FullName: "Lowri Jones", Role: RoleLinkWorker, Password: "first password"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: "LJones", FullName: "Other", Role: RoleGP, Password: "first password"}); err == nil {
		t.Error("a duplicate username was accepted")
	}
	// Only an administrator adds users or resets others' passwords.
	if _, err := s.CreateUser(ctx, s.session(lw), NewUser{Username: "x", FullName: "X", Role: RoleGP, Password: "first password"}); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("link worker added a user: %v", err)
	}
	if err := s.ResetPassword(ctx, s.session(lw), admin.ID, "new password 1"); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("link worker reset the admin's password: %v", err)
	}
	if err := s.ResetPassword(ctx, s.session(admin), lw.ID, "short"); err == nil {
		t.Error("a short password was accepted")
	}
	if err := s.ResetPassword(ctx, s.session(admin), lw.ID, "a new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "ljones", "first password"); err == nil {
		t.Error("the old password still works")
	}
	if _, err := s.SignIn(ctx, "ljones", "a new password"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if err := s.SetUserActive(ctx, s.session(admin), lw.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, "ljones", "a new password"); err == nil {
		t.Error("a switched-off account signed in")
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM audit_events WHERE entity = 'user' AND entity_id = ?", lw.ID).Scan(&n)
	if n < 3 {
		t.Errorf("%d audit events for the user, want at least 3", n)
	}
}
