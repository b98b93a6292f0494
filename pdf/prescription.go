package pdf

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"linkwell/data"
)

// The social prescription is the document a patient takes home and keeps
// on the fridge door. It is drawn from p.Content alone (frozen when the
// prescription was issued), so a reprint is the same document apart from
// its Reprint mark.
//
// Layout: the whole document is measured before it is drawn. Every service
// block is measured, then placed on the page where it fits whole, so a
// block is never split across pages and the total page count is known
// before the first footer is drawn. (gofpdf's AliasNbPages is not used:
// with a subsetted UTF-8 font the digits of the substituted total may be
// missing from the embedded font.)

// rxStyle holds the sizes of one print size. Sizes are points; lengths mm.
type rxStyle struct {
	body, small, title, name, practice, heading, when float64
	qr, pad, gap                                      float64
}

var (
	normalPrint = rxStyle{body: 11, small: 9.5, title: 20, name: 14, practice: 15, heading: 13, when: 13,
		qr: 24, pad: 3, gap: 3.5}
	// Large print: no text below 16 pt, the footer included.
	largePrint = rxStyle{body: 16, small: 16, title: 22, name: 18, practice: 18, heading: 17, when: 18,
		qr: 30, pad: 4, gap: 4}
)

// lh is the line height in mm for a font size in points.
func lh(pt float64) float64 { return pt * 0.3528 * 1.22 }

// Colours: a calm teal for headings, near-black text for contrast, warm
// shading for the things the patient must not miss.
type rgb struct{ r, g, b int }

var (
	ink        = rgb{33, 37, 41}
	muted      = rgb{72, 80, 88} // still 7:1 on white
	teal       = rgb{0, 98, 105}
	serviceBg  = rgb{239, 247, 246}
	serviceRim = rgb{140, 190, 186}
	noteBg     = rgb{255, 242, 199}
	noteBar    = rgb{222, 150, 20}
	workerBg   = rgb{253, 238, 226}
	workerRim  = rgb{230, 165, 120}
	reprintRed = rgb{176, 32, 24}
)

// Page geometry (A4 portrait).
const (
	pageLeft   = 18.0
	pageWidth  = 210.0 - 2*pageLeft
	pageTop    = 14.0
	pageBottom = 297.0 - 17 // the footer lives below this
	maxField   = 400        // characters of one printed field (a safety net for runaway directory text)
)

// rxDoc is one prescription being drawn.
type rxDoc struct {
	f  *gofpdf.Fpdf
	st rxStyle
}

// Prescription writes the social prescription as a PDF. reprint is nil for
// the original; for a reprint it is when the reprint is made, and the
// document is marked "Reprint" with that date.
func Prescription(w io.Writer, p data.Prescription, reprint *time.Time) error {
	c := p.Content
	d := &rxDoc{f: newDocument("Social prescription"), st: normalPrint}
	if c.LargePrint {
		d.st = largePrint
	}
	f := d.f
	f.SetMargins(pageLeft, pageTop, pageLeft)
	f.SetCellMargin(0) // so that measured lines and drawn lines agree to the mm
	f.SetAutoPageBreak(false, 0)
	f.SetTitle("Social prescription for "+drawable(c.Patient.FullName), true)

	total := 1 // set once the flow is paginated, before any footer is drawn
	f.SetHeaderFunc(func() {
		if f.PageNo() > 1 {
			d.continuation(c)
		}
	})
	f.SetFooterFunc(func() { d.footer(f.PageNo(), total, reprint) })

	f.AddPage()
	y := d.top(c, reprint)

	// The flow: one block per service, each measured now and drawn later
	// at the place the pagination gives it.
	type item struct {
		height float64
		draw   func(y float64)
	}
	var items []item
	for i, s := range c.Items {
		h, draw := d.service(i+1, s)
		items = append(items, item{h, draw})
	}

	page, pages, at := 1, make([]int, len(items)), make([]float64, len(items))
	contTop := pageTop + lh(d.st.small) + 5
	for i, it := range items {
		if y+it.height > pageBottom && y > contTop {
			page++
			y = contTop
		}
		pages[i], at[i] = page, y
		y += it.height + d.st.gap
	}
	total = page

	for i, it := range items {
		for f.PageNo() < pages[i] {
			f.AddPage()
		}
		it.draw(at[i])
	}

	if err := f.Error(); err != nil {
		return fmt.Errorf("the social prescription could not be made: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("the social prescription could not be written: %w", err)
	}
	return nil
}

// clean makes a stored string printable: runes the font lacks become "?",
// tabs become spaces, runaway text is cut short, and postcodes and phone
// numbers are held together with no-break spaces so that a line never
// ends in the middle of one.
func clean(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\t", " ")
	if utf8.RuneCountInString(s) > maxField {
		s = string([]rune(s)[:maxField]) + "…"
	}
	s = postcodeSpace.ReplaceAllString(s, "$1\u00a0$2")
	s = phoneNumber.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, " ", "\u00a0") })
	return drawable(s)
}

