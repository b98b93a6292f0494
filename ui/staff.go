package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// StaffScreen lets an administrator add users, reset passwords, switch
// accounts off and unlock accounts that failed sign-ins locked.
type StaffScreen struct {
	app *App

	users    []data.User
	table    *narrowingTable
	selected int

	username, fullName, jobTitle, email, password, confirm *keyEntry
	role                                                   *widget.Select
	fields                                                 fields
	confirmErr, message                                    *widget.Label
	add, reset, toggle, unlock                             *widget.Button

	// The practice's screen lock time (data.PracticeSettings).
	lockMinutes *keyEntry
	saveLock    *widget.Button
	lockMessage *widget.Label

	content fyne.CanvasObject
}

var staffColumns = []column{{"Name", 200}, {"Username", 130}, {"Role", 150}, {"Account", 80}}

// NewStaffScreen builds the list of users and the add-user form.
func NewStaffScreen(a *App) *StaffScreen {
	s := &StaffScreen{app: a, selected: -1}
	s.table = newNarrowingTable(staffColumns, func() int { return len(s.users) },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(s.users) {
				o.(*widget.Label).SetText(staffCell(s.users[id.Row], id.Col))
			}
		})
	s.table.OnSelected = func(id widget.TableCellID) { s.selected = id.Row; s.updateButtons() }

	s.reset = widget.NewButtonWithIcon("Reset password…", theme.ViewRefreshIcon(), s.askResetPassword)
	s.toggle = widget.NewButton("Switch account off", s.toggleActive)
	s.unlock = widget.NewButtonWithIcon("Unlock", theme.LoginIcon(), s.Unlock)
	s.unlock.Hide() // shown for a locked account

	s.username = a.newEntry()
	s.fullName = a.newEntry()
	s.jobTitle = a.newEntry()
	s.jobTitle.SetPlaceHolder("e.g. Social prescribing link worker")
	s.email = a.newEntry()
	s.password = a.newPasswordEntry()
	s.confirm = a.newPasswordEntry()
	var roles []string
	for _, r := range data.Roles {
		roles = append(roles, r.Label())
	}
	s.role = widget.NewSelect(roles, nil)
	s.fields = fields{
		newField("FullName", "Full name", s.fullName),
		newField("Username", "Username", s.username),
		newField("Role", "Role", s.role),
		newField("JobTitle", "Job title", s.jobTitle),
		newField("Email", "E-mail", s.email),
		newField("Password", "First password", s.password),
	}
	for _, e := range []*keyEntry{s.username, s.fullName, s.jobTitle, s.email, s.password, s.confirm} {
		e.OnSubmitted = func(string) { s.AddUser() }
	}
	s.confirmErr = errorLabel()
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.add = widget.NewButtonWithIcon("Add user", theme.ContentAddIcon(), s.AddUser)
	s.add.Importance = widget.HighImportance
	// The password hint wraps under the field: as a form hint it is one
	// line wider than the window at scale 1.4 (issue 17).
	hint := widget.NewLabel(data.PasswordHint)
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText
	hint.Importance = widget.LowImportance
	s.fields[5].below = hint
	items := s.fields.formItems()
	form := widget.NewForm(items...)
	form.Append("Password again", container.NewVBox(s.confirm, s.confirmErr))

	left := container.NewBorder(
		heading("Staff and their accounts"),
		container.NewHBox(s.reset, s.toggle, s.unlock), nil, nil, focusMarked(s.table))
	right := container.NewBorder(
		heading("Add a user"),
		container.NewVBox(s.message, container.NewHBox(s.add), widget.NewSeparator(), s.lockSetting()), nil, nil, container.NewVScroll(form))
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.55
	s.content = split
	s.load()
	return s
}

// lockSetting is the row that sets how long the window waits without input
// before it locks.
func (s *StaffScreen) lockSetting() fyne.CanvasObject {
	s.lockMinutes = s.app.newEntry()
	s.lockMinutes.OnSubmitted = func(string) { s.SaveIdleLock() }
	if set, err := s.app.store.PracticeSettings(context.Background()); err == nil {
		s.lockMinutes.SetText(strconv.Itoa(set.IdleLockMinutes))
	}
	s.saveLock = widget.NewButton("Save", s.SaveIdleLock)
	s.lockMessage = widget.NewLabel("")
	s.lockMessage.Wrapping = fyne.TextWrapWord
	s.lockMessage.Hide()
	label := widget.NewLabel(fmt.Sprintf("Lock every window after this many minutes without input (%d to %d):",
		data.MinIdleLockMinutes, data.MaxIdleLockMinutes))
	label.Wrapping = fyne.TextWrapWord
	return container.NewVBox(label, container.NewBorder(nil, nil, nil, s.saveLock, s.lockMinutes), s.lockMessage)
}

// SaveIdleLock stores the screen lock time; windows signed in later use it.
func (s *StaffScreen) SaveIdleLock() {
	n, err := strconv.Atoi(strings.TrimSpace(s.lockMinutes.Text))
	if err != nil {
		n = -1
	}
	if err := s.app.store.SetIdleLock(context.Background(), s.app.session, n); err != nil {
		if v, ok := err.(*data.ValidationError); ok {
			setError(s.lockMessage, v.Error())
			return
		}
		s.app.showError(err)
		return
	}
	s.lockMessage.Importance = widget.SuccessImportance
	s.lockMessage.SetText(fmt.Sprintf("Saved: windows lock after %d minutes without input, from their next sign-in.", n))
	s.lockMessage.Show()
}

// Content is the screen's root object.
func (s *StaffScreen) Content() fyne.CanvasObject { return s.content }

