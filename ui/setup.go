package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// SetUpScreen is the first run of a new database: the practice and its
// first administrator.
type SetUpScreen struct {
	app *App

	name, ods, postcode, phone, listSize   *widget.Entry
	address                                *keyEntry // multi-line, but Tab moves on
	adminName, username, password, confirm *widget.Entry
	fields                                 fields
	confirmErr, message                    *widget.Label
	create                                 *widget.Button
	content                                fyne.CanvasObject
}

// NewSetUpScreen builds the set-up form.
func NewSetUpScreen(a *App) *SetUpScreen {
	s := &SetUpScreen{app: a}
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder("e.g. Riverside Medical Practice")
	s.ods = widget.NewEntry()
	s.ods.SetPlaceHolder("e.g. B86001")
	s.address = newKeyEntry(true, s.Create, nil)
	s.address.SetMinRowsVisible(2)
	s.postcode = widget.NewEntry()
	s.phone = widget.NewEntry()
	s.listSize = widget.NewEntry()
	s.listSize.SetPlaceHolder("number of registered patients, e.g. 10000")
	s.adminName = widget.NewEntry()
	s.username = widget.NewEntry()
	s.password = widget.NewPasswordEntry()
	s.confirm = widget.NewPasswordEntry()
	s.confirmErr = errorLabel()
	s.message = errorLabel()

	s.fields = fields{
		newField("Name", "Practice name", s.name),
		newField("ODSCode", "ODS code", s.ods),
		newField("Address", "Address", s.address),
		newField("Postcode", "Postcode", s.postcode),
		newField("Phone", "Phone", s.phone),
		newField("ListSize", "Registered list size", s.listSize),
		newField("FullName", "Your full name", s.adminName),
		newField("Username", "Username", s.username),
		newField("Password", "Password", s.password),
	}
	for _, e := range []*widget.Entry{s.name, s.ods, s.postcode, s.phone, s.listSize, s.adminName, s.username, s.password, s.confirm} {
		e.OnSubmitted = func(string) { s.Create() }
	}
	items := s.fields.formItems()
	items[8].HintText = data.PasswordHint
	form := widget.NewForm(items...)
	form.Append("Password again", container.NewVBox(s.confirm, s.confirmErr))
	s.create = widget.NewButton("Create practice", s.Create)
	s.create.Importance = widget.HighImportance

	title := heading("Welcome to Linkwell")
	// Lines broken by hand: a wrapping label inside a centred panel
	// measures its height before it knows its width.
	intro := widget.NewLabel("This database is new. Enter your practice's details and create the first\nadministrator account; the administrator then adds the other staff.")
	s.content = centred(620, container.NewVBox(title, intro, widget.NewCard("", "", form), s.message, container.NewHBox(s.create)))
	return s
}

// Content is the screen's root object.
func (s *SetUpScreen) Content() fyne.CanvasObject { return s.content }

// Focus puts the cursor in the first field.
func (s *SetUpScreen) Focus() { focus(s.app.win, s.name) }

// Create saves the practice and the administrator, then signs them in.
func (s *SetUpScreen) Create() {
	s.fields.clearErrors()
	setError(s.message, "")
	setError(s.confirmErr, "")
	list := 0
	if t := strings.ReplaceAll(strings.TrimSpace(s.listSize.Text), ",", ""); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			setError(s.fields[5].err, "type the number of registered patients, e.g. 10000")
			return
		}
		list = n
	}
	if s.password.Text != s.confirm.Text {
		setError(s.confirmErr, "the two passwords are not the same")
		return
	}
	p := data.Practice{Name: s.name.Text, ODSCode: s.ods.Text, Address: s.address.Text, Postcode: s.postcode.Text, Phone: s.phone.Text, ListSize: list}
	admin := data.NewUser{Username: s.username.Text, FullName: s.adminName.Text, Password: s.password.Text, JobTitle: "Administrator"}
	u, err := s.app.store.SetUp(context.Background(), p, admin)
	if err != nil {
		if !s.fields.showErrors(err) {
			setError(s.message, "The practice could not be created: "+err.Error())
		} else if f := s.fields.firstError(); f != nil {
			focus(s.app.win, f.input)
		}
		return
	}
	s.app.SignedIn(u)
	s.app.Show("Staff") // the new practice's first job: adding its staff
}
