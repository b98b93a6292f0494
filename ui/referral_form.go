package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// ReferralForm records a new referral: find (or add) the patient on the
// left, the referral itself on the right. A GP can fill it in with the
// keyboard alone: Tab follows the visual order, Enter or Ctrl+S saves,
// Escape cancels.
type ReferralForm struct {
	app *App

	patient   data.Patient // the chosen patient; ID 0 while none is
	openCase  int64        // the patient's open referral, to offer it
	workers   []data.User  // link workers, in the order of the select
	searchSeq atomic.Int64
	results   []data.Patient
	clean     string // the form's state when last reset, to tell if anything was typed

	// Finding the patient.
	search        *keyEntry
	resultList    *widget.List
	searchStatus  *widget.Label
	newPatientBtn *widget.Button
	finder        *fyne.Container

	// Adding a patient in place.
	nhs, given, family, dob, phone *keyEntry
	patientFields                  fields
	patientMsg                     *widget.Label
	savePatientBtn                 *widget.Button
	useExisting                    *widget.Button
	duplicate                      data.Patient
	adder                          *fyne.Container

	// The chosen patient.
	patientName, patientDetails, patientNeeds *widget.Label
	openMsg                                   *widget.Label
	openCaseBtn, changePatient                *widget.Button
	openBox, card                             *fyne.Container
	patientErr                                *widget.Label

	// The referral.
	received, referrerName, referrerOrg *keyEntry
	whatMatters, priorityWhy            *keyEntry
	consentBy, consentOn                *keyEntry
	source, linkWorker                  *widget.Select
	reasons                             []*widget.Check
	priority                            *widget.RadioGroup
	fields                              fields

	message      *widget.Label
	save, cancel *widget.Button
	content      fyne.CanvasObject
}

const noPreference = "No preference"

// NewReferralForm builds the form; patientID (0: none) is chosen at once.
func NewReferralForm(a *App, patientID int64) *ReferralForm {
	f := &ReferralForm{app: a}
	f.buildFinder()
	f.buildAdder()
	f.buildCard()
	f.buildReferral()

	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	f.save = widget.NewButtonWithIcon("Save referral (Ctrl+S)", theme.DocumentSaveIcon(), f.Save)
	f.save.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon("Cancel (Esc)", theme.CancelIcon(), f.Cancel)

	left := container.NewVBox(sectionLabel("Patient"), f.patientErr, f.finder, f.adder, f.card)
	form := widget.NewForm(f.formItems()...)
	right := container.NewVBox(sectionLabel("Referral"), form)
	columns := container.New(sideBySide{first: 400}, left, right)
	bottom := container.NewVBox(widget.NewSeparator(), f.message, container.NewHBox(f.save, f.cancel))
	f.content = container.NewPadded(container.NewBorder(heading("New referral"), bottom, nil, nil,
		container.NewVScroll(columns)))

	ctrl := fyne.KeyModifierShortcutDefault
	// Canvas shortcuts reach us when a button, select or check has focus;
	// entries pass them on themselves (see keyEntry).
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}, f.Save)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, func() { focus(a.win, f.search) })
	// Escape alone is never a canvas shortcut in Fyne 2.8 (a shortcut needs a
	// modifier), so it comes here when nothing has focus.
	a.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape && a.newReferral == f && a.current == "New referral" {
			f.Cancel()
		}
	})

	f.reset()
	if patientID != 0 {
		f.ChoosePatient(patientID)
	}
	return f
}

// Focus puts the keyboard in the first thing to fill in.
func (f *ReferralForm) Focus() {
	if f.patient.ID == 0 {
		focus(f.app.win, f.search)
	} else {
		focus(f.app.win, f.received)
	}
}

// Content is the screen's root object.
func (f *ReferralForm) Content() fyne.CanvasObject { return f.content }

func sectionLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func (f *ReferralForm) newEntry(placeholder string) *keyEntry {
	e := newKeyEntry(false, f.Save, f.Cancel)
	e.app = f.app
	e.SetPlaceHolder(placeholder)
	e.OnSubmitted = func(string) { f.Save() }
	return e
}

