package ui

import (
	"sort"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The services found for a prescription show their whole names, wrapped
// onto a second line where they are long, in rows that never overlap, at
// scale 1.0 and 1.4 (issue 17: "Arts on Prescription at Eastwood Park
// Pavil…").
func TestPrescriptionServiceNamesShowWhole(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.signInAs(t, "linkworker1")
	p, _, _ := rxPatient(t, dw)
	dw.a.StartPrescription(p.ID, 0)
	s := dw.a.rx
	s.serviceSearch.SetText("at")
	s.SearchServicesNow()
	longest := ""
	for _, sv := range s.ServiceResults() {
		if len(sv.Name) > len(longest) {
			longest = sv.Name
		}
	}
	if len(longest) < 40 {
		t.Fatalf("the demo has no long service name to show (longest %q)", longest)
	}
	for _, size := range []fyne.Size{WindowSize, fyne.NewSize(WindowSize.Width/1.4, WindowSize.Height/1.4)} {
		dw.a.win.Resize(size.AddWidthHeight(1, 1))
		dw.a.win.Resize(size)
		var rows []shownRow
		shownAt(dw.a.win.Content(), fyne.Position{}, func(o fyne.CanvasObject, at fyne.Position) bool {
			c, ok := o.(*fyne.Container)
			if !ok || len(c.Objects) != 2 {
				return false
			}
			name, ok1 := c.Objects[0].(*widget.Label)
			_, ok2 := c.Objects[1].(*widget.Label)
			if !ok1 || !ok2 || name.Wrapping != fyne.TextWrapWord || !name.TextStyle.Bold {
				return false
			}
			rows = append(rows, shownRow{c, at.Y})
			return true
		})
		sort.Slice(rows, func(i, j int) bool { return rows[i].y < rows[j].y })
		if len(rows) < 2 {
			t.Fatalf("at %v only %d service rows show", size, len(rows))
		}
		wrappedOne := false
		for i, r := range rows {
			name := r.Objects[0].(*widget.Label)
			if name.MinSize().Height > name.Size().Height+1 {
				t.Errorf("at %v, %q needs %.0f high and has %.0f: cut off", size, name.Text, name.MinSize().Height, name.Size().Height)
			}
			wrappedOne = wrappedOne || name.Size().Height > 1.5*widget.NewLabel("x").MinSize().Height
			if i > 0 && r.y < rows[i-1].y+rows[i-1].Size().Height-0.5 {
				t.Errorf("at %v, the rows of %q and %q overlap", size, rows[i-1].Objects[0].(*widget.Label).Text, name.Text)
			}
		}
		if !wrappedOne {
			t.Errorf("at %v no service name took a second line (is the list measured?)", size)
		}
	}
}

// shownAt walks what the window draws, with each object's place; fn
// returns true to stop going into an object.
func shownAt(o fyne.CanvasObject, at fyne.Position, fn func(fyne.CanvasObject, fyne.Position) bool) {
	if !o.Visible() {
		return
	}
	at = at.Add(o.Position())
	if fn(o, at) {
		return
	}
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			shownAt(ch, at, fn)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			shownAt(ch, at, fn)
		}
	}
}
