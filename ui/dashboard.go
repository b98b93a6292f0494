package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
	"linkwell/printing"
)

// DashboardScreen is the practice manager's page: the figures for a
// period in ten key numbers, three charts and a few short tables, and the
// monthly return one click away. Every number comes from
// (*data.Store).Dashboard, the same figures the monthly return's CSV and
// PDF print. The figures are computed off the UI goroutine.
type DashboardScreen struct {
	app    *App
	report *data.Report
	gen    int // the latest load; an older one's result is dropped

	title  *widget.Label
	period *widget.Select
	// from and to are the custom period's days (DD/MM/YYYY), shown with
	// showButton when "Custom dates" is chosen.
	from, to   *keyEntry
	showButton *widget.Button
	custom     *fyne.Container
	statusRow  *fyne.Container // the status line, the dates and the '<5' check
	status     *widget.Label
	export     *widget.Button
	// refresh counts again (the figures are as at when they were counted).
	refresh *widget.Button
	// suppress: the practice's choice to print 1–4 as "<5" in the return.
	suppress *widget.Check
	listSize *widget.Button // asks for the registered list size
	message  *widget.Label

	tiles                   []*dashTile
	perMonth, pipeline, dna *Chart
	sources, reasons        *fyne.Container
	workers, closures, ons4 *fyne.Container
	services                *fyne.Container
	content                 fyne.CanvasObject
}

// DashboardPeriods are the period choices, "This month" first.
var DashboardPeriods = []string{"This month", "Last month", "This quarter", "This financial year", "Custom dates"}

// dashTile is one key figure: what it is, the number, a line of context.
type dashTile struct {
	caption, value, detail *widget.Label
	box                    fyne.CanvasObject
}

func newDashTile(caption string) *dashTile {
	t := &dashTile{caption: widget.NewLabel(caption), value: widget.NewLabelWithStyle("…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		detail: widget.NewLabel("")}
	t.caption.Wrapping = fyne.TextWrapWord // whole on two lines in a narrow window (scale 1.4)
	t.value.SizeName = theme.SizeNameHeadingText
	t.detail.Wrapping = fyne.TextWrapWord
	t.detail.SizeName = theme.SizeNameCaptionText
	t.box = widget.NewCard("", "", container.NewVBox(t.caption, t.value, t.detail))
	return t
}

func (t *dashTile) set(value, detail string) {
	t.value.SetText(value)
	t.detail.SetText(detail)
}

// NewDashboardScreen shows this month's figures.
func NewDashboardScreen(a *App) *DashboardScreen {
	s := &DashboardScreen{app: a}
	s.title = heading("Dashboard")
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Hide()
	s.from, s.to = a.newEntry(), a.newEntry()
	s.from.SetPlaceHolder("from DD/MM/YYYY")
	s.to.SetPlaceHolder("to DD/MM/YYYY")
	s.from.OnSubmitted = func(string) { s.Reload() }
	s.to.OnSubmitted = func(string) { s.Reload() }
	s.showButton = widget.NewButton("Show", s.Reload)
	s.custom = container.NewHBox(container.New(fixedWidth(150), s.from), container.New(fixedWidth(150), s.to), s.showButton)
	s.custom.Hide()
	s.period = widget.NewSelect(DashboardPeriods, func(choice string) {
		if choice == "Custom dates" {
			if s.from.Text == "" {
				p := data.PeriodMonth(s.app.store.Now())
				s.from.SetText(data.FormatUKDate(p.First))
				s.to.SetText(data.FormatUKDate(p.Last))
			}
			s.custom.Show()
		} else {
			s.custom.Hide()
		}
		if s.statusRow != nil {
			s.statusRow.Refresh() // lays the dates out as they appear
		}
		s.Reload()
	})
	s.export = widget.NewButtonWithIcon("Export monthly return…", theme.DocumentSaveIcon(), s.chooseExport)
	s.export.Importance = widget.HighImportance
	s.refresh = widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), s.Reload)
	s.suppress = widget.NewCheck("Write 1–4 as <5 in the return", nil)
	s.listSize = widget.NewButton("List size…", s.askListSize)
	for _, c := range []string{"Referrals received", "Accepted · declined · unable", "Days to first contact",
		"Days to first appointment", "Waiting list", "DNA rate", "Cases closed",
		"Incentive indicator", "Open caseload", "Directory entries to check"} {
		s.tiles = append(s.tiles, newDashTile(c))
	}
	s.perMonth = newChart(barsChart, 4, "")
	s.pipeline = newChart(hbarsChart, 4, "")
	s.dna = newChart(lineChart, 10, "No appointments due")
	s.dna.suffix = "%"
	s.dna.format = func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	s.sources, s.reasons = container.NewGridWithColumns(2), container.NewGridWithColumns(2)
	s.workers, s.closures = container.NewGridWithColumns(7), container.NewGridWithColumns(2)
	s.ons4, s.services = container.NewGridWithColumns(4), container.NewGridWithColumns(2)

	var tiles []fyne.CanvasObject
	for _, t := range s.tiles {
		tiles = append(tiles, t.box)
	}
	card := func(title string, o fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard("", "", container.NewVBox(heading4(title), o))
	}
	// Tiles, charts and tables take fewer columns in a narrow window
	// (scale 1.4) rather than widening it (issue 17).
	charts := newWrapGrid(3,
		card("Referrals per month, last 12 months", s.perMonth),
		card("Pipeline now", s.pipeline),
		card("DNA rate per month, last 12 months", s.dna))
	tables := newWrapGrid(3,
		card("Top sources", s.sources), card("Top reasons", s.reasons), card("Closures by reason", s.closures))
	workers := card("Link workers: open caseload and appointments in the period", s.workers)
	more := newWrapGrid(2,
		card("ONS4 wellbeing, cases closed in the period", s.ons4), card("Most prescribed services", s.services))
	top := newFlow(spareBeforeLast, s.title, container.NewHBox(widget.NewLabel("Period"), s.period, s.refresh, s.export))
	body := container.NewVBox(newWrapGrid(5, tiles...), charts, tables, workers, more)
	s.statusRow = newFlowGrowing(s.status, s.status, s.custom, container.NewHBox(s.suppress, s.listSize))
	s.content = container.NewBorder(container.NewVBox(top, s.statusRow, s.message), nil, nil, nil,
		container.NewVScroll(body))
	s.period.SetSelected(DashboardPeriods[0]) // loads
	return s
}

