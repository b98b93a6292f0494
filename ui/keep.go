package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// What the list screens showed when they were left, so that opening a
// record and coming back (Back, or the navigation) finds the same search,
// filters, sort, selection and place in the list (issue 17). Screens are
// built afresh each time they are shown, so each notes its state on the
// App as it is left and puts it back when built again. A new sign-in
// starts clean.

// referralsState is the Referrals list as it was left.
type referralsState struct {
	status, worker, source, reason string
	from, to, text                 string
	caseload                       bool
	sort                           data.ReferralSort
	selected                       int64   // the referral of the selected row, 0: none
	selectedRow                    int     // its row then
	top                            float32 // where the list was scrolled to
}

// patientsState is the Patients screen's search and the record open.
type patientsState struct {
	query     string
	patientID int64 // the patient in the form, 0: none
}

// directoryState is the Directory's search, filters and the entry open.
type directoryState struct {
	search, postcode               string
	category, cost, access, status string
	staleOnly, staleMode           bool
	offset                         int
	serviceID                      int64   // the entry in the form, 0: none
	top                            float32 // where the list was scrolled to
}

// keepScreen notes the state of the list screen on show before it is left.
func (a *App) keepScreen() {
	switch a.current {
	case "Referrals":
		if a.referrals != nil {
			a.referralsKept = a.referrals.kept()
		}
	case "Patients":
		if a.patients != nil {
			a.patientsKept = a.patients.kept()
		}
	case "Directory":
		if a.directory != nil {
			a.directoryKept = a.directory.kept()
		}
	}
}

// shownRows notes the rows a table draws. Fyne's Table does not say where
// it is scrolled, but a redraw draws exactly the rows on show, each cell
// placed at its row's place in the whole table, so redrawing tells where
// the table is scrolled to.
type shownRows struct {
	first int     // the first row on show, -1: none
	top   float32 // where it starts in the whole table
	back  float32 // where to scroll back to (scrollBack); 0: nowhere
}

// drawn is called from the table's UpdateCell.
func (r *shownRows) drawn(row int, cell fyne.CanvasObject) {
	if r.first < 0 || row < r.first {
		r.first, r.top = row, cell.Position().Y
	}
}

// of redraws t and returns the first row on show (-1 when none is) and
// where it starts, the place to scroll back to.
func (r *shownRows) of(t *widget.Table) (first int, top float32) {
	r.first, r.top = -1, 0
	t.Refresh()
	return r.first, r.top
}

// scrollBack scrolls t back to r.back once t has both its rows and its
// size: a screen is built, and may be loaded, before it is on the window.
func (r *shownRows) scrollBack(t *widget.Table) {
	if r.back <= 0 || t.Size().Height <= 0 {
		return
	}
	if rows, _ := t.Length(); rows == 0 {
		return
	}
	t.ScrollToOffset(fyne.NewPos(0, r.back))
	r.back = 0
}
