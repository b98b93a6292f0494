package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// BookingPanel books (or moves) an appointment in two steps, in the diary's
// side panel: find a free slot (next available, or a time clicked in the
// diary), then the booking itself: patient, referral, type, mode, notes.
// Every step works from the keyboard: Enter runs the search, picks the
// focused slot or patient, and books from the notes.
type BookingPanel struct {
	screen *DiaryScreen
	types  []data.AppointmentType
	sites  []data.Site
	moving *data.Appointment // not nil: rescheduling this appointment

	// Step 1: find a slot.
	findTitle *widget.Label
	typeSel   *widget.Select
	minutes   *keyEntry
	workerSel *widget.Select
	siteSel   *widget.Select
	modeSel   *widget.Select
	from      *keyEntry
	find      *enterButton
	findErr   *widget.Label
	slotsNote *widget.Label
	slotBox   *fyne.Container
	slots     []data.Slot
	slotBtns  []*enterButton
	stepFind  fyne.CanvasObject

	// Step 2: the booking.
	slot       data.Slot
	bookTitle  *widget.Label
	slotLabel  *widget.Label
	changeSlot *widget.Button

	picker        *PatientPicker // finds the patient, or adds one in place
	patient       data.Patient
	patientLabel  *widget.Label
	changePatient *widget.Button
	dnaLabel      *widget.Label

	referrals   []data.Referral // the patient's open referrals
	follows     data.User       // the link worker of their open referral; zero: none
	referralSel *widget.Select
	bookType    *widget.Select
	bookMode    *widget.Select
	notes       *keyEntry
	fields      fields
	message     *widget.Label
	altBox      *fyne.Container // next free slots after a refusal
	altBtns     []*enterButton
	submit      *enterButton
	patientPart fyne.CanvasObject // hidden when moving
	moveLabel   *widget.Label
	stepBook    fyne.CanvasObject

	content *fyne.Container
}

const (
	anyWorker  = "Any link worker"
	anySite    = "Any site"
	anyMode    = "Any"
	noReferral = "Not linked to a referral"
)

func newBookingPanel(s *DiaryScreen) *BookingPanel {
	b := &BookingPanel{screen: s}
	ctx := context.Background()
	var err error
	if b.types, err = s.app.store.AppointmentTypes(ctx, s.app.session); err != nil {
		s.app.showError(err)
	}
	if b.sites, err = s.app.store.Sites(ctx, s.app.session); err != nil {
		s.app.showError(err)
	}
	b.buildFind()
	b.buildBook()
	b.content = container.NewStack(b.stepFind)
	return b
}

func (b *BookingPanel) buildFind() {
	s := b.screen
	b.findTitle = heading("Next available")
	var typeNames []string
	for _, t := range b.types {
		typeNames = append(typeNames, t.Name)
	}
	b.minutes = b.entry(nil)
	b.minutes.OnSubmitted = func(string) { b.Find() }
	b.typeSel = widget.NewSelect(typeNames, func(name string) {
		if t, ok := b.typeNamed(name); ok && b.moving == nil {
			b.minutes.SetText(strconv.Itoa(t.DefaultMinutes))
			b.bookType.SetSelected(name)
		}
		b.Find()
	})
	workers := []string{anyWorker}
	for _, w := range s.workers {
		workers = append(workers, w.FullName)
	}
	b.workerSel = widget.NewSelect(workers, func(string) { b.Find() })
	sites := []string{anySite}
	for _, x := range b.sites {
		sites = append(sites, x.Name)
	}
	b.siteSel = widget.NewSelect(sites, func(string) { b.Find() })
	modes := []string{anyMode}
	for _, m := range data.AppointmentModes {
		modes = append(modes, m.Label)
	}
	b.modeSel = widget.NewSelect(modes, func(m string) {
		if m != anyMode {
			b.bookMode.SetSelected(m)
		}
		b.Find()
	})
	b.from = b.entry(nil)
	b.from.SetPlaceHolder("DD/MM/YYYY")
	b.from.OnSubmitted = func(string) { b.Find() }
	b.find = newEnterButton("Find next available", theme.SearchIcon(), b.Find)
	b.find.Importance = widget.HighImportance
	b.findErr = errorLabel()
	b.slotsNote = widget.NewLabel("")
	b.slotsNote.Wrapping = fyne.TextWrapWord
	b.slotBox = container.NewVBox()
	back := widget.NewButtonWithIcon("Close", theme.CancelIcon(), b.close)

	form := widget.NewForm(
		widget.NewFormItem("Type", b.typeSel),
		widget.NewFormItem("Length", container.NewBorder(nil, nil, nil, widget.NewLabel("minutes"), b.minutes)),
		widget.NewFormItem("Link worker", b.workerSel),
		widget.NewFormItem("Site", b.siteSel),
		widget.NewFormItem("Mode", b.modeSel),
		widget.NewFormItem("From", b.from),
	)
	b.stepFind = container.NewVBox(b.findTitle, form, container.NewHBox(b.find, back), b.findErr,
		b.slotsNote, b.slotBox)
}

