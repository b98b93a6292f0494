package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// sessionless are the engine's own methods: they open, check, back up on
// their own or sign in, and read no patient's data, so they take no session.
var sessionless = map[string]bool{
	"Close": true, "Path": true, "ReadOnly": true, "SetClock": true, "Now": true, "IsServer": true,
	"NeedsSetUp": true, "SetUp": true, "SignIn": true, "CreateDemo": true,
	"Check": true, "CheckIntegrity": true, "VerifyAudit": true,
	"AutoBackup": true, "LastGoodBackup": true, "BackupFolder": true,
	"Practice": true, // the header and the sign-in screen show its name
	"Setting":  true, // practice settings (the demo's today), no patient data
	// The screen lock time and retention period: no one's data, and the
	// window needs the lock time whoever is signed in.
	"PracticeSettings": true,
	// Which kinds of record changed and whether the server is there: no
	// one's data (watch.go); each screen then reads through its session.
	"Watch": true,
}

// rule is what one store method needs, and a call of it with harmless
// arguments: a refused call must fail before it looks at them.
type rule struct {
	op   Operation
	call func(ctx context.Context, s *Store, sess *Session) error
}

// rules names, for every store method that takes a session, the operation
// it needs. A new method must be added here (or to sessionless).
func rules(dir string, otherUser int64) map[string]rule {
	file := func(name string) string { return filepath.Join(dir, name+"-"+time.Now().Format("150405.000000000")) }
	e := func(_ any, err error) error { return err }
	return map[string]rule{
		"Backup": {OpBackup, func(c context.Context, s *Store, x *Session) error { return e(s.Backup(c, x, file("b.db"))) }},
		"BackupEncrypted": {OpBackup, func(c context.Context, s *Store, x *Session) error {
			return e(s.BackupEncrypted(c, x, file("b.db"), "a long passphrase 1"))
		}},
		"CaseRecord":          {OpViewCaseRecord, func(c context.Context, s *Store, x *Session) error { return e(s.CaseRecord(c, x, 0)) }},
		"RefreshCaseRecord":   {OpViewCaseRecord, func(c context.Context, s *Store, x *Session) error { return e(s.RefreshCaseRecord(c, x, 0)) }},
		"AddContact":          {OpWriteCaseNotes, func(c context.Context, s *Store, x *Session) error { return e(s.AddContact(c, x, Contact{})) }},
		"AddGoal":             {OpWriteCaseNotes, func(c context.Context, s *Store, x *Session) error { return e(s.AddGoal(c, x, Goal{})) }},
		"ReviewGoal":          {OpWriteCaseNotes, func(c context.Context, s *Store, x *Session) error { return s.ReviewGoal(c, x, 0, 0) }},
		"RecordWellbeing":     {OpWriteCaseNotes, func(c context.Context, s *Store, x *Session) error { return e(s.RecordWellbeing(c, x, Wellbeing{})) }},
		"Appointment":         {OpViewDiary, func(c context.Context, s *Store, x *Session) error { return e(s.Appointment(c, x, 0)) }},
		"PatientAppointments": {OpViewDiary, func(c context.Context, s *Store, x *Session) error { return e(s.PatientAppointments(c, x, 0)) }},
		"WorkerAppointments": {OpViewDiary, func(c context.Context, s *Store, x *Session) error {
			return e(s.WorkerAppointments(c, x, 0, time.Time{}, time.Time{}))
		}},
		"Book":                 {OpBook, func(c context.Context, s *Store, x *Session) error { return e(s.Book(c, x, Appointment{})) }},
		"ReferralWorker":       {OpBook, func(c context.Context, s *Store, x *Session) error { return e(s.ReferralWorker(c, x, 0)) }},
		"Reschedule":           {OpBook, func(c context.Context, s *Store, x *Session) error { return e(s.Reschedule(c, x, 0, time.Time{}, 0)) }},
		"Cancel":               {OpBook, func(c context.Context, s *Store, x *Session) error { return s.Cancel(c, x, 0, false, "") }},
		"SetAppointmentStatus": {OpBook, func(c context.Context, s *Store, x *Session) error { return s.SetAppointmentStatus(c, x, 0, "") }},
		"DNACount":             {OpViewDiary, func(c context.Context, s *Store, x *Session) error { return e(s.DNACount(c, x, 0, 0)) }},
		"ReferralsWithDNAs":    {OpViewDiary, func(c context.Context, s *Store, x *Session) error { return e(s.ReferralsWithDNAs(c, x, 0, 0)) }},
		"Leave":                {OpViewRotas, func(c context.Context, s *Store, x *Session) error { return e(s.Leave(c, x, 0, "", "")) }},
		"AddLeave": {OpManageWorkingPatterns, func(c context.Context, s *Store, x *Session) error {
			_, _, err := s.AddLeave(c, x, Leave{})
			return err
		}},
		"DeleteLeave":      {OpManageWorkingPatterns, func(c context.Context, s *Store, x *Session) error { return s.DeleteLeave(c, x, 0) }},
		"Sites":            {OpViewRotas, func(c context.Context, s *Store, x *Session) error { return e(s.Sites(c, x)) }},
		"AppointmentTypes": {OpViewRotas, func(c context.Context, s *Store, x *Session) error { return e(s.AppointmentTypes(c, x)) }},
		"SetAppointmentTypeMinutes": {OpManageWorkingPatterns, func(c context.Context, s *Store, x *Session) error {
			return s.SetAppointmentTypeMinutes(c, x, "", 0)
		}},
		"WorkSessions":   {OpViewRotas, func(c context.Context, s *Store, x *Session) error { return e(s.WorkSessions(c, x, 0)) }},
		"SetWorkPattern": {OpManageWorkingPatterns, func(c context.Context, s *Store, x *Session) error { return e(s.SetWorkPattern(c, x, 0, nil, "")) }},
		"NextAvailable":  {OpViewDiary, func(c context.Context, s *Store, x *Session) error { return e(s.NextAvailable(c, x, SlotQuery{})) }},
		"DiaryDay":       {OpViewDiary, func(c context.Context, s *Store, x *Session) error { return e(s.DiaryDay(c, x, time.Time{}, nil)) }},
		"DiaryWeek":      {OpViewDiary, func(c context.Context, s *Store, x *Session) error { return e(s.DiaryWeek(c, x, 0, time.Time{})) }},
		"TodayAppointments": {OpViewDiary, func(c context.Context, s *Store, x *Session) error {
			return e(s.TodayAppointments(c, x, time.Time{}))
		}},
		"ExportReferrals": {OpExport, func(c context.Context, s *Store, x *Session) error {
			return s.ExportReferrals(c, x, "", "", func(ReferralExportRow) error { return nil })
		}},
		"ExportReferralsFile": {OpExport, func(c context.Context, s *Store, x *Session) error {
			return e(s.ExportReferralsFile(c, x, "", "", file("r.csv")))
		}},
		"ExportReferralsFilterFile": {OpExport, func(c context.Context, s *Store, x *Session) error {
			return e(s.ExportReferralsFilterFile(c, x, ReferralFilter{}, file("r.csv"), nil))
		}},
		"ExportDiaryFile": {OpExport, func(c context.Context, s *Store, x *Session) error {
			return e(s.ExportDiaryFile(c, x, User{}, time.Time{}, time.Time{}, false, file("d.ics")))
		}},
		"ExportServicesFile": {OpViewDirectory, func(c context.Context, s *Store, x *Session) error {
			return e(s.ExportServicesFile(c, x, file("s.csv")))
		}},
		"AuditEvents": {OpViewAudit, func(c context.Context, s *Store, x *Session) error {
			return e(s.AuditEvents(c, x, AuditFilter{}, 0, 10))
		}},
		"ExportAuditFile": {OpViewAudit, func(c context.Context, s *Store, x *Session) error {
			return e(s.ExportAuditFile(c, x, AuditFilter{}, file("a.csv")))
		}},
		"AuditUsers":      {OpViewAudit, func(c context.Context, s *Store, x *Session) error { return e(s.AuditUsers(c, x)) }},
		"RecordCardPrint": {OpPrintCard, func(c context.Context, s *Store, x *Session) error { return s.RecordCardPrint(c, x, 0, false) }},
		"RecordCopy":      {OpBackup, func(c context.Context, s *Store, x *Session) error { return s.RecordCopy(c, x, file("copy.db")) }},
		"Patient":         {OpViewPatient, func(c context.Context, s *Store, x *Session) error { return e(s.Patient(c, x, 0)) }},
		"SavePatient": {OpEditPatient, func(c context.Context, s *Store, x *Session) error {
			return e(s.SavePatient(c, x, Patient{}, SaveOptions{}))
		}},
		"SearchPatients": {OpViewPatient, func(c context.Context, s *Store, x *Session) error { return e(s.SearchPatients(c, x, "a", 5)) }},
		"CountPatients":  {OpViewPatient, func(c context.Context, s *Store, x *Session) error { return e(s.CountPatients(c, x)) }},
		"IssuePrescription": {OpIssuePrescription, func(c context.Context, s *Store, x *Session) error {
			return e(s.IssuePrescription(c, x, NewPrescription{}))
		}},
		"Prescription": {OpViewPrescription, func(c context.Context, s *Store, x *Session) error { return e(s.Prescription(c, x, 0)) }},
		"PatientPrescriptions": {OpViewPrescription, func(c context.Context, s *Store, x *Session) error {
			return e(s.PatientPrescriptions(c, x, 0))
		}},
		"Printed": {OpViewPrescription, func(c context.Context, s *Store, x *Session) error { return e(s.Printed(c, x, 0)) }},
		"RecordPrint": {OpPrintPrescription, func(c context.Context, s *Store, x *Session) error {
			_, _, err := s.RecordPrint(c, x, 0)
			return err
		}},
		"ListReferrals": {OpViewReferralList, func(c context.Context, s *Store, x *Session) error {
			return e(s.ListReferrals(c, x, ReferralFilter{}, ReferralSort{}, 0, 10))
		}},
		"CountReferrals": {OpViewReferralList, func(c context.Context, s *Store, x *Session) error {
			return e(s.CountReferrals(c, x, ReferralFilter{}))
		}},
		"StatusCounts":     {OpViewReferralList, func(c context.Context, s *Store, x *Session) error { return e(s.StatusCounts(c, x, ReferralFilter{})) }},
		"Referral":         {OpViewReferralList, func(c context.Context, s *Store, x *Session) error { return e(s.Referral(c, x, 0)) }},
		"OpenReferral":     {OpViewReferralList, func(c context.Context, s *Store, x *Session) error { return e(s.OpenReferral(c, x, 0)) }},
		"PatientReferrals": {OpViewReferralList, func(c context.Context, s *Store, x *Session) error { return e(s.PatientReferrals(c, x, 0)) }},
		"CreateReferral":   {OpRefer, func(c context.Context, s *Store, x *Session) error { return e(s.CreateReferral(c, x, Referral{})) }},
		"Move":             {OpMoveReferral, func(c context.Context, s *Store, x *Session) error { return e(s.Move(c, x, 0, "", "", "")) }},
		"SetCoded":         {OpMoveReferral, func(c context.Context, s *Store, x *Session) error { return s.SetCoded(c, x, 0, false) }},
		"Reassign":         {OpMoveReferral, func(c context.Context, s *Store, x *Session) error { return s.Reassign(c, x, 0, 0, "") }},
		"Service":          {OpViewDirectory, func(c context.Context, s *Store, x *Session) error { return e(s.Service(c, x, 0)) }},
		"AllServices":      {OpViewDirectory, func(c context.Context, s *Store, x *Session) error { return e(s.AllServices(c, x)) }},
		"SaveService":      {OpEditDirectory, func(c context.Context, s *Store, x *Session) error { return e(s.SaveService(c, x, Service{})) }},
		"MarkVerified":     {OpEditDirectory, func(c context.Context, s *Store, x *Session) error { return e(s.MarkVerified(c, x, 0)) }},
		"StaleServices":    {OpViewDirectory, func(c context.Context, s *Store, x *Session) error { return e(s.StaleServices(c, x, time.Time{})) }},
		"SearchServices": {OpViewDirectory, func(c context.Context, s *Store, x *Session) error {
			_, _, err := s.SearchServices(c, x, ServiceQuery{}, 0, 5)
			return err
		}},
		"ImportServices": {OpEditDirectory, func(c context.Context, s *Store, x *Session) error { return e(s.ImportServices(c, x, nil, nil)) }},
		"ImportServicesFile": {OpEditDirectory, func(c context.Context, s *Store, x *Session) error {
			return e(s.ImportServicesFile(c, x, file("none.csv"), nil))
		}},
		"UnlockUser": {OpManageUsers, func(c context.Context, s *Store, x *Session) error { return s.UnlockUser(c, x, otherUser) }},
		"CreateUser": {OpManageUsers, func(c context.Context, s *Store, x *Session) error { return e(s.CreateUser(c, x, NewUser{})) }},
		// Another user's password: only for those who manage users (anyone
		// may change their own; see TestOwnPassword).
		"ResetPassword": {OpManageUsers, func(c context.Context, s *Store, x *Session) error { return s.ResetPassword(c, x, otherUser, "x") }},
		"SetUserActive": {OpManageUsers, func(c context.Context, s *Store, x *Session) error { return s.SetUserActive(c, x, otherUser, true) }},
		"Users":         {OpManageUsers, func(c context.Context, s *Store, x *Session) error { return e(s.Users(c, x)) }},
		"UsersWithRole": {OpListStaff, func(c context.Context, s *Store, x *Session) error { return e(s.UsersWithRole(c, x, RoleLinkWorker)) }},
		"SignOut":       {OpOwnAccount, func(c context.Context, s *Store, x *Session) error { return s.SignOut(c, x) }},
		"LockScreen":    {OpOwnAccount, func(c context.Context, s *Store, x *Session) error { return s.LockScreen(c, x, time.Minute) }},
		// The right password, so that the account is not locked for the roles after.
		"UnlockScreen": {OpOwnAccount, func(c context.Context, s *Store, x *Session) error {
			pw := "a test password 12"
			if x.User().Role == RoleAdministrator {
				pw = "correct horse battery"
			}
			return s.UnlockScreen(c, x, pw)
		}},
		"ExportSubjectAccessFile": {OpSubjectAccess, func(c context.Context, s *Store, x *Session) error {
			return e(s.ExportSubjectAccessFile(c, x, Subject{PatientID: 0}, file("sar.json"), nil))
		}},
		"AnonymiseClosedEpisodes": {OpRetention, func(c context.Context, s *Store, x *Session) error {
			return e(s.AnonymiseClosedEpisodes(c, x, true))
		}},
		"SetIdleLock":       {OpPracticeSettings, func(c context.Context, s *Store, x *Session) error { return s.SetIdleLock(c, x, 10) }},
		"SetRetentionYears": {OpRetention, func(c context.Context, s *Store, x *Session) error { return s.SetRetentionYears(c, x, 0) }},
		"Dashboard":         {OpViewReports, func(c context.Context, s *Store, x *Session) error { return e(s.Dashboard(c, x, PeriodMonth(s.now()))) }},
		"MonthlyReturn": {OpViewReports, func(c context.Context, s *Store, x *Session) error {
			return e(s.MonthlyReturn(c, x, PeriodMonth(s.now())))
		}},
		"ExportMonthlyReturnFile": {OpViewReports, func(c context.Context, s *Store, x *Session) error {
			return e(s.ExportMonthlyReturnFile(c, x, PeriodMonth(s.now()), file("m.csv")))
		}},
		"SetListSize":      {OpViewReports, func(c context.Context, s *Store, x *Session) error { return s.SetListSize(c, x, 100) }},
		"SetSuppressSmall": {OpViewReports, func(c context.Context, s *Store, x *Session) error { return s.SetSuppressSmall(c, x, false) }},
	}
}

