package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// caseEntry is the case record's Entry. It adds three things Fyne 2.8.1
// lacks:
//
//   - Tab leaves it and Shift+Tab goes back, even when it is multi-line, as
//     with keyEntry: Fyne's multi-line Entry takes Tab as a character, which
//     trapped the keyboard in the note (issue 17). Enter types a new line.
//   - Ctrl+S and Ctrl+Enter save its form. Fyne hands shortcuts to the
//     focused Entry, which drops the ones it does not know, so the window's
//     Ctrl+S would never fire while the user is typing.
//   - In a word-wrapped note, a space typed exactly where the line wraps
//     leaves the cursor before that space, so the next word is typed in
//     front of it ("case note" is saved as "casenote "). caseEntry puts the
//     cursor after the space, or, at the very end of the text where Fyne
//     has no row to put it on, places the next letter after the space.
type caseEntry struct {
	widget.Entry
	onSave   func()
	onEscape func() // when set, Escape calls it (a dialog's Cancel)
	app      *App   // when set, gets the window's shortcuts (Ctrl+1…) the entry does not use

	// After a space typed at the end of a wrapped row: where the next rune
	// belongs, and the text then (the fix applies only if nothing changed).
	stuckAt   int
	stuckText string
}

func newCaseEntry(multiLine bool, onSave func()) *caseEntry {
	e := &caseEntry{onSave: onSave, stuckAt: -1}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab implements fyne.Tabbable: Tab leaves the entry.
func (e *caseEntry) AcceptsTab() bool { return false }

// TypedKey implements fyne.Focusable: Escape cancels a dialog the entry is
// in, as it does in a yes/no question (askYesNo).
func (e *caseEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut implements fyne.Shortcutable.
func (e *caseEntry) TypedShortcut(s fyne.Shortcut) {
	if k, ok := s.(*desktop.CustomShortcut); ok && e.onSave != nil && k.Modifier == fyne.KeyModifierShortcutDefault &&
		(k.KeyName == fyne.KeyS || k.KeyName == fyne.KeyReturn || k.KeyName == fyne.KeyEnter) {
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

// TypedRune implements fyne.Focusable, working around the wrapped-space
// cursor bug described on caseEntry.
func (e *caseEntry) TypedRune(r rune) {
	if e.Wrapping != fyne.TextWrapWord || e.Disabled() {
		e.Entry.TypedRune(r)
		return
	}
	if at := e.stuckAt; at >= 0 && e.Text == e.stuckText && e.CursorTextOffset() == at-1 && e.SelectedText() == "" {
		e.stuckAt = -1
		runes := []rune(e.Text)
		e.SetText(string(runes[:at]) + string(r) + string(runes[at:]))
		e.moveCursorTo(at + 1)
		return
	}
	e.stuckAt = -1
	pos, selecting := e.CursorTextOffset(), e.SelectedText() != ""
	e.Entry.TypedRune(r)
	if selecting || e.CursorTextOffset() == pos+1 {
		return
	}
	if !e.moveCursorTo(pos + 1) {
		e.stuckAt, e.stuckText = pos+1, e.Text
	}
}

// moveCursorTo puts the cursor at a text offset near the current row,
// reporting whether Fyne has a row and column for it.
func (e *caseEntry) moveCursorTo(offset int) bool {
	row, col := e.CursorRow, e.CursorColumn
	for r := max(row-1, 0); r <= row+2; r++ {
		for c := 0; c <= 2; c++ {
			e.CursorRow, e.CursorColumn = r, c
			if e.CursorTextOffset() == offset {
				e.Refresh()
				return true
			}
		}
	}
	e.CursorRow, e.CursorColumn = row, col
	return false
}
