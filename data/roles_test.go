package data

import "testing"

// TestRolePredicates spells out who may do what, role by role, so a change
// of rule shows here as a changed row.
func TestRolePredicates(t *testing.T) {
	type can struct {
		manageUsers, managePatterns, editDirectory, reviewStale, issue, preview, caseload bool
	}
	want := map[Role]can{
		RoleReceptionist:    {},
		RoleGP:              {issue: true, preview: true},
		RoleLinkWorker:      {editDirectory: true, issue: true, preview: true, caseload: true},
		RolePracticeManager: {managePatterns: true, editDirectory: true, reviewStale: true, preview: true},
		RoleAdministrator:   {manageUsers: true, managePatterns: true, editDirectory: true, reviewStale: true, preview: true},
		Role("unknown"):     {},
		Role(""):            {},
	}
	for _, r := range Roles {
		if _, ok := want[r]; !ok {
			t.Errorf("role %q has no row in this table", r)
		}
	}
	for r, w := range want {
		got := can{
			manageUsers:    r.CanManageUsers(),
			managePatterns: r.CanManageWorkingPatterns(),
			editDirectory:  r.CanEditDirectory(),
			reviewStale:    r.ReviewsStaleServices(),
			issue:          r.CanIssuePrescriptions(),
			preview:        r.CanPreviewPrescriptions(),
			caseload:       r.HasCaseload(),
		}
		if got != w {
			t.Errorf("%q:\n got %+v\nwant %+v", r, got, w)
		}
	}
}
