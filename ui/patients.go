package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
	"linkwell/printing"
)

// PatientsScreen finds patients as you type and edits one at a time.
type PatientsScreen struct {
	app *App

	picker    *PatientPicker
	newButton *widget.Button // the picker's: it clears the form for a new record

	// The record in the form as last loaded or saved, and the form as it
	// was then, to tell whether anything has been typed since.
	loaded data.Patient
	shown  data.Patient

	heading                                                              *widget.Label
	nhs, given, family, dob, address, postcode, phone, email, language   *keyEntry
	sex, ethnic, contact                                                 *widget.Select
	interpreter, largePrint, easyRead, bsl, consentContact, consentShare *widget.Check
	fields                                                               fields
	message                                                              *widget.Label
	save, revert, refer, prescribe                                       *widget.Button
	subjectAccess                                                        *widget.Button // the practice manager's

	content fyne.CanvasObject
}

// searchLimit caps the rows one search shows: a receptionist narrows the
// search rather than scrolls through thousands.
const searchLimit = 200

// NewPatientsScreen builds the search, the results table and the form.
func NewPatientsScreen(a *App) *PatientsScreen {
	s := &PatientsScreen{app: a}

	s.picker = NewPatientPicker(a, searchLimit, patientColumns)
	s.picker.OnChosen = s.Open
	s.picker.OnNew = s.NewPatient
	s.newButton = s.picker.newButton

	s.buildForm()
	if k := a.patientsKept; k != nil {
		// Back from another screen: the search and the record as they were.
		s.picker.KeepQuery(k.query, k.patientID)
		if k.patientID != 0 {
			if p, err := a.store.Patient(context.Background(), a.session, k.patientID); err == nil {
				s.fill(p)
			}
		}
	}

	left := s.picker.Content()
	// Only what the role may do is offered (data.Role.May).
	buttons := newFlow(spareRight) // wraps in a narrow window (issue 17)
	if a.session.May(data.OpEditPatient) {
		buttons.Add(s.save)
		buttons.Add(s.revert)
	}
	if a.session.May(data.OpRefer) {
		buttons.Add(s.refer)
	}
	if a.session.May(data.OpIssuePrescription) {
		buttons.Add(s.prescribe)
	}
	if a.session.May(data.OpSubjectAccess) {
		buttons.Add(s.subjectAccess)
	}
	right := container.NewBorder(s.heading, container.NewVBox(s.message, buttons), nil, nil, container.NewVScroll(widget.NewForm(s.fields.formItems()...)))
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.48 // the record's buttons on one line at scale 1.0
	s.content = split

	ctrl := fyne.KeyModifierShortcutDefault
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, s.picker.Focus)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: ctrl}, s.NewPatient)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}, s.Save)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: ctrl}, func() {
		if s.loaded.ID != 0 && a.session.May(data.OpRefer) {
			s.refer.OnTapped() // Refer… for the patient open
		}
	})
	return s
}

// entry makes an entry whose Ctrl shortcuts reach this screen.
func (s *PatientsScreen) entry(multiLine bool, onSave func()) *keyEntry {
	e := newKeyEntry(multiLine, onSave, nil)
	e.app = s.app
	return e
}

// Focus puts the cursor in the search box.
func (s *PatientsScreen) Focus() { s.picker.Focus() }