func (b *BookingPanel) buildBook() {
	b.bookTitle = heading("Book")
	b.slotLabel = widget.NewLabel("")
	b.slotLabel.Wrapping = fyne.TextWrapWord
	b.slotLabel.TextStyle.Bold = true
	b.changeSlot = widget.NewButtonWithIcon("Other slots", theme.NavigateBackIcon(), b.backToSlots)

	b.picker = NewPatientPicker(b.screen.app, pickerLimit, shortPatientColumns)
	b.picker.OnChosen = b.ChoosePatient
	b.picker.OnEscape = b.close
	b.picker.Relayout = b.relayout
	b.patientLabel = widget.NewLabel("No patient chosen yet")
	b.patientLabel.Wrapping = fyne.TextWrapWord
	b.changePatient = widget.NewButtonWithIcon("Choose another patient", theme.AccountIcon(), func() {
		b.clearPatient()
		b.picker.Focus()
	})
	b.changePatient.Hide()
	b.dnaLabel = widget.NewLabel("")
	b.dnaLabel.Wrapping = fyne.TextWrapWord
	b.dnaLabel.Hide()

	b.referralSel = widget.NewSelect([]string{noReferral}, func(string) { b.showDNAs() })
	var typeNames []string
	for _, t := range b.types {
		typeNames = append(typeNames, t.Name)
	}
	b.bookType = widget.NewSelect(typeNames, nil)
	var modes []string
	for _, m := range data.AppointmentModes {
		modes = append(modes, m.Label)
	}
	b.bookMode = widget.NewSelect(modes, nil)
	b.bookMode.SetSelected(modes[0])
	b.notes = b.entry(b.Submit)
	b.notes.SetPlaceHolder("Optional; Enter books")
	b.notes.OnSubmitted = func(string) { b.Submit() }
	b.message = widget.NewLabel("")
	b.message.Wrapping = fyne.TextWrapWord
	b.message.Hide()
	b.altBox = container.NewVBox()
	b.submit = newEnterButton("Book appointment", theme.ConfirmIcon(), b.Submit)
	b.submit.Importance = widget.HighImportance
	closeBtn := widget.NewButtonWithIcon("Close", theme.CancelIcon(), b.close)

	start := newField("Start", "Slot", nil)
	patient := newField("PatientID", "Patient", nil) // its error shows under the picker
	b.fields = fields{
		start,
		patient,
		newField("ReferralID", "Referral", b.referralSel),
		newField("Type", "Type", b.bookType),
		newField("Mode", "Mode", b.bookMode),
		newField("Notes", "Notes", b.notes),
		newField("SiteID", "Site", nil),
		newField("WorkerID", "Link worker", nil),
	}
	// The slot sits above the rest: a move shows it alone. The patient
	// picker takes the panel's full width.
	slotBox := container.NewBorder(nil, nil, nil, b.changeSlot, b.slotLabel)
	b.patientPart = container.NewVBox(
		widget.NewLabelWithStyle("Patient", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		b.picker.Content(), patient.err, b.patientLabel, container.NewHBox(b.changePatient), b.dnaLabel,
		widget.NewForm(b.fields[2:6].formItems()...))
	b.moveLabel = widget.NewLabel("")
	b.moveLabel.Wrapping = fyne.TextWrapWord
	b.stepBook = container.NewVBox(b.bookTitle, slotBox, start.err, b.fields[6].err, b.fields[7].err,
		widget.NewSeparator(), b.patientPart, b.moveLabel, b.message, b.altBox, container.NewHBox(b.submit, closeBtn))
}

// relayout lays the panel out again after parts were shown, hidden or
// filled: Fyne does not pass a changed minimum size up by itself.
func (b *BookingPanel) relayout() {
	b.screen.sideScroll.Refresh()
	b.screen.side.Refresh()
}

// entry is a one-line entry that passes the diary's shortcuts on (Ctrl+B
// works while typing), saves with Ctrl+S when onSave is set, and closes
// the panel with Escape.
func (b *BookingPanel) entry(onSave func()) *keyEntry {
	e := newKeyEntry(false, onSave, b.close)
	e.app = b.screen.app
	return e
}

func (b *BookingPanel) typeNamed(name string) (data.AppointmentType, bool) {
	for _, t := range b.types {
		if t.Name == name {
			return t, true
		}
	}
	return data.AppointmentType{}, false
}

func (b *BookingPanel) typeCode(name string) string {
	t, _ := b.typeNamed(name)
	return t.Code
}

func (b *BookingPanel) typeName(code string) string {
	for _, t := range b.types {
		if t.Code == code {
			return t.Name
		}
	}
	return ""
}

func modeCode(label string) string {
	for _, m := range data.AppointmentModes {
		if m.Label == label {
			return m.Code
		}
	}
	return ""
}

// start opens step 1 for a new booking (moving nil) or a move, with the
// given worker (0: any), and runs the search at once.
func (b *BookingPanel) start(moving *data.Appointment, workerID int64) {
	b.moving = moving
	b.content.Objects = []fyne.CanvasObject{b.stepFind}
	b.content.Refresh()
	b.setMessage("", false)
	b.clearAlternatives()
	b.fields.clearErrors()
	setError(b.findErr, "")
	worker := anyWorker
	for _, w := range b.screen.workers {
		if w.ID == workerID {
			worker = w.FullName
		}
	}
	// Quietly set the criteria, then search once.
	b.quiet(func() {
		b.workerSel.SetSelected(worker)
		b.siteSel.SetSelected(anySite)
		b.from.SetText(b.screen.app.store.Now().Format("02/01/2006"))
		if moving != nil {
			b.findTitle.SetText("Move " + moving.PatientName + "'s appointment")
			b.typeSel.SetSelected(b.typeName(moving.Type))
			b.minutes.SetText(strconv.Itoa(int(moving.End.Sub(moving.Start).Minutes())))
			b.modeSel.SetSelected(data.LabelOf(data.AppointmentModes, moving.Mode))
			b.typeSel.Disable()
			b.minutes.Disable()
			return
		}
		b.findTitle.SetText("Next available")
		b.typeSel.Enable()
		b.minutes.Enable()
		if b.typeSel.Selected == "" && len(b.types) > 0 {
			b.typeSel.SetSelected(b.types[0].Name)
			b.minutes.SetText(strconv.Itoa(b.types[0].DefaultMinutes))
			b.bookType.SetSelected(b.types[0].Name)
		}
		if b.modeSel.Selected == "" {
			b.modeSel.SetSelected(anyMode)
		}
	})
	b.Find()
	if len(b.slotBtns) > 0 {
		focus(b.screen.app.win, b.slotBtns[0])
	} else {
		focus(b.screen.app.win, b.minutes)
	}
}

// quiet runs fn with the criteria's change handlers off, so setting them
// does not search once per field.
func (b *BookingPanel) quiet(fn func()) {
	ts, ws, ss, ms := b.typeSel.OnChanged, b.workerSel.OnChanged, b.siteSel.OnChanged, b.modeSel.OnChanged
	b.typeSel.OnChanged, b.workerSel.OnChanged, b.siteSel.OnChanged, b.modeSel.OnChanged = nil, nil, nil, nil
	fn()
	b.typeSel.OnChanged, b.workerSel.OnChanged, b.siteSel.OnChanged, b.modeSel.OnChanged = ts, ws, ss, ms
}

// query reads the search criteria.
func (b *BookingPanel) query() (data.SlotQuery, error) {
	// Ask for many 5-minute candidates; showSlots keeps distinct ones.
	q := data.SlotQuery{TypeCode: b.typeCode(b.typeSel.Selected), Mode: modeCode(b.modeSel.Selected), Limit: 200}
	if q.TypeCode == "" {
		return q, errors.New("choose the type of appointment")
	}
	if t := strings.TrimSpace(b.minutes.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 5 || n > 480 {
			return q, errors.New("type the length in minutes, from 5 to 480")
		}
		q.Minutes = n
	}
	for _, w := range b.screen.workers {
		if w.FullName == b.workerSel.Selected {
			q.WorkerID = w.ID
		}
	}
	for _, x := range b.sites {
		if x.Name == b.siteSel.Selected {
			q.SiteID = x.ID
		}
	}
	if t := strings.TrimSpace(b.from.Text); t != "" {
		d, err := data.ParseUKDate(t)
		if err != nil {
			return q, errors.New("From: " + err.Error())
		}
		q.From = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, diaryLondon())
	}
	return q, nil
}