func staffCell(u data.User, col int) string {
	switch col {
	case 0:
		return u.FullName
	case 1:
		return u.Username
	case 2:
		return u.Role.Label()
	case 3:
		switch {
		case !u.Active:
			return "Off"
		case u.Locked:
			return "Locked"
		}
		return "Active"
	}
	return ""
}

func (s *StaffScreen) load() {
	users, err := s.app.store.Users(context.Background(), s.app.session)
	if err != nil {
		s.message.SetText("The staff list could not be read: " + err.Error())
	}
	s.users = users
	s.selected = -1
	s.table.UnselectAll()
	s.table.Refresh()
	s.updateButtons()
}

func (s *StaffScreen) updateButtons() {
	if s.selected < 0 || s.selected >= len(s.users) {
		s.reset.Disable()
		s.toggle.Disable()
		s.toggle.SetText("Switch account off")
		s.unlock.Hide()
		return
	}
	if s.users[s.selected].Locked {
		s.unlock.Show()
	} else {
		s.unlock.Hide()
	}
	s.reset.Enable()
	s.toggle.Enable()
	if s.users[s.selected].Active {
		s.toggle.SetText("Switch account off")
	} else {
		s.toggle.SetText("Switch account on")
	}
}

// AddUser creates the account typed in the form.
func (s *StaffScreen) AddUser() {
	s.fields.clearErrors()
	setError(s.confirmErr, "")
	if s.password.Text != s.confirm.Text {
		setError(s.confirmErr, "the two passwords are not the same")
		return
	}
	role, _ := data.RoleFromLabel(s.role.Selected)
	u, err := s.app.store.CreateUser(context.Background(), s.app.session, data.NewUser{
		Username: s.username.Text, FullName: s.fullName.Text, Role: role, JobTitle: s.jobTitle.Text,
		Email: s.email.Text, Password: s.password.Text,
	})
	if err != nil {
		if s.fields.showErrors(err) {
			s.message.SetText("Please correct the fields marked in red.")
			if f := s.fields.firstError(); f != nil {
				focus(s.app.win, f.input)
			}
		} else {
			s.message.SetText("The user could not be added: " + err.Error())
		}
		return
	}
	s.message.SetText(fmt.Sprintf("%s can now sign in as %s. Give them the first password in person.", u.FullName, u.Username))
	for _, e := range []*keyEntry{s.username, s.fullName, s.jobTitle, s.email, s.password, s.confirm} {
		e.SetText("")
	}
	s.role.ClearSelected()
	s.load()
}

func (s *StaffScreen) askResetPassword() {
	if s.selected < 0 {
		return
	}
	u := s.users[s.selected]
	pw := widget.NewPasswordEntry()
	again := widget.NewPasswordEntry()
	d := dialog.NewForm("Reset password for "+u.FullName, "Reset", "Cancel",
		[]*widget.FormItem{{Text: "New password", Widget: pw, HintText: data.PasswordHint}, widget.NewFormItem("Again", again)},
		func(ok bool) {
			if !ok {
				return
			}
			if pw.Text != again.Text {
				dialog.ShowInformation("Password not changed", "The two passwords are not the same. Try again.", s.app.win)
				return
			}
			if err := s.ResetPassword(u.ID, pw.Text); err != nil {
				dialog.ShowInformation("Password not changed", err.Error(), s.app.win)
				return
			}
			s.message.SetText("The password for " + u.FullName + " has been reset.")
		}, s.app.win)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}

// ResetPassword sets a user's password through the store's rules.
func (s *StaffScreen) ResetPassword(userID int64, password string) error {
	return s.app.store.ResetPassword(context.Background(), s.app.session, userID, password)
}

func (s *StaffScreen) toggleActive() {
	if s.selected < 0 {
		return
	}
	u := s.users[s.selected]
	if err := s.app.store.SetUserActive(context.Background(), s.app.session, u.ID, !u.Active); err != nil {
		s.message.SetText(err.Error())
		return
	}
	s.load()
}

// Unlock ends the lock that failed sign-ins put on the selected account.
func (s *StaffScreen) Unlock() {
	if s.selected < 0 {
		return
	}
	u := s.users[s.selected]
	if err := s.app.store.UnlockUser(context.Background(), s.app.session, u.ID); err != nil {
		s.message.SetText("The account could not be unlocked: " + err.Error())
		return
	}
	s.load()
	s.message.SetText(u.FullName + " can sign in again.")
}

// narrowingTable is a Table whose columns narrow in proportion when it is
// narrower than their widths (scale 1.4, issue 17), the cells cutting
// their text with an ellipsis, so no column hides off the right edge;
// not below two thirds, where most cells would be only an ellipsis (the
// table then scrolls sideways).
type narrowingTable struct {
	widget.Table
	cols []column
}

// newNarrowingTable is a table of cols with rows() rows of cellLabel
// cells, filled by update.
func newNarrowingTable(cols []column, rows func() int, update func(widget.TableCellID, fyne.CanvasObject)) *narrowingTable {
	t := &narrowingTable{cols: cols}
	t.Length = func() (int, int) { return rows(), len(cols) }
	t.CreateCell, t.UpdateCell = cellLabel, update
	t.ExtendBaseWidget(t)
	setColumns(&t.Table, cols)
	return t
}

// Resize implements fyne.Widget.
func (t *narrowingTable) Resize(size fyne.Size) {
	total := float32(0)
	for _, c := range t.cols {
		total += c.width
	}
	// Room for the padding, the lines between columns and the scroll bar.
	room := size.Width - 2*theme.Padding() - float32(len(t.cols)-1) - theme.ScrollBarSize()
	scale := min(1, max(0.65, room/total))
	for i, c := range t.cols {
		t.SetColumnWidth(i, c.width*scale)
	}
	t.Table.Resize(size)
}
