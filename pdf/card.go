package pdf

import (
	"fmt"
	"io"
	"strings"

	"linkwell/data"
)

// Card is what an appointment card shows; printing.Card gathers it.
type Card struct {
	Practice    data.Practice
	Appointment data.Appointment
	Patient     data.Patient
	Where       string // where it happens, in the patient's terms (data.AppointmentWhere)
	LargePrint  bool   // at least 16 pt throughout
}

// AppointmentCard writes an A4 appointment card: the practice, the patient,
// the date and time in words, how long, where (or how by phone or video),
// who with, what to bring and how to cancel.
func AppointmentCard(w io.Writer, c Card) error {
	a := c.Appointment
	body, head, line := 12.0, 18.0, 6.5
	if c.LargePrint {
		body, head, line = 16, 24, 9
	}
	f := newDocument("Appointment card")
	f.SetMargins(20, 18, 20)
	f.AddPage()
	width, _ := f.GetPageSize()
	text := width - 40

	// The practice, as on its letterhead.
	f.SetFont(family, "B", body+2)
	f.MultiCell(text, line, drawable(c.Practice.Name), "", "L", false)
	f.SetFont(family, "", body)
	for _, l := range []string{strings.ReplaceAll(c.Practice.Address, "\n", ", "), c.Practice.Postcode, phoneLine(c.Practice.Phone)} {
		if strings.TrimSpace(l) != "" {
			f.MultiCell(text, line, drawable(l), "", "L", false)
		}
	}
	f.Ln(line)

	f.SetFont(family, "B", head)
	f.MultiCell(text, head*0.5, "Your appointment with a link worker", "", "L", false)
	f.Ln(line / 2)
	f.SetFont(family, "B", body+2)
	f.MultiCell(text, line+1, drawable("For "+c.Patient.FullName()), "", "L", false)
	f.Ln(line / 2)

	// The essentials in a shaded box, the date and time biggest. The box
	// is measured first, then drawn, then written on.
	when := a.Start.In(data.London())
	minutes := int(a.End.Sub(a.Start).Minutes())
	rows := [][2]string{
		{"How long", fmt.Sprintf("%d minutes (until %s)", minutes, a.End.In(data.London()).Format("15:04"))},
		{"What", a.TypeName},
		{"Where", c.Where},
		{"With", a.WorkerName + ", social prescribing link worker"},
	}
	pad := 4.0
	f.SetFont(family, "B", body)
	labelWidth := 0.0
	for _, r := range rows {
		labelWidth = max(labelWidth, f.GetStringWidth(r[0]+":")+3)
	}
	f.SetFont(family, "", body)
	valueWidth := text - 2*pad - labelWidth
	height := head*0.6 + pad*2
	for _, r := range rows {
		height += float64(len(f.SplitText(drawable(r[1]), valueWidth))) * line
	}
	top := f.GetY()
	if top+height > 280 {
		f.AddPage()
		top = f.GetY()
	}
	f.SetFillColor(232, 241, 250)
	f.SetDrawColor(0, 94, 184)
	f.SetLineWidth(0.6)
	f.RoundedRect(20, top, text, height, 3, "1234", "FD")
	f.SetXY(20+pad, top+pad)
	f.SetFont(family, "B", head)
	f.CellFormat(text-2*pad, head*0.6, when.Format("Monday 2 January 2006, 15:04"), "", 1, "L", false, 0, "")
	for _, r := range rows {
		y := f.GetY()
		f.SetX(20 + pad)
		f.SetFont(family, "B", body)
		f.CellFormat(labelWidth, line, r[0]+":", "", 0, "L", false, 0, "")
		f.SetFont(family, "", body)
		f.SetXY(20+pad+labelWidth, y)
		f.MultiCell(valueWidth, line, drawable(r[1]), "", "L", false)
	}
	f.SetY(top + height)
	f.Ln(line)

	section := func(title, words string) {
		f.SetFont(family, "B", body+1)
		f.MultiCell(text, line, title, "", "L", false)
		f.SetFont(family, "", body)
		f.MultiCell(text, line, drawable(words), "", "L", false)
		f.Ln(line / 2)
	}
	section("What to bring", "Your glasses or hearing aids if you use them, a list of any medicines you take, and anything "+
		"you would like to talk about. You are welcome to bring a family member, friend or carer with you.")
	cancel := "If you cannot make it, please let us know as soon as you can, so that someone else can have the time."
	if c.Practice.Phone != "" {
		cancel = "If you cannot make it, please phone " + c.Practice.Phone + " as soon as you can, so that someone else can have the time."
	}
	section("If you need to cancel or change it", cancel)
	section("What is a link worker?", "A link worker gives you time to talk about what matters to you, and helps you find "+
		"local groups and services that can help: from walking groups and lunch clubs to advice on money or housing.")

	if err := f.Error(); err != nil {
		return fmt.Errorf("the appointment card could not be made: %w", err)
	}
	return f.Output(w)
}

func phoneLine(phone string) string {
	if phone == "" {
		return ""
	}
	return "Phone " + phone
}
