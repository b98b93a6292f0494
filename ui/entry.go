package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyEntry is an Entry that hands Escape and Ctrl+S to its screen. Fyne 2.8
// gives the focused Entry every key and shortcut and drops those it does not
// use, so canvas shortcuts never fire while someone types (fyne-io/fyne#2627).
// Tab always moves on, even from a multi-line entry, so the keyboard is
// never trapped.
type keyEntry struct {
	widget.Entry
	onSave, onEscape func()
	// app, when set, gets the window shortcuts its screen added (Ctrl+F,
	// Ctrl+N, ...) that the entry itself does not use.
	app *App
	// onDown, when set, is what Down does in a one-line search box: move
	// to its results (issue 17).
	onDown func()
}

func newKeyEntry(multiLine bool, onSave, onEscape func()) *keyEntry {
	e := &keyEntry{onSave: onSave, onEscape: onEscape}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey implements fyne.Focusable.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	if k.Name == fyne.KeyDown && e.onDown != nil && !e.MultiLine {
		e.onDown()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut implements fyne.Shortcutable.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if isSaveShortcut(s) && e.onSave != nil {
		e.onSave()
		return
	}
	if e.app != nil && e.app.runShortcut(s) {
		return
	}
	if ctrlTab(e, s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// ctrlTab moves the focus on Ctrl+Tab, and back on Ctrl+Shift+Tab, as Tab
// does: other programs' text boxes leave on Ctrl+Tab, and without this an
// entry would swallow it (Fyne hands it to the focused entry as a shortcut,
// which drops it).
func ctrlTab(o fyne.CanvasObject, s fyne.Shortcut) bool {
	k, ok := s.(*desktop.CustomShortcut)
	if !ok || k.KeyName != fyne.KeyTab || k.Modifier&fyne.KeyModifierControl == 0 {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return false
	}
	if k.Modifier&fyne.KeyModifierShift != 0 {
		c.FocusPrevious()
	} else {
		c.FocusNext()
	}
	return true
}

// AcceptsTab implements fyne.Tabbable: Tab leaves the entry.
func (e *keyEntry) AcceptsTab() bool { return false }

func isSaveShortcut(s fyne.Shortcut) bool {
	c, ok := s.(*desktop.CustomShortcut)
	return ok && c.KeyName == fyne.KeyS && c.Modifier == fyne.KeyModifierShortcutDefault
}

// sideBySide lays out two objects in a row: the first at a fixed width (0:
// its own), the last at a fixed width if set, the other filling the rest.
// Unlike a Border it keeps its objects in order, so Tab goes left to right.
type sideBySide struct{ first, last float32 }

func (l sideBySide) widths(objs []fyne.CanvasObject, total float32) (float32, float32) {
	pad := theme.Padding()
	a, b := l.first, l.last
	if a == 0 && b == 0 {
		a = objs[0].MinSize().Width
	}
	if a == 0 {
		a = total - b - pad
	} else {
		b = total - a - pad
	}
	return a, b
}

func (l sideBySide) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	w := a.Width + b.Width
	if l.first > 0 {
		w = l.first + b.Width
	} else if l.last > 0 {
		w = a.Width + l.last
	}
	return fyne.NewSize(w+theme.Padding(), max(a.Height, b.Height))
}

func (l sideBySide) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	a, b := l.widths(objs, size.Width)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(a, size.Height))
	objs[1].Move(fyne.NewPos(a+theme.Padding(), 0))
	objs[1].Resize(fyne.NewSize(b, size.Height))
}
