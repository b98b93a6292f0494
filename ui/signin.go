package ui

import (
	"context"
	"errors"
	"fmt"
	"fyne.io/fyne/v2/dialog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// SignInScreen starts every session.
type SignInScreen struct {
	app *App

	username, password *widget.Entry
	message            *widget.Label
	signIn             *widget.Button
	content            fyne.CanvasObject
}

// NewSignInScreen builds the sign-in form; on a demo database it lists the
// demo accounts.
func NewSignInScreen(a *App) *SignInScreen {
	s := &SignInScreen{app: a}
	s.username = widget.NewEntry()
	s.password = widget.NewPasswordEntry()
	s.username.OnSubmitted = func(string) { focus(a.win, s.password) }
	s.password.OnSubmitted = func(string) { s.SignIn() }
	s.message = errorLabel()
	s.signIn = widget.NewButton("Sign in", s.SignIn)
	s.signIn.Importance = widget.HighImportance

	title := heading(a.practice.Name)
	sub := widget.NewLabel("Sign in to Linkwell")
	form := widget.NewForm(widget.NewFormItem("Username", s.username), widget.NewFormItem("Password", s.password))
	box := container.NewVBox(title, sub, widget.NewCard("", "", container.NewVBox(form, s.message, container.NewHBox(s.signIn))))
	if a.practice.IsDemo {
		text := "This is a demo practice with made-up patients.\nSign in with one of these (username / password):\n"
		seen := map[data.Role]bool{}
		for _, acc := range data.DemoAccounts() {
			if seen[acc.Role] {
				continue // one account of each role is enough to explore
			}
			seen[acc.Role] = true
			text += fmt.Sprintf("\n%s — %s / %s", acc.Role.Label(), acc.Username, acc.Password)
		}
		box.Add(widget.NewCard("", "Demo database", widget.NewLabel(text)))
	}
	s.content = centred(460, box)
	return s
}

// Content is the screen's root object.
func (s *SignInScreen) Content() fyne.CanvasObject { return s.content }

// Focus puts the cursor in the username.
func (s *SignInScreen) Focus() { focus(s.app.win, s.username) }

// SignIn checks the username and password.
func (s *SignInScreen) SignIn() {
	if s.username.Text == "" {
		setError(s.message, "Type your username.")
		focus(s.app.win, s.username)
		return
	}
	u, err := s.app.store.SignIn(context.Background(), s.username.Text, s.password.Text)
	if err != nil {
		if errors.Is(err, data.ErrBadSignIn) {
			setError(s.message, "That username and password do not match, or the account is locked or switched off. Ask your administrator if you cannot sign in.")
		} else {
			setError(s.message, "You could not be signed in: "+err.Error())
		}
		s.password.SetText("")
		focus(s.app.win, s.password)
		return
	}
	s.app.SignedIn(u)
}

// SignOut records the sign-out in the audit and shows the sign-in screen.
func (a *App) SignOut() {
	if err := a.store.SignOut(context.Background(), a.session); err != nil && !errors.Is(err, data.ErrSignedOut) {
		dialog.ShowError(err, a.win) // signed out all the same: the screens must close
	}
	a.ShowSignIn()
}
