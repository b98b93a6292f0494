package data

// Role decides what a user may see and do. Who may do what is answered by
// May, from one table (matrix below), for the store and the screens alike,
// so that a change of rule is made here once.
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

// Operation is one thing a user may be allowed to do. The store asks
// May before every read or write of practice data; the screens and the
// subcommands ask the same question to decide what to offer.
type Operation string

const (
	OpViewPatient           Operation = "view patients' details"
	OpEditPatient           Operation = "add and edit patients"
	OpViewReferralList      Operation = "see the referrals list"
	OpRefer                 Operation = "make referrals"
	OpViewCaseRecord        Operation = "read case records"
	OpWriteCaseNotes        Operation = "write contacts, goals, wellbeing"
	OpMoveReferral          Operation = "move, reassign and code referrals"
	OpViewDiary             Operation = "see the diary and Today"
	OpBook                  Operation = "book and change appointments"
	OpPrintCard             Operation = "print appointment cards"
	OpViewRotas             Operation = "see sites and working patterns"
	OpManageWorkingPatterns Operation = "change working patterns and leave"
	OpViewDirectory         Operation = "read the directory"
	OpEditDirectory         Operation = "edit and import the directory"
	OpViewPrescription      Operation = "read social prescriptions"
	OpIssuePrescription     Operation = "write social prescriptions"
	OpPrintPrescription     Operation = "print social prescriptions"
	OpExport                Operation = "export referrals and diaries"
	OpViewReports           Operation = "see the dashboard and monthly return"
	OpListStaff             Operation = "see staff names"
	OpOwnAccount            Operation = "change own password, sign out"
	OpManageUsers           Operation = "manage users"
	OpBackup                Operation = "make backups"
	OpRestore               Operation = "restore a backup"
	OpPracticeSettings      Operation = "change the screen lock time"
	OpSubjectAccess         Operation = "export all held about a patient"
	OpRetention             Operation = "anonymise old closed episodes"
	OpViewAudit             Operation = "read and export the audit trail"
)

// Operations in the order README.md lists them.
var Operations = []Operation{
	OpViewPatient, OpEditPatient, OpViewReferralList, OpRefer, OpViewCaseRecord,
	OpWriteCaseNotes, OpMoveReferral, OpViewDiary, OpBook, OpPrintCard, OpViewRotas,
	OpManageWorkingPatterns, OpViewDirectory, OpEditDirectory, OpViewPrescription,
	OpIssuePrescription, OpPrintPrescription, OpExport, OpViewReports, OpListStaff, OpOwnAccount,
	OpManageUsers, OpBackup, OpRestore, OpPracticeSettings, OpSubjectAccess, OpRetention, OpViewAudit,
}

// matrix is the one table of who may do what. Case notes (case records,
// contacts, goals, wellbeing, prescriptions) are for the clinical roles
// and the practice manager (read-only); reception books and keeps contact
// details; the administrator looks after users, backups and the screen lock
// and reads no patient data. The practice manager answers subject access
// requests and applies the retention period (the practice is the data
// controller; they act for it). The audit trail is the practice manager's
// too: it names the patients whose records were opened and what was
// searched for, which is patient data, so the administrator does not read
// it (they can still check the chain is intact: linkwell audit verify).
var matrix = map[Role][]Operation{
	RoleReceptionist: {OpViewPatient, OpEditPatient, OpViewReferralList, OpViewDiary, OpBook,
		OpPrintCard, OpViewRotas, OpViewDirectory, OpListStaff, OpOwnAccount},
	RoleGP: {OpViewPatient, OpEditPatient, OpViewReferralList, OpRefer, OpViewCaseRecord,
		OpViewDiary, OpViewRotas, OpViewDirectory, OpViewPrescription, OpIssuePrescription,
		OpPrintPrescription, OpListStaff, OpOwnAccount},
	RoleLinkWorker: {OpViewPatient, OpEditPatient, OpViewReferralList, OpRefer, OpViewCaseRecord,
		OpWriteCaseNotes, OpMoveReferral, OpViewDiary, OpBook, OpPrintCard, OpViewRotas,
		OpViewDirectory, OpEditDirectory, OpViewPrescription, OpIssuePrescription,
		OpPrintPrescription, OpListStaff, OpOwnAccount},
	RolePracticeManager: {OpViewPatient, OpViewReferralList, OpViewCaseRecord, OpViewDiary,
		OpViewRotas, OpManageWorkingPatterns, OpViewDirectory, OpEditDirectory,
		OpViewPrescription, OpPrintPrescription, OpExport, OpViewReports, OpListStaff, OpOwnAccount,
		OpSubjectAccess, OpRetention, OpViewAudit},
	RoleAdministrator: {OpViewRotas, OpViewDirectory, OpEditDirectory, OpListStaff, OpOwnAccount,
		OpManageUsers, OpBackup, OpRestore, OpPracticeSettings},
}

// May reports whether role r may do op. An unknown role may do nothing.
func (r Role) May(op Operation) bool {
	for _, x := range matrix[r] {
		if x == op {
			return true
		}
	}
	return false
}

// ReviewsStaleServices: checking the directory entries not verified for a
// year is the practice manager's job (and the administrator's), so their
// directory offers the list. Anyone may still filter for stale entries.
func (r Role) ReviewsStaleServices() bool {
	return r == RolePracticeManager || r == RoleAdministrator
}

// HasCaseload: link workers hold a caseload and a diary of appointments;
// only they can be a referral's or an appointment's link worker.
func (r Role) HasCaseload() bool { return r == RoleLinkWorker }
