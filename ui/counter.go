package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// charCounter shows how much of a free-text limit is used, "1,234 /
// 5,000", under its field. Over the limit it turns red and says so, but
// the text stays as typed: the store refuses it on save, beside the field,
// and the user shortens it (issue 17). It counts characters as the store
// does (data.NoteLength).
type charCounter struct {
	label *widget.Label
	max   int
}

// newCharCounter counts what is typed into entry, chaining any OnChanged
// the entry has.
func newCharCounter(entry *widget.Entry, max int) *charCounter {
	c := &charCounter{label: widget.NewLabel(""), max: max}
	c.label.Alignment = fyne.TextAlignTrailing
	c.label.SizeName = theme.SizeNameCaptionText // small, as a hint is
	before := entry.OnChanged
	entry.OnChanged = func(s string) {
		c.show(s)
		if before != nil {
			before(s)
		}
	}
	c.show(entry.Text)
	return c
}

func (c *charCounter) show(text string) {
	n := data.NoteLength(text)
	s := thousands(n) + " / " + thousands(c.max)
	if n > c.max {
		s += ": " + thousands(n-c.max) + " too many"
		c.label.Importance = widget.DangerImportance
	} else {
		c.label.Importance = widget.MediumImportance
	}
	c.label.SetText(s)
}

// Text is what the counter says.
func (c *charCounter) Text() string { return c.label.Text }