func (f *ReferralForm) buildFinder() {
	f.search = newKeyEntry(false, f.Save, f.Cancel)
	f.search.app = f.app
	f.search.SetPlaceHolder("Name, NHS number or date of birth")
	f.search.OnChanged = func(string) { f.searchSoon() }
	f.search.OnSubmitted = func(string) { f.SearchNow() }
	f.searchStatus = widget.NewLabel("Type to find the patient; Enter picks the first match.")
	f.searchStatus.Wrapping = fyne.TextWrapWord
	f.resultList = widget.NewList(
		func() int { return len(f.results) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(f.results) {
				o.(*widget.Label).SetText(patientLine(f.results[id]))
			}
		})
	f.resultList.OnSelected = func(id widget.ListItemID) {
		if id < len(f.results) {
			f.ChoosePatient(f.results[id].ID)
		}
		f.resultList.UnselectAll()
	}
	f.newPatientBtn = widget.NewButtonWithIcon("New patient", theme.ContentAddIcon(), f.showAdder)
	// The list needs a height of its own: a VBox gives it only one row.
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(0, 200))
	f.finder = container.NewVBox(f.search, f.searchStatus, container.NewStack(room, f.resultList), container.NewHBox(f.newPatientBtn))
}

// patientLine is a patient in one line of a search result.
func patientLine(p data.Patient) string {
	s := p.FamilyName + ", " + p.GivenName + " · " + data.FormatUKDate(p.DateOfBirth)
	if p.NHSNumber != "" {
		s += " · " + data.FormatNHSNumber(p.NHSNumber)
	}
	return s
}

func (f *ReferralForm) buildAdder() {
	newPatientEntry := func(placeholder string) *keyEntry {
		e := newKeyEntry(false, f.SavePatient, f.Cancel)
		e.app = f.app
		e.SetPlaceHolder(placeholder)
		e.OnSubmitted = func(string) { f.SavePatient() }
		return e
	}
	f.nhs = newPatientEntry("optional for self-referrals")
	f.given = newPatientEntry("")
	f.family = newPatientEntry("")
	f.dob = newPatientEntry("DD/MM/YYYY")
	f.phone = newPatientEntry("")
	f.patientFields = fields{
		newField("NHSNumber", "NHS number", f.nhs),
		newField("GivenName", "Given name", f.given),
		newField("FamilyName", "Family name", f.family),
		newField("DateOfBirth", "Date of birth", f.dob),
		newField("Phone", "Phone", f.phone),
	}
	f.patientMsg = widget.NewLabel("")
	f.patientMsg.Wrapping = fyne.TextWrapWord
	f.patientMsg.Importance = widget.DangerImportance
	f.patientMsg.Hide()
	f.savePatientBtn = widget.NewButtonWithIcon("Save patient", theme.DocumentSaveIcon(), f.SavePatient)
	f.useExisting = widget.NewButton("Use that patient", func() { f.ChoosePatient(f.duplicate.ID) })
	f.useExisting.Hide()
	back := widget.NewButton("Back to search", func() { f.showFinder() })
	f.adder = container.NewVBox(widget.NewLabel("New patient (more details on the Patients screen)"),
		widget.NewForm(f.patientFields.formItems()...), f.patientMsg,
		container.NewHBox(f.savePatientBtn, f.useExisting, back))
	f.adder.Hide()
}

func (f *ReferralForm) buildCard() {
	f.patientErr = errorLabel()
	f.patientName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.patientName.SizeName = theme.SizeNameSubHeadingText
	f.patientName.Wrapping = fyne.TextWrapWord
	f.patientDetails = widget.NewLabel("")
	f.patientDetails.Wrapping = fyne.TextWrapWord
	f.patientNeeds = widget.NewLabel("")
	f.patientNeeds.Wrapping = fyne.TextWrapWord
	f.openMsg = widget.NewLabel("")
	f.openMsg.Wrapping = fyne.TextWrapWord
	f.openMsg.Importance = widget.WarningImportance
	f.openCaseBtn = widget.NewButtonWithIcon("Open that referral", theme.NavigateNextIcon(), func() {
		if f.openCase != 0 {
			f.app.OpenCase(f.openCase)
		}
	})
	f.openBox = container.NewVBox(f.openMsg, container.NewHBox(f.openCaseBtn))
	f.openBox.Hide()
	f.changePatient = widget.NewButton("Choose another patient", func() { f.showFinder() })
	f.card = container.NewVBox(f.patientName, f.patientDetails, f.patientNeeds, f.openBox, container.NewHBox(f.changePatient))
	f.card.Hide()
}

