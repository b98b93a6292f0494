package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
	"linkwell/printing"
)

// PrescriptionScreen writes a social prescription with a patient: find
// them, add services from the directory with a personal note under each,
// add their next link-worker appointment, then save and print. Their
// earlier prescriptions are listed to reprint. Left to right it follows
// the job: the patient, the directory, the prescription.
type PrescriptionScreen struct {
	app      *App
	canIssue bool // GPs and link workers issue; others may reprint

	patient    data.Patient // ID 0 until chosen
	referralID int64        // the episode it belongs to, 0: none yet
	appt       *data.Appointment
	earlier    []data.Prescription
	issued     *data.Prescription // set once saved: the form is then locked

	// Finding the patient.
	picker *PatientPicker

	// The chosen patient.
	patientName, patientDetails, needs, referral *widget.Label
	changePatient                                *widget.Button
	card                                         *fyne.Container
	history                                      *fyne.Container

	// Finding services (active ones only).
	serviceSearch  *keyEntry
	serviceStatus  *widget.Label
	serviceList    *resultList // Down from the search, Up and Down, Enter adds
	serviceRows    *rowHeights // the results' heights, for names that wrap
	serviceResults []data.Service
	serviceSeq     atomic.Int64
	servicesShown  string // the search whose results are on show

	// The prescription.
	items                   []*rxItem
	itemsBox                *fyne.Container
	itemsEmpty              *widget.Label
	includeAppt, largePrint *widget.Check
	message                 *widget.Label
	preview, save, print    *widget.Button
	newRx                   *widget.Button

	// Containers whose contents show and hide, refreshed to lay them out
	// again.
	patientBox, left, bottom, root *fyne.Container

	content fyne.CanvasObject
}

// rxItem is one service on the prescription with its note.
type rxItem struct {
	service          data.Service
	title, details   *widget.Label
	note             *keyEntry
	up, down, remove *iconButton
	box              *fyne.Container
}

const rxServiceLimit = 30

// NewPrescriptionScreen builds the screen; patientID (0: find one) is
// chosen at once, with referralID as their episode (0: their open
// referral, if any).
func NewPrescriptionScreen(a *App, patientID, referralID int64) *PrescriptionScreen {
	s := &PrescriptionScreen{app: a, canIssue: a.session.May(data.OpIssuePrescription)}
	s.buildPatient()
	s.buildServices()
	s.buildPrescription()

	s.patientBox = container.NewVBox(sectionLabel("Patient"), s.picker.Content(), s.card)
	s.left = container.NewBorder(s.patientBox, nil, nil, nil, container.NewVScroll(s.history))
	middle := container.NewBorder(container.NewVBox(sectionLabel("Add services from the directory"), s.serviceSearch, s.serviceStatus),
		nil, nil, nil, s.serviceRows.content)
	right := container.NewBorder(sectionLabel("On this prescription"), nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.itemsEmpty, s.itemsBox)))
	// Three columns; narrower in a narrow window (issue 17).
	columns := container.New(columns{340, 330}, s.left, middle, right)

	buttons := newFlow(spareRight, s.preview, s.save, s.print, s.newRx)
	s.bottom = container.NewVBox(widget.NewSeparator(), s.includeAppt, s.largePrint, s.message, buttons)
	s.root = container.NewBorder(heading("Social prescription"), s.bottom, nil, nil, columns)
	s.content = container.NewPadded(s.root)

	ctrl := fyne.KeyModifierShortcutDefault
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}, s.Save)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: ctrl}, s.Print)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, func() { focus(a.win, s.serviceSearch) })

	s.clearPatient()
	if !s.canIssue {
		s.setMessage("Only GPs and link workers issue social prescriptions; you can preview one and reprint earlier ones.", true)
	}
	if patientID != 0 {
		s.ChoosePatient(patientID, referralID)
	}
	return s
}

// Focus puts the keyboard where the work starts: the patient search, or
// the service search once a patient is chosen.
func (s *PrescriptionScreen) Focus() {
	if s.patient.ID == 0 {
		s.picker.Focus()
	} else {
		focus(s.app.win, s.serviceSearch)
	}
}

// Content is the screen's root object.
func (s *PrescriptionScreen) Content() fyne.CanvasObject { return s.content }

func (s *PrescriptionScreen) entry(multiLine bool) *keyEntry {
	e := newKeyEntry(multiLine, s.Save, nil)
	e.app = s.app
	return e
}

