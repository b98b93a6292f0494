package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// Pill shows a status as a word on a soft coloured background: the word
// carries the meaning, the colour only helps (it reads in greyscale).
type Pill struct {
	widget.BaseWidget
	bg    *canvas.Rectangle
	label *canvas.Text
}

// NewPill makes a pill for a referral status.
func NewPill(s data.ReferralStatus) *Pill {
	p := &Pill{bg: canvas.NewRectangle(color.Transparent), label: canvas.NewText("", color.Black)}
	p.bg.CornerRadius = 9
	p.label.TextStyle.Bold = true
	p.ExtendBaseWidget(p)
	p.SetStatus(s)
	return p
}

// SetStatus changes the word and colour.
func (p *Pill) SetStatus(s data.ReferralStatus) {
	p.label.Text = s.Label()
	p.bg.FillColor = statusColour(s)
	p.Refresh()
}

// Text is the word shown.
func (p *Pill) Text() string { return p.label.Text }

// CreateRenderer implements fyne.Widget.
func (p *Pill) CreateRenderer() fyne.WidgetRenderer {
	p.label.TextSize = theme.TextSize() * 0.9
	return widget.NewSimpleRenderer(container.New(pillLayout{}, p.bg, p.label))
}

// AccessibilityLabel lets screen readers read the status word.
func (p *Pill) AccessibilityLabel() string { return "Status: " + p.label.Text }

// AccessibilityRole implements fyne.Accessible: the pill is text.
func (p *Pill) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

var _ fyne.Accessible = (*Pill)(nil)

type pillLayout struct{}

func (pillLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	t := objs[1].MinSize()
	return fyne.NewSize(t.Width+2*theme.InnerPadding(), t.Height+theme.InnerPadding()/2)
}

func (pillLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	t := objs[1].MinSize()
	objs[0].Resize(size)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[1].Resize(t)
	objs[1].Move(fyne.NewPos((size.Width-t.Width)/2, (size.Height-t.Height)/2))
}

// statusColour is light enough for black text in light and dark themes.
func statusColour(s data.ReferralStatus) color.Color {
	switch s {
	case data.StatusReceived:
		return color.NRGBA{0xff, 0xe0, 0x8a, 0xff} // amber: waiting
	case data.StatusContacted:
		return color.NRGBA{0xc6, 0xdb, 0xf7, 0xff} // light blue
	case data.StatusAccepted:
		return color.NRGBA{0xb9, 0xe4, 0xe0, 0xff} // teal
	case data.StatusActive:
		return color.NRGBA{0xbf, 0xe6, 0xc3, 0xff} // green
	case data.StatusClosed:
		return color.NRGBA{0xdd, 0xdd, 0xdd, 0xff} // grey
	case data.StatusDeclined:
		return color.NRGBA{0xf3, 0xc9, 0xd0, 0xff} // rose
	case data.StatusUnableToContact:
		return color.NRGBA{0xe6, 0xd3, 0xf0, 0xff} // lilac
	}
	return color.NRGBA{0xee, 0xee, 0xee, 0xff}
}
