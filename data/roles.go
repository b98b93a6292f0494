package data

// Role decides what a user may see and do. Who may do what is answered by
// the predicates below, for the store and the screens alike, so that a
// change of rule is made here once.
type Role string

const (
	RoleReceptionist    Role = "receptionist"
	RoleGP              Role = "gp"
	RoleLinkWorker      Role = "link_worker"
	RolePracticeManager Role = "practice_manager"
	RoleAdministrator   Role = "administrator"
)

// Roles in the order screens list them.
var Roles = []Role{RoleReceptionist, RoleGP, RoleLinkWorker, RolePracticeManager, RoleAdministrator}

// Label is the role as a user reads it.
func (r Role) Label() string {
	switch r {
	case RoleReceptionist:
		return "Receptionist"
	case RoleGP:
		return "GP / nurse"
	case RoleLinkWorker:
		return "Link worker"
	case RolePracticeManager:
		return "Practice manager"
	case RoleAdministrator:
		return "Administrator"
	}
	return string(r)
}

// RoleFromLabel is the inverse of Label.
func RoleFromLabel(label string) (Role, bool) {
	for _, r := range Roles {
		if r.Label() == label {
			return r, true
		}
	}
	return "", false
}

func (r Role) valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// CanManageUsers: only an administrator adds staff, switches accounts off
// and resets other people's passwords.
func (r Role) CanManageUsers() bool { return r == RoleAdministrator }

// CanManageWorkingPatterns: link workers' working patterns, leave, practice
// closures and appointment lengths belong to the practice manager (and the
// administrator).
func (r Role) CanManageWorkingPatterns() bool {
	return r == RolePracticeManager || r == RoleAdministrator
}

// CanEditDirectory: link workers and the practice manager keep the
// community directory (and administrators); GPs and reception read it.
func (r Role) CanEditDirectory() bool {
	return r == RoleLinkWorker || r == RolePracticeManager || r == RoleAdministrator
}

// ReviewsStaleServices: checking the directory entries not verified for a
// year is the practice manager's job (and the administrator's), so their
// directory offers the list. Anyone may still filter for stale entries.
func (r Role) ReviewsStaleServices() bool {
	return r == RolePracticeManager || r == RoleAdministrator
}

// CanIssuePrescriptions: GPs (and nurses) and link workers write social
// prescriptions.
func (r Role) CanIssuePrescriptions() bool { return r == RoleGP || r == RoleLinkWorker }

// CanPreviewPrescriptions: the social prescription screen is for those who
// issue, and for the practice manager and administrator, who may preview
// one and reprint earlier ones. Reception books and does not prescribe.
func (r Role) CanPreviewPrescriptions() bool {
	return r.CanIssuePrescriptions() || r == RolePracticeManager || r == RoleAdministrator
}

// HasCaseload: link workers hold a caseload and a diary of appointments;
// only they can be a referral's or an appointment's link worker.
func (r Role) HasCaseload() bool { return r == RoleLinkWorker }