func (f *ReferralForm) buildReferral() {
	f.received = f.newEntry("DD/MM/YYYY")
	f.source = widget.NewSelect(choiceLabels(data.ReferralSources), nil)
	f.source.PlaceHolder = "Who referred?"
	f.referrerName = f.newEntry("Referrer's name")
	f.referrerOrg = f.newEntry("Organisation")
	for _, c := range data.ReferralReasons {
		f.reasons = append(f.reasons, widget.NewCheck(c.Label, nil))
	}
	f.whatMatters = newKeyEntry(true, f.Save, f.Cancel)
	f.whatMatters.SetMinRowsVisible(3)
	f.whatMatters.SetPlaceHolder("In the person's own words")
	f.priority = widget.NewRadioGroup(choiceLabels(data.Priorities), func(string) { f.priorityChanged() })
	f.priority.Horizontal = true
	f.priority.Required = true
	f.priorityWhy = f.newEntry("Why? (needed for soon or urgent)")
	f.consentBy = f.newEntry("Who consented, e.g. Patient")
	f.consentOn = f.newEntry("DD/MM/YYYY")
	f.linkWorker = widget.NewSelect([]string{noPreference}, nil)
	if ws, err := f.app.store.UsersWithRole(context.Background(), data.RoleLinkWorker); err == nil {
		f.workers = ws
		for _, w := range ws {
			f.linkWorker.Options = append(f.linkWorker.Options, w.FullName)
		}
	}
	f.fields = fields{
		newField("PatientID", "Patient", nil),
		newField("ReceivedOn", "Received on", f.received),
		newField("Source", "Source", f.source),
		newField("ReferrerName", "Referrer", f.referrerName),
		newField("ReferrerOrg", "Organisation", f.referrerOrg),
		newField("Reasons", "Reasons", nil),
		newField("WhatMatters", "What matters to me", f.whatMatters),
		newField("Priority", "Priority", f.priority),
		newField("PriorityReason", "Why", f.priorityWhy),
		newField("ConsentBy", "Consent given by", f.consentBy),
		newField("ConsentOn", "Consent given on", f.consentOn),
		newField("LinkWorkerID", "Preferred link worker", f.linkWorker),
	}
	f.fields[0].err = f.patientErr // a missing patient is said on the left
	f.fields[5].input = f.reasons[0]
}

// field finds one of the referral's fields by its domain name.
func (f *ReferralForm) field(name string) *field {
	for _, x := range f.fields {
		if x.name == name {
			return x
		}
	}
	return nil
}

// withError is an input with its error line under it.
func (f *ReferralForm) withError(name string, input fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(input, f.field(name).err)
}

func (f *ReferralForm) formItems() []*widget.FormItem {
	var checks []fyne.CanvasObject
	for _, c := range f.reasons {
		checks = append(checks, c)
	}
	return []*widget.FormItem{
		widget.NewFormItem("Received on", f.withError("ReceivedOn", container.NewHBox(container.New(fixedWidth(150), f.received)))),
		widget.NewFormItem("Source", f.withError("Source", f.source)),
		widget.NewFormItem("Referred by", container.NewGridWithColumns(2,
			f.withError("ReferrerName", f.referrerName), f.withError("ReferrerOrg", f.referrerOrg))),
		widget.NewFormItem("Reasons", f.withError("Reasons", container.NewGridWithColumns(3, checks...))),
		widget.NewFormItem("What matters to me", f.withError("WhatMatters", f.whatMatters)),
		widget.NewFormItem("Priority", container.New(sideBySide{},
			f.withError("Priority", f.priority), f.withError("PriorityReason", f.priorityWhy))),
		widget.NewFormItem("Consent given by", container.New(sideBySide{last: 200},
			f.withError("ConsentBy", f.consentBy),
			container.NewBorder(nil, nil, widget.NewLabel("on"), nil, f.withError("ConsentOn", f.consentOn)))),
		widget.NewFormItem("Preferred link worker", f.withError("LinkWorkerID", f.linkWorker)),
	}
}

