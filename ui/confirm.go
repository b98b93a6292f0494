package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// askYesNo is the app's yes/no question, in place of Fyne's
// dialog.ShowConfirm, whose dialog ignores the keyboard: Enter did nothing
// in "Discard changes?" (issue 17). Here the default answer's button has
// the focus, so Enter gives it, Escape answers No, and Tab moves between
// the two (a focused button answers Enter itself). If the focus is lost
// (a click beside the buttons), Enter and Escape still work through the
// window. yesIsDefault is false for what cannot be undone, so that a
// stray Enter does not do it. fn is called once, after the dialog is gone.
func askYesNo(win fyne.Window, title, message string, yesIsDefault bool, fn func(yes bool)) *dialog.CustomDialog {
	c := win.Canvas()
	before := c.OnTypedKey()
	var d *dialog.CustomDialog
	answered := false
	answer := func(yes bool) {
		if answered {
			return
		}
		answered = true
		// The window's keys go back before fn runs: fn may change screen,
		// which sets the new screen's keys.
		c.SetOnTypedKey(before)
		d.Hide()
		fn(yes)
	}
	no := &dialogButton{onEscape: func() { answer(false) }}
	no.Text, no.Icon, no.OnTapped = "No", theme.CancelIcon(), func() { answer(false) }
	no.ExtendBaseWidget(no)
	yes := &dialogButton{onEscape: func() { answer(false) }}
	yes.Text, yes.Icon, yes.OnTapped = "Yes", theme.ConfirmIcon(), func() { answer(true) }
	yes.ExtendBaseWidget(yes)
	def := no
	if yesIsDefault {
		def = yes
	}
	def.Importance = widget.HighImportance

	text := widget.NewLabel(message)
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(text), win)
	d.SetButtons([]fyne.CanvasObject{no, yes})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			answer(def == yes)
		case fyne.KeyEscape:
			answer(false)
		}
	})
	d.Show()
	c.Focus(def)
	return d
}

// dialogButton is a dialog's button that answers the keyboard as a
// desktop dialog's does: Enter or Space presses it, Escape cancels the
// dialog. Fyne's Button answers Space only.
type dialogButton struct {
	widget.Button
	onEscape func()
}

// TypedKey implements fyne.Focusable.
func (b *dialogButton) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	case fyne.KeyEscape:
		b.onEscape()
	default:
		b.Button.TypedKey(k)
	}
}