// Find lists the first free slots for the criteria.
func (b *BookingPanel) Find() {
	q, err := b.query()
	if err != nil {
		setError(b.findErr, err.Error())
		return
	}
	setError(b.findErr, "")
	slots, err := b.screen.app.store.NextAvailable(context.Background(), b.screen.app.session, q)
	if err != nil {
		setError(b.findErr, "The search failed: "+err.Error())
		return
	}
	b.showSlots(slots)
}

// slotsShown is how many slots the list offers.
const slotsShown = 8

// distinctSlots keeps, for each worker, slots that do not overlap the one
// offered before, so the list reads 10:00, 10:30, 11:00 rather than every
// five minutes.
func distinctSlots(all []data.Slot, n int) []data.Slot {
	var out []data.Slot
	lastEnd := map[int64]time.Time{}
	for _, sl := range all {
		if end, ok := lastEnd[sl.WorkerID]; ok && sl.Start.Before(end) {
			continue
		}
		lastEnd[sl.WorkerID] = sl.End
		out = append(out, sl)
		if len(out) == n {
			break
		}
	}
	return out
}

func (b *BookingPanel) showSlots(slots []data.Slot) {
	slots = distinctSlots(slots, slotsShown)
	b.slots = slots
	b.slotBox.Objects, b.slotBtns = nil, nil
	for _, sl := range slots {
		sl := sl
		btn := newEnterButton(slotText(sl), nil, func() { b.pickSlot(sl, false) })
		btn.Alignment = widget.ButtonAlignLeading
		b.slotBtns = append(b.slotBtns, btn)
		b.slotBox.Add(btn)
	}
	defer b.relayout()
	switch len(slots) {
	case 0:
		b.slotsNote.SetText("No free slot of that length in the next four weeks: try another link worker, site or a shorter length.")
	default:
		b.slotsNote.SetText("First free slots (Tab to one, Enter to pick it):")
	}
}