func choiceLabels(cs []data.Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
}

// todayUK is the store's today in the practice's time zone, as typed on
// screen.
func (f *ReferralForm) todayUK() string {
	return f.app.store.Now().Format("02/01/2006")
}

// reset empties the form to its defaults: today's dates and, for a GP or
// receptionist, the usual source and referrer.
func (f *ReferralForm) reset() {
	f.patient, f.openCase = data.Patient{}, 0
	f.search.SetText("")
	f.results = nil
	f.resultList.Refresh()
	f.received.SetText(f.todayUK())
	f.source.ClearSelected()
	f.referrerName.SetText("")
	f.referrerOrg.SetText("")
	switch f.app.user.Role {
	case data.RoleGP:
		f.source.SetSelected(data.LabelOf(data.ReferralSources, "gp"))
		f.referrerName.SetText(f.app.user.FullName)
		f.referrerOrg.SetText(f.app.practice.Name)
	case data.RoleReceptionist:
		f.source.SetSelected(data.LabelOf(data.ReferralSources, "self"))
	}
	for _, c := range f.reasons {
		c.SetChecked(false)
	}
	f.whatMatters.SetText("")
	f.priority.SetSelected(data.LabelOf(data.Priorities, "routine"))
	f.priorityWhy.SetText("")
	f.consentBy.SetText("")
	f.consentOn.SetText(f.todayUK())
	f.linkWorker.SetSelected(noPreference)
	for _, e := range []*keyEntry{f.nhs, f.given, f.family, f.dob, f.phone} {
		e.SetText("")
	}
	f.fields.clearErrors()
	f.patientFields.clearErrors()
	f.setMessage("", false)
	f.showFinder()
	f.clean = f.state()
}

// state is everything typed, to tell whether the form has changed.
func (f *ReferralForm) state() string {
	var b strings.Builder
	fmt.Fprint(&b, f.patient.ID)
	for _, e := range []*keyEntry{f.search, f.received, f.referrerName, f.referrerOrg, f.whatMatters, f.priorityWhy,
		f.consentBy, f.consentOn, f.nhs, f.given, f.family, f.dob, f.phone} {
		b.WriteString("\x00" + e.Text)
	}
	b.WriteString("\x00" + f.source.Selected + "\x00" + f.priority.Selected + "\x00" + f.linkWorker.Selected)
	for _, c := range f.reasons {
		fmt.Fprint(&b, c.Checked)
	}
	return b.String()
}

// Dirty is true when anything has been typed or chosen since the form opened.
func (f *ReferralForm) Dirty() bool { return f.state() != f.clean }

// Cancel clears the form, asking first if anything was typed.
func (f *ReferralForm) Cancel() {
	if !f.Dirty() {
		f.reset()
		focus(f.app.win, f.search)
		return
	}
	dialog.ShowConfirm("Discard this referral?", "You have typed a referral that is not saved. Discard it?", func(ok bool) {
		if ok {
			f.reset()
			focus(f.app.win, f.search)
		}
	}, f.app.win)
}

func (f *ReferralForm) priorityChanged() {
	// The reason is asked for only when the referral is not routine, so a
	// routine referral has one Tab stop fewer.
	if f.priority.Selected == data.LabelOf(data.Priorities, "routine") {
		f.priorityWhy.Disable()
	} else {
		f.priorityWhy.Enable()
	}
}

// searchSoon searches shortly after the typing stops, off the UI goroutine.
func (f *ReferralForm) searchSoon() {
	n := f.searchSeq.Add(1)
	query := f.search.Text
	background(f.app.win, 150*time.Millisecond, func() func() {
		if f.searchSeq.Load() != n {
			return nil // typed again
		}
		found, err := f.app.store.SearchPatients(context.Background(), query, 50)
		return func() {
			if f.searchSeq.Load() == n {
				f.showResults(query, found, err)
			}
		}
	})
}

// SearchNow searches at once (Enter) and picks the first match.
func (f *ReferralForm) SearchNow() {
	f.searchSeq.Add(1)
	found, err := f.app.store.SearchPatients(context.Background(), f.search.Text, 50)
	f.showResults(f.search.Text, found, err)
	if len(found) > 0 {
		f.ChoosePatient(found[0].ID)
	}
}