// heading4 is a card's small bold title.
func heading4(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// Content is what the window shows.
func (s *DashboardScreen) Content() fyne.CanvasObject { return s.content }

// Period is the chosen period as dates.
func (s *DashboardScreen) Period() data.Period {
	now := s.app.store.Now()
	switch s.period.Selected {
	case "Last month":
		return data.PeriodLastMonth(now)
	case "This quarter":
		return data.PeriodQuarter(now)
	case "This financial year":
		return data.PeriodYear(now)
	case "Custom dates":
		f, err1 := data.ParseUKDate(s.from.Text)
		t, err2 := data.ParseUKDate(s.to.Text)
		if err1 != nil || err2 != nil {
			return data.Period{}
		}
		return data.Period{First: f.Format(data.DateLayout), Last: t.Format(data.DateLayout)}
	}
	return data.PeriodMonth(now)
}

// ReturnMonth is the month the export writes: the chosen period's if it is
// one whole month already over, else last month (this month's return is
// made once it has ended; the command line writes any month).
func (s *DashboardScreen) ReturnMonth() data.Period {
	now := s.app.store.Now()
	p := s.Period()
	if m, err := data.ParseMonth(p.Month()); err == nil && m == p && p.Last < now.In(data.London()).Format(data.DateLayout) {
		return p
	}
	return data.PeriodLastMonth(now)
}

// Reload computes the figures for the chosen period off the UI goroutine.
func (s *DashboardScreen) Reload() {
	s.gen++
	gen, p := s.gen, s.Period()
	if !p.Valid() {
		showMessage(s.message, "Type the first and last day as DD/MM/YYYY, the first not after the last.", true)
		return
	}
	showMessage(s.message, "", false)
	s.status.SetText("Counting " + p.Label() + "…")
	s.export.SetText("Export monthly return for " + s.ReturnMonth().Label() + "…")
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		r, err := store.Dashboard(context.Background(), sess, p)
		return func() {
			if gen != s.gen {
				return
			}
			if err != nil {
				s.status.SetText("")
				s.app.showError(err)
				return
			}
			s.show(r)
		}
	})
}

// Report is the figures on show (nil while the first load runs).
func (s *DashboardScreen) Report() *data.Report { return s.report }

