package ui

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"linkwell/data"
)

// luminance is WCAG 2's relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).(color.NRGBA).RGBA()
	lin := func(v uint32) float64 {
		x := float64(v>>8) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two opaque colours, 1 to 21.
func contrast(a, b color.Color) float64 {
	x, y := luminance(a), luminance(b)
	if x < y {
		x, y = y, x
	}
	return (x + 0.05) / (y + 0.05)
}

// over draws c, which may be see-through, over an opaque colour.
func over(c, under color.Color) color.Color {
	f := color.NRGBAModel.Convert(c).(color.NRGBA)
	u := color.NRGBAModel.Convert(under).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{mix(f.R, u.R), mix(f.G, u.G), mix(f.B, u.B), 0xff}
}

// Every text colour the screens use is readable on every background it is
// drawn on, in light and dark: WCAG AA, 4.5:1 for ordinary text (the app
// has no text large enough for 3:1 that is not also ordinary text
// somewhere). Issue 17: success messages were 1.48:1.
func TestThemeContrast(t *testing.T) {
	th := Theme{}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		variant := map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[v]
		col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
		bg := col(theme.ColorNameBackground)
		// Backgrounds, see-through ones drawn over the window's.
		on := func(n fyne.ThemeColorName) color.Color { return over(col(n), bg) }
		type pair struct {
			what     string
			fg, back color.Color
		}
		var pairs []pair
		add := func(what string, fg, back color.Color) { pairs = append(pairs, pair{what, fg, back}) }
		surfaces := map[string]color.Color{
			"background": bg, "input": on(theme.ColorNameInputBackground), "header": on(theme.ColorNameHeaderBackground),
			"menu": on(theme.ColorNameMenuBackground), "dialog": on(theme.ColorNameOverlayBackground),
			"button": on(theme.ColorNameButton), "disabled button": on(theme.ColorNameDisabledButton),
			"selected row": on(theme.ColorNameSelection), "hovered": on(theme.ColorNameHover),
			"SNOMED to-do band": over(caseHighlight(), on(theme.ColorNameInputBackground)),
		}
		// Each text colour on the surfaces Fyne and the screens draw it on.
		plain := []string{"background", "input", "header", "menu", "dialog"}
		drawnOn := map[fyne.ThemeColorName][]string{
			theme.ColorNameForeground:  {"background", "input", "header", "menu", "dialog", "button", "selected row", "hovered", "SNOMED to-do band"},
			theme.ColorNameSuccess:     plain,
			theme.ColorNameError:       append(plain, "selected row"),
			theme.ColorNameWarning:     plain,
			theme.ColorNamePrimary:     append(plain, "button", "hovered"),
			theme.ColorNameHyperlink:   plain,
			theme.ColorNamePlaceHolder: {"input", "button", "hovered"},
			theme.ColorNameDisabled:    {"background", "input", "dialog", "button", "disabled button"},
		}
		for text, names := range drawnOn {
			for _, name := range names {
				add(string(text)+" on "+name, col(text), surfaces[name])
			}
		}
		add("primary button text", col(theme.ColorNameForegroundOnPrimary), col(theme.ColorNamePrimary))
		add("danger button text", col(theme.ColorNameForegroundOnError), col(theme.ColorNameError))
		add("success button text", col(theme.ColorNameForegroundOnSuccess), col(theme.ColorNameSuccess))
		add("warning button text", col(theme.ColorNameForegroundOnWarning), col(theme.ColorNameWarning))
		primary := color.NRGBAModel.Convert(col(theme.ColorNamePrimary)).(color.NRGBA)
		primary.A = 0x33
		add("the diary's today heading", col(theme.ColorNameForeground), over(primary, bg))
		// Pills and diary blocks draw black on their own soft colours.
		for _, s := range data.ReferralStatuses {
			add("pill "+string(s), color.Black, statusColour(s))
		}
		for _, s := range []string{data.AppointmentBooked, data.AppointmentArrived, data.AppointmentAttended, data.AppointmentDNA, "cancelled"} {
			add("diary block "+s, color.Black, appointmentColour(s))
		}
		add("diary leave", color.Black, leaveFill)

		for _, p := range pairs {
			if r := contrast(p.fg, p.back); r < 4.5 {
				t.Errorf("%s: %s is %.2f:1, below 4.5:1 (%s on %s)", variant, p.what, r, hex(p.fg), hex(p.back))
			}
		}
	}
}

func hex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

// The keyboard focus is clearly visible on everything that takes it, in
// light and dark (WCAG 2.4.7, and 1.4.11's 3:1 for what marks it): a
// focused button, select, check or table row stands 3:1 from the window
// and keeps its text 4.5:1; a focused primary button changes visibly; the
// diary grid's outline is 3:1 on the window and on the grid's off-session
// grey. Issue 17: a focused row was a 240-grey on white and a focused
// primary button did not change at all.
func TestFocusContrast(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(Theme{}) // a table's theme follows the app's
	th := Theme{}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		variant := map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[v]
		col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
		bg, fg, focus, primary := col(theme.ColorNameBackground), col(theme.ColorNameForeground), col(theme.ColorNameFocus), col(theme.ColorNamePrimary)
		check := func(what string, a, b color.Color, least float64) {
			t.Helper()
			if r := contrast(a, b); r < least {
				t.Errorf("%s: %s is %.2f:1, below %.1f:1 (%s against %s)", variant, what, r, least, hex(a), hex(b))
			}
		}
		button := over(focus, over(col(theme.ColorNameButton), bg)) // Fyne blends the focus over the button
		check("a focused button against the window", button, bg, 3)
		check("a focused button's text", fg, button, 4.5)
		filled := over(focus, bg) // a focused select, check or radio
		check("a focused select against the window", filled, bg, 3)
		check("a focused select's text", fg, filled, 4.5)
		main := over(focus, primary)
		check("a focused primary button against the window", main, bg, 3)
		check("a focused primary button's text", col(theme.ColorNameForegroundOnPrimary), main, 4.5)
		check("a focused primary button against an unfocused one", main, primary, 1.4)
		row := over(tableTheme{}.Color(theme.ColorNameHover, v), bg)
		check("a table's focused row against the window", row, bg, 3)
		check("a table's focused row's text", fg, row, 4.5)
		check("a table's focused, selected row's text", fg, over(tableTheme{}.Color(theme.ColorNameHover, v), over(col(theme.ColorNameSelection), bg)), 4.5)
		ring := th.Color(theme.ColorNamePrimary, v) // focusRing, in this variant
		check("the diary grid's focus outline against the window", ring, bg, 3)
		check("the diary grid's focus outline against off-session time", ring, over(col(theme.ColorNameDisabledButton), bg), 3)
	}
}
