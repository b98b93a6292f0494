package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// ShowEachScreen shows each screen of a demo practice in turn, with
// something on it, calling shown with a file name once the screen is drawn
// (cmd/screenshots saves it). Each screen is shown to a role that may use
// it: the link worker's screens, the manager's working patterns, audit and
// directory, the administrator's staff list. It ends signed in as admin. (A function, not a method, so that the linker
// leaves it out of linkwell, which never calls it.)
func ShowEachScreen(a *App, worker, manager, admin *data.Session, shown func(name string) error) error {
	ctx := context.Background()
	a.SignedIn(worker)
	a.Show("Patients") // the link worker lands on Referrals
	if a.patients == nil {
		return fmt.Errorf("the patients screen did not open")
	}
	a.patients.picker.SetQuery("Wi")
	a.patients.picker.SearchNow()
	if len(a.patients.picker.Results()) > 0 {
		a.patients.picker.table.Select(widget.TableCellID{})
	}
	if err := shown("patients"); err != nil {
		return err
	}
	a.Show("Referrals")
	if err := shown("referrals"); err != nil {
		return err
	}
	a.Show("New referral")
	if err := shown("new-referral"); err != nil {
		return err
	}
	// The case record of the active episode with the most going on.
	rows, err := a.store.ListReferrals(ctx, a.session, data.ReferralFilter{Statuses: []data.ReferralStatus{data.StatusActive}},
		data.ReferralSort{Column: data.SortActivity, Desc: true}, 0, 1)
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		a.OpenCase(rows[0].ID)
		if err := shown("case-record"); err != nil {
			return err
		}
	}
	for _, screen := range []struct{ page, file string }{
		{"Today", "today"}, {"Diary", "diary"},
	} {
		a.Show(screen.page)
		if err := shown(screen.file); err != nil {
			return err
		}
	}
	a.SignedIn(manager) // lands on the dashboard
	if err := shown("dashboard"); err != nil {
		return err
	}
	a.Show("Working patterns")
	if err := shown("working-patterns"); err != nil {
		return err
	}
	a.Show("Retention")
	if err := shown("retention"); err != nil {
		return err
	}
	// The audit, narrowed to what the link worker did.
	a.Show("Audit")
	if s := a.audit; s != nil {
		s.SetUser(worker.User().FullName)
		if err := shown("audit"); err != nil {
			return err
		}
	}
	if err := showDirectoryAndPrescription(ctx, a, worker, shown); err != nil {
		return err
	}
	a.SignedIn(admin)
	a.Show("Staff")
	if err := shown("staff"); err != nil {
		return err
	}
	a.Lock()
	err = shown("lock")
	a.SignOut()
	return err
}

// showDirectoryAndPrescription shows the directory with an entry open,
// and a prescription with a patient and two services with notes.
func showDirectoryAndPrescription(ctx context.Context, a *App, worker *data.Session, shown func(string) error) error {
	a.Show("Directory")
	if d := a.directory; d != nil && len(d.results) > 0 {
		d.table.Select(widget.TableCellID{})
	}
	if err := shown("directory"); err != nil {
		return err
	}
	a.SignedIn(worker)
	// A patient in an active episode with an appointment still to come.
	rows, err := a.store.ListReferrals(ctx, a.session, data.ReferralFilter{Statuses: []data.ReferralStatus{data.StatusActive}},
		data.ReferralSort{Column: data.SortActivity, Desc: true}, 0, 50)
	if err != nil {
		return err
	}
	var patientID, referralID int64
	for _, r := range rows {
		if patientID == 0 || nextAppointment(ctx, a.store, a.session, r.PatientID) != nil {
			patientID, referralID = r.PatientID, r.ID
		}
		if nextAppointment(ctx, a.store, a.session, r.PatientID) != nil {
			break
		}
	}
	a.StartPrescription(patientID, referralID)
	if rx := a.rx; rx != nil && patientID != 0 {
		for _, find := range []struct{ words, note string }{
			{"walk", "Ask for Jane at the gate; Tuesdays 10:00; the 24 bus stops outside."},
			{"lunch", "Ring Pat the day before so they save you a seat."},
		} {
			rx.serviceSearch.SetText(find.words)
			rx.AddFirstService()
			if n := len(rx.items); n > 0 {
				rx.SetNote(n-1, find.note)
			}
		}
		// A search under way, to show the directory's results too.
		rx.serviceSearch.SetText("art")
		rx.SearchServicesNow()
	}
	return shown("prescription")
}
