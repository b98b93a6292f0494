package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Theme is Fyne's default theme with one calm primary colour (NHS blue in
// light mode, a lighter blue in dark mode). Sizes stay Fyne's, so the user's
// scale setting for large text still applies.
type Theme struct{}

var _ fyne.Theme = Theme{}

var (
	primaryLight = color.NRGBA{R: 0x00, G: 0x5e, B: 0xb8, A: 0xff}
	primaryDark  = color.NRGBA{R: 0x41, G: 0x9b, B: 0xe8, A: 0xff}
)

// Color implements fyne.Theme.
func (Theme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch name {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		if v == theme.VariantDark {
			return primaryDark
		}
		return primaryLight
	case theme.ColorNameFocus:
		c := primaryLight
		if v == theme.VariantDark {
			c = primaryDark
		}
		c.A = 0x66
		return c
	case theme.ColorNameSelection:
		c := primaryLight
		if v == theme.VariantDark {
			c = primaryDark
		}
		c.A = 0x33
		return c
	}
	return theme.DefaultTheme().Color(name, v)
}

// Font implements fyne.Theme.
func (Theme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon implements fyne.Theme.
func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size implements fyne.Theme.
func (Theme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }

// opaque puts the theme's background colour behind an object, so what
// scrolls beneath it does not show through.
func opaque(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameBackground)), o)
}