// slotText is "Wed 25/11/2026 10:30–11:00 · Amira Khan · Main Surgery".
func slotText(sl data.Slot) string {
	t := sl.Start.Format("Mon 02/01/2006 15:04") + "–" + sl.End.Format("15:04") + " · " + sl.WorkerName
	if sl.SiteName != "" {
		t += " · " + sl.SiteName
	}
	return t
}

// minutesWanted is the length typed in step 1, or the type's usual length.
func (b *BookingPanel) minutesWanted() int {
	if n, err := strconv.Atoi(strings.TrimSpace(b.minutes.Text)); err == nil && n >= 5 {
		return n
	}
	if t, ok := b.typeNamed(b.typeSel.Selected); ok {
		return t.DefaultMinutes
	}
	return 30
}

// PickSlot chooses the n-th slot found.
func (b *BookingPanel) PickSlot(n int) {
	if n >= 0 && n < len(b.slots) {
		b.pickSlot(b.slots[n], false)
	}
}

// pickSlot goes to step 2 with a slot; what was already typed there stays.
// clicked is true for a time clicked in the diary, whose end is worked out
// from the length.
func (b *BookingPanel) pickSlot(sl data.Slot, clicked bool) {
	if clicked || sl.End.IsZero() {
		sl.End = sl.Start.Add(time.Duration(b.minutesWanted()) * time.Minute)
	}
	b.slot = sl
	b.slotLabel.SetText(fmt.Sprintf("%s, %s–%s (%d min) with %s%s", sl.Start.Format("Monday 02/01/2006"),
		sl.Start.Format("15:04"), sl.End.Format("15:04"), int(sl.End.Sub(sl.Start).Minutes()), sl.WorkerName, atSite(sl.SiteName)))
	b.clearAlternatives()
	b.setMessage("", false)
	b.fields.clearErrors()
	b.content.Objects = []fyne.CanvasObject{b.stepBook}
	defer b.relayout()
	win := b.screen.app.win
	if b.moving != nil {
		m := b.moving
		b.bookTitle.SetText("Move " + m.PatientName + "'s appointment")
		b.moveLabel.SetText(fmt.Sprintf("%s's %s, now %s at %s with %s, moves to the slot above.", m.PatientName,
			strings.ToLower(m.TypeName), m.Start.Format("Monday 02/01/2006"), m.Start.Format("15:04"), m.WorkerName))
		b.submit.SetText("Move appointment")
		b.setPatientPartForMove(true)
		focus(win, b.submit)
		return
	}
	b.bookTitle.SetText("Book")
	b.submit.SetText("Book appointment")
	b.setPatientPartForMove(false)
	if b.patient.ID == 0 {
		b.picker.Focus()
	} else {
		b.showPatientLine() // whom their referral is with, beside this slot's worker
		focus(win, b.notes)
	}
}

