package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// caseTimeline lists everything in an episode, newest first. A long case
// note wraps onto as many lines as it needs: each row's height is worked
// out for the list's width, and again whenever that width changes.
type caseTimeline struct {
	entries []data.TimelineEntry
	list    *widget.List
	rows    *rowHeights
	content fyne.CanvasObject
}

func newCaseTimeline() *caseTimeline {
	t := &caseTimeline{}
	fill := func(id int, o fyne.CanvasObject) {
		if id < len(t.entries) {
			fillTimelineRow(o, t.entries[id])
		}
	}
	t.list = widget.NewList(func() int { return len(t.entries) }, newTimelineRow, fill)
	// Rows are for reading; a tap need not leave a row highlighted.
	t.list.OnSelected = func(widget.ListItemID) { t.list.UnselectAll() }
	t.rows = newRowHeights(t.list, newTimelineRow, fill, func() int { return len(t.entries) })
	t.content = t.rows.content
	return t
}

// newTimelineRow is one entry: when, what and who on the first line, the
// detail wrapped below it.
func newTimelineRow() fyne.CanvasObject {
	when := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	by := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
	detail := widget.NewLabel("")
	detail.Wrapping = fyne.TextWrapWord
	// Less space between the lines than a plain VBox: labels carry their own.
	return container.New(layout.NewCustomPaddedVBoxLayout(-theme.InnerPadding()),
		container.NewBorder(nil, nil, when, by, title), detail)
}

func fillTimelineRow(o fyne.CanvasObject, e data.TimelineEntry) {
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container)
	// A Border keeps its centre object first, then the sides in order.
	title, when, by := top.Objects[0].(*widget.Label), top.Objects[1].(*widget.Label), top.Objects[2].(*widget.Label)
	detail := box.Objects[1].(*widget.Label)
	when.SetText(data.FormatUKDateTime(e.At))
	title.SetText(caseArrowFix(e.Title))
	if e.By != "" {
		by.SetText(e.By)
		by.Show()
	} else {
		by.Hide()
	}
	detail.SetText(e.Detail)
	if e.Detail == "" {
		detail.Hide()
	} else {
		detail.Show()
	}
	// A reused row must be laid out again for its new text, or a longer
	// date would run under the title.
	top.Refresh()
	box.Refresh()
}

// show replaces the entries and works out their heights.
func (t *caseTimeline) show(entries []data.TimelineEntry) {
	t.entries = entries
	t.rows.measure()
	t.list.Refresh()
	t.list.ScrollToTop()
}

// resized measures the rows for a new width, as a layout does.
func (t *caseTimeline) resized(width float32) { t.rows.resized(width) }

// rowHeights gives each row of a list the height its wrapped text needs
// at the list's width, and again whenever that width changes (the
// timeline's entries, the prescription's services).
type rowHeights struct {
	list    sizedRows
	spare   fyne.CanvasObject // a row, filled in to measure heights
	fill    func(id int, row fyne.CanvasObject)
	length  func() int
	width   float32
	content fyne.CanvasObject // the list, watched for its width
}

// sizedRows is a widget.List, or a widget that extends one (resultList):
// the widget itself goes on screen, so that its own keys work.
type sizedRows interface {
	fyne.CanvasObject
	SetItemHeight(id widget.ListItemID, height float32)
}

func newRowHeights(list sizedRows, newRow func() fyne.CanvasObject, fill func(int, fyne.CanvasObject), length func() int) *rowHeights {
	r := &rowHeights{list: list, spare: newRow(), fill: fill, length: length}
	r.content = container.New(&caseWidthWatch{changed: r.resized}, list)
	return r
}

func (r *rowHeights) resized(width float32) {
	r.width = width
	r.measure()
	r.list.Refresh()
}

// measure sets each row's height for the list's width (none yet: rows keep
// the one-line height).
func (r *rowHeights) measure() {
	if r.width <= 0 {
		return
	}
	for i := range r.length() {
		r.fill(i, r.spare)
		r.spare.Resize(fyne.NewSize(r.width, 1000))
		r.list.SetItemHeight(i, r.spare.MinSize().Height)
	}
}

// Entries are the rows shown.
func (t *caseTimeline) Entries() []data.TimelineEntry { return t.entries }

// caseWidthWatch lays out one object filling its space and reports when the
// width changes, so wrapped rows can be measured again.
type caseWidthWatch struct {
	width   float32
	changed func(width float32)
}

func (w *caseWidthWatch) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return objects[0].MinSize()
}

func (w *caseWidthWatch) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Resize(size)
	objects[0].Move(fyne.NewPos(0, 0))
	if size.Width != w.width {
		w.width = size.Width
		w.changed(size.Width)
	}
}

// caseArrowFix draws "→" as "⟶": Fyne 2.8 takes "→" from a fallback font and
// then draws the space after it as a missing-glyph box ("Contacted →� Accepted").
func caseArrowFix(s string) string { return strings.ReplaceAll(s, "→", "⟶") }
