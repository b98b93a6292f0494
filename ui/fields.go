package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// field is one labelled input of a form, with the line under it where the
// store's message about that field appears.
type field struct {
	name  string // the domain field it edits, as data.ValidationError names it
	label string
	input fyne.CanvasObject
	below fyne.CanvasObject // shown under the input when set: a character counter
	err   *widget.Label
}

func newField(name, label string, input fyne.CanvasObject) *field {
	return &field{name: name, label: label, input: input, err: errorLabel()}
}

func (f *field) formItem() *widget.FormItem {
	if f.below != nil {
		return widget.NewFormItem(f.label, container.NewVBox(f.input, f.below, f.err))
	}
	return widget.NewFormItem(f.label, container.NewVBox(f.input, f.err))
}

// fields is a form's fields in order.
type fields []*field

func (fs fields) formItems() []*widget.FormItem {
	items := make([]*widget.FormItem, len(fs))
	for i, f := range fs {
		items[i] = f.formItem()
	}
	return items
}

// showErrors puts each field message of err beside its field and returns
// true, or returns false when err names no field here.
func (fs fields) showErrors(err error) bool {
	fs.clearErrors()
	v, ok := data.FieldErrors(err)
	if !ok {
		return false
	}
	shown := false
	for _, f := range fs {
		if msg := v.For(f.name); msg != "" {
			setError(f.err, msg)
			shown = true
		}
	}
	return shown
}

func (fs fields) clearErrors() {
	for _, f := range fs {
		setError(f.err, "")
	}
}

// named is the field editing the named domain field, or nil.
func (fs fields) named(name string) *field {
	for _, f := range fs {
		if f.name == name {
			return f
		}
	}
	return nil
}

// without is the fields other than f.
func (fs fields) without(f *field) fields {
	var out fields
	for _, x := range fs {
		if x != f {
			out = append(out, x)
		}
	}
	return out
}

// firstError is the first field showing an error, to focus it.
func (fs fields) firstError() *field {
	for _, f := range fs {
		if f.err.Visible() {
			return f
		}
	}
	return nil
}

// errorLabel is the red text shown under a field when it is wrong.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setError shows msg on an error label, or hides the label when msg is empty.
func setError(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// focus moves the keyboard focus to a field's input, when it takes focus.
func focus(win fyne.Window, o fyne.CanvasObject) {
	if f, ok := o.(fyne.Focusable); ok {
		win.Canvas().Focus(f)
	}
}

// showMessage puts a screen's message line under its buttons: green for
// done, red for a problem, hidden when empty.
func showMessage(l *widget.Label, text string, isError bool) {
	l.SetText(text)
	l.Importance = widget.SuccessImportance
	if isError {
		l.Importance = widget.DangerImportance
	}
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
	l.Refresh()
}

// confirmDiscard runs fn now when nothing has been typed, or once the user
// agrees to lose their typing: nothing typed is lost without asking.
func confirmDiscard(win fyne.Window, what string, dirty bool, fn func()) {
	if !dirty {
		fn()
		return
	}
	askYesNo(win, "Discard changes?",
		"You have typed changes to "+what+" that are not saved. Discard them?", true, func(ok bool) {
			if ok {
				fn()
			}
		})
}