// listRoom gives a list a height of its own inside a VBox.
func listRoom(list fyne.CanvasObject, height float32) fyne.CanvasObject {
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(0, height))
	return container.NewStack(room, list)
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (s *PrescriptionScreen) buildPatient() {
	s.picker = NewPatientPicker(s.app, pickerLimit, shortPatientColumns)
	s.picker.OnChosen = func(p data.Patient) { s.ChoosePatient(p.ID, 0) }
	s.picker.Relayout = s.relayout
	s.picker.EnterPicksFirst = true
	s.picker.WithoutAdding() // a prescription is for a patient already registered

	s.patientName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.patientName.SizeName = theme.SizeNameSubHeadingText
	s.patientName.Truncation = fyne.TextTruncateEllipsis
	s.patientDetails = wrapped("")
	s.needs = wrapped("")
	s.referral = wrapped("")
	s.changePatient = widget.NewButtonWithIcon("Choose another patient", theme.AccountIcon(), func() { s.clearPatient(); s.Focus() })
	s.card = container.NewVBox(s.patientName, s.patientDetails, s.needs, s.referral, container.NewHBox(s.changePatient))
	s.history = container.NewVBox()
}

func (s *PrescriptionScreen) buildServices() {
	s.serviceSearch = s.entry(false)
	s.serviceSearch.SetPlaceHolder("e.g. walking, lunch club, debt")
	s.serviceSearch.OnChanged = func(string) { s.searchServicesSoon() }
	s.serviceSearch.OnSubmitted = func(string) { s.AddFirstService() }
	s.serviceSearch.onDown = s.toServices
	s.serviceStatus = wrapped("")
	// A service's whole name shows, wrapped (issue 17: "Arts on
	// Prescription at Eastwood Park Pavil…"); the line under it may be cut.
	newRow := func() fyne.CanvasObject {
		name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Wrapping = fyne.TextWrapWord
		more := widget.NewLabel("")
		more.Truncation = fyne.TextTruncateEllipsis
		more.SizeName = theme.SizeNameCaptionText
		return container.NewVBox(name, more)
	}
	fill := func(id int, o fyne.CanvasObject) {
		if id >= len(s.serviceResults) {
			return
		}
		sv := s.serviceResults[id]
		box := o.(*fyne.Container)
		box.Objects[0].(*widget.Label).SetText(sv.Name)
		box.Objects[1].(*widget.Label).SetText(serviceLine(sv))
		box.Refresh() // a reused row is laid out again for its new name
	}
	s.serviceList = &resultList{onTop: func() { focus(s.app.win, s.serviceSearch) }}
	s.serviceList.Length = func() int { return len(s.serviceResults) }
	s.serviceList.CreateItem = newRow
	s.serviceList.UpdateItem = fill
	s.serviceList.ExtendBaseWidget(s.serviceList)
	s.serviceRows = newRowHeights(s.serviceList, newRow, fill, func() int { return len(s.serviceResults) })
	s.serviceList.OnSelected = func(id widget.ListItemID) {
		if id < len(s.serviceResults) {
			s.AddService(s.serviceResults[id])
		}
		s.serviceList.UnselectAll()
	}
}

