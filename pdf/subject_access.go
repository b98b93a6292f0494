package pdf

import (
	"fmt"
	"io"
	"strings"

	"github.com/jung-kurt/gofpdf"

	"linkwell/data"
)

// SubjectAccess renders everything held about one patient (a subject
// access request) as a plain A4 document: the person's details, then each
// episode with its history, notes, goals and scores, then appointments,
// prescriptions and the audit of who did what with their records.
func SubjectAccess(w io.Writer, sa data.SubjectAccess) error {
	p := sa.Patient
	name := p.GivenName + " " + p.FamilyName
	f := newDocument("Subject access: " + name)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont(family, "", 8)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(0, 5, drawable(fmt.Sprintf("Everything %s holds about %s · made %s by %s · page %d of {nb}",
			sa.Practice.Name, name, data.FormatUKDateTime(sa.GeneratedAt), sa.GeneratedBy, f.PageNo())), "", 0, "C", false, 0, "")
	})
	f.AddPage()
	d := &sarDoc{f: f}

	d.title("Everything we hold about you")
	d.para(fmt.Sprintf("This is every record %s (ODS code %s) holds in Linkwell, its social prescribing system, about %s, "+
		"made on %s in answer to a subject access request. Your GP record is kept separately, in the practice's clinical system.",
		sa.Practice.Name, sa.Practice.ODSCode, name, data.FormatUKDateTime(sa.GeneratedAt)))

	d.heading("Your details")
	needs := []string{}
	for _, n := range []struct {
		on   bool
		what string
	}{{p.Interpreter, "interpreter (" + p.Language + ")"}, {p.LargePrint, "large print"}, {p.EasyRead, "easy read"}, {p.BSL, "BSL"}} {
		if n.on {
			needs = append(needs, n.what)
		}
	}
	d.pairs([][2]string{
		{"Name", name}, {"NHS number", p.NHSNumber}, {"Date of birth", data.FormatUKDate(p.DateOfBirth)},
		{"Sex", data.Sex(p.Sex).Label()}, {"Ethnic category", p.EthnicCategory}, {"Address", p.Address}, {"Postcode", p.Postcode},
		{"Phone", p.Phone}, {"E-mail", p.Email}, {"Preferred contact", data.ContactMethod(p.PreferredContact).Label()},
		{"Communication needs", strings.Join(needs, ", ")},
		{"Agrees to be contacted", yesNo(p.ConsentContact)}, {"Agrees to details being shared", yesNo(p.ConsentShare)},
		{"Record made", data.FormatUKDateTime(p.CreatedAt)}, {"Last changed", data.FormatUKDateTime(p.UpdatedAt)},
	})

	if len(sa.Referrals) == 0 {
		d.heading("Referrals")
		d.para("None.")
	}
	for i, r := range sa.Referrals {
		d.heading(fmt.Sprintf("Referral %d of %d, received %s", i+1, len(sa.Referrals), data.FormatUKDate(r.ReceivedOn)))
		if r.Anonymised {
			d.para("The personal notes of this episode were removed after the practice's retention period; what is left is shown.")
		}
		reasons := make([]string, len(r.Reasons))
		for k, code := range r.Reasons {
			reasons[k] = data.LabelOf(data.ReferralReasons, code)
		}
		d.pairs([][2]string{
			{"From", strings.TrimSpace(data.LabelOf(data.ReferralSources, r.Source) + " " + strings.TrimSpace(r.ReferrerName+" "+r.ReferrerOrg))},
			{"Reasons", strings.Join(reasons, ", ")}, {"What matters to you", r.WhatMatters},
			{"Priority", strings.TrimSpace(data.LabelOf(data.Priorities, r.Priority) + " " + r.PriorityReason)},
			{"Consent", strings.TrimSpace(r.ConsentBy + " " + data.FormatUKDate(r.ConsentOn))},
			{"Link worker", r.LinkWorker}, {"Status", data.ReferralStatus(r.Status).Label()},
			{"Closed", strings.TrimSpace(data.FormatUKDateTime(r.ClosedAt) + " " + data.LabelOf(data.ClosingReasons, r.ClosingReason))},
			{"GP record code", strings.TrimSpace(r.SNOMEDCode + " " + data.SNOMEDTerm(r.SNOMEDCode))},
		})
		d.sub("What happened")
		for _, m := range r.History {
			what := m.Kind
			switch m.Kind {
			case "status":
				what = "From " + data.ReferralStatus(m.FromStatus).Label() + " to " + data.ReferralStatus(m.ToStatus).Label()
				if m.FromStatus == "" {
					what = "Referral received"
				}
			case "reassigned":
				what = "Link worker changed from " + orNone(m.FromWorker) + " to " + orNone(m.ToWorker)
			case "coded":
				what = "GP record coding"
			}
			d.entry(data.FormatUKDateTime(m.At), m.By, what, strings.TrimSpace(data.LabelOf(data.ClosingReasons, m.ClosingReason)+" "+m.Reason))
		}
		if len(r.Contacts) > 0 {
			d.sub("Contacts and notes")
			for _, c := range r.Contacts {
				kind := data.LabelOf(data.ContactKinds, c.Kind)
				if c.Minutes > 0 {
					kind += fmt.Sprintf(", %d min", c.Minutes)
				}
				d.entry(data.FormatUKDateTime(c.At), c.By, kind, c.Text)
			}
		}
		if len(r.Goals) > 0 {
			d.sub("Goals (0 to 10)")
			for _, g := range r.Goals {
				score := fmt.Sprintf("%d at the start (%s)", g.StartScore, data.FormatUKDate(g.SetOn))
				if g.ReviewScore != nil {
					score += fmt.Sprintf(", %d at review (%s)", *g.ReviewScore, data.FormatUKDate(g.ReviewedOn))
				}
				d.entry("", "", g.Description, score)
			}
		}
		if len(r.Wellbeing) > 0 {
			d.sub("Wellbeing (ONS4, 0 to 10)")
			for _, m := range r.Wellbeing {
				d.entry(data.FormatUKDate(m.TakenOn), "", data.LabelOf(data.WellbeingStages, m.Stage),
					fmt.Sprintf("Life satisfaction %d, worthwhile %d, happiness %d, anxiety %d", m.LifeSatisfaction, m.Worthwhile, m.Happiness, m.Anxiety))
			}
		}
	}

	d.heading("Appointments")
	if len(sa.Appointments) == 0 {
		d.para("None.")
	}
	for _, a := range sa.Appointments {
		detail := joinNonEmpty(". ", joinNonEmpty(", ", data.LabelOf(data.AppointmentModes, a.Mode), a.Site, "with "+a.With),
			a.Notes, a.CancelReason, "Booked "+data.FormatUKDateTime(a.BookedAt)+" by "+orNone(a.BookedBy))
		d.entry(data.FormatUKDateTime(a.StartsAt), "", a.Type+" ("+data.LabelOf(data.AppointmentStatuses, a.Status)+")", detail)
	}

	d.heading("Social prescriptions")
	if len(sa.Prescriptions) == 0 {
		d.para("None.")
	}
	for _, rx := range sa.Prescriptions {
		var items []string
		for _, it := range rx.Items {
			items = append(items, joinNonEmpty(": ", it.Service, it.Note))
		}
		printed := make([]string, len(rx.Printed))
		for k, at := range rx.Printed {
			printed[k] = data.FormatUKDateTime(at)
		}
		d.entry(data.FormatUKDateTime(rx.IssuedAt), rx.Prescriber, "Social prescription",
			strings.Join(append(items, joinNonEmpty(" ", "Printed", strings.Join(printed, ", "))), "\n"))
	}

	d.heading("Who has seen or changed these records")
	d.para("Every recorded action on your records, from Linkwell's audit. This request is recorded after them.")
	for _, e := range sa.AuditEvents {
		d.entry(data.FormatUKDateTime(e.At), orNone(e.By), e.Action+" "+e.Entity+fmt.Sprintf(" %d", e.EntityID), e.Detail)
	}

	if err := f.Output(w); err != nil {
		return err
	}
	return f.Error()
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func orNone(s string) string {
	if s == "" {
		return "nobody"
	}
	return s
}

