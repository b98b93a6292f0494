package ui

import (
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// A focused table marks the keyboard's row with the focus colour, drawn:
// the pixels of the row's empty end are the focus colour over the window,
// not the old near-white, and go back to the window's colour when focus
// leaves.
func TestFocusedTableShowsItsRow(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme{})
	rows := []string{"Ann", "Bob", "Cat"}
	tbl := widget.NewTable(func() (int, int) { return len(rows), 1 }, cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(rows[id.Row]) })
	setColumns(tbl, []column{{"Name", 300}})
	other := widget.NewEntry()
	w := test.NewWindow(container.NewBorder(nil, other, nil, nil, focusMarked(tbl)))
	defer w.Close()
	w.Resize(fyne.NewSize(340, 300))

	// The first row's far end, clear of its text.
	at := func() color.NRGBA {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(tbl)
		row := widget.NewLabel("Ann").MinSize().Height
		y := int(pos.Y + row + theme.Padding() + row/2) // below the header

		x := int(pos.X + 280)
		return color.NRGBAModel.Convert(w.Canvas().Capture().At(x, y)).(color.NRGBA)
	}
	bg := color.NRGBAModel.Convert(theme.Color(theme.ColorNameBackground)).(color.NRGBA)
	w.Canvas().Focus(tbl)
	want := color.NRGBAModel.Convert(over(theme.Color(theme.ColorNameFocus), bg)).(color.NRGBA)
	if got := at(); !near(got, want) {
		t.Errorf("the focused table's first row is %s, want the focus colour %s", hex(got), hex(want))
	}
	if r := contrast(at(), bg); r < 3 {
		t.Errorf("the focused row stands %.2f:1 from the window, below 3:1", r)
	}
	w.Canvas().Focus(other)
	if got := at(); near(got, want) {
		t.Errorf("the row still shows focus (%s) after focus left the table", hex(got))
	}
}

// The diary grid draws its focus outline while it has the keyboard, in a
// colour 3:1 on the window, and hides it when focus leaves.
func TestFocusedDiaryGridShowsItsOutline(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme{})
	g := newDiaryGrid()
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, diaryLondon())
	g.setDays([]data.WorkerDay{{WorkerID: 1, WorkerName: "Lee", Day: day,
		Sessions: []data.WorkSession{{Start: 9 * 60, End: 12 * 60, SiteName: "Main"}}}}, day.Add(8*time.Hour))
	other := widget.NewEntry()
	w := test.NewWindow(container.NewBorder(nil, other, nil, nil, g))
	defer w.Close()
	w.Resize(fyne.NewSize(400, 1000))
	if !g.outline.Hidden {
		t.Fatal("the outline shows before the grid has focus")
	}
	w.Canvas().Focus(g)
	if g.outline.Hidden {
		t.Fatal("the focused grid shows no outline")
	}
	if g.outline.StrokeWidth < 2 {
		t.Errorf("the outline is %.0f px: too thin to see", g.outline.StrokeWidth)
	}
	if r := contrast(g.outline.StrokeColor, theme.Color(theme.ColorNameBackground)); r < 3 {
		t.Errorf("the outline is %.2f:1 on the window, below 3:1", r)
	}
	// Drawn: the outline's left edge, halfway down, is its colour.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(g)
	img := w.Canvas().Capture()
	ring := color.NRGBAModel.Convert(g.outline.StrokeColor).(color.NRGBA)
	drawn, px := false, color.NRGBA{}
	for x := int(pos.X); x < int(pos.X)+4; x++ { // the stroke's middle, whatever its anti-aliased edges
		px = color.NRGBAModel.Convert(img.At(x, int(pos.Y+g.Size().Height/2))).(color.NRGBA)
		drawn = drawn || near(px, ring)
	}
	if !drawn {
		t.Errorf("the outline is not drawn: the grid's edge is %s, want %s", hex(px), hex(g.outline.StrokeColor))
	}
	w.Canvas().Focus(other)
	if !g.outline.Hidden {
		t.Error("the outline stays after focus left the grid")
	}
}

// near is true for colours within a few steps of each other (anti-aliasing).
func near(a, b color.NRGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) <= 6 && d(a.G, b.G) <= 6 && d(a.B, b.B) <= 6
}