func (s *DashboardScreen) show(r *data.Report) {
	s.report = r
	s.suppress.OnChanged = nil
	s.suppress.SetChecked(r.SuppressSmall)
	s.suppress.OnChanged = s.SetSuppressSmall
	s.title.SetText("Dashboard · " + r.Period.Label())
	s.status.SetText(fmt.Sprintf("%s to %s · figures for now as at %s",
		data.FormatUKDate(r.Period.First), data.FormatUKDate(r.Period.Last), r.AsAt.In(data.London()).Format("02/01/2006 15:04")))
	same := "the same period last year"
	if r.LastYear != r.Period.LastYear() {
		same = "the same days last year (to " + data.FormatUKDate(r.LastYear.Last) + ")"
	}
	change := "none in " + same
	if r.ReceivedLastYear > 0 {
		pct := 100 * float64(r.Received-r.ReceivedLastYear) / float64(r.ReceivedLastYear)
		change = fmt.Sprintf("%d in %s: %+.0f%%", r.ReceivedLastYear, same, pct)
	}
	wait := func(w data.Wait) (string, string) {
		if w.N == 0 {
			return "–", "no one in the period"
		}
		return strconv.FormatFloat(w.Median, 'f', -1, 64) + " days", fmt.Sprintf("median; 90%% within %d days (%s)", w.P90, peopleCount(w.N))
	}
	tot := r.AppointmentTotals()
	dna, dnaDetail := "–", "no appointments were due"
	if tot.Attended+tot.DNA > 0 {
		dna = fmt.Sprintf("%.1f%%", data.DNARate(tot.DNA, tot.Attended))
		dnaDetail = fmt.Sprintf("%d did not attend of %d due; %d cancelled", tot.DNA, tot.Attended+tot.DNA, tot.Cancelled)
	}
	in := r.Incentive
	incentive, incentiveDetail := "–", fmt.Sprintf("%d coded; set the list size to see the percentage", in.Coded)
	if in.ListSize > 0 {
		incentive = fmt.Sprintf("%.2f%%", in.Percent)
		where := "below 1.2%"
		switch {
		case in.Percent >= in.Upper:
			where = "at or above 1.6%"
		case in.Percent >= in.Lower:
			where = "between 1.2% and 1.6%"
		}
		incentiveDetail = fmt.Sprintf("%d coded %s in 12 months, list of %d: %s", in.Coded, data.SNOMEDReferred, in.ListSize, where)
	}
	top := "none closed"
	if best := topCounts(r.Closures, 1); len(best) > 0 {
		top = "most often: " + strings.ToLower(best[0].Label) + " (" + strconv.Itoa(best[0].N) + ")"
	}
	contactV, contactD := wait(r.ToFirstContact)
	apptV, apptD := wait(r.ToFirstAppointment)
	waitingD := "accepted, none waiting for an appointment"
	if r.Waiting.N > 0 {
		waitingD = fmt.Sprintf("accepted, no appointment yet; longest wait %d days since referral", r.Waiting.LongestDays)
	}
	values := [][2]string{
		{strconv.Itoa(r.Received), change},
		{fmt.Sprintf("%d · %d · %d", r.Outcomes.Accepted, r.Outcomes.Declined, r.Outcomes.UnableToContact), "moves made in the period"},
		{contactV, contactD},
		{apptV, apptD},
		{strconv.Itoa(r.Waiting.N), waitingD},
		{dna, dnaDetail},
		{strconv.Itoa(r.ClosedTotal()), top},
		{incentive, incentiveDetail},
		{strconv.Itoa(tot.Caseload), "open cases of " + plural(len(r.Workers), "link worker") + " at " + r.CaseloadAt.In(data.London()).Add(-time.Second).Format("02/01/2006")},
		{strconv.Itoa(r.StaleServices), "not checked for a year (Directory)"},
	}
	for i, v := range values {
		s.tiles[i].set(v[0], v[1])
	}

	var months []string
	var referrals, rates []float64
	var has []bool
	for _, m := range r.Months {
		t, _ := time.Parse("2006-01", m.Month)
		months = append(months, t.Format("Jan"))
		referrals = append(referrals, float64(m.Referrals))
		rates = append(rates, m.DNARate())
		has = append(has, m.Attended+m.DNA > 0)
	}
	s.perMonth.SetData(months, referrals, nil)
	s.dna.SetData(months, rates, has)
	var labels []string
	var counts []float64
	for _, c := range r.Pipeline {
		labels = append(labels, c.Label)
		counts = append(counts, float64(c.N))
	}
	s.pipeline.SetData(labels, counts, nil)

	fillCounts(s.sources, topCounts(r.BySource, 5), "No referrals in the period")
	fillCounts(s.reasons, topCounts(r.ByReason, 5), "No referrals in the period")
	fillCounts(s.closures, topCounts(r.Closures, 7), "No cases closed in the period")
	fillCounts(s.services, r.TopServices, "No social prescriptions in the period")
	rows := [][]string{{"", "Caseload", "Booked", "Attended", "DNA", "Cancelled", "DNA rate"}}
	for _, w := range append(append([]data.WorkerFigures(nil), r.Workers...), tot) {
		rate := "–"
		if w.Attended+w.DNA > 0 {
			rate = fmt.Sprintf("%.1f%%", data.DNARate(w.DNA, w.Attended))
		}
		rows = append(rows, []string{w.Name, strconv.Itoa(w.Caseload), strconv.Itoa(w.Booked), strconv.Itoa(w.Attended),
			strconv.Itoa(w.DNA), strconv.Itoa(w.Cancelled), rate})
	}
	fillGrid(s.workers, rows)
	rows = [][]string{{"", "People", "Baseline", "Change"}}
	for _, o := range r.ONS4 {
		if o.N == 0 {
			rows = append(rows, []string{o.Label, "0", "–", "–"})
			continue
		}
		rows = append(rows, []string{o.Label, strconv.Itoa(o.N), fmt.Sprintf("%.1f", o.Baseline), fmt.Sprintf("%+.1f", o.Change)})
	}
	fillGrid(s.ons4, rows)
}

