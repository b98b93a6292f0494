package ui

import (
	"image/color"
	"linkwell/data"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// chartKind is how a Chart draws its values.
type chartKind int

const (
	barsChart  chartKind = iota // one vertical bar per label
	hbarsChart                  // one horizontal bar per label
	lineChart                   // a line through the labels that have a value
)

// Chart is a small chart drawn with canvas lines, rectangles and text in
// the theme's colours and text size, so it follows light, dark and large
// text, and is redrawn on every resize. With no data it draws its axes
// and says so.
type Chart struct {
	widget.BaseWidget
	kind    chartKind
	labels  []string
	values  []float64
	has     []bool               // line: which points exist (nil: all)
	suffix  string               // after axis and point values ("%")
	minTop  float64              // the axis reaches at least this
	format  func(float64) string // a value's label
	empty   string               // shown when there is nothing to draw
	minSize fyne.Size
}

func newChart(kind chartKind, minTop float64, empty string) *Chart {
	c := &Chart{kind: kind, minTop: minTop, empty: empty, minSize: fyne.NewSize(300, 190)}
	c.format = func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	c.ExtendBaseWidget(c)
	return c
}

// SetData replaces the chart's values and redraws it.
func (c *Chart) SetData(labels []string, values []float64, has []bool) {
	c.labels, c.values, c.has = labels, values, has
	c.Refresh()
}

func (c *Chart) CreateRenderer() fyne.WidgetRenderer { return &chartRenderer{c: c} }

type chartRenderer struct {
	c       *Chart
	objects []fyne.CanvasObject
}

func (r *chartRenderer) Destroy()                     {}
func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) MinSize() fyne.Size {
	s := theme.TextSize() / 14 // large text makes the chart larger
	return fyne.NewSize(r.c.minSize.Width*s, r.c.minSize.Height*s)
}
func (r *chartRenderer) Refresh()              { r.Layout(r.c.Size()); canvas.Refresh(r.c) }
func (r *chartRenderer) Layout(size fyne.Size) { r.objects = r.c.draw(size) }

func (c *Chart) text(s string, size float32, col color.Color) *canvas.Text {
	t := canvas.NewText(s, col)
	t.TextSize = size
	return t
}

// draw lays the chart out for one size.
func (c *Chart) draw(size fyne.Size) []fyne.CanvasObject {
	if size.Width <= 0 || size.Height <= 0 {
		return nil
	}
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNamePlaceHolder)
	bar := theme.Color(theme.ColorNamePrimary)
	gridCol := theme.Color(theme.ColorNameSeparator)
	small := theme.CaptionTextSize()
	var out []fyne.CanvasObject
	line := func(x1, y1, x2, y2 float32, col color.Color, w float32) {
		l := canvas.NewLine(col)
		l.StrokeWidth = w
		l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
		out = append(out, l)
	}
	put := func(t *canvas.Text, x, y float32) {
		t.Move(fyne.NewPos(x, y))
		t.Resize(t.MinSize())
		out = append(out, t)
	}
	rect := func(x, y, w, h float32) {
		if w <= 0 || h <= 0 {
			return // a chart squeezed smaller than its text
		}
		rc := canvas.NewRectangle(bar)
		rc.Move(fyne.NewPos(x, y))
		rc.Resize(fyne.NewSize(w, h))
		out = append(out, rc)
	}
	max, seen := 0.0, false
	for i, v := range c.values {
		if c.has == nil || c.has[i] {
			max = math.Max(max, v)
			seen = true
		}
	}
	n := len(c.values)
	if c.kind == hbarsChart {
		labelW := float32(0)
		for _, l := range c.labels {
			labelW = float32(math.Max(float64(labelW), float64(c.text(l, small, fg).MinSize().Width)))
		}
		top, _ := data.ChartScale(max, c.minTop)
		left := labelW + 6
		valueW := c.text(c.format(top)+c.suffix, small, fg).MinSize().Width + 6
		slot := size.Height / float32(max1(n))
		for i, v := range c.values {
			y := float32(i) * slot
			t := c.text(c.labels[i], small, fg)
			put(t, left-6-t.MinSize().Width, y+(slot-t.MinSize().Height)/2)
			w := float32(v/top) * (size.Width - left - valueW)
			if w > 0 {
				rect(left, y+slot*0.15, w, slot*0.7)
			}
			vt := c.text(c.format(v)+c.suffix, small, fg)
			vt.TextStyle.Bold = true
			put(vt, left+w+4, y+(slot-vt.MinSize().Height)/2)
		}
		line(left, 0, left, size.Height, gridCol, 1)
		return out
	}
	labelH := c.text("0", small, fg).MinSize().Height
	top, step := data.ChartScale(max, c.minTop)
	axisW := c.text(c.format(top)+c.suffix, small, fg).MinSize().Width + 6
	plotTop, plotH := labelH/2, size.Height-labelH*1.5-4
	if plotH <= 0 || size.Width <= axisW {
		return nil
	}
	left := axisW
	y := func(v float64) float32 { return plotTop + plotH - float32(v/top)*plotH }
	for v := 0.0; v <= top+step/2; v += step {
		line(left, y(v), size.Width, y(v), gridCol, 1)
		t := c.text(c.format(v)+c.suffix, small, muted)
		put(t, left-6-t.MinSize().Width, y(v)-labelH/2)
	}
	slot := (size.Width - left) / float32(max1(n))
	every := 1
	if slot < c.text("Mmm", small, fg).MinSize().Width+4 {
		every = 2
	}
	for i, l := range c.labels {
		if i%every != (n-1)%every {
			continue
		}
		t := c.text(l, small, muted)
		put(t, left+slot*(float32(i)+0.5)-t.MinSize().Width/2, plotTop+plotH+4)
	}
	switch c.kind {
	case barsChart:
		for i, v := range c.values {
			x := left + slot*float32(i) + slot*0.15
			if v > 0 {
				rect(x, y(v), slot*0.7, y(0)-y(v))
			}
			t := c.text(c.format(v), small, fg)
			if t.MinSize().Width <= slot {
				put(t, x+slot*0.35-t.MinSize().Width/2, y(v)-labelH)
			}
		}
	case lineChart:
		px := func(i int) float32 { return left + slot*(float32(i)+0.5) }
		for i, v := range c.values {
			if c.has != nil && !c.has[i] {
				continue
			}
			if i > 0 && (c.has == nil || c.has[i-1]) {
				line(px(i-1), y(c.values[i-1]), px(i), y(v), bar, 2.5)
			}
			dot := canvas.NewCircle(bar)
			dot.Move(fyne.NewPos(px(i)-3.5, y(v)-3.5))
			dot.Resize(fyne.NewSize(7, 7))
			out = append(out, dot)
		}
	}
	if !seen && c.empty != "" {
		t := c.text(c.empty, theme.TextSize(), fg)
		put(t, left+(size.Width-left-t.MinSize().Width)/2, plotTop+plotH/2-t.MinSize().Height)
	}
	return out
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