func atSite(name string) string {
	if name == "" {
		return ""
	}
	return " at " + name
}

// setPatientPartForMove shows the booking form, or for a move only what
// is moved.
func (b *BookingPanel) setPatientPartForMove(moving bool) {
	if moving {
		b.patientPart.Hide()
		b.moveLabel.Show()
	} else {
		b.patientPart.Show()
		b.moveLabel.Hide()
	}
}

func (b *BookingPanel) backToSlots() {
	b.content.Objects = []fyne.CanvasObject{b.stepFind}
	b.content.Refresh()
	if len(b.slotBtns) > 0 {
		focus(b.screen.app.win, b.slotBtns[0])
	}
}

// close leaves the booking; the diary shows the selected appointment or
// the hint again.
func (b *BookingPanel) close() {
	s := b.screen
	b.moving = nil
	s.side.Objects = []fyne.CanvasObject{s.details.content}
	s.side.Refresh()
}

// ChoosePatient sets the patient and their open referral (the usual
// choice), and shows their missed appointments.
func (b *BookingPanel) ChoosePatient(p data.Patient) {
	b.patient = p
	b.picker.Clear()
	b.picker.Content().Hide() // until another patient is wanted
	b.changePatient.Show()
	b.patientLabel.SetText("✓ " + bookingPatientLine(p))
	b.referrals = nil
	options := []string{}
	selected := noReferral
	list, err := b.screen.app.store.PatientReferrals(context.Background(), b.screen.app.session, p.ID)
	if err != nil {
		b.setMessage("The patient's referrals could not be read: "+err.Error(), true)
	}
	for _, r := range list {
		if !r.Status.Open() {
			continue // the store refuses bookings into ended episodes
		}
		b.referrals = append(b.referrals, r)
		label := referralChoice(r)
		options = append(options, label)
		if selected == noReferral {
			selected = label
		}
	}
	options = append(options, noReferral)
	b.referralSel.Options = options
	b.referralSel.SetSelected(selected) // shows the DNAs
	b.fields[1].err.Hide()
	b.followReferral()
	b.relayout()
	focus(b.screen.app.win, b.notes)
}

// followReferral makes the link worker of the patient's open referral the
// one their booking looks for (issue 17): when the search was for any
// link worker, Other slots then lists that worker's free times, and the
// patient line says whom the referral is with. Submit asks before booking
// anyone else.
func (b *BookingPanel) followReferral() {
	b.follows = data.User{}
	w, err := b.screen.app.store.ReferralWorker(context.Background(), b.screen.app.session, b.patient.ID)
	if err != nil || w.ID == 0 {
		return
	}
	b.follows = w
	b.showPatientLine()
	if b.workerSel.Selected == anyWorker && b.moving == nil {
		b.quiet(func() { b.workerSel.SetSelected(w.FullName) })
		b.Find()
	}
}

// showPatientLine shows the patient chosen and whom their referral is
// with, if the slot is with someone else.
func (b *BookingPanel) showPatientLine() {
	line := "✓ " + bookingPatientLine(b.patient)
	if w := b.follows; w.ID != 0 {
		line += "\nTheir referral is with " + w.FullName + "."
		if b.slot.WorkerID != w.ID && b.slot.WorkerName != "" {
			line += " This slot is with " + b.slot.WorkerName + ": Other slots lists " + w.FullName + "'s free times."
		}
	}
	b.patientLabel.SetText(line)
}

