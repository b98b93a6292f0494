package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// AuditScreen is the practice manager's view of the audit trail: who did
// what to which record and when, newest first, filtered by user, patient,
// dates and action, a page at a time, with an export to CSV (itself
// audited).
type AuditScreen struct {
	app *App

	users    []data.User
	user     *widget.Select
	action   *widget.Select
	from, to *keyEntry

	// The patient filter: a search, then a choice among its matches.
	patientSearch *keyEntry
	patientPick   *widget.Select
	matches       []data.Patient
	patient       data.Patient // the patient filtered on; ID 0 for anyone
	clearPatient  *widget.Button

	table   *widget.Table
	events  []data.AuditEvent
	more    *widget.Button
	status  *widget.Label
	message *widget.Label
	export  *widget.Button

	content fyne.CanvasObject
}

var auditColumns = []column{{"When", 140}, {"Who", 170}, {"Action", 180}, {"Record", 270}, {"Detail", 420}}

const (
	anyone    = "Anyone"
	anyAction = "Any action"
)

// NewAuditScreen builds the filters and the list, and shows the newest events.
func NewAuditScreen(a *App) *AuditScreen {
	s := &AuditScreen{app: a}
	ctx := context.Background()

	names := []string{anyone}
	users, err := a.store.AuditUsers(ctx, a.session)
	s.users = users
	for _, u := range users {
		names = append(names, userChoice(u))
	}
	s.user = widget.NewSelect(names, func(string) { s.Reload() })
	s.user.SetSelected(anyone)

	actions := []string{anyAction}
	for _, c := range data.AuditActions {
		actions = append(actions, c.Label)
	}
	s.action = widget.NewSelect(actions, func(string) { s.Reload() })
	s.action.SetSelected(anyAction)

	s.from, s.to = a.newEntry(), a.newEntry()
	s.from.SetPlaceHolder("DD/MM/YYYY")
	s.to.SetPlaceHolder("DD/MM/YYYY")
	s.from.OnSubmitted = func(string) { s.Reload() }
	s.to.OnSubmitted = func(string) { s.Reload() }

	s.patientSearch = a.newEntry()
	s.patientSearch.SetPlaceHolder("Name, NHS number or date of birth; Enter finds")
	s.patientSearch.OnSubmitted = func(string) { s.FindPatient() }
	s.patientPick = widget.NewSelect(nil, s.pickPatient)
	s.patientPick.PlaceHolder = "Choose the patient"
	s.patientPick.Hide()
	s.clearPatient = widget.NewButtonWithIcon("Any patient", theme.ContentClearIcon(), func() { s.SetPatient(data.Patient{}) })
	s.clearPatient.Hide()

	s.table = widget.NewTable(
		func() (int, int) { return len(s.events), len(auditColumns) },
		cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(s.events) {
				o.(*widget.Label).SetText(auditCell(s.events[id.Row], id.Col))
			}
		})
	setColumns(s.table, auditColumns)

	s.more = widget.NewButtonWithIcon("Show older", theme.MoreVerticalIcon(), s.ShowOlder)
	s.status = widget.NewLabel("")
	s.message = errorLabel()
	s.export = widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), s.chooseExport)

	filters := widget.NewForm(
		widget.NewFormItem("User", s.user),
		widget.NewFormItem("Action", s.action),
		widget.NewFormItem("From", s.from),
		widget.NewFormItem("To", s.to),
	)
	patient := widget.NewForm(widget.NewFormItem("Patient",
		container.NewVBox(s.patientSearch, s.patientPick, s.clearPatient)))
	apply := widget.NewButtonWithIcon("Apply dates", theme.SearchIcon(), s.Reload)
	top := container.NewVBox(
		heading("Audit trail"),
		widget.NewLabel("Who opened, searched, changed, printed, exported or backed up what, and when. Newest first."),
		container.NewGridWithColumns(2, filters, container.NewVBox(patient, container.NewHBox(apply))),
		s.message,
	)
	bottom := container.NewBorder(nil, nil, s.status, container.NewHBox(s.more, s.export))
	s.content = container.NewPadded(container.NewBorder(top, bottom, nil, nil, focusMarked(s.table)))
	if err != nil {
		showMessage(s.message, "The staff list could not be read: "+err.Error(), true)
	}
	ctrl := fyne.KeyModifierShortcutDefault
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: ctrl}, s.chooseExport)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, s.Focus)
	s.Reload()
	return s
}

// Content is the screen's root object.
func (s *AuditScreen) Content() fyne.CanvasObject { return s.content }

// Focus puts the keyboard in the patient search.
func (s *AuditScreen) Focus() { focus(s.app.win, s.patientSearch) }

func userChoice(u data.User) string {
	choice := u.FullName + " (" + u.Role.Label() + ")"
	if !u.Active {
		choice += ", switched off"
	}
	return choice
}

func auditCell(e data.AuditEvent, col int) string {
	switch col {
	case 0:
		return e.At.Format("02/01/2006 15:04")
	case 1:
		return e.Who()
	case 2:
		return data.AuditActionLabel(e.Action)
	case 3:
		return caseArrowFix(e.Record)
	case 4:
		return caseArrowFix(e.Detail) // "received → contacted"
	}
	return ""
}