// serviceLine says who runs a service, when, and what it costs.
func serviceLine(sv data.Service) string {
	var parts []string
	for _, p := range []string{sv.Organisation, sv.Schedule, sv.Cost} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

func (s *PrescriptionScreen) buildPrescription() {
	s.itemsEmpty = wrapped("No services yet: find one in the directory and press Enter (or click it) to add it.")
	s.itemsBox = container.NewVBox()
	s.includeAppt = widget.NewCheck("Include next appointment", nil)
	s.largePrint = widget.NewCheck("Large print (16 pt and up)", nil)
	s.message = wrapped("")
	s.message.Hide()
	s.preview = widget.NewButtonWithIcon("Preview", theme.VisibilityIcon(), s.Preview)
	s.save = widget.NewButtonWithIcon("Save (Ctrl+S)", theme.DocumentSaveIcon(), s.Save)
	s.save.Importance = widget.HighImportance
	s.print = widget.NewButtonWithIcon("Print (Ctrl+P)", theme.DocumentPrintIcon(), s.Print)
	s.newRx = widget.NewButtonWithIcon("New prescription", theme.ContentAddIcon(), s.NewPrescription)
}

// clearPatient goes back to finding a patient.
func (s *PrescriptionScreen) clearPatient() {
	s.patient, s.referralID, s.appt, s.earlier = data.Patient{}, 0, nil, nil
	s.picker.Clear()
	s.picker.Content().Show()
	s.card.Hide()
	s.history.Objects = nil
	s.history.Refresh()
	s.relayout()
	s.resetPrescription()
}

// resetPrescription empties the services and unlocks the form.
func (s *PrescriptionScreen) resetPrescription() {
	s.issued = nil
	s.items = nil
	s.serviceSearch.SetText("")
	s.serviceResults = nil
	s.serviceRows.measure()
	s.serviceList.Refresh()
	s.showItems()
	s.showOptions()
	s.lock(false)
	if s.canIssue {
		s.setMessage("", false)
	}
}

// ChoosePatient shows a patient with their episode (referralID, or their
// open referral, or none), next appointment and earlier prescriptions.
func (s *PrescriptionScreen) ChoosePatient(patientID, referralID int64) {
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		ctx := context.Background()
		p, err := store.Patient(ctx, sess, patientID)
		if err != nil {
			return func() { s.setMessage("That patient could not be opened: "+err.Error()+".", true) }
		}
		var ref *data.Referral
		if referralID != 0 {
			if r, err := store.Referral(ctx, sess, referralID); err == nil && r.PatientID == p.ID {
				ref = &r
			}
		}
		if ref == nil {
			if r, err := store.OpenReferral(ctx, sess, p.ID); err == nil {
				ref = &r
			}
		}
		appt := nextAppointment(ctx, store, sess, p.ID)
		earlier, herr := store.PatientPrescriptions(ctx, sess, p.ID)
		return func() {
			s.resetPrescription()
			s.patient, s.appt = p, appt
			s.referralID = 0
			if ref != nil {
				s.referralID = ref.ID
			}
			s.showPatient(ref)
			s.showOptions()
			s.showHistory(earlier, herr)
			if !s.canIssue {
				s.setMessage("Only GPs and link workers issue social prescriptions; you can preview one and reprint earlier ones.", true)
			}
			// The next step is choosing services (only once the screen
			// is on the window: focus needs it there).
			if s.app.rx == s && s.app.current == "Prescription" {
				focus(s.app.win, s.serviceSearch)
			}
		}
	})
}

// nextAppointment is the patient's first future live appointment, or nil.
func nextAppointment(ctx context.Context, store *data.Store, sess *data.Session, patientID int64) *data.Appointment {
	appts, err := store.PatientAppointments(ctx, sess, patientID)
	if err != nil {
		return nil
	}
	now := store.Now()
	sort.Slice(appts, func(i, j int) bool { return appts[i].Start.Before(appts[j].Start) })
	for _, a := range appts {
		if a.Live() && a.Start.After(now) {
			return &a
		}
	}
	return nil
}

func (s *PrescriptionScreen) showPatient(ref *data.Referral) {
	p := s.patient
	s.patientName.SetText(p.FullName())
	details := "Born " + data.FormatUKDate(p.DateOfBirth)
	if p.NHSNumber != "" {
		details += " · NHS " + data.FormatNHSNumber(p.NHSNumber)
	}
	s.patientDetails.SetText(details)
	if needs := p.CommunicationNeeds(); len(needs) > 0 {
		s.needs.SetText("Communication needs: " + strings.Join(needs, ", ") + ".")
		s.needs.Importance = widget.WarningImportance
	} else {
		s.needs.SetText("No communication needs recorded.")
		s.needs.Importance = widget.MediumImportance
	}
	s.needs.Refresh()
	if ref != nil {
		s.referral.SetText(fmt.Sprintf("For the referral received %s (%s).", data.FormatUKDate(ref.ReceivedOn), strings.ToLower(ref.Status.Label())))
	} else {
		s.referral.SetText("A consultation with no referral yet.")
	}
	s.picker.Content().Hide()
	s.card.Show()
	s.relayout()
}

// relayout lays out again the parts whose contents showed or hid (a
// container lays out again only when refreshed; the root refreshes them
// all, so the bottom bar grows when the appointment line appears).
func (s *PrescriptionScreen) relayout() {
	for _, c := range []*fyne.Container{s.root} {
		if c != nil {
			c.Refresh()
		}
	}
}

