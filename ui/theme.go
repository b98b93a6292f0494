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
	if v != theme.VariantLight {
		v = theme.VariantDark // as Fyne's own theme does (the test driver's variant is neither)
	}
	switch name {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		if v == theme.VariantDark {
			return primaryDark
		}
		return primaryLight
	case theme.ColorNameForegroundOnPrimary:
		if v == theme.VariantDark {
			return darkText // white on the lighter blue is 3:1
		}
		return color.White
	case theme.ColorNameFocus:
		if v == theme.VariantDark {
			return focusDark
		}
		return focusLight
	case theme.ColorNameSelection:
		c := primaryLight
		if v == theme.VariantDark {
			c = primaryDark
		}
		c.A = 0x33
		return c
	}
	if c, ok := readableColours[v][name]; ok {
		return c
	}
	return theme.DefaultTheme().Color(name, v)
}

// The keyboard focus: Fyne blends it over a focused button and fills a
// focused select, check or radio with it. Fyne's own (the primary at 40%)
// vanished on primary buttons and was faint elsewhere (issue 17). These
// make every focused control stand 3:1 from the window, keep its text 4.5:1,
// and darken (light) or lighten (dark) a primary button visibly; they were
// found by searching for the colours meeting all of that at once, which
// TestFocusContrast checks. Light text is near-black so a fill that
// strong still carries it.
var (
	focusLight = color.NRGBA{R: 0x00, G: 0x20, B: 0x88, A: 0x80}
	focusDark  = color.NRGBA{R: 0xa8, G: 0xf0, B: 0xf8, A: 0x60}
)

// focusRing is the colour of the outline drawn round a focused widget of
// the app's own (the diary grid): the primary, 6:1 on either background.
func focusRing() color.Color { return theme.Color(theme.ColorNamePrimary) }

// tableTheme is the app's theme for a table: Fyne marks the keyboard's row
// in a focused table (and the row under the mouse) with the hover colour, a
// 240-grey on white that nobody could see (issue 17). In a table it is the
// focus colour over the window, opaque so that a selected row under it
// does not darken it past what its text needs.
// Everything else is the app's theme of the moment.
type tableTheme struct{}

func (tableTheme) app() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t tableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n != theme.ColorNameHover {
		return t.app().Color(n, v)
	}
	f := color.NRGBAModel.Convert(t.app().Color(theme.ColorNameFocus, v)).(color.NRGBA)
	b := color.NRGBAModel.Convert(t.app().Color(theme.ColorNameBackground, v)).(color.NRGBA)
	mix := func(x, y uint8) uint8 { return uint8((int(x)*int(f.A) + int(y)*(255-int(f.A)) + 127) / 255) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xff}
}

func (t tableTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.app().Font(s) }
func (t tableTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.app().Icon(n) }
func (t tableTheme) Size(n fyne.ThemeSizeName) float32       { return t.app().Size(n) }

// darkText is the dark theme's background, used for text on bright fills.
var darkText = color.NRGBA{R: 0x17, G: 0x17, B: 0x18, A: 0xff}

// readableColours replace Fyne's text colours that fail WCAG AA (4.5:1) on
// the backgrounds they are drawn on: Fyne's success green on white is
// 1.48:1, its red 3.7:1, its orange 2.2:1, its disabled grey 1.3:1 (issue
// 17). The light ones are a darker NHS green, a darker red and amber, so "Saved"
// still reads as green; text on those fills (a danger button) stays white.
// TestThemeContrast checks every pair the screens use.
var readableColours = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameForeground:  color.NRGBA{R: 0x21, G: 0x21, B: 0x21, A: 0xff}, // Fyne's #565656 is too faint on a focused control
		theme.ColorNameSuccess:     color.NRGBA{R: 0x00, G: 0x6e, B: 0x33, A: 0xff}, // a darker NHS green
		theme.ColorNameError:       color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0x8a, G: 0x53, B: 0x00, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff},
		theme.ColorNameDisabled:    color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff},
	},
	theme.VariantDark: {
		theme.ColorNameError:    color.NRGBA{R: 0xff, G: 0x6e, B: 0x62, A: 0xff},
		theme.ColorNameDisabled: color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff},
	},
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
