package ui

import (
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// sortHeader is a column heading of the referrals table: Enter or Space
// sorts by its column (again: the other way), Left and Right move along
// the headings, and a letter moves to the next heading starting with it.
// Ctrl+K puts the keyboard on the heading of the sorted column, so the
// list sorts by any column in a few keys: Ctrl+K, D, Enter sorts by days
// waiting (issue 17).
type sortHeader struct {
	widget.Button
	screen *ReferralsScreen
	col    int // the column it heads now (the table reuses headings)
}

// TypedKey implements fyne.Focusable.
func (h *sortHeader) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if h.OnTapped != nil {
			h.OnTapped()
		}
	case fyne.KeyLeft:
		h.screen.focusHeader(h.screen.nextColumn(h.col, -1, nil))
	case fyne.KeyRight:
		h.screen.focusHeader(h.screen.nextColumn(h.col, 1, nil))
	default:
		h.Button.TypedKey(k)
	}
}

// TypedRune implements fyne.Focusable: a letter moves to the next sortable
// heading that starts with it.
func (h *sortHeader) TypedRune(r rune) {
	r = unicode.ToLower(r)
	h.screen.focusHeader(h.screen.nextColumn(h.col, 1, func(title string) bool {
		first, _ := utf8.DecodeRuneInString(title)
		return unicode.ToLower(first) == r
	}))
}

// nextColumn is the next sortable column after col going dir (wrapping)
// that match accepts (nil: any), or col when there is none.
func (s *ReferralsScreen) nextColumn(col, dir int, match func(title string) bool) int {
	n := len(referralColumns)
	for i := 1; i < n; i++ {
		c := ((col+dir*i)%n + n) % n
		if referralColumns[c].sort != "" && (match == nil || match(referralColumns[c].title)) {
			return c
		}
	}
	return col
}

// sortColumn is the column the list is sorted by.
func (s *ReferralsScreen) sortColumn() int {
	for i, c := range referralColumns {
		if c.sort == s.sort.Column {
			return i
		}
	}
	return 0
}

// focusHeader puts the keyboard on a column's heading, scrolling the table
// sideways to it if need be. The table keeps spare headings off the window
// and reuses them, so the one that takes the focus is the one on show.
func (s *ReferralsScreen) focusHeader(col int) {
	c := s.app.win.Canvas()
	try := func() bool {
		for _, h := range s.headers {
			if h.col == col && h.Visible() {
				c.Focus(h)
				if c.Focused() == h {
					return true
				}
			}
		}
		return false
	}
	if !try() && s.Count() > 0 {
		s.table.ScrollTo(widget.TableCellID{Row: 0, Col: col})
		try()
	}
}
