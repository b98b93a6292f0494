package ui

import (
	"context"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"linkwell/data"
)

// chartTexts are the words a chart draws.
func chartTexts(c *Chart) string {
	var words []string
	for _, o := range c.CreateRenderer().(*chartRenderer).c.draw(fyne.NewSize(400, 220)) {
		if t, ok := o.(*canvas.Text); ok {
			words = append(words, t.Text)
		}
	}
	return strings.Join(words, " ")
}

func TestDashboardForThePracticeManager(t *testing.T) {
	a, store, w := newTestApp(t)
	admin, rita := setUpStore(t, store)
	ctx := context.Background()
	manager, err := store.CreateUser(ctx, as(t, store, admin), data.NewUser{Username: "pm", FullName: "Priya Manager",
		Role: data.RolePracticeManager, Password: "manager password"})
	if err != nil {
		t.Fatal(err)
	}

	// An empty practice: zeros, no crash, charts with axes and a note.
	a.SignedIn(as(t, store, manager))
	if a.current != "Dashboard" || a.dashboard == nil {
		t.Fatalf("the practice manager landed on %q", a.current)
	}
	d := a.dashboard
	if d.Report() == nil || d.tiles[0].value.Text != "0" || d.tiles[5].value.Text != "–" {
		t.Fatalf("empty practice: received %q, DNA %q", d.tiles[0].value.Text, d.tiles[5].value.Text)
	}
	if words := chartTexts(d.dna); !strings.Contains(words, "No appointments due") || !strings.Contains(words, "0%") {
		t.Errorf("empty DNA chart draws %q", words)
	}
	if words := chartTexts(d.pipeline); !strings.Contains(words, "Received") || !strings.Contains(words, "Unable to contact") {
		t.Errorf("pipeline chart draws %q", words)
	}

	// A referral this month shows at once on Refresh, the same as the store's figure.
	p, err := store.SavePatient(ctx, sessionFor(t, store, data.OpEditPatient), data.Patient{GivenName: "Siân", FamilyName: "Llewellyn",
		DateOfBirth: "01/03/1950", Phone: "07700 900123"}, data.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateReferral(ctx, sessionFor(t, store, data.OpRefer), data.Referral{PatientID: p.ID, Source: "gp",
		ReferrerName: "Dr Roberts", Reasons: []string{"loneliness"}, ConsentBy: "the patient",
		ConsentOn: store.Now().In(data.London()).Format(data.DateLayout)}); err != nil {
		t.Fatal(err)
	}
	test.Tap(d.refresh)
	r, err := store.Dashboard(ctx, as(t, store, manager), data.PeriodMonth(store.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if d.tiles[0].value.Text != strconv.Itoa(r.Received) || r.Received != 1 {
		t.Errorf("tile says %q, the store %d", d.tiles[0].value.Text, r.Received)
	}
	if d.ReturnMonth() != data.PeriodLastMonth(store.Now()) {
		t.Errorf("this month, not over, exports %v", d.ReturnMonth())
	}
	if !strings.Contains(d.title.Text, r.Period.Label()) {
		t.Errorf("title %q", d.title.Text)
	}
	if words := chartTexts(d.perMonth); !strings.Contains(words, "1") {
		t.Errorf("bars draw %q", words)
	}

	// Another period.
	d.period.SetSelected("Last month")
	if d.Report().Period != data.PeriodLastMonth(store.Now()) || d.tiles[0].value.Text != "0" {
		t.Errorf("last month: %v, %q", d.Report().Period, d.tiles[0].value.Text)
	}
	if !strings.Contains(d.export.Text, data.PeriodLastMonth(store.Now()).Label()) {
		t.Errorf("export button %q", d.export.Text)
	}
	d.period.SetSelected("Custom dates")
	if !d.custom.Visible() || d.Report().Period != data.PeriodMonth(store.Now()) {
		t.Errorf("custom dates start as this month: %v", d.Report().Period)
	}
	d.from.SetText("01/01/2026")
	d.to.SetText("31/12/2025")
	test.Tap(d.showButton)
	if !d.message.Visible() || !strings.Contains(d.message.Text, "DD/MM/YYYY") {
		t.Errorf("backwards dates: %q", d.message.Text)
	}
	d.to.SetText("31/12/2026")
	test.Tap(d.showButton)
	if d.Report().Period != (data.Period{First: "2026-01-01", Last: "2026-12-31"}) || d.message.Visible() {
		t.Errorf("custom period %v, message %q", d.Report().Period, d.message.Text)
	}
	if d.tiles[0].value.Text != "1" {
		t.Errorf("2026 so far: %q referrals", d.tiles[0].value.Text)
	}
	d.period.SetSelected("This financial year")
	if d.ReturnMonth() != data.PeriodLastMonth(store.Now()) {
		t.Errorf("a year exports %v", d.ReturnMonth())
	}

	// The list size, for the incentive indicator.
	if d.tiles[7].value.Text != "–" {
		t.Errorf("incentive without a list size: %q", d.tiles[7].value.Text)
	}
	d.SetListSize("lots")
	if !strings.Contains(d.message.Text, "not changed") {
		t.Errorf("a bad list size: %q", d.message.Text)
	}
	d.SetListSize("12,500")
	if d.Report().Incentive.ListSize != 12500 || d.tiles[7].value.Text != "0.00%" {
		t.Errorf("list size %d, tile %q", d.Report().Incentive.ListSize, d.tiles[7].value.Text)
	}

	// The practice asks for small numbers to be suppressed.
	if d.suppress.Checked {
		t.Error("suppression on by default")
	}
	test.Tap(d.suppress)
	if r, _ := store.MonthlyReturn(ctx, as(t, store, manager), data.PeriodMonth(store.Now())); r == nil || !r.SuppressSmall || r.Show(1) != "<5" {
		t.Error("the check did not record the setting")
	}

	// Export: PDF and CSV.
	dir := t.TempDir()
	month := data.PeriodMonth(store.Now())
	for _, name := range []string{"return.pdf", "return.csv"} {
		path := filepath.Join(dir, name)
		d.ExportReturn(month, path)
		raw, err := os.ReadFile(path)
		if err != nil || len(raw) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.HasSuffix(name, ".pdf") != strings.HasPrefix(string(raw), "%PDF") {
			t.Errorf("%s starts %q", name, raw[:8])
		}
		if !strings.Contains(d.message.Text, "saved as "+path) {
			t.Errorf("message %q", d.message.Text)
		}
		if name == "return.csv" && !strings.Contains(string(raw), "Referrals received,In the month,<5") {
			t.Errorf("the CSV ignores the setting: %q", raw[:200])
		}
	}
	if !d.export.Visible() || d.export.Disabled() {
		t.Error("export stays disabled")
	}

	// Dark theme: the charts redraw in the theme's colours.
	test.ApplyTheme(t, darkVariant{Theme{}})
	w.Canvas().Refresh(w.Content())
	dark := Theme{}.Color(theme.ColorNameForeground, theme.VariantDark)
	found := false
	for _, o := range d.perMonth.draw(fyne.NewSize(400, 220)) {
		if txt, ok := o.(*canvas.Text); ok {
			found = true
			if txt.Color != dark && txt.Color != (Theme{}).Color(theme.ColorNamePlaceHolder, theme.VariantDark) {
				t.Errorf("%q drawn in %v, not the dark theme's colours", txt.Text, txt.Color)
			}
		}
	}
	if !found {
		t.Error("the bar chart drew no text")
	}

	// Reception has no dashboard.
	a.SignOut()
	a.SignedIn(as(t, store, rita))
	if a.mayShow("Dashboard") || a.current == "Dashboard" {
		t.Error("reception sees the dashboard")
	}
}

// darkVariant is the app's theme forced to its dark variant.
type darkVariant struct{ Theme }

func (d darkVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return d.Theme.Color(n, theme.VariantDark)
}
