package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"linkwell/data"
)

// The referrals list shows every source and any one reason whole, without
// an ellipsis, in columns that fit the window at 1366 pixels (issue 17:
// "Mental heal…", "Loneliness or isola…"). Several reasons may still be
// cut; the case record lists them all.
func TestReferralColumnsShowTheirText(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(Theme{})
	width := func(title string) float32 {
		for _, c := range referralColumns {
			if c.title == title {
				return c.width
			}
		}
		t.Fatalf("no %s column", title)
		return 0
	}
	fits := func(column string, choices []data.Choice) {
		room := width(column) - 2*theme.InnerPadding() // a label's own padding
		for _, c := range choices {
			if w := fyne.MeasureText(c.Label, theme.TextSize(), fyne.TextStyle{}).Width; w > room {
				t.Errorf("%s %q needs %.0f but the column leaves %.0f", column, c.Label, w, room)
			}
		}
	}
	fits("Source", data.ReferralSources)
	fits("Reasons", data.ReferralReasons)
	// The columns up to Status, the ones worked from, show without
	// scrolling in the window beside the navigation.
	var main float32
	for _, c := range referralColumns {
		main += c.width
		if c.title == "Status" {
			break
		}
	}
	if room := WindowSize.Width - 250; main > room {
		t.Errorf("Patient to Status take %.0f, more than the %.0f the window leaves", main, room)
	}
}