// matrixStore is a practice with one signed-in user of every role.
func matrixStore(t *testing.T) (*Store, map[Role]*Session, User) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	ctx := context.Background()
	sessions := map[Role]*Session{}
	for _, r := range Roles {
		if r != RoleAdministrator {
			if _, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: string(r), FullName: r.Label() + " Person", Role: r, Password: "a test password 12"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	other, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: "other", FullName: "Other Person", Role: RoleReceptionist, Password: "a test password 12"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Roles {
		name := string(r)
		if r == RoleAdministrator {
			name = "admin"
		}
		pw := "a test password 12"
		if r == RoleAdministrator {
			pw = "correct horse battery"
		}
		sess, err := s.SignIn(ctx, name, pw)
		if err != nil {
			t.Fatal(name, err)
		}
		sessions[r] = sess
	}
	return s, sessions, other
}

// TestEveryMethodAsEveryRole calls every exported store method as every
// role and checks it is allowed or refused as the matrix says.
func TestEveryMethodAsEveryRole(t *testing.T) {
	s, sessions, other := matrixStore(t)
	ctx := context.Background()
	rs := rules(t.TempDir(), other.ID)
	typ := reflect.TypeOf(&Store{})
	calls := 0
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		r, ok := rs[name]
		if sessionless[name] {
			if ok {
				t.Errorf("%s is both sessionless and ruled", name)
			}
			continue
		}
		if !ok {
			t.Errorf("new method %s has no rule: add it to rules (or sessionless) in roles_matrix_test.go", name)
			continue
		}
		for _, role := range Roles {
			err := r.call(ctx, s, sessions[role])
			calls++
			if role.May(r.op) && errors.Is(err, ErrNotAllowed) {
				t.Errorf("%s as %s: refused, but the matrix allows %q", name, role, r.op)
			}
			if !role.May(r.op) && !errors.Is(err, ErrNotAllowed) {
				t.Errorf("%s as %s: got %v, want ErrNotAllowed (%q)", name, role, err, r.op)
			}
			if errors.Is(err, ErrSignedOut) {
				t.Errorf("%s as %s: %v", name, role, err)
			}
		}
		// No session at all is signed out, whatever the method.
		if err := r.call(ctx, s, nil); !errors.Is(err, ErrSignedOut) {
			t.Errorf("%s with no session: %v", name, err)
		}
	}
	for name := range rs {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("rules name %s, which the store does not have", name)
		}
	}
	t.Logf("%d methods with a session × %d roles = %d calls", len(rs), len(Roles), calls)
}