var (
	postcodeSpace = regexp.MustCompile(`\b([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9][A-Z]{2})\b`)
	phoneNumber   = regexp.MustCompile(`\+?\d{2,5}(?: \d{3,6}){1,3}\b`)
)

func (d *rxDoc) font(style string, size float64, colour rgb) {
	d.f.SetFont(family, style, size)
	d.f.SetTextColor(colour.r, colour.g, colour.b)
}

// wrap splits text into the lines that fit width in the given font. Lines
// break at plain spaces only (never at a no-break space); a word wider
// than the line, such as a long web address, is broken where it fits,
// after a "/", "." or "-" when it can be.
func (d *rxDoc) wrap(text string, width float64, style string, size float64) []string {
	text = clean(text)
	if text == "" {
		return nil
	}
	f := d.f
	f.SetFont(family, style, size)
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Split(para, " ") {
			if word == "" {
				continue
			}
			if line != "" && f.GetStringWidth(line+" "+word) <= width {
				line += " " + word
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			for f.GetStringWidth(word) > width {
				cut := d.cut(word, width)
				out = append(out, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// cut is where to break a word too wide for width: after the last "/",
// ".", "-" or "@" that fits, else after the last rune that fits; always
// after at least one rune.
func (d *rxDoc) cut(word string, width float64) int {
	fits, soft := 0, 0
	for i, r := range word {
		end := i + utf8.RuneLen(r)
		if fits > 0 && d.f.GetStringWidth(word[:end]) > width {
			break
		}
		fits = end
		if strings.ContainsRune("/.-@_", r) {
			soft = end
		}
	}
	if soft > fits/2 {
		return soft
	}
	return fits
}

// lines draws pre-split lines from (x, y) and returns the y below them.
func (d *rxDoc) lines(ls []string, x, y, width float64, style string, size float64, colour rgb) float64 {
	d.font(style, size, colour)
	for _, l := range ls {
		d.f.SetXY(x, y)
		d.f.CellFormat(width, lh(size), l, "", 0, "L", false, 0, "")
		y += lh(size)
	}
	return y
}

func (d *rxDoc) fill(c rgb)   { d.f.SetFillColor(c.r, c.g, c.b) }
func (d *rxDoc) stroke(c rgb) { d.f.SetDrawColor(c.r, c.g, c.b) }

// row is a label and its value, the value wrapped beside the label.
type row struct {
	label string
	value []string
}

// labelWidth is the width of the widest label, plus a gap.
func (d *rxDoc) labelWidth(labels ...string) float64 {
	d.f.SetFont(family, "B", d.st.body)
	w := 0.0
	for _, l := range labels {
		w = max(w, d.f.GetStringWidth(l))
	}
	return w + 3
}

func (d *rxDoc) rows(pairs [][2]string, valueWidth float64) []row {
	var out []row
	for _, p := range pairs {
		if v := d.wrap(p[1], valueWidth, "", d.st.body); len(v) > 0 {
			out = append(out, row{p[0], v})
		}
	}
	return out
}

func rowsHeight(rs []row, size float64) float64 {
	h := 0.0
	for _, r := range rs {
		h += float64(len(r.value)) * lh(size)
	}
	return h
}

func (d *rxDoc) drawRows(rs []row, x, y, labelW, valueW float64) float64 {
	for _, r := range rs {
		d.lines([]string{r.label}, x, y, labelW, "B", d.st.body, muted)
		y = d.lines(r.value, x+labelW, y, valueW, "", d.st.body, ink)
	}
	return y
}

// top draws the letterhead, the title, the patient's details and the link
// worker box on page 1, and returns the y below them.
func (d *rxDoc) top(c data.PrescriptionContent, reprint *time.Time) float64 {
	f, st := d.f, d.st
	y := pageTop

	// The Reprint mark sits top right, where it cannot be missed.
	textWidth, below := pageWidth, y
	if reprint != nil {
		mark, printed := "Reprint", "printed "+reprint.In(data.London()).Format("02/01/2006")
		d.font("B", st.heading, reprintRed)
		bw := f.GetStringWidth(mark)
		d.font("", st.small, reprintRed)
		bw = max(bw, f.GetStringWidth(printed)) + 8
		bh := lh(st.heading) + lh(st.small) + 4
		bx := pageLeft + pageWidth - bw
		d.stroke(reprintRed)
		f.SetLineWidth(0.6)
		f.RoundedRect(bx, y, bw, bh, 2, "1234", "D")
		d.font("B", st.heading, reprintRed)
		f.SetXY(bx, y+2)
		f.CellFormat(bw, lh(st.heading), mark, "", 0, "C", false, 0, "")
		d.font("", st.small, reprintRed)
		f.SetXY(bx, y+2+lh(st.heading))
		f.CellFormat(bw, lh(st.small), printed, "", 0, "C", false, 0, "")
		textWidth -= bw + 4
		below = y + bh
	}

	pr := c.Practice
	y = d.lines(d.wrap(pr.Name, textWidth, "B", st.practice), pageLeft, y, textWidth, "B", st.practice, teal)
	address := joinNonEmpty(", ", strings.ReplaceAll(pr.Address, "\n", ", "), pr.Postcode)
	if pr.Phone != "" {
		address = joinNonEmpty("\u00a0· ", address, "Phone "+pr.Phone)
	}
	y = d.lines(d.wrap(address, textWidth, "", st.body), pageLeft, y, textWidth, "", st.body, ink)
	y = max(y, below) + 2.5
	d.stroke(teal)
	f.SetLineWidth(0.8)
	f.Line(pageLeft, y, pageLeft+pageWidth, y)
	y += 4

	y = d.lines(d.wrap("Social prescription for "+c.Patient.FullName, pageWidth, "B", st.title), pageLeft, y, pageWidth, "B", st.title, ink)
	y = d.intro(y+1) + st.gap

	// The patient's details beside the link worker box; stacked in large
	// print, where two columns would be too narrow.
	detailsW, boxX, boxW := 64.0, pageLeft+68, pageWidth-68
	if c.LargePrint {
		detailsW, boxX, boxW = pageWidth, pageLeft, pageWidth
	}
	details := [][2]string{
		{"Date of birth", data.FormatUKDate(c.Patient.DateOfBirth)},
		{"NHS number", data.FormatNHSNumber(c.Patient.NHSNumber)},
		{"Issued", c.IssuedAt.In(data.London()).Format("02/01/2006")},
		{"Prescribed by", c.Prescriber},
		{"Communication needs", strings.Join(c.Patient.CommunicationNeeds, ", ")},
	}
	labelW := d.labelWidth("Date of birth", "NHS number", "Issued", "Prescribed by")
	rs := d.rows(details[:4], detailsW-labelW)
	// The needs may be long: they get a line of their own under the label.
	needs := d.wrap(details[4][1], detailsW, "", st.body)
	detailsH := rowsHeight(rs, st.body)
	if len(needs) > 0 {
		detailsH += lh(st.body) * float64(1+len(needs))
	}
	box, boxH := d.worker(c, boxW)

	detailsY := y
	y = d.drawRows(rs, pageLeft, y, labelW, detailsW-labelW)
	if len(needs) > 0 {
		y = d.lines([]string{"Communication needs"}, pageLeft, y, detailsW, "B", st.body, muted)
		y = d.lines(needs, pageLeft, y, detailsW, "", st.body, ink)
	}
	if c.LargePrint {
		box(boxX, y+st.gap)
		return y + 2*st.gap + boxH
	}
	box(boxX, detailsY)
	return detailsY + max(detailsH, boxH) + st.gap
}

// worker measures the link worker box: the next appointment in words,
// who the link worker is and how to reach them. It returns the box's
// drawing function and height.
func (d *rxDoc) worker(c data.PrescriptionContent, width float64) (func(x, y float64), float64) {
	st := d.st
	pad := st.pad + 0.5
	inner := width - 2*pad
	lw := c.LinkWorker
	var heading, when, what, where []string
	var who string
	if a := c.NextAppointment; a != nil {
		heading = d.wrap("Your next appointment", inner, "B", st.heading)
		when = d.wrap(a.Start.In(data.London()).Format("Monday 2 January 2006, 15:04"), inner, "B", st.when)
		kind := a.Type
		if a.Mode != "" {
			kind = joinNonEmpty(", ", kind, strings.ToLower(a.Mode))
		}
		if !a.End.IsZero() && a.End.After(a.Start) {
			kind = joinNonEmpty(", ", kind, fmt.Sprintf("%d minutes", int(a.End.Sub(a.Start).Minutes())))
		}
		what = d.wrap(kind, inner, "", st.body)
		where = d.wrap(a.Where, inner, "", st.body)
		name := lw.Name
		if name == "" {
			name = a.LinkWorker
		}
		if name != "" {
			who = "With " + name + ", your link worker."
		}
		if lw.Phone != "" {
			who += " To change it, or to talk to them, phone " + lw.Phone + "."
		}
	} else {
		heading = d.wrap("Your link worker", inner, "B", st.heading)
		who = "A link worker will help you get started."
		if lw.Name != "" {
			who = "Your link worker is " + lw.Name + "."
		}
		if lw.Phone != "" {
			who += " To reach them, phone " + lw.Phone + "."
		}
	}
	whoLines := d.wrap(who, inner, "", st.body)
	h := 2*pad + float64(len(heading))*lh(st.heading) + float64(len(when))*lh(st.when) +
		float64(len(what)+len(where)+len(whoLines))*lh(st.body)
	if len(when) > 0 {
		h += 1.5 // a breath before who and how to reach them
	}
	draw := func(x, y float64) {
		d.fill(workerBg)
		d.stroke(workerRim)
		d.f.SetLineWidth(0.4)
		d.f.RoundedRect(x, y, width, h, 3, "1234", "FD")
		x, y = x+pad, y+pad
		y = d.lines(heading, x, y, inner, "B", st.heading, teal)
		y = d.lines(when, x, y, inner, "B", st.when, ink)
		y = d.lines(what, x, y, inner, "", st.body, ink)
		y = d.lines(where, x, y, inner, "", st.body, ink)
		if len(when) > 0 {
			y += 1.5
		}
		d.lines(whoLines, x, y, inner, "", st.body, ink)
	}
	return draw, h
}

// intro is the plain-English line on what social prescribing is.
func (d *rxDoc) intro(y float64) float64 {
	words := d.wrap("Social prescribing connects you with local groups, activities and advice that can help with "+
		"what matters to you. These are the ones we chose together.", pageWidth, "", d.st.body)
	return d.lines(words, pageLeft, y, pageWidth, "", d.st.body, ink)
}

// service measures one service's block and returns its height and drawing
// function. The block: a numbered name, the organisation, when, where,
// cost, how to get in touch, the personal note (highlighted) and a QR code
// of the website in the top right corner.
func (d *rxDoc) service(n int, s data.PrescribedService) (float64, func(y float64)) {
	f, st := d.f, d.st
	pad := st.pad
	inner := pageWidth - 2*pad
	url := websiteURL(s.Website)
	var qr []byte
	if url != "" {
		var err error
		if qr, err = qrPNG(url); err != nil {
			qr = nil // a site too long for a QR code still prints as text
		}
	}
	beside := inner // the width beside the QR code
	if qr != nil {
		beside = inner - st.qr - 4
	}

	// The number sits in a circle before the name.
	disc := lh(st.name) * 0.9
	indent := disc + 2.5
	name := d.wrap(s.Name, beside-indent, "B", st.name)
	org := d.wrap(s.Organisation, beside, "", st.body)
	// A short name and organisation share one line, saving a line a block.
	var orgBeside string
	if len(name) == 1 && len(org) == 1 {
		f.SetFont(family, "B", st.name)
		used := f.GetStringWidth(name[0] + "  ")
		f.SetFont(family, "", st.body)
		if used+f.GetStringWidth(org[0]) <= beside-indent {
			orgBeside, org = org[0], nil
		}
	}
	labelW := d.labelWidth("When", "Where", "Cost", "Contact", "Phone", "Email", "Website", "Note")
	cost := strings.TrimSuffix(strings.TrimSpace(s.Cost), ".")
	if cost != "" && s.Access != "" {
		cost += ". " + s.Access
	} else if s.Access != "" {
		cost = s.Access
	}
	top := d.rows([][2]string{
		{"When", s.Schedule},
		{"Where", joinNonEmpty(", ", strings.ReplaceAll(s.Address, "\n", ", "), s.Postcode)},
		{"Cost", cost},
	}, beside-labelW)
	textH := float64(len(name))*lh(st.name) + float64(len(org))*lh(st.body) + 1.5 + rowsHeight(top, st.body)
	// The contact details run beside the QR code if they fit there, else
	// the full width below it.
	contact := [][2]string{{"Contact", joinNonEmpty("\u00a0· ", s.Phone, s.Email, websiteText(s.Website))}}
	if d.st == largePrint {
		// At 16 pt a shared line would break anyway: one way in per line.
		contact = [][2]string{{"Phone", s.Phone}, {"Email", s.Email}, {"Website", websiteText(s.Website)}}
	}
	bottom, bottomY, bottomW := d.rows(contact, inner-labelW), textH, inner-labelW
	if qr != nil {
		if narrow := d.rows(contact, beside-labelW); textH+rowsHeight(narrow, st.body) <= st.qr {
			bottom, bottomW = narrow, beside-labelW
		} else {
			bottomY = max(textH, st.qr)
		}
	}
	bodyH := bottomY + rowsHeight(bottom, st.body)
	if qr != nil {
		bodyH = max(bodyH, st.qr)
	}
	note := d.wrap(s.Note, inner-labelW-2, "", st.body)
	noteH := 0.0
	if len(note) > 0 {
		noteH = float64(len(note))*lh(st.body) + 3
	}
	h := 2*pad + bodyH
	if noteH > 0 {
		h += 2 + noteH
	}

	return h, func(y float64) {
		x := pageLeft
		d.fill(serviceBg)
		d.stroke(serviceRim)
		f.SetLineWidth(0.4)
		f.RoundedRect(x, y, pageWidth, h, 3, "1234", "FD")
		x, y = x+pad, y+pad
		if qr != nil {
			key := "qr " + url // one image for an address however often it appears
			f.RegisterImageOptionsReader(key, gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
			f.ImageOptions(key, x+inner-st.qr, y, st.qr, st.qr, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, url)
		}
		// The numbered disc, centred on the name's first line.
		d.fill(teal)
		f.Circle(x+disc/2, y+lh(st.name)/2, disc/2, "F")
		d.font("B", st.body, rgb{255, 255, 255})
		f.SetXY(x, y+lh(st.name)/2-lh(st.body)/2)
		f.CellFormat(disc, lh(st.body), fmt.Sprint(n), "", 0, "C", false, 0, "")

		ty := d.lines(name, x+indent, y, beside-indent, "B", st.name, teal)
		if orgBeside != "" {
			// On the name's baseline (where CellFormat put it).
			f.SetFont(family, "B", st.name)
			nameW := f.GetStringWidth(name[0] + "  ")
			d.font("", st.body, muted)
			f.Text(x+indent+nameW, y+lh(st.name)/2+0.3*st.name*0.3528, orgBeside)
		}
		ty = d.lines(org, x, ty, beside, "", st.body, muted)
		d.drawRows(top, x, ty+1.5, labelW, beside-labelW)
		d.drawRows(bottom, x, y+bottomY, labelW, bottomW)
		ty = y + bodyH
		if noteH > 0 {
			ty += 2
			d.fill(noteBg)
			f.Rect(x, ty, inner, noteH, "F")
			d.fill(noteBar)
			f.Rect(x, ty, 1.2, noteH, "F")
			d.lines([]string{"Note"}, x+4, ty+1.5, labelW, "B", st.body, ink)
			d.lines(note, x+labelW, ty+1.5, inner-labelW-2, "", st.body, ink)
		}
	}
}

// continuation heads pages after the first, so a loose page still says
// whose it is.
func (d *rxDoc) continuation(c data.PrescriptionContent) {
	f := d.f
	text := clean("Social prescription for " + c.Patient.FullName + " (continued)")
	d.font("", d.st.small, muted)
	f.SetXY(pageLeft, pageTop)
	f.CellFormat(pageWidth, lh(d.st.small), text, "", 0, "L", false, 0, "")
	y := pageTop + lh(d.st.small) + 1.5
	d.stroke(teal)
	f.SetLineWidth(0.4)
	f.Line(pageLeft, y, pageLeft+pageWidth, y)
}

func (d *rxDoc) footer(page, total int, reprint *time.Time) {
	f := d.f
	text := fmt.Sprintf("Page %d of %d", page, total)
	if reprint != nil {
		text = "Reprint printed " + reprint.In(data.London()).Format("02/01/2006") + "  ·  " + text
	}
	d.font("", d.st.small, muted)
	f.SetXY(pageLeft, 297-12.5)
	f.CellFormat(pageWidth, lh(d.st.small), text, "", 0, "C", false, 0, "")
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