func (s *PatientsScreen) buildForm() {
	s.heading = heading("New patient")
	// A long name gives way (an ellipsis) rather than widen the window; the
	// form below shows it whole (issue 17).
	s.heading.Truncation = fyne.TextTruncateEllipsis
	s.nhs = s.entry(false, s.Save)
	s.nhs.SetPlaceHolder("943 476 5919 (optional for self-referrals)")
	s.given = s.entry(false, s.Save)
	s.family = s.entry(false, s.Save)
	s.dob = s.entry(false, s.Save)
	s.dob.SetPlaceHolder("DD/MM/YYYY")
	s.sex = widget.NewSelect(sexLabels(), nil)
	s.ethnic = widget.NewSelect(ethnicLabels(), nil)
	s.address = s.entry(true, s.Save)
	s.address.SetMinRowsVisible(3)
	s.address.Wrapping = fyne.TextWrapWord
	s.postcode = s.entry(false, s.Save)
	s.phone = s.entry(false, s.Save)
	s.email = s.entry(false, s.Save)
	s.contact = widget.NewSelect(contactLabels(), nil)
	s.interpreter = widget.NewCheck("Needs an interpreter", nil)
	s.language = s.entry(false, s.Save)
	s.language.SetPlaceHolder("Language, e.g. Polish")
	s.largePrint = widget.NewCheck("Large print", nil)
	s.easyRead = widget.NewCheck("Easy read", nil)
	s.bsl = widget.NewCheck("BSL (British Sign Language)", nil)
	s.consentContact = widget.NewCheck("Agrees to be contacted by the link worker", nil)
	s.consentShare = widget.NewCheck("Agrees to details being shared with services", nil)

	s.fields = fields{
		newField("NHSNumber", "NHS number", s.nhs),
		newField("GivenName", "Given name", s.given),
		newField("FamilyName", "Family name", s.family),
		newField("DateOfBirth", "Date of birth", s.dob),
		newField("Sex", "Sex", s.sex),
		newField("EthnicCategory", "Ethnic category", s.ethnic),
		newField("Address", "Address", s.address),
		newField("Postcode", "Postcode", s.postcode),
		newField("Phone", "Phone", s.phone),
		newField("Email", "E-mail", s.email),
		newField("PreferredContact", "Preferred contact", s.contact),
		newField("Language", "Communication", container.NewVBox(
			container.NewBorder(nil, nil, s.interpreter, nil, s.language),
			newFlow(spareRight, s.largePrint, s.easyRead, s.bsl))),
		newField("Consent", "Consent", container.NewVBox(s.consentContact, s.consentShare)),
	}
	for _, e := range []*keyEntry{s.nhs, s.given, s.family, s.dob, s.postcode, s.phone, s.email, s.language} {
		e.OnSubmitted = func(string) { s.Save() }
	}
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Hide()
	s.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.Save)
	s.save.Importance = widget.HighImportance
	s.revert = widget.NewButtonWithIcon("Undo changes", theme.ContentUndoIcon(), s.Revert)
	// From a patient's record: refer them, or write a social prescription.
	s.refer = widget.NewButtonWithIcon("Refer…", theme.ContentAddIcon(), func() { s.app.StartReferral(s.loaded.ID) })
	s.prescribe = widget.NewButtonWithIcon("Social prescription…", theme.DocumentPrintIcon(), func() {
		s.app.StartPrescription(s.loaded.ID, 0)
	})
	// Everything held about the patient (a subject access request).
	s.subjectAccess = widget.NewButtonWithIcon("Subject access export…", theme.DocumentSaveIcon(), s.chooseSubjectAccess)
	s.fill(data.Patient{})
}

// Content is the screen's root object.
func (s *PatientsScreen) Content() fyne.CanvasObject { return s.content }

// Open loads a patient into the form, asking first if typing would be lost.
// The record is read afresh through the store, which records the opening
// in the audit; a record whose opening cannot be recorded is not shown.
func (s *PatientsScreen) Open(p data.Patient) {
	if p.ID == s.loaded.ID && p.ID != 0 {
		return
	}
	s.unlessDirty(func() {
		if p.ID != 0 {
			opened, err := s.app.store.Patient(context.Background(), s.app.session, p.ID)
			if err != nil {
				s.app.showError(err)
				return
			}
			p = opened
		}
		s.fill(p)
	})
}

// NewPatient clears the form for a new record.
func (s *PatientsScreen) NewPatient() {
	s.unlessDirty(func() {
		s.picker.table.UnselectAll()
		s.fill(data.Patient{})
		focus(s.app.win, s.nhs)
	})
}

// kept is the search and the record open, for when the screen is built
// again.
func (s *PatientsScreen) kept() *patientsState {
	return &patientsState{query: s.picker.Query(), patientID: s.loaded.ID}
}

// Revert puts back the record as last loaded.
func (s *PatientsScreen) Revert() { s.fill(s.loaded) }

// unlessDirty runs fn now, or after the user agrees to lose their typing.
func (s *PatientsScreen) unlessDirty(fn func()) {
	confirmDiscard(s.app.win, "this patient", s.Dirty(), fn)
}

// Dirty is true when the form differs from the record loaded.
func (s *PatientsScreen) Dirty() bool { return s.formPatient() != s.shown }

func (s *PatientsScreen) fill(p data.Patient) {
	s.loaded = p
	if p.ID == 0 {
		s.heading.SetText("New patient")
		s.save.SetText("Save new patient")
		s.refer.Disable()
		s.prescribe.Disable()
		s.subjectAccess.Disable()
	} else {
		s.heading.SetText(p.FullName())
		s.save.SetText("Save changes")
		s.refer.Enable()
		s.prescribe.Enable()
		s.subjectAccess.Enable()
	}
	s.nhs.SetText(data.FormatNHSNumber(p.NHSNumber))
	s.given.SetText(p.GivenName)
	s.family.SetText(p.FamilyName)
	s.dob.SetText(data.FormatUKDate(p.DateOfBirth))
	if p.Sex == "" {
		p.Sex = data.SexUnknown
	}
	s.sex.SetSelected(p.Sex.Label())
	s.ethnic.SetSelected(ethnicLabel(p.EthnicCategory))
	s.address.SetText(p.Address)
	s.postcode.SetText(p.Postcode)
	s.phone.SetText(p.Phone)
	s.email.SetText(p.Email)
	if p.PreferredContact == "" {
		p.PreferredContact = data.ContactPhone
	}
	s.contact.SetSelected(p.PreferredContact.Label())
	s.interpreter.SetChecked(p.Interpreter)
	s.language.SetText(p.Language)
	s.largePrint.SetChecked(p.LargePrint)
	s.easyRead.SetChecked(p.EasyRead)
	s.bsl.SetChecked(p.BSL)
	s.consentContact.SetChecked(p.ConsentContact)
	s.consentShare.SetChecked(p.ConsentShare)
	s.fields.clearErrors()
	s.setMessage("", false)
	s.shown = s.formPatient()
}