func (f *ReferralForm) showResults(query string, found []data.Patient, err error) {
	f.results = found
	f.resultList.Refresh()
	f.resultList.ScrollToTop()
	switch {
	case err != nil:
		f.searchStatus.SetText("The search failed: " + err.Error())
	case strings.TrimSpace(query) == "":
		f.searchStatus.SetText("Type to find the patient; Enter picks the first match.")
	case len(found) == 0:
		f.searchStatus.SetText("No patient matches “" + query + "”: check the spelling, or add a new patient.")
	case len(found) == 1:
		f.searchStatus.SetText("1 patient found: Enter picks them.")
	default:
		f.searchStatus.SetText(fmt.Sprintf("%d patients found: Enter picks the first, or choose one below.", len(found)))
	}
}

// Results are the patients the last search found.
func (f *ReferralForm) Results() []data.Patient { return f.results }

// ChoosePatient makes the referral for this patient and shows who they are
// and any referral of theirs still open.
func (f *ReferralForm) ChoosePatient(id int64) {
	ctx := context.Background()
	p, err := f.app.store.Patient(ctx, id)
	if err != nil {
		f.setMessage("That patient could not be read: "+err.Error(), true)
		return
	}
	f.patient = p
	f.patientName.SetText(p.FullName())
	nhs := "no NHS number"
	if p.NHSNumber != "" {
		nhs = "NHS " + data.FormatNHSNumber(p.NHSNumber)
	}
	f.patientDetails.SetText("Born " + data.FormatUKDate(p.DateOfBirth) + " · " + nhs)
	needs := "none recorded"
	if n := p.CommunicationNeeds(); len(n) > 0 {
		needs = strings.Join(n, ", ")
	}
	f.patientNeeds.SetText("Communication needs: " + needs + ". (They are changed on the patient record.)")
	f.showOpenReferral(nil)
	if r, err := f.app.store.OpenReferral(ctx, id); err == nil {
		f.showOpenReferral(&r)
	}
	setError(f.patientErr, "")
	f.finder.Hide()
	f.adder.Hide()
	f.card.Show()
	f.relayout()
	focus(f.app.win, f.received)
}

// Patient is the chosen patient (ID 0 while none is).
func (f *ReferralForm) Patient() data.Patient { return f.patient }

// showOpenReferral offers the patient's open referral (nil: none).
func (f *ReferralForm) showOpenReferral(r *data.Referral) {
	if r == nil {
		f.openCase = 0
		f.openBox.Hide()
		return
	}
	f.openCase = r.ID
	f.openMsg.SetText(fmt.Sprintf("This patient already has an open referral (received %s, now %s). "+
		"A second cannot be made until it ends.", data.FormatUKDate(r.ReceivedOn), strings.ToLower(r.Status.Label())))
	f.openBox.Show()
}

func (f *ReferralForm) showFinder() {
	f.patient, f.openCase = data.Patient{}, 0
	f.card.Hide()
	f.adder.Hide()
	f.finder.Show()
	f.relayout()
	focus(f.app.win, f.search)
}

func (f *ReferralForm) showAdder() {
	f.finder.Hide()
	f.card.Hide()
	f.adder.Show()
	// A name typed in the search is a good start for the new record.
	if q := strings.TrimSpace(f.search.Text); q != "" && f.given.Text == "" && f.family.Text == "" {
		if words := strings.Fields(q); len(words) >= 2 {
			f.given.SetText(words[0])
			f.family.SetText(strings.Join(words[1:], " "))
		} else if !strings.ContainsAny(q, "0123456789") {
			f.family.SetText(q)
		}
	}
	f.relayout()
	focus(f.app.win, f.nhs)
}

// SavePatient adds the patient typed in the mini form and chooses them.
func (f *ReferralForm) SavePatient() { f.savePatient(data.SaveOptions{}) }