// Filter is the filter the screen's fields set, or why a field is wrong.
func (s *AuditScreen) Filter() (data.AuditFilter, error) {
	f := data.AuditFilter{PatientID: s.patient.ID}
	for i, name := range s.user.Options {
		if name == s.user.Selected && i > 0 && i <= len(s.users) {
			f.UserID = s.users[i-1].ID
		}
	}
	if s.action.Selected != anyAction {
		f.Action = data.CodeOf(data.AuditActions, s.action.Selected)
	}
	var errs []string
	for _, d := range []struct {
		e    *keyEntry
		into *string
		name string
	}{{s.from, &f.From, "From"}, {s.to, &f.To, "To"}} {
		text := strings.TrimSpace(d.e.Text)
		if text == "" {
			continue
		}
		t, err := data.ParseUKDate(text)
		if err != nil {
			errs = append(errs, d.name+" must be a date like 25/11/2026")
			continue
		}
		*d.into = t.Format(data.DateLayout)
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		errs = append(errs, "From is after To")
	}
	if len(errs) > 0 {
		return f, errors.New(strings.Join(errs, "; ") + ".")
	}
	return f, nil
}

// Reload shows the newest page of events that match the filters.
func (s *AuditScreen) Reload() {
	if s.table == nil {
		return // still being built
	}
	s.events = nil
	s.load(0)
}

// ShowOlder adds the next page of older events.
func (s *AuditScreen) ShowOlder() {
	if len(s.events) > 0 {
		s.load(s.events[len(s.events)-1].ID)
	}
}

func (s *AuditScreen) load(before int64) {
	f, err := s.Filter()
	if err != nil {
		showMessage(s.message, err.Error(), true)
		return
	}
	showMessage(s.message, "", false)
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		page, err := store.AuditEvents(context.Background(), sess, f, before, data.AuditPage)
		return func() {
			if err != nil {
				s.app.showError(err)
				return
			}
			if before == 0 {
				s.events = nil
				s.table.ScrollToTop()
			}
			s.events = append(s.events, page...)
			s.table.Refresh()
			switch {
			case len(s.events) == 0:
				s.status.SetText("No events match.")
			case len(page) < data.AuditPage:
				s.status.SetText(fmt.Sprintf("All %s that match are shown.", count(len(s.events), "event", "events")))
			default:
				s.status.SetText(fmt.Sprintf("The newest %s that match are shown.", count(len(s.events), "event", "events")))
			}
			if len(page) < data.AuditPage {
				s.more.Disable()
			} else {
				s.more.Enable()
			}
		}
	})
}

// Events are the events on show.
func (s *AuditScreen) Events() []data.AuditEvent { return s.events }

// SetUser filters on one user, by name; "" for anyone.
func (s *AuditScreen) SetUser(fullName string) {
	for _, u := range s.users {
		if u.FullName == fullName {
			s.user.SetSelected(userChoice(u))
			return
		}
	}
	s.user.SetSelected(anyone)
}

// FindPatient searches for the patient typed (the search is audited like
// any other) and filters on them, or offers the matches to choose from.
func (s *AuditScreen) FindPatient() {
	query := strings.TrimSpace(s.patientSearch.Text)
	if query == "" {
		return
	}
	found, err := s.app.store.SearchPatients(context.Background(), s.app.session, query, 20)
	if err != nil {
		s.app.showError(err)
		return
	}
	s.matches = found
	switch len(found) {
	case 0:
		showMessage(s.message, fmt.Sprintf("No patient matches “%s”.", query), true)
	case 1:
		s.SetPatient(found[0])
	default:
		var options []string
		for _, p := range found {
			options = append(options, patientChoice(p))
		}
		s.patientPick.Options = options
		s.patientPick.ClearSelected()
		s.patientPick.Show()
	}
}

func patientChoice(p data.Patient) string {
	choice := p.FullName() + ", born " + data.FormatUKDate(p.DateOfBirth)
	if p.NHSNumber != "" {
		choice += ", NHS " + data.FormatNHSNumber(p.NHSNumber)
	}
	return choice
}

func (s *AuditScreen) pickPatient(choice string) {
	for _, p := range s.matches {
		if patientChoice(p) == choice {
			s.SetPatient(p)
			return
		}
	}
}

// SetPatient filters on one patient's records (ID 0: any patient).
func (s *AuditScreen) SetPatient(p data.Patient) {
	s.patient = p
	s.patientPick.Hide()
	if p.ID == 0 {
		s.patientSearch.SetText("")
		s.clearPatient.Hide()
	} else {
		s.patientSearch.SetText(p.FullName())
		s.clearPatient.Show()
	}
	s.Reload()
}

// chooseExport asks where to save the events that match and writes them.
func (s *AuditScreen) chooseExport() {
	s.app.askSavePath("audit.csv", []string{".csv"}, s.ExportFile)
}

// ExportFile writes every event that matches the filters to path as CSV
// (".csv" is added when there is no extension). The export is audited.
func (s *AuditScreen) ExportFile(path string) {
	if filepath.Ext(path) == "" {
		path += ".csv"
	}
	f, err := s.Filter()
	if err != nil {
		showMessage(s.message, err.Error(), true)
		return
	}
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		n, err := store.ExportAuditFile(context.Background(), sess, f, path)
		return func() {
			if err != nil {
				showMessage(s.message, "The audit could not be exported: "+err.Error(), true)
				return
			}
			showMessage(s.message, fmt.Sprintf("Exported %s to %s.", count(n, "event", "events"), path), false)
			s.Reload() // the export is now the newest event
		}
	})
}
