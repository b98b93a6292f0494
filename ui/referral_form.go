package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

	patient  data.Patient // the chosen patient; ID 0 while none is
	openCase int64        // the patient's open referral, to offer it
	workers  []data.User  // link workers, in the order of the select
	clean    string       // the form's state when last reset, to tell if anything was typed

	// Finding the patient, or adding one in place.
	picker *PatientPicker

	// The chosen patient.
	patientName, patientDetails, patientNeeds *widget.Label
	openMsg                                   *widget.Label
	openCaseBtn, changePatient                *widget.Button
	openBox, card                             *fyne.Container
	patientErr                                *widget.Label

	// The referral.
	received, referrerName, referrerOrg *keyEntry
	whatMatters, priorityWhy            *keyEntry
	whatMattersCount                    *charCounter
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
	f.picker = NewPatientPicker(a, pickerLimit, shortPatientColumns)
	f.picker.OnChosen = func(p data.Patient) { f.ChoosePatient(p.ID) }
	f.picker.OnEscape = f.Cancel
	f.picker.Relayout = f.relayout
	f.picker.EnterPicksFirst = true // as a GP expects: Enter takes the best match
	f.buildCard()
	f.buildReferral()

	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	f.save = widget.NewButtonWithIcon("Save referral (Ctrl+S)", theme.DocumentSaveIcon(), f.Save)
	f.save.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon("Cancel (Esc)", theme.CancelIcon(), f.Cancel)

	left := container.NewVBox(sectionLabel("Patient"), f.patientErr, f.picker.Content(), f.card)
	form := widget.NewForm(f.formItems()...)
	right := container.NewVBox(sectionLabel("Referral"), form)
	// Patient and referral side by side; the referral under the patient
	// when the window is too narrow for both (scale 1.4).
	columns := newFlow(spareLast, container.New(fixedWidth(400), left), right)
	bottom := container.NewVBox(widget.NewSeparator(), f.message, newFlow(spareRight, f.save, f.cancel))
	f.content = container.NewPadded(container.NewBorder(heading("New referral"), bottom, nil, nil,
		container.NewVScroll(columns)))

	ctrl := fyne.KeyModifierShortcutDefault
	// Canvas shortcuts reach us when a button, select or check has focus;
	// entries pass them on themselves (see keyEntry).
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}, f.Save)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, f.picker.Focus)
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
		f.picker.Focus()
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
	f.whatMattersCount = newCharCounter(&f.whatMatters.Entry, data.WhatMattersMaxChars)
	f.priority = widget.NewRadioGroup(choiceLabels(data.Priorities), func(string) { f.priorityChanged() })
	f.priority.Horizontal = true
	f.priority.Required = true
	f.priorityWhy = f.newEntry("Why? (needed for soon or urgent)")
	f.consentBy = f.newEntry("Who consented, e.g. Patient")
	f.consentOn = f.newEntry("DD/MM/YYYY")
	f.linkWorker = widget.NewSelect([]string{noPreference}, nil)
	if ws, err := f.app.store.UsersWithRole(context.Background(), f.app.session, data.RoleLinkWorker); err == nil {
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
		widget.NewFormItem("Reasons", f.withError("Reasons", newWrapGrid(3, checks...))),
		widget.NewFormItem("What matters to me", f.withError("WhatMatters",
			container.NewVBox(f.whatMatters, f.whatMattersCount.label))),
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
	f.fields.clearErrors()
	f.setMessage("", false)
	f.showFinder()
	f.clean = f.state()
}

// state is everything typed, to tell whether the form has changed.
func (f *ReferralForm) state() string {
	var b strings.Builder
	fmt.Fprint(&b, f.patient.ID)
	b.WriteString(f.picker.Typed())
	for _, e := range []*keyEntry{f.received, f.referrerName, f.referrerOrg, f.whatMatters, f.priorityWhy,
		f.consentBy, f.consentOn} {
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
		f.picker.Focus()
		return
	}
	askYesNo(f.app.win, "Discard this referral?", "You have typed a referral that is not saved. Discard it?", true, func(ok bool) {
		if ok {
			f.reset()
			f.picker.Focus()
		}
	})
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

// ChoosePatient makes the referral for this patient and shows who they are
// and any referral of theirs still open.
func (f *ReferralForm) ChoosePatient(id int64) {
	ctx := context.Background()
	p, err := f.app.store.Patient(ctx, f.app.session, id)
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
	if r, err := f.app.store.OpenReferral(ctx, f.app.session, id); err == nil {
		f.showOpenReferral(&r)
	}
	setError(f.patientErr, "")
	f.picker.Content().Hide()
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

// showFinder goes back to finding the patient, with an empty search.
func (f *ReferralForm) showFinder() {
	f.patient, f.openCase = data.Patient{}, 0
	f.card.Hide()
	f.picker.Clear()
	f.picker.Content().Show()
	f.relayout()
	f.picker.Focus()
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
	saved, err := f.app.store.CreateReferral(context.Background(), f.app.session, f.formReferral())
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
			f.picker.Focus()
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
