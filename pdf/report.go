package pdf

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/jung-kurt/gofpdf"

	"linkwell/data"
)

// MonthlyReturn lays out the monthly return: practice, period, the key
// figures, three charts (referrals per month, the pipeline, DNA rate per
// month) and the tables. Every number is the report's (data.Report), so
// the PDF, the CSV and the dashboard cannot disagree; counts go through
// r.Show (the practice may ask for 1–4 as "<5").
//
// The charts are drawn with gofpdf's own lines and rectangles (see
// docs/ARCHITECTURE.md, "Charts"): vector, in the document's font, and
// readable as text.
func MonthlyReturn(w io.Writer, r *data.Report) error {
	d := &reportDoc{f: newDocument("Social prescribing monthly return " + r.Period.Month()), r: r}
	d.f.SetMargins(15, 15, 15)
	d.f.SetAutoPageBreak(false, 0)
	d.f.AddPage()
	d.header()
	d.keyFigures()
	d.charts()
	d.f.AddPage()
	d.tables()
	d.footers()
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

type reportDoc struct {
	f *gofpdf.Fpdf
	r *data.Report
	y float64
}

const (
	repLeft   = 15.0
	repWidth  = 180.0
	repBottom = 280.0
	rowH      = 5.2
)

var (
	accent  = rgb{0, 94, 184} // NHS blue
	barFill = rgb{65, 139, 214}
	grid    = rgb{215, 220, 226}
	band    = rgb{243, 246, 250}
)

func (d *reportDoc) font(style string, size float64, c rgb) {
	d.f.SetFont(family, style, size)
	d.f.SetTextColor(c.r, c.g, c.b)
}

func (d *reportDoc) text(x, y float64, s string) { d.f.Text(x, y, drawable(s)) }

func (d *reportDoc) right(x, y float64, s string) {
	s = drawable(s)
	d.f.Text(x-d.f.GetStringWidth(s), y, s)
}

func (d *reportDoc) header() {
	d.font("B", 18, accent)
	d.text(repLeft, 24, "Social prescribing monthly return")
	d.font("B", 13, ink)
	d.text(repLeft, 32, d.r.Practice)
	d.font("", 11, muted)
	d.text(repLeft, 38.5, d.r.Period.Label()+"  ("+ukDate(d.r.Period.First)+" to "+ukDate(d.r.Period.Last)+")")
	d.right(repLeft+repWidth, 38.5, "Made "+d.r.AsAt.In(data.London()).Format("02/01/2006 15:04"))
	if d.r.SuppressSmall {
		d.font("", 8.5, muted)
		d.right(repLeft+repWidth, 32, "Counts of 1 to 4 are shown as <5")
	}
	d.f.SetDrawColor(accent.r, accent.g, accent.b)
	d.f.SetLineWidth(0.6)
	d.f.Line(repLeft, 42, repLeft+repWidth, 42)
	d.y = 48
}

func ukDate(s string) string {
	t, err := time.Parse(data.DateLayout, s)
	if err != nil {
		return s
	}
	return t.Format("02/01/2006")
}

// keyFigures are six boxes a reader takes in at a glance.
func (d *reportDoc) keyFigures() {
	r := d.r
	tot := r.AppointmentTotals()
	incentive := "list size not set"
	if r.Incentive.ListSize > 0 {
		incentive = fmt.Sprintf("%.2f%% (1.2–1.6%%)", r.Incentive.Percent)
	}
	boxes := [][2]string{
		{"Referrals received", r.Show(r.Received) + "   (last year " + r.Show(r.ReceivedLastYear) + ")"},
		{"Accepted · declined · unable", r.Show(r.Outcomes.Accepted) + " · " + r.Show(r.Outcomes.Declined) + " · " + r.Show(r.Outcomes.UnableToContact)},
		{"Median days to first contact", waitText(r.ToFirstContact)},
		{"Appointments · DNA rate", r.Show(tot.Booked) + " · " + dnaText(tot)},
		{"Cases closed", r.Show(r.ClosedTotal())},
		{"Incentive indicator, 12 months", incentive},
	}
	w, h := (repWidth-2*4)/3, 17.0
	for i, b := range boxes {
		x := repLeft + float64(i%3)*(w+4)
		y := d.y + float64(i/3)*(h+4)
		d.f.SetFillColor(band.r, band.g, band.b)
		d.f.Rect(x, y, w, h, "F")
		d.font("", 8.5, muted)
		d.text(x+3, y+5.5, b[0])
		d.font("B", 12.5, ink)
		d.text(x+3, y+12.5, b[1])
	}
	d.y += 2*h + 4 + 8
}

// dnaText is the DNA rate, or a dash when no appointment was due.
func dnaText(w data.WorkerFigures) string {
	if w.DNA+w.Attended == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", data.DNARate(w.DNA, w.Attended))
}

func waitText(w data.Wait) string {
	if w.N == 0 {
		return "none measured"
	}
	return fmt.Sprintf("%s  (90%%: %d; n=%d)", trimFloat(w.Median), w.P90, w.N)
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func monthAbbrev(ym string) string {
	t, err := time.Parse("2006-01", ym)
	if err != nil {
		return ym
	}
	return t.Format("Jan")
}

func (d *reportDoc) charts() {
	r := d.r
	var labels []string
	var referrals, dna []float64
	var has []bool
	for _, m := range r.Months {
		labels = append(labels, monthAbbrev(m.Month))
		referrals = append(referrals, float64(m.Referrals))
		dna = append(dna, m.DNARate())
		has = append(has, m.DNA+m.Attended > 0)
	}
	d.chartTitle("Referrals received per month, last 12 months")
	d.barChart(repLeft, d.y, repWidth, 52, labels, referrals)
	d.y += 52 + 12
	half := (repWidth - 8) / 2
	top := d.y
	d.chartTitle("Pipeline now (referrals in each status)")
	var pl []string
	var pv []float64
	for _, c := range r.Pipeline {
		pl = append(pl, c.Label)
		pv = append(pv, float64(c.N))
	}
	d.hbarChart(repLeft, d.y, half, 62, pl, pv)
	d.y = top
	d.f.SetX(repLeft + half + 8)
	d.chartTitleAt(repLeft+half+8, "DNA rate per month (%)")
	d.lineChart(repLeft+half+8, d.y, half, 62, labels, dna, has)
}

func (d *reportDoc) chartTitle(s string) { d.chartTitleAt(repLeft, s) }

func (d *reportDoc) chartTitleAt(x float64, s string) {
	d.font("B", 11, ink)
	d.text(x, d.y, s)
	d.y += 4
}

// axes draws the horizontal grid lines and their labels; it returns the
// plotting area's left edge.
func (d *reportDoc) axes(x, y, w, h, top, step float64, suffix string) float64 {
	d.font("", 7.5, muted)
	labelW := d.f.GetStringWidth(trimFloat(top)+suffix) + 2
	left := x + labelW
	d.f.SetLineWidth(0.2)
	for v := 0.0; v <= top+step/2; v += step {
		yy := y + h - v/top*h
		d.f.SetDrawColor(grid.r, grid.g, grid.b)
		d.f.Line(left, yy, x+w, yy)
		d.right(left-1.5, yy+1, trimFloat(v)+suffix)
	}
	return left
}

func (d *reportDoc) barChart(x, y, w, h float64, labels []string, values []float64) {
	max := 0.0
	for _, v := range values {
		max = math.Max(max, v)
	}
	top, step := data.ChartScale(max, 4)
	left := d.axes(x, y, w, h, top, step, "")
	slot := (x + w - left) / float64(len(values))
	for i, v := range values {
		bx := left + float64(i)*slot + slot*0.18
		bh := v / top * h
		d.f.SetFillColor(barFill.r, barFill.g, barFill.b)
		if bh > 0 {
			d.f.Rect(bx, y+h-bh, slot*0.64, bh, "F")
		}
		d.font("", 7.5, ink)
		n := d.r.Show(int(v))
		d.f.Text(bx+slot*0.32-d.f.GetStringWidth(n)/2, y+h-bh-1.2, n)
		d.font("", 7.5, muted)
		d.f.Text(bx+slot*0.32-d.f.GetStringWidth(labels[i])/2, y+h+4, labels[i])
	}
}

func (d *reportDoc) hbarChart(x, y, w, h float64, labels []string, values []float64) {
	max := 0.0
	d.font("", 8, ink)
	labelW := 0.0
	for i, v := range values {
		max = math.Max(max, v)
		labelW = math.Max(labelW, d.f.GetStringWidth(labels[i]))
	}
	top, _ := data.ChartScale(max, 4)
	left := x + labelW + 2
	slot := h / float64(len(values))
	barW := x + w - left - 12
	for i, v := range values {
		yy := y + float64(i)*slot
		d.font("", 8, ink)
		d.right(left-2, yy+slot*0.5+1.2, labels[i])
		bw := v / top * barW
		d.f.SetFillColor(barFill.r, barFill.g, barFill.b)
		if bw > 0 {
			d.f.Rect(left, yy+slot*0.18, bw, slot*0.64, "F")
		}
		d.font("B", 8, ink)
		d.text(left+bw+1.5, yy+slot*0.5+1.2, d.r.Show(int(v)))
	}
	d.f.SetDrawColor(grid.r, grid.g, grid.b)
	d.f.Line(left, y, left, y+h)
}

// lineChart joins the months that had appointments; a month without any
// is a gap, not a zero.
func (d *reportDoc) lineChart(x, y, w, h float64, labels []string, values []float64, has []bool) {
	max := 0.0
	for i, v := range values {
		if has[i] {
			max = math.Max(max, v)
		}
	}
	top, step := data.ChartScale(max, 10)
	left := d.axes(x, y, w, h-5, top, step, "%")
	slot := (x + w - left) / float64(len(values))
	px := func(i int) float64 { return left + slot*(float64(i)+0.5) }
	py := func(v float64) float64 { return y + (h - 5) - v/top*(h-5) }
	d.f.SetDrawColor(accent.r, accent.g, accent.b)
	d.f.SetFillColor(accent.r, accent.g, accent.b)
	d.f.SetLineWidth(0.6)
	for i := range values {
		if !has[i] {
			continue
		}
		if i > 0 && has[i-1] {
			d.f.Line(px(i-1), py(values[i-1]), px(i), py(values[i]))
		}
		d.f.Circle(px(i), py(values[i]), 0.8, "F")
	}
	seen := false
	for _, h := range has {
		seen = seen || h
	}
	if !seen {
		d.font("", 8.5, muted)
		d.text(left+4, y+(h-5)/2, "No appointments were due in these months")
	}
	d.font("", 7, muted)
	for i, l := range labels {
		if i%2 == 1 || len(labels) <= 6 {
			d.f.Text(px(i)-d.f.GetStringWidth(l)/2, y+h-1+3, l)
		}
	}
	d.f.SetLineWidth(0.2)
}

// table draws a titled two-or-more-column table at x with the given column
// widths (the first left-aligned, the rest right-aligned) and returns the
// y below it.
func (d *reportDoc) table(x, y float64, title string, widths []float64, head []string, rows [][]string) float64 {
	d.font("B", 10.5, accent)
	d.text(x, y+4, title)
	y += 6.5
	total := 0.0
	for _, w := range widths {
		total += w
	}
	cells := func(row []string, style string, size float64) {
		d.font(style, size, ink)
		cx := x
		for i, c := range row {
			if i == 0 {
				d.text(cx+1, y+3.8, c)
			} else {
				d.right(cx+widths[i]-1, y+3.8, c)
			}
			cx += widths[i]
		}
		y += rowH
	}
	if head != nil {
		d.f.SetFillColor(band.r, band.g, band.b)
		d.f.Rect(x, y, total, rowH, "F")
		cells(head, "B", 8.5)
	}
	for i, row := range rows {
		if i%2 == 1 {
			d.f.SetFillColor(250, 251, 252)
			d.f.Rect(x, y, total, rowH, "F")
		}
		cells(row, "", 8.5)
	}
	d.f.SetDrawColor(grid.r, grid.g, grid.b)
	d.f.SetLineWidth(0.2)
	d.f.Line(x, y, x+total, y)
	return y + 5
}

func (d *reportDoc) countRows(cs []data.Count) [][]string {
	var rows [][]string
	for _, c := range cs {
		rows = append(rows, []string{c.Label, d.r.Show(c.N)})
	}
	return rows
}

// place puts a block of the given height at the cursor, or on a new page.
func (d *reportDoc) place(height float64) {
	if d.y+height > repBottom {
		d.f.AddPage()
		d.y = 20
	}
}

func (d *reportDoc) tables() {
	r := d.r
	d.y = 20
	half := (repWidth - 10) / 2
	rightX := repLeft + half + 10
	cw := []float64{half - 22, 22}
	// Left column: source, age, sex; right: reason, outcomes, closures.
	ly := d.table(repLeft, d.y, "Referrals by source", cw, nil, d.countRows(r.BySource))
	ly = d.table(repLeft, ly, "By age at referral", cw, nil, d.countRows(r.ByAge))
	ly = d.table(repLeft, ly, "By sex", cw, nil, d.countRows(r.BySex))
	ry := d.table(rightX, d.y, "Referrals by reason", cw, nil, d.countRows(r.ByReason))
	ry = d.table(rightX, ry, "Outcomes", cw, nil, [][]string{
		{"Accepted", r.Show(r.Outcomes.Accepted)}, {"Declined", r.Show(r.Outcomes.Declined)},
		{"Unable to contact", r.Show(r.Outcomes.UnableToContact)}})
	ry = d.table(rightX, ry, "Closed by reason", cw, nil, append(d.countRows(r.Closures), []string{"All closures", r.Show(r.ClosedTotal())}))
	d.y = math.Max(ly, ry)
	d.place(float64(len(r.ByEthnicity))*rowH + 12)
	d.y = d.table(repLeft, d.y, "By ethnic category", []float64{repWidth - 22, 22}, nil, d.countRows(r.ByEthnicity))

	waitRow := func(label string, w data.Wait) []string {
		if w.N == 0 {
			return []string{label, "0", "", ""}
		}
		return []string{label, r.Show(w.N), trimFloat(w.Median), strconv.Itoa(w.P90)}
	}
	d.place(4*rowH + 12)
	d.y = d.table(repLeft, d.y, "Days from referral", []float64{repWidth - 3*30, 30, 30, 30},
		[]string{"", "Referrals", "Median", "90th percentile"}, [][]string{
			waitRow("To first contact (first contacted this period)", r.ToFirstContact),
			waitRow("To first appointment attended (first seen this period)", r.ToFirstAppointment)})

	workers := append(append([]data.WorkerFigures(nil), r.Workers...), r.AppointmentTotals())
	var rows [][]string
	for _, w := range workers {
		rows = append(rows, []string{w.Name, r.Show(w.Caseload), r.Show(w.Booked), r.Show(w.Attended), r.Show(w.DNA),
			r.Show(w.Cancelled), dnaText(w)})
	}
	d.place(float64(len(rows)+1)*rowH + 12)
	d.y = d.table(repLeft, d.y, "Link workers: open caseload at "+r.CaseloadAt.In(data.London()).Add(-time.Second).Format("02/01/2006")+", appointments this period",
		[]float64{repWidth - 6*21, 21, 21, 21, 21, 21, 21},
		[]string{"", "Caseload", "Booked", "Attended", "DNA", "Cancelled", "DNA rate"}, rows)

	rows = nil
	for _, o := range r.ONS4 {
		if o.N == 0 || r.Hidden(o.N) {
			rows = append(rows, []string{o.Label, r.Show(o.N), "", "", ""})
			continue
		}
		rows = append(rows, []string{o.Label, r.Show(o.N), fmt.Sprintf("%.1f", o.Baseline), fmt.Sprintf("%.1f", o.Latest), fmt.Sprintf("%+.1f", o.Change)})
	}
	d.place(5*rowH + 16)
	d.y = d.table(repLeft, d.y, "ONS4 wellbeing, cases closed this period (anxiety: lower is better)",
		[]float64{repWidth - 4*27, 27, 27, 27, 27}, []string{"", "People", "Baseline", "Latest", "Change"}, rows)

	in := r.Incentive
	pct := "list size not set"
	if in.ListSize > 0 {
		pct = fmt.Sprintf("%.2f%%", in.Percent)
	}
	d.place(4*rowH + 12)
	d.y = d.table(repLeft, d.y, "Incentive indicator ("+ukDate(in.From)+" to "+ukDate(in.To)+")", []float64{repWidth - 40, 40}, nil, [][]string{
		{"Referrals coded " + data.SNOMEDReferred + " (Referral to social prescribing service)", r.Show(in.Coded)},
		{"Registered list size", strconv.Itoa(in.ListSize)},
		{"Percentage of the list (thresholds 1.2% and 1.6%)", pct}})
}

// footers number the pages once they are all laid out.
func (d *reportDoc) footers() {
	n := d.f.PageCount()
	for i := 1; i <= n; i++ {
		d.f.SetPage(i)
		d.font("", 8, muted)
		d.text(repLeft, 290, d.r.Practice+" · monthly return "+d.r.Period.Month())
		d.right(repLeft+repWidth, 290, fmt.Sprintf("Page %d of %d", i, n))
	}
}