// showHistory lists the patient's earlier prescriptions, newest first,
// each with Reprint.
func (s *PrescriptionScreen) showHistory(list []data.Prescription, err error) {
	s.earlier = list
	objs := []fyne.CanvasObject{widget.NewSeparator(), sectionLabel("Earlier prescriptions")}
	switch {
	case err != nil:
		objs = append(objs, wrapped("They could not be loaded: "+err.Error()+"."))
	case len(list) == 0:
		objs = append(objs, wrapped("None yet: this will be their first."))
	}
	for _, p := range list {
		id := p.ID
		when := data.FormatUKDate(p.IssuedAt.In(data.London()).Format(data.DateLayout))
		line := widget.NewLabel(fmt.Sprintf("%s · %s · %s", when, count(len(p.Items), "service", "services"), p.PrescriberName))
		line.Truncation = fyne.TextTruncateEllipsis
		b := widget.NewButtonWithIcon("Reprint", theme.DocumentPrintIcon(), func() { s.Reprint(id) })
		objs = append(objs, container.NewBorder(nil, nil, nil, b, line))
	}
	s.history.Objects = objs
	s.history.Refresh()
}

// showOptions offers the next appointment and sets large print from the
// patient's record.
func (s *PrescriptionScreen) showOptions() {
	if s.appt != nil {
		s.includeAppt.SetText("Include next appointment: " + appointmentWords(*s.appt))
		s.includeAppt.SetChecked(true)
		s.includeAppt.Show()
	} else {
		s.includeAppt.SetChecked(false)
		s.includeAppt.Hide()
	}
	// A recorded need for large print cannot be switched off (the store
	// would print it large anyway), only added for one document.
	if s.patient.LargePrint {
		s.largePrint.SetText("Large print (16 pt and up) — their record asks for it")
		s.largePrint.SetChecked(true)
		s.largePrint.Disable()
	} else {
		s.largePrint.SetText("Large print (16 pt and up)")
		s.largePrint.SetChecked(false)
		if s.issued == nil {
			s.largePrint.Enable()
		}
	}
	s.relayout()
}

// appointmentWords is "Tuesday 3 March 2026, 10:30 with Amira Khan".
func appointmentWords(a data.Appointment) string {
	return a.Start.In(data.London()).Format("Monday 2 January 2006, 15:04") + " with " + a.WorkerName
}

// Service search: active services only, as paused and closed ones cannot
// be prescribed.
func (s *PrescriptionScreen) searchServicesSoon() {
	n := s.serviceSeq.Add(1)
	query := s.serviceSearch.Text
	store, sess := s.app.store, s.app.session
	background(s.app.win, 150*time.Millisecond, func() func() {
		if s.serviceSeq.Load() != n {
			return nil
		}
		found, total, err := searchActive(store, sess, query)
		return func() {
			if s.serviceSeq.Load() == n {
				s.showServices(query, found, total, err)
			}
		}
	})
}

func searchActive(store *data.Store, sess *data.Session, query string) ([]data.Service, int, error) {
	if strings.TrimSpace(query) == "" {
		return nil, 0, nil
	}
	return store.SearchServices(context.Background(), sess, data.ServiceQuery{Text: query, Status: "active"}, 0, rxServiceLimit)
}

// SearchServicesNow searches the directory at once.
func (s *PrescriptionScreen) SearchServicesNow() {
	s.serviceSeq.Add(1)
	query := s.serviceSearch.Text
	found, total, err := searchActive(s.app.store, s.app.session, query)
	s.showServices(query, found, total, err)
}

func (s *PrescriptionScreen) showServices(query string, found []data.Service, total int, err error) {
	s.serviceResults, s.servicesShown = found, query
	s.serviceRows.measure()
	s.serviceList.Refresh()
	s.serviceList.Highlight(0) // Down from the search starts at the best match
	s.serviceList.ScrollToTop()
	switch {
	case err != nil:
		s.serviceStatus.SetText("The search failed: " + err.Error())
	case strings.TrimSpace(query) == "":
		s.serviceStatus.SetText("Type what they would enjoy or need; Enter adds the first match.")
	case len(found) == 0:
		s.serviceStatus.SetText("No open services match — try another word. Paused and closed services cannot be prescribed.")
	case total > len(found):
		s.serviceStatus.SetText(fmt.Sprintf("The best %d of %d; type more to narrow. Enter adds the first.", len(found), total))
	default:
		s.serviceStatus.SetText(count(len(found), "service", "services") + "; Enter adds the first, or click one.")
	}
}

