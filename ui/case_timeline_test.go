package ui

import (
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// A 5,000-character note wraps inside its own row in the window, and no
// row is drawn over another, wherever the timeline is scrolled (issue 17:
// a long note's entries were drawn on top of each other). Also a note that
// is one unbroken word and a short note after it.
func TestCaseTimelineLongNotesDoNotOverlap(t *testing.T) {
	a, _, s, _ := openTestCase(t)
	a.win.Resize(WindowSize)
	words := strings.Repeat("Talked through the week, the allotment and the bus to the lunch club. ", 80)
	for _, note := range []string{words[:data.NoteMaxChars], strings.Repeat("x", 600), "Phoned back."} {
		s.contact.text.SetText(note)
		s.AddContact()
		if s.contact.text.Text != "" {
			t.Fatalf("the note was not added: %s", s.contact.message.Text)
		}
	}
	list := s.timeline.list
	// The window at scale 1.0, then at 1.4 (fewer units), then back.
	for _, size := range []fyne.Size{WindowSize, fyne.NewSize(WindowSize.Width/1.4, WindowSize.Height/1.4), WindowSize} {
		a.win.Resize(size)
		if list.Size().Width < 200 {
			t.Fatalf("the timeline is %v wide: not laid out", list.Size())
		}
		timelineRowsApart(t, list, a.win)
	}
	// The whole note is there to read.
	found := false
	for _, e := range s.timeline.Entries() {
		found = found || e.Detail == words[:data.NoteMaxChars] || e.Detail == strings.TrimSpace(words[:data.NoteMaxChars])
	}
	if !found {
		t.Error("the 5,000-character note is not on the timeline whole")
	}
}

// timelineRowsApart checks, scrolled to the top and down through the
// entries, that no row is drawn over the next and each has the height its
// wrapped text needs.
func timelineRowsApart(t *testing.T, list *widget.List, w fyne.Window) {
	t.Helper()
	for _, step := range []float32{0, 300, 900, 1500, 3000} {
		list.ScrollToOffset(step)
		rows := shownTimelineRows(w)
		if len(rows) < 1 || step == 0 && len(rows) < 2 {
			t.Fatalf("scrolled to %v only %d rows show", step, len(rows))
		}
		for i, r := range rows {
			detail := r.Objects[1].(*widget.Label)
			if detail.Visible() && detail.MinSize().Height > detail.Size().Height+1 {
				t.Errorf("%v wide, scrolled to %v, row %d's text needs %.0f high but has %.0f: it spills over the next",
					w.Canvas().Size().Width, step, i, detail.MinSize().Height, detail.Size().Height)
			}
			if i == 0 {
				continue
			}
			prev := rows[i-1]
			bottom := prev.y + prev.Size().Height
			if top := r.y; top < bottom-0.5 {
				t.Errorf("%v wide, scrolled to %v, row %d starts at %.0f, above the end of row %d at %.0f: they overlap", w.Canvas().Size().Width, step, i, top, i-1, bottom)
			}
			if prev.MinSize().Height > prev.Size().Height+1 {
				t.Errorf("%v wide, scrolled to %v, row %d needs %.0f high and is given %.0f", w.Canvas().Size().Width, step, i-1, prev.MinSize().Height, prev.Size().Height)
			}
		}
	}
}

// shownRow is a timeline row drawn in the window and how far down it is.
type shownRow struct {
	*fyne.Container
	y float32
}

// shownTimelineRows are the timeline's rows drawn in the window, top first,
// found by walking what the window draws.
func shownTimelineRows(w fyne.Window) []shownRow {
	var rows []shownRow
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if !o.Visible() {
			return
		}
		at = at.Add(o.Position())
		var children []fyne.CanvasObject
		switch c := o.(type) {
		case *fyne.Container:
			if isTimelineRow(c) {
				rows = append(rows, shownRow{c, at.Y})
				return
			}
			children = c.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(c).Objects()
		}
		for _, ch := range children {
			walk(ch, at)
		}
	}
	walk(w.Content(), fyne.Position{})
	sort.Slice(rows, func(i, j int) bool { return rows[i].y < rows[j].y })
	return rows
}

func isTimelineRow(c *fyne.Container) bool {
	if len(c.Objects) != 2 {
		return false
	}
	top, ok := c.Objects[0].(*fyne.Container)
	if !ok || len(top.Objects) != 3 {
		return false
	}
	if l, ok := c.Objects[1].(*widget.Label); !ok || l.Wrapping != fyne.TextWrapWord {
		return false
	}
	_, ok = top.Objects[2].(*widget.Label)
	return ok
}