// sarDoc writes the subject access document top to bottom; gofpdf breaks
// the pages.
type sarDoc struct{ f *gofpdf.Fpdf }

func (d *sarDoc) title(s string) {
	d.f.SetFont(family, "B", 18)
	d.f.MultiCell(0, 9, drawable(s), "", "L", false)
	d.f.Ln(2)
}

func (d *sarDoc) heading(s string) {
	d.f.Ln(4)
	d.f.SetFont(family, "B", 14)
	d.f.SetTextColor(0, 94, 184) // NHS blue
	d.f.MultiCell(0, 7, drawable(s), "", "L", false)
	d.f.SetTextColor(0, 0, 0)
	d.f.Ln(1)
}

func (d *sarDoc) sub(s string) {
	d.f.Ln(1)
	d.f.SetFont(family, "B", 11)
	d.f.MultiCell(0, 6, drawable(s), "", "L", false)
}

func (d *sarDoc) para(s string) {
	d.f.SetFont(family, "", 10)
	d.f.MultiCell(0, 5, drawable(s), "", "L", false)
}

// pairs are label: value lines; an empty value shows as "—".
func (d *sarDoc) pairs(ps [][2]string) {
	for _, p := range ps {
		v := strings.TrimSpace(p[1])
		if v == "" {
			v = "—"
		}
		d.f.SetFont(family, "B", 10)
		d.f.CellFormat(55, 5, drawable(p[0]), "", 0, "L", false, 0, "")
		d.f.SetFont(family, "", 10)
		d.f.MultiCell(0, 5, drawable(v), "", "L", false)
	}
}

// entry is one dated line, with who and the text under it.
func (d *sarDoc) entry(at, by, what, text string) {
	d.f.SetFont(family, "B", 10)
	d.f.MultiCell(0, 5, drawable(joinNonEmpty(" · ", at, what, by)), "", "L", false)
	if strings.TrimSpace(text) != "" {
		d.f.SetFont(family, "", 10)
		d.f.SetX(d.f.GetX() + 5)
		d.f.MultiCell(0, 5, drawable(text), "", "L", false)
	}
	d.f.Ln(1)
}