// toServices moves from the service search to its results (Down),
// searching at once if the search typed has not run yet.
func (s *PrescriptionScreen) toServices() {
	if s.serviceSearch.Text != s.servicesShown {
		s.SearchServicesNow()
	}
	if len(s.serviceResults) > 0 {
		focus(s.app.win, s.serviceList)
	}
}

// resultList is a list of matches whose highlighted item Enter picks, as
// Space does; Up from the first item calls onTop (back to the search).
type resultList struct {
	widget.List
	onTop func()
}

// TypedKey implements fyne.Focusable.
func (l *resultList) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		e = &fyne.KeyEvent{Name: fyne.KeySpace}
	case fyne.KeyUp:
		// The highlight is the list's own: it moved if the list said so.
		moved := false
		on := l.OnHighlighted
		l.OnHighlighted = func(widget.ListItemID) { moved = true }
		l.List.TypedKey(e)
		l.OnHighlighted = on
		if !moved && l.onTop != nil {
			l.onTop()
		}
		return
	}
	l.List.TypedKey(e)
}

// ServiceResults are the services the last search found.
func (s *PrescriptionScreen) ServiceResults() []data.Service { return s.serviceResults }

// AddFirstService adds the best match for what is typed (Enter in the
// service search).
func (s *PrescriptionScreen) AddFirstService() {
	s.SearchServicesNow()
	if len(s.serviceResults) > 0 {
		s.AddService(s.serviceResults[0])
	}
}

// AddService puts a service on the prescription and moves to its note.
func (s *PrescriptionScreen) AddService(sv data.Service) {
	if s.issued != nil {
		return
	}
	if !data.Prescribable(sv) {
		s.setMessage(sv.Name+" is "+strings.ToLower(data.LabelOf(data.ServiceStatuses, sv.Status))+" and cannot be prescribed.", true)
		return
	}
	for _, it := range s.items {
		if it.service.ID == sv.ID {
			s.setMessage(sv.Name+" is already on the prescription.", true)
			focus(s.app.win, it.note)
			return
		}
	}
	if len(s.items) >= data.MaxPrescriptionItems {
		s.setMessage(fmt.Sprintf("A prescription can have at most %d services.", data.MaxPrescriptionItems), true)
		return
	}
	it := s.newItem(sv)
	s.items = append(s.items, it)
	s.showItems()
	if s.canIssue {
		s.setMessage("", false)
	}
	s.serviceSearch.SetText("")
	s.serviceSeq.Add(1)
	s.showServices("", nil, 0, nil)
	focus(s.app.win, it.note)
}

func (s *PrescriptionScreen) newItem(sv data.Service) *rxItem {
	it := &rxItem{service: sv}
	it.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	it.title.Truncation = fyne.TextTruncateEllipsis
	it.details = widget.NewLabel(serviceLine(sv))
	it.details.Truncation = fyne.TextTruncateEllipsis
	it.details.SizeName = theme.SizeNameCaptionText
	it.note = s.entry(true)
	it.note.SetMinRowsVisible(2)
	it.note.SetPlaceHolder("A note for them, e.g. Ask for Jane; Tuesdays 10:00; bus 24 stops outside")
	// Escape in a note goes back to the directory search for the next
	// service.
	it.note.onEscape = func() { focus(s.app.win, s.serviceSearch) }
	it.up = newIconButton("Move "+sv.Name+" up", theme.MoveUpIcon(), func() { s.move(it, -1) })
	it.down = newIconButton("Move "+sv.Name+" down", theme.MoveDownIcon(), func() { s.move(it, 1) })
	it.remove = newIconButton("Remove "+sv.Name, theme.DeleteIcon(), func() { s.Remove(it) })
	head := container.NewBorder(nil, nil, nil, container.NewHBox(it.up, it.down, it.remove), it.title)
	it.box = container.NewVBox(head, it.details, it.note, widget.NewSeparator())
	return it
}