func (f *ReferralForm) savePatient(opt data.SaveOptions) {
	defer f.relayout()
	f.patientFields.clearErrors()
	setPatientMsg := func(msg string) {
		f.patientMsg.SetText(msg)
		f.patientMsg.Show()
	}
	f.patientMsg.Hide()
	f.useExisting.Hide()
	in := data.Patient{NHSNumber: f.nhs.Text, GivenName: f.given.Text, FamilyName: f.family.Text,
		DateOfBirth: f.dob.Text, Phone: f.phone.Text, Sex: data.SexUnknown, PreferredContact: data.ContactPhone}
	saved, err := f.app.store.SavePatient(context.Background(), f.app.user, in, opt)
	var dup *data.DuplicateNHSNumberError
	var similar *data.SimilarPatientsError
	switch {
	case err == nil:
		f.ChoosePatient(saved.ID)
	case errors.As(err, &dup):
		f.duplicate = dup.Existing
		setError(f.patientFields[0].err, "Already registered: "+dup.Existing.FullName()+", born "+data.FormatUKDate(dup.Existing.DateOfBirth)+".")
		f.useExisting.Show()
		focus(f.app.win, f.useExisting)
	case errors.As(err, &similar):
		dialog.ShowConfirm("Possible duplicate",
			"A patient with the same name and date of birth is already registered:\n\n"+similarList(similar.Matches)+
				"\nIs this a different person? Choose Yes to add a new record anyway.",
			func(ok bool) {
				if ok {
					f.savePatient(data.SaveOptions{AcceptSimilar: true})
				}
			}, f.app.win)
	default:
		if f.patientFields.showErrors(err) {
			if x := f.patientFields.firstError(); x != nil {
				focus(f.app.win, x.input)
			}
		} else {
			setPatientMsg("The patient could not be saved: " + err.Error())
		}
	}
}

// formReferral reads the referral as typed; the store checks and tidies it.
func (f *ReferralForm) formReferral() data.Referral {
	r := data.Referral{
		PatientID:      f.patient.ID,
		ReceivedOn:     f.received.Text,
		Source:         data.CodeOf(data.ReferralSources, f.source.Selected),
		ReferrerName:   f.referrerName.Text,
		ReferrerOrg:    f.referrerOrg.Text,
		WhatMatters:    f.whatMatters.Text,
		Priority:       data.CodeOf(data.Priorities, f.priority.Selected),
		PriorityReason: f.priorityWhy.Text,
		ConsentBy:      f.consentBy.Text,
		ConsentOn:      f.consentOn.Text,
	}
	if r.Priority == "routine" {
		r.PriorityReason = "" // kept on screen, but not asked for
	}
	for i, c := range f.reasons {
		if c.Checked {
			r.Reasons = append(r.Reasons, data.ReferralReasons[i].Code)
		}
	}
	if i := f.linkWorker.SelectedIndex(); i > 0 && i-1 < len(f.workers) {
		r.LinkWorkerID = f.workers[i-1].ID
	}
	return r
}

// Save records the referral and opens its case record. On an error the
// form keeps everything typed and says what to fix beside each field.
func (f *ReferralForm) Save() {
	defer f.relayout()
	f.fields.clearErrors()
	saved, err := f.app.store.CreateReferral(context.Background(), f.app.user, f.formReferral())
	var open *data.OpenReferralError
	switch {
	case err == nil:
		f.clean = f.state()
		f.app.OpenCase(saved.ID)
	case errors.As(err, &open):
		f.showOpenReferral(&open.Existing)
		f.setMessage(sentence(err.Error()), true)
		focus(f.app.win, f.openCaseBtn)
	case f.fields.showErrors(err):
		f.setMessage("Please correct the fields marked in red; nothing has been saved yet.", true)
		if x := f.fields.firstError(); x != nil && x.input != nil {
			focus(f.app.win, x.input)
		} else if x != nil {
			focus(f.app.win, f.search)
		}
	default:
		f.setMessage("The referral could not be saved: "+err.Error()+". Nothing typed has been lost; try again.", true)
	}
}

// sentence starts a message with a capital and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// relayout lays the form out again after parts were shown or hidden or
// error lines appeared. (The desktop driver notices new sizes at its next
// frame; a captured picture, as in the screenshots, does not.)
func (f *ReferralForm) relayout() {
	if f.content != nil {
		f.content.Refresh()
	}
}

func (f *ReferralForm) setMessage(text string, isError bool) {
	showMessage(f.message, text, isError)
}
