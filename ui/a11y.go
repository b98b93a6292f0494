package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// iconButton is a button that shows only an icon but tells a screen reader
// what it does. A plain icon-only widget.Button would be read out as the
// icon's file name ("arrow-up.svg").
type iconButton struct {
	widget.Button
	label string
}

func newIconButton(label string, icon fyne.Resource, tapped func()) *iconButton {
	b := &iconButton{label: label}
	b.Icon, b.OnTapped = icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// AccessibilityLabel implements fyne.Accessible; the role stays a button's.
func (b *iconButton) AccessibilityLabel() string { return b.label }

var _ fyne.Accessible = (*iconButton)(nil)