// TestForgedRoleDoesNothing: a receptionist cannot make an administrator
// (the role is read from the users table, never from the caller), and a
// receptionist reads no case record.
func TestForgedRoleDoesNothing(t *testing.T) {
	s, sessions, _ := matrixStore(t)
	ctx := context.Background()
	recep := sessions[RoleReceptionist]
	recep.user.Role = RoleAdministrator // what a caller might try; only display uses it
	if _, err := s.CreateUser(ctx, recep, NewUser{Username: "boss", FullName: "Boss", Role: RoleAdministrator, Password: "a test password 12"}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("receptionist made an administrator: %v", err)
	}
	if _, err := s.CaseRecord(ctx, recep, 1); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("receptionist read a case record: %v", err)
	}
	if _, err := s.Move(ctx, recep, 1, StatusClosed, "", ""); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("receptionist moved a referral: %v", err)
	}
}

// TestSwitchedOffSessionEnds: switching an account off ends its session at
// its next action; a session of another store is signed out too.
func TestSwitchedOffSessionEnds(t *testing.T) {
	s, sessions, _ := matrixStore(t)
	ctx := context.Background()
	recep := sessions[RoleReceptionist]
	if _, err := s.SearchPatients(ctx, recep, "a", 5); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserActive(ctx, sessions[RoleAdministrator], recep.User().ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SearchPatients(ctx, recep, "a", 5); !errors.Is(err, ErrSignedOut) {
		t.Errorf("switched-off search: %v", err)
	}
	if _, err := s.Book(ctx, recep, Appointment{}); !errors.Is(err, ErrSignedOut) {
		t.Errorf("switched-off booking: %v", err)
	}

	s2, _, _ := matrixStore(t)
	if _, err := s2.Users(ctx, sessions[RoleAdministrator]); !errors.Is(err, ErrSignedOut) {
		t.Errorf("another store's session: %v", err)
	}
	if _, err := s.Users(ctx, &Session{}); !errors.Is(err, ErrSignedOut) {
		t.Errorf("a made-up session: %v", err)
	}
}

// TestOwnPassword: anyone may change their own password.
func TestOwnPassword(t *testing.T) {
	s, sessions, _ := matrixStore(t)
	for _, r := range Roles {
		if err := s.ResetPassword(context.Background(), sessions[r], sessions[r].User().ID, "a new password 345"); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
}

// matrixMarkdown renders the matrix as README.md shows it.
func matrixMarkdown() string {
	var b strings.Builder
	b.WriteString("| May … |")
	for _, r := range Roles {
		b.WriteString(" " + r.Label() + " |")
	}
	b.WriteString("\n|---|")
	for range Roles {
		b.WriteString(":---:|")
	}
	b.WriteString("\n")
	for _, op := range Operations {
		b.WriteString("| " + string(op) + " |")
		for _, r := range Roles {
			if r.May(op) {
				b.WriteString(" yes |")
			} else {
				b.WriteString(" |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestReadmeMatrix: README.md's "Who may do what" table is the matrix.
// Set LINKWELL_UPDATE_README=1 to rewrite it.
func TestReadmeMatrix(t *testing.T) {
	const begin, end = "<!-- matrix begin: made by TestReadmeMatrix -->\n", "<!-- matrix end -->"
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no matrix between %q and %q", begin, end)
	}
	want := matrixMarkdown()
	if got := text[i+len(begin) : j]; got != want {
		if os.Getenv("LINKWELL_UPDATE_README") == "1" {
			os.WriteFile("../README.md", []byte(text[:i+len(begin)]+want+text[j:]), 0o644)
			return
		}
		t.Errorf("README.md's matrix differs from data/roles.go; run LINKWELL_UPDATE_README=1 go test -run TestReadmeMatrix ./data/\nwant:\n%s", want)
	}
	// Every operation is in the table once.
	ops := append([]Operation(nil), Operations...)
	sort.Slice(ops, func(a, b int) bool { return ops[a] < ops[b] })
	for k := 1; k < len(ops); k++ {
		if ops[k] == ops[k-1] {
			t.Errorf("%q twice in Operations", ops[k])
		}
	}
}