// clearPatient goes back to finding a patient.
func (b *BookingPanel) clearPatient() {
	b.patient = data.Patient{}
	b.picker.Clear()
	b.picker.Content().Show()
	b.changePatient.Hide()
	b.patientLabel.SetText("No patient chosen yet")
	b.referrals, b.follows = nil, data.User{}
	b.referralSel.Options = []string{noReferral}
	b.referralSel.SetSelected(noReferral) // hides the DNAs
	b.relayout()
}

// bookingPatientLine is "Smith, Jane · 12/03/1956 · 943 476 5919".
func bookingPatientLine(p data.Patient) string {
	t := p.FamilyName + ", " + p.GivenName + " · " + data.FormatUKDate(p.DateOfBirth)
	if p.NHSNumber != "" {
		t += " · " + data.FormatNHSNumber(p.NHSNumber)
	}
	return t
}

func referralChoice(r data.Referral) string {
	return "Received " + data.FormatUKDate(r.ReceivedOn) + " · " + r.Status.Label()
}

// referralID is the chosen referral, or 0.
func (b *BookingPanel) referralID() int64 {
	for _, r := range b.referrals {
		if referralChoice(r) == b.referralSel.Selected {
			return r.ID
		}
	}
	return 0
}

// showDNAs shows how many appointments the patient has missed, warning
// from two in the episode (the link worker is told too).
func (b *BookingPanel) showDNAs() {
	if b.patient.ID == 0 {
		b.dnaLabel.Hide()
		return
	}
	ctx := context.Background()
	all, err := b.screen.app.store.DNACount(ctx, b.screen.app.session, b.patient.ID, 0)
	if err != nil {
		b.dnaLabel.Hide()
		return
	}
	text := fmt.Sprintf("Missed appointments (DNA): %d in all", all)
	b.dnaLabel.Importance = widget.MediumImportance
	if id := b.referralID(); id != 0 {
		n, err := b.screen.app.store.DNACount(ctx, b.screen.app.session, b.patient.ID, id)
		if err == nil {
			text = fmt.Sprintf("Missed appointments (DNA): %d in this episode, %d in all", n, all)
			if n >= 2 {
				text = fmt.Sprintf("Warning: %s has missed %d appointments in this episode. Check the contact details and "+
					"confirm they can come; their link worker sees this on the caseload.", b.patient.FullName(), n)
				b.dnaLabel.Importance = widget.DangerImportance
			}
		}
	}
	b.dnaLabel.SetText(text)
	b.dnaLabel.Show()
}

// Submit books the appointment (or makes the move). A refusal keeps what
// was typed and offers the next free slots.
func (b *BookingPanel) Submit() {
	if b.content.Objects[0] != b.stepBook || b.slot.Start.IsZero() {
		return
	}
	if b.moving != nil {
		b.submitMove()
		return
	}
	b.fields.clearErrors()
	b.clearAlternatives()
	in := data.Appointment{
		WorkerID:   b.slot.WorkerID,
		PatientID:  b.patient.ID,
		ReferralID: b.referralID(),
		Start:      b.slot.Start,
		End:        b.slot.End,
		Type:       b.typeCode(b.bookType.Selected),
		Mode:       modeCode(b.bookMode.Selected),
		SiteID:     b.slot.SiteID,
		Notes:      b.notes.Text,
	}
	if in.Mode != data.ModeInPerson {
		in.SiteID = 0
	}
	// The booking follows the referral: another link worker is asked
	// about first, No being the default (issue 17).
	if w := b.follows; w.ID != 0 && in.WorkerID != w.ID {
		askYesNo(b.screen.app.win, "Book with another link worker?",
			fmt.Sprintf("%s's referral is with %s. Book with %s instead?", b.patient.FullName(), w.FullName, b.slot.WorkerName), false,
			func(yes bool) {
				if yes {
					b.book(in)
					return
				}
				b.setMessage("Not booked. Other slots lists "+w.FullName+"'s free times.", false)
				focus(b.screen.app.win, b.changeSlot)
			})
		return
	}
	b.book(in)
}

// book books the appointment Submit made up.
func (b *BookingPanel) book(in data.Appointment) {
	saved, err := b.screen.app.store.Book(context.Background(), b.screen.app.session, in)
	if err != nil {
		b.refused(err)
		return
	}
	b.done(saved, fmt.Sprintf("Booked: %s with %s, %s at %s.", saved.PatientName, saved.WorkerName,
		saved.Start.Format("Monday 02/01/2006"), saved.Start.Format("15:04")))
}