// showItems lays the items out in order, numbered.
func (s *PrescriptionScreen) showItems() {
	objs := make([]fyne.CanvasObject, len(s.items))
	for i, it := range s.items {
		it.title.SetText(fmt.Sprintf("%d. %s", i+1, it.service.Name))
		objs[i] = it.box
		if s.issued != nil || i == 0 {
			it.up.Disable()
		} else {
			it.up.Enable()
		}
		if s.issued != nil || i == len(s.items)-1 {
			it.down.Disable()
		} else {
			it.down.Enable()
		}
	}
	s.itemsBox.Objects = objs
	s.itemsBox.Refresh()
	if len(s.items) == 0 {
		s.itemsEmpty.Show()
	} else {
		s.itemsEmpty.Hide()
	}
}

// move moves an item up (-1) or down (+1), keeping the focus on it.
func (s *PrescriptionScreen) move(it *rxItem, dir int) {
	i := s.itemIndex(it)
	j := i + dir
	if i < 0 || j < 0 || j >= len(s.items) || s.issued != nil {
		return
	}
	s.items[i], s.items[j] = s.items[j], s.items[i]
	s.showItems()
	if dir < 0 && !it.up.Disabled() {
		focus(s.app.win, it.up)
	} else if dir > 0 && !it.down.Disabled() {
		focus(s.app.win, it.down)
	} else {
		focus(s.app.win, it.note)
	}
}

// MoveUp and MoveDown reorder the item at i.
func (s *PrescriptionScreen) MoveUp(i int)   { s.move(s.items[i], -1) }
func (s *PrescriptionScreen) MoveDown(i int) { s.move(s.items[i], 1) }

// Remove takes an item off the prescription.
func (s *PrescriptionScreen) Remove(it *rxItem) {
	i := s.itemIndex(it)
	if i < 0 || s.issued != nil {
		return
	}
	s.items = append(s.items[:i:i], s.items[i+1:]...)
	s.showItems()
	focus(s.app.win, s.serviceSearch)
}

func (s *PrescriptionScreen) itemIndex(it *rxItem) int {
	for i, x := range s.items {
		if x == it {
			return i
		}
	}
	return -1
}

// Items are the services on the prescription, in order.
func (s *PrescriptionScreen) Items() []data.Service {
	out := make([]data.Service, len(s.items))
	for i, it := range s.items {
		out[i] = it.service
	}
	return out
}

// SetNote writes the note of the item at i.
func (s *PrescriptionScreen) SetNote(i int, note string) { s.items[i].note.SetText(note) }

// request is the prescription as chosen.
func (s *PrescriptionScreen) request() data.NewPrescription {
	in := data.NewPrescription{PatientID: s.patient.ID, ReferralID: s.referralID, LargePrint: s.largePrint.Checked}
	for _, it := range s.items {
		in.Items = append(in.Items, data.NewPrescriptionItem{ServiceID: it.service.ID, Note: it.note.Text})
	}
	if s.appt != nil && s.includeAppt.Checked {
		in.NextAppointmentID = s.appt.ID
	}
	return in
}

// Save issues the prescription. On an error nothing typed is lost and the
// message says what to do.
func (s *PrescriptionScreen) Save() {
	if s.issued != nil {
		s.setMessage("This prescription is already saved. Print it with Ctrl+P, or start a New prescription.", false)
		return
	}
	s.issue()
}

// issue saves the prescription and locks the form; false if it could not.
func (s *PrescriptionScreen) issue() bool {
	if !s.canIssue {
		s.setMessage("Only GPs and link workers can issue a social prescription.", true)
		return false
	}
	p, err := s.app.store.IssuePrescription(context.Background(), s.app.session, s.request())
	if err != nil {
		switch {
		case errors.Is(err, data.ErrNotAllowed):
			s.setMessage("Only GPs and link workers can issue a social prescription.", true)
		default:
			if v, ok := data.FieldErrors(err); ok {
				s.setMessage("Not saved: "+v.Error()+".", true)
			} else {
				s.setMessage("The prescription could not be saved: "+err.Error()+". Nothing you chose is lost; try again.", true)
			}
		}
		return false
	}
	s.issued = &p
	s.lock(true)
	// The focus leaves the box just locked: Fyne drops every shortcut but
	// Copy typed into a disabled entry, so Ctrl+P, which the message asks
	// for, did nothing after Ctrl+S in a note (issue 17). On Print, Space
	// prints too.
	focus(s.app.win, s.print)
	s.setMessage(fmt.Sprintf("Saved at %s. Print it with Ctrl+P to give to %s.",
		p.IssuedAt.In(data.London()).Format("15:04"), s.patient.FullName()), false)
	earlier, herr := s.app.store.PatientPrescriptions(context.Background(), s.app.session, s.patient.ID)
	s.showHistory(earlier, herr)
	return true
}