func peopleCount(n int) string {
	if n == 1 {
		return "1 person"
	}
	return strconv.Itoa(n) + " people"
}

// topCounts are the n largest non-zero counts, largest first (ties in
// list order).
func topCounts(cs []data.Count, n int) []data.Count {
	var out []data.Count
	for _, c := range cs {
		if c.N > 0 {
			out = append(out, c)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].N > out[j-1].N; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func fillCounts(grid *fyne.Container, cs []data.Count, empty string) {
	var rows [][]string
	for _, c := range cs {
		rows = append(rows, []string{c.Label, strconv.Itoa(c.N)})
	}
	if len(rows) == 0 {
		rows = [][]string{{empty, ""}}
	}
	fillGrid(grid, rows)
}

// fillGrid puts rows of text into a grid: the first column as it is, the
// others right-aligned; a first row of headings is bold when the first
// cell is empty.
func fillGrid(grid *fyne.Container, rows [][]string) {
	grid.Objects = nil
	for i, row := range rows {
		for j, cell := range row {
			l := widget.NewLabel(cell)
			if j > 0 {
				l.Alignment = fyne.TextAlignTrailing
			} else {
				l.Truncation = fyne.TextTruncateEllipsis
			}
			if i == 0 && row[0] == "" || j == 0 && cell == "All link workers" {
				l.TextStyle.Bold = true
			}
			grid.Add(l)
		}
	}
	grid.Refresh()
}

// SetSuppressSmall records the practice's choice for the monthly return.
func (s *DashboardScreen) SetSuppressSmall(on bool) {
	if err := s.app.store.SetSuppressSmall(context.Background(), s.app.session, on); err != nil {
		s.app.showError(err)
		return
	}
	if s.report != nil {
		s.report.SuppressSmall = on
	}
	word := "as they are"
	if on {
		word = "as <5"
	}
	showMessage(s.message, "The monthly return will show counts of 1 to 4 "+word+".", false)
}

// askListSize asks for the registered list size the incentive indicator
// divides by.
func (s *DashboardScreen) askListSize() {
	entry := widget.NewEntry()
	if s.report != nil && s.report.Incentive.ListSize > 0 {
		entry.SetText(strconv.Itoa(s.report.Incentive.ListSize))
	}
	dialog.ShowForm("Registered list size", "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Patients on the list", entry)}, func(ok bool) {
			if ok {
				s.SetListSize(entry.Text)
			}
		}, s.app.win)
}

// SetListSize records the list size as typed ("12,500" is fine) and
// recounts.
func (s *DashboardScreen) SetListSize(typed string) {
	n, err := strconv.Atoi(strings.NewReplacer(",", "", " ", "").Replace(strings.TrimSpace(typed)))
	if err == nil {
		err = s.app.store.SetListSize(context.Background(), s.app.session, n)
	} else {
		err = fmt.Errorf("type the number of registered patients, e.g. 12,500")
	}
	if err != nil {
		showMessage(s.message, "The list size was not changed: "+err.Error(), true)
		return
	}
	s.Reload() // clears the message line
	showMessage(s.message, fmt.Sprintf("The registered list size is now %d.", n), false)
}

// chooseExport asks where to save the monthly return (.pdf or .csv).
func (s *DashboardScreen) chooseExport() {
	month := s.ReturnMonth()
	s.app.askSavePath("monthly-return-"+month.Month()+".pdf", []string{".pdf", ".csv"}, func(path string) {
		s.ExportReturn(month, path)
	})
}

// ExportReturn writes the monthly return for month to path: a PDF, or CSV
// when the name ends in .csv. It runs off the UI goroutine.
func (s *DashboardScreen) ExportReturn(month data.Period, path string) {
	store, sess := s.app.store, s.app.session
	s.export.Disable()
	showMessage(s.message, "Writing the return for "+month.Label()+"…", false)
	background(s.app.win, 0, func() func() {
		var err error
		if strings.EqualFold(filepath.Ext(path), ".csv") {
			_, err = store.ExportMonthlyReturnFile(context.Background(), sess, month, path)
		} else {
			_, err = printing.MonthlyReturn(context.Background(), store, sess, month, path)
		}
		return func() {
			s.export.Enable()
			if err != nil {
				showMessage(s.message, "The return was not written: "+err.Error(), true)
				return
			}
			showMessage(s.message, "The monthly return for "+month.Label()+" is saved as "+path+".", false)
		}
	})
}