// formPatient reads the form as typed; the store checks and tidies it.
func (s *PatientsScreen) formPatient() data.Patient {
	p := data.Patient{
		ID:             s.loaded.ID,
		Version:        s.loaded.Version,
		NHSNumber:      s.nhs.Text,
		GivenName:      s.given.Text,
		FamilyName:     s.family.Text,
		DateOfBirth:    s.dob.Text,
		EthnicCategory: ethnicCode(s.ethnic.Selected),
		Address:        s.address.Text,
		Postcode:       s.postcode.Text,
		Phone:          s.phone.Text,
		Email:          s.email.Text,
		Interpreter:    s.interpreter.Checked,
		Language:       s.language.Text,
		LargePrint:     s.largePrint.Checked,
		EasyRead:       s.easyRead.Checked,
		BSL:            s.bsl.Checked,
		ConsentContact: s.consentContact.Checked,
		ConsentShare:   s.consentShare.Checked,
	}
	for _, x := range data.Sexes {
		if x.Label() == s.sex.Selected {
			p.Sex = x
		}
	}
	for _, c := range data.ContactMethods {
		if c.Label() == s.contact.Selected {
			p.PreferredContact = c
		}
	}
	return p
}

// Save checks and stores the form. On any error the form keeps what was
// typed and says what to fix.
func (s *PatientsScreen) Save() {
	savePatientChecked(s.app, s.fields, s.formPatient(), s.saved, s.duplicate,
		func(msg string) { s.setMessage(msg, true) })
}

func (s *PatientsScreen) saved(p data.Patient) {
	s.fill(p)
	s.setMessage("Saved at "+time.Now().Format("15:04")+".", false)
	s.picker.Show(p)
}

// duplicate offers the record the NHS number already belongs to.
func (s *PatientsScreen) duplicate(dup *data.DuplicateNHSNumberError) {
	s.setMessage(dup.Error()+".", true)
	dialog.ShowCustomConfirm("This NHS number is already registered", "Open that record", "Stay here",
		widget.NewLabel(dup.Error()+"."), func(open bool) {
			if open {
				s.shown = s.formPatient() // the user chose to leave this typing
				s.fill(dup.Existing)
				s.picker.Show(dup.Existing)
			}
		}, s.app.win)
}

// chooseSubjectAccess asks where to save everything held about the patient
// on show: a PDF for the person, or JSON.
func (s *PatientsScreen) chooseSubjectAccess() {
	if s.loaded.ID == 0 {
		return
	}
	name := "subject-access-" + strings.ToLower(strings.Join(strings.Fields(s.loaded.FamilyName), "-")) + "-" +
		time.Now().Format(data.DateLayout) + ".pdf"
	s.app.askSavePath(name, []string{".pdf", ".json"}, s.SubjectAccessExport)
}

// SubjectAccessExport writes everything held about the patient on show to
// path (PDF, or JSON for a .json name; ".pdf" is added when there is no
// extension). The store audits the export once the file is written.
func (s *PatientsScreen) SubjectAccessExport(path string) {
	if filepath.Ext(path) == "" {
		path += ".pdf"
	}
	store, sess, id := s.app.store, s.app.session, s.loaded.ID
	background(s.app.win, 0, func() func() {
		sa, err := printing.SubjectAccess(context.Background(), store, sess, data.Subject{PatientID: id}, path)
		return func() {
			if err != nil {
				if errors.Is(err, data.ErrSignedOut) {
					s.app.showError(err)
					return
				}
				s.setMessage("The subject access export could not be written: "+err.Error(), true)
				return
			}
			s.setMessage(fmt.Sprintf("Everything held about %s %s (%d referrals, %d appointments) was written to %s. The export is recorded in the audit.",
				sa.Patient.GivenName, sa.Patient.FamilyName, len(sa.Referrals), len(sa.Appointments), path), false)
		}
	})
}

func (s *PatientsScreen) setMessage(text string, isError bool) {
	showMessage(s.message, text, isError)
}

func sexLabels() []string {
	var out []string
	for _, x := range data.Sexes {
		out = append(out, x.Label())
	}
	return out
}

func contactLabels() []string {
	var out []string
	for _, c := range data.ContactMethods {
		out = append(out, c.Label())
	}
	return out
}

func ethnicLabels() []string {
	var out []string
	for _, c := range data.EthnicCategories {
		out = append(out, ethnicLabel(c.Code))
	}
	return out
}

func ethnicLabel(code string) string {
	for _, c := range data.EthnicCategories {
		if c.Code == code {
			if code == "" {
				return c.Label
			}
			return code + " · " + c.Label
		}
	}
	return code
}

func ethnicCode(label string) string {
	for _, c := range data.EthnicCategories {
		if ethnicLabel(c.Code) == label {
			return c.Code
		}
	}
	return ""
}