func (b *BookingPanel) submitMove() {
	b.clearAlternatives()
	m := b.moving
	var worker int64
	if b.slot.WorkerID != m.WorkerID {
		worker = b.slot.WorkerID
	}
	saved, err := b.screen.app.store.Reschedule(context.Background(), b.screen.app.session, m.ID, b.slot.Start, worker)
	if err != nil {
		b.refused(err)
		return
	}
	b.done(saved, fmt.Sprintf("Moved: %s is now %s at %s with %s.", saved.PatientName,
		saved.Start.Format("Monday 02/01/2006"), saved.Start.Format("15:04"), saved.WorkerName))
}

// refused explains a refusal in plain words beside what was typed.
func (b *BookingPanel) refused(err error) {
	var taken *data.SlotTakenError
	var busy *data.PatientBusyError
	switch {
	case errors.As(err, &taken):
		b.setMessage(taken.Error()+".", true)
		// The store offers slots five minutes apart; ask for more and keep
		// distinct ones, as the slot list does.
		next := distinctSlots(taken.Next, 5)
		more, qerr := b.screen.app.store.NextAvailable(context.Background(), b.screen.app.session, data.SlotQuery{WorkerID: b.slot.WorkerID,
			Minutes: int(b.slot.End.Sub(b.slot.Start).Minutes()), Mode: modeCode(b.bookMode.Selected), From: b.slot.Start, Limit: 200})
		if qerr == nil && len(more) > 0 {
			next = distinctSlots(more, 5)
		}
		b.offerAlternatives(next)
		b.screen.reload() // the diary shows the booking that won
	case errors.As(err, &busy):
		b.setMessage(busy.Error()+".", true)
		// The worker's next free slots after the patient's other appointment.
		next, _ := b.screen.app.store.NextAvailable(context.Background(), b.screen.app.session, data.SlotQuery{WorkerID: b.slot.WorkerID,
			Minutes: int(b.slot.End.Sub(b.slot.Start).Minutes()), Mode: modeCode(b.bookMode.Selected),
			From: busy.Clash.End, Limit: 200})
		b.offerAlternatives(distinctSlots(next, 5))
	case b.fields.showErrors(err):
		b.setMessage("Please correct the fields marked in red; nothing has been booked yet.", true) // lays out
		if f := b.fields.firstError(); f != nil && f.name == "PatientID" {
			b.picker.Focus()
		}
	default:
		b.setMessage("Not booked: "+err.Error()+".", true)
	}
}

// offerAlternatives lists free slots to pick instead; picking one keeps
// the patient, referral, type, mode and notes.
func (b *BookingPanel) offerAlternatives(slots []data.Slot) {
	b.clearAlternatives()
	for _, sl := range slots {
		sl := sl
		btn := newEnterButton(slotText(sl), nil, func() {
			b.pickSlot(sl, false)
			b.setMessage("Slot changed: check it and book again.", false)
		})
		btn.Alignment = widget.ButtonAlignLeading
		b.altBtns = append(b.altBtns, btn)
		b.altBox.Add(btn)
	}
	b.relayout()
	if len(b.altBtns) > 0 {
		focus(b.screen.app.win, b.altBtns[0])
	}
}

func (b *BookingPanel) clearAlternatives() {
	b.altBox.Objects, b.altBtns = nil, nil
	b.altBox.Refresh()
}

// Alternatives are the slots offered after a refusal.
func (b *BookingPanel) Alternatives() []*enterButton { return b.altBtns }

// done clears the form for the next booking and shows the appointment.
func (b *BookingPanel) done(a data.Appointment, msg string) {
	b.moving = nil
	b.clearPatient()
	b.notes.SetText("")
	b.slot = data.Slot{}
	b.screen.showBooked(a)
	b.screen.details.setMessage(msg, false)
	focus(b.screen.app.win, b.screen.grid)
}

func (b *BookingPanel) setMessage(text string, isError bool) {
	defer b.relayout()
	showMessage(b.message, text, isError)
}

// enterButton is a button that Enter presses as well as Space, so a
// keyboard user can pick a slot or a patient with Enter.
type enterButton struct {
	widget.Button
}

func newEnterButton(label string, icon fyne.Resource, tapped func()) *enterButton {
	b := &enterButton{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter or Return.
func (b *enterButton) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
		return
	}
	b.Button.TypedKey(e)
}