// lock stops changes to an issued prescription: a change would be a new
// prescription, which New prescription starts.
func (s *PrescriptionScreen) lock(on bool) {
	for _, it := range s.items {
		if on {
			it.note.Disable()
			it.remove.Disable()
		} else {
			it.note.Enable()
			it.remove.Enable()
		}
	}
	s.showItems() // the arrows
	if on {
		s.serviceSearch.Disable()
		s.includeAppt.Disable()
		s.largePrint.Disable()
		s.save.Disable()
		s.newRx.Show()
	} else {
		s.serviceSearch.Enable()
		s.includeAppt.Enable()
		if !s.patient.LargePrint {
			s.largePrint.Enable()
		}
		if s.canIssue {
			s.save.Enable()
		} else {
			s.save.Disable()
		}
		s.newRx.Hide()
	}
	if s.canIssue {
		s.print.Enable()
	} else {
		s.print.Disable()
	}
}

// Issued is the prescription as saved, or nil.
func (s *PrescriptionScreen) Issued() *data.Prescription { return s.issued }

// NewPrescription starts another prescription for the same patient.
func (s *PrescriptionScreen) NewPrescription() {
	s.resetPrescription()
	s.showOptions()
	focus(s.app.win, s.serviceSearch)
}

// Print saves the prescription if it is not saved yet, writes it as a PDF
// and opens it in the PDF viewer to print.
func (s *PrescriptionScreen) Print() {
	if s.issued == nil && !s.canIssue {
		s.setMessage("Only GPs and link workers can issue a social prescription.", true)
		return
	}
	path, err := tempPDF("social-prescription-*.pdf")
	if err == nil {
		err = s.PrintTo(path)
	}
	if err != nil {
		if s.issued != nil { // a failed save has said why already
			s.setMessage("The prescription could not be printed: "+err.Error()+".", true)
		}
		return
	}
	s.setMessage("The prescription is open in your PDF viewer; print it from there.", false)
	s.openPDF(path)
}

// PrintTo saves the prescription if needed, records the print and writes
// the PDF to path. A second print of the same prescription is a reprint.
func (s *PrescriptionScreen) PrintTo(path string) error {
	if s.issued == nil && !s.issue() {
		return errors.New(s.message.Text)
	}
	return s.printTo(s.issued.ID, path)
}

// Reprint prints an earlier prescription again, as issued, marked
// "Reprint".
func (s *PrescriptionScreen) Reprint(id int64) {
	path, err := tempPDF("social-prescription-*.pdf")
	if err == nil {
		err = s.ReprintTo(id, path)
	}
	if err != nil {
		s.setMessage("The prescription could not be reprinted: "+err.Error()+".", true)
		return
	}
	s.setMessage("The reprint is open in your PDF viewer; print it from there.", false)
	s.openPDF(path)
}

// ReprintTo writes an earlier prescription to path.
func (s *PrescriptionScreen) ReprintTo(id int64, path string) error {
	return s.printTo(id, path)
}

// printTo records the print and writes the PDF: the same job as
// 'linkwell print prescription'.
func (s *PrescriptionScreen) printTo(id int64, path string) error {
	_, err := printing.Prescription(context.Background(), s.app.store, s.app.session, id, path)
	return err
}

// tempPDF makes a file for a PDF to open and print, in the private print
// folder the app empties when it closes.
func tempPDF(pattern string) (string, error) { return printing.TempPDF(pattern) }

// openPDF opens a PDF in the system's viewer.
func (s *PrescriptionScreen) openPDF(path string) {
	if err := openInViewer(path); err != nil {
		s.setMessage("The PDF is saved as "+path+" but could not be opened: "+err.Error()+".", true)
	}
}

// openInViewer opens a file in the program the system has for it.
func openInViewer(path string) error {
	return fyne.CurrentApp().OpenURL(data.FileURL(path)) // file:///C:/… on Windows
}

func (s *PrescriptionScreen) setMessage(text string, isError bool) {
	showMessage(s.message, text, isError)
	s.relayout()
}
