package data

import "testing"

// TestRolePredicates spells out the predicates that are not in the matrix.
func TestRolePredicates(t *testing.T) {
	for _, r := range append(Roles, Role("unknown"), Role("")) {
		if got, want := r.HasCaseload(), r == RoleLinkWorker; got != want {
			t.Errorf("%q HasCaseload = %v", r, got)
		}
		if got, want := r.ReviewsStaleServices(), r == RolePracticeManager || r == RoleAdministrator; got != want {
			t.Errorf("%q ReviewsStaleServices = %v", r, got)
		}
		for _, op := range Operations {
			if !r.valid() && r.May(op) {
				t.Errorf("unknown role %q may %s", r, op)
			}
		}
	}
}
