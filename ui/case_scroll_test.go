package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// Wellbeing (ONS4) in the case record is reached with one scroll: of the
// scroll areas round it, in the window at 1366×768 (scale 1.0) and with
// FYNE_SCALE=1.4, only one has anything to scroll (issue 17: it sat in
// nested scroll areas and was reached only by dragging a scrollbar).
func TestCaseWellbeingHasOneScroll(t *testing.T) {
	a, _, s, _ := openTestCase(t)
	for _, size := range []fyne.Size{WindowSize, fyne.NewSize(WindowSize.Width/1.4, WindowSize.Height/1.4)} {
		a.win.Resize(size)
		path := pathTo(a.win.Content(), s.wellbeing.content)
		if path == nil {
			t.Fatal("the wellbeing form is not in the window")
		}
		scrolling := 0
		for _, o := range path {
			sc, ok := o.(*container.Scroll)
			if !ok {
				continue
			}
			m, got := sc.Content.MinSize(), sc.Size()
			if m.Height > got.Height+0.5 && sc.Direction != container.ScrollHorizontalOnly ||
				m.Width > got.Width+0.5 && sc.Direction != container.ScrollVerticalOnly {
				scrolling++
				t.Logf("%v: a scroll area %v holds %v", size, got, m)
			}
		}
		if scrolling > 1 {
			t.Errorf("at %v the wellbeing form is inside %d scroll areas that scroll", size, scrolling)
		}
	}
}

// pathTo is the chain of objects from root down to o, nil if o is not
// drawn under root.
func pathTo(root, o fyne.CanvasObject) []fyne.CanvasObject {
	if root == o {
		return []fyne.CanvasObject{o}
	}
	if !root.Visible() {
		return nil
	}
	var children []fyne.CanvasObject
	switch c := root.(type) {
	case *fyne.Container:
		children = c.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(c).Objects()
	}
	for _, ch := range children {
		if p := pathTo(ch, o); p != nil {
			return append([]fyne.CanvasObject{root}, p...)
		}
	}
	return nil
}
