package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// flowSpare says where a line of a flow puts the width it does not need.
type flowSpare int

const (
	spareRight      flowSpare = iota // objects at the left, at their own widths
	spareBeforeLast                  // the last object of a line pushed to the right
	spareShared                      // every object of a line widened by the same amount
	spareLast                        // the last object of a line widened
)

// flow lays its objects out in a row, each at least its own width,
// starting a new line when the next would not fit: rows of filters and
// buttons wrap in a narrow window (scale 1.4) instead of widening it past
// the screen (issue 17). Its minimum width is its widest object; its
// minimum height is that of the lines it made at the width last given it,
// as for Fyne's own GridWrap.
type flow struct {
	spare flowSpare
	grow  fyne.CanvasObject // if set, it takes the spare width of its line
	width float32           // the width last laid out in; 0 before the first layout
}

// newFlow is a container laying objs out in a flow.
func newFlow(spare flowSpare, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flow{spare: spare}, objs...)
}

// newFlowGrowing is a flow whose object grow takes the spare width of
// its line; others stay at their own widths.
func newFlowGrowing(grow fyne.CanvasObject, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flow{grow: grow}, objs...)
}

// lines splits the visible objects into lines no wider than width (an
// object wider than width has a line to itself); width 0 is one line.
func (f *flow) lines(objs []fyne.CanvasObject, width float32) [][]fyne.CanvasObject {
	pad := theme.Padding()
	var out [][]fyne.CanvasObject
	var line []fyne.CanvasObject
	used := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		w := o.MinSize().Width
		if len(line) > 0 && width > 0 && used+pad+w > width {
			out = append(out, line)
			line, used = nil, 0
		}
		if len(line) > 0 {
			used += pad
		}
		line = append(line, o)
		used += w
	}
	if len(line) > 0 {
		out = append(out, line)
	}
	return out
}

func lineHeight(line []fyne.CanvasObject) float32 {
	h := float32(0)
	for _, o := range line {
		h = max(h, o.MinSize().Height)
	}
	return h
}

func (f *flow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := float32(0), float32(0)
	for i, line := range f.lines(objs, f.width) {
		if i > 0 {
			h += theme.Padding()
		}
		h += lineHeight(line)
		for _, o := range line {
			w = max(w, o.MinSize().Width)
		}
	}
	return fyne.NewSize(w, h)
}

func (f *flow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	f.width = size.Width
	pad := theme.Padding()
	y := float32(0)
	for _, line := range f.lines(objs, size.Width) {
		h := lineHeight(line)
		used := pad * float32(len(line)-1)
		for _, o := range line {
			used += o.MinSize().Width
		}
		spare := max(0, size.Width-used)
		growing := false
		for _, o := range line {
			growing = growing || o == f.grow
		}
		x := float32(0)
		for i, o := range line {
			w := o.MinSize().Width
			switch {
			case growing:
				if o == f.grow {
					w += spare
				}
			case f.spare == spareShared:
				w += spare / float32(len(line))
			case f.spare == spareBeforeLast && i == len(line)-1 && i > 0:
				x += spare
			case f.spare == spareLast && i == len(line)-1:
				w += spare
			}
			// An object wider than the whole width is given the width.
			w = min(w, max(size.Width-x, 0))
			o.Move(fyne.NewPos(x, y))
			o.Resize(fyne.NewSize(w, h))
			x += w + pad
		}
		y += h + pad
	}
}

// wrapGrid lays its objects out in equal columns, as many as fit at the
// widest object's width up to most, the rest going onto further rows: a
// grid of filters or choices that narrows to fewer columns at scale 1.4.
type wrapGrid struct {
	most  int
	width float32 // the width last laid out in; 0 before the first layout
}

// newWrapGrid is a container laying objs out in a wrapGrid.
func newWrapGrid(most int, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&wrapGrid{most: most}, objs...)
}

func (g *wrapGrid) cell(objs []fyne.CanvasObject) (fyne.Size, []fyne.CanvasObject) {
	var shown []fyne.CanvasObject
	c := fyne.NewSize(0, 0)
	for _, o := range objs {
		if o.Visible() {
			shown = append(shown, o)
			c = c.Max(o.MinSize())
		}
	}
	return c, shown
}

func (g *wrapGrid) columns(cell, width float32) int {
	n := g.most
	if width > 0 {
		n = min(n, int((width+theme.Padding())/(cell+theme.Padding())))
	}
	return max(n, 1)
}

func (g *wrapGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	c, shown := g.cell(objs)
	if len(shown) == 0 {
		return fyne.NewSize(0, 0)
	}
	rows := (len(shown) + g.columns(c.Width, g.width) - 1) / g.columns(c.Width, g.width)
	return fyne.NewSize(c.Width, float32(rows)*c.Height+float32(rows-1)*theme.Padding())
}

func (g *wrapGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	g.width = size.Width
	c, shown := g.cell(objs)
	n := g.columns(c.Width, size.Width)
	pad := theme.Padding()
	w := (size.Width - pad*float32(n-1)) / float32(n)
	for i, o := range shown {
		col, row := i%n, i/n
		o.Move(fyne.NewPos(float32(col)*(w+pad), float32(row)*(c.Height+pad)))
		o.Resize(fyne.NewSize(w, c.Height))
	}
}

// columns lays its objects out side by side at full height: each but the
// last at its width in the list, the last taking the rest; in a window too
// narrow for that (scale 1.4) the fixed columns narrow in proportion, none
// below its own minimum, so the screen is no wider than the window.
type columns []float32

func (c columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(theme.Padding()*float32(len(objs)-1), 0)
	for _, o := range objs {
		m := o.MinSize()
		s = fyne.NewSize(s.Width+m.Width, max(s.Height, m.Height))
	}
	return s
}

func (c columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	last := objs[len(objs)-1].MinSize().Width
	fixed := float32(0)
	for _, w := range c {
		fixed += w
	}
	scale := min(1, max(0, size.Width-last-pad*float32(len(objs)-1))/fixed)
	x := float32(0)
	for i, o := range objs {
		w := max(0, size.Width-x)
		if i < len(c) && i < len(objs)-1 {
			w = max(c[i]*scale, o.MinSize().Width)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}
