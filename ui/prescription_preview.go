package ui

import (
	"context"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"linkwell/data"
	"linkwell/pdf"
)

// Preview shows what will print. A saved prescription is rendered as the
// real PDF (a preview is not recorded as a print). An unsaved one is shown
// on screen: the store freezes the document's content only when it issues
// the prescription, so there is no PDF of it yet.
func (s *PrescriptionScreen) Preview() {
	if s.issued != nil {
		path, err := tempPDF("social-prescription-preview-*.pdf")
		if err == nil {
			var f *os.File
			if f, err = os.Create(path); err == nil {
				err = pdf.Prescription(f, *s.issued, nil)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
		}
		if err != nil {
			s.setMessage("The preview could not be made: "+err.Error()+".", true)
			return
		}
		s.openPDF(path)
		return
	}
	// Plain lines in a row share one label, so the preview reads as
	// compact blocks like the document.
	body := container.NewVBox()
	var plain []string
	flush := func() {
		if len(plain) > 0 {
			body.Add(wrapped(strings.Join(plain, "\n")))
			plain = nil
		}
	}
	for _, l := range s.PreviewLines() {
		if !l.bold && !l.note {
			plain = append(plain, l.text)
			continue
		}
		flush()
		lbl := wrapped(l.text)
		lbl.TextStyle.Bold = l.bold
		lbl.TextStyle.Italic = l.note
		body.Add(lbl)
	}
	flush()
	d := dialog.NewCustom("Preview: what will print", "Close", container.NewVScroll(body), s.app.win)
	d.Resize(fyne.NewSize(720, 600))
	d.Show()
}

// previewLine is one line of the on-screen preview.
type previewLine struct {
	text       string
	bold, note bool
}

// PreviewLines is the on-screen preview of an unsaved prescription, in the
// document's order.
func (s *PrescriptionScreen) PreviewLines() []previewLine {
	var out []previewLine
	add := func(bold bool, format string, args ...any) {
		out = append(out, previewLine{text: fmt.Sprintf(format, args...), bold: bold})
	}
	pr := s.app.practice
	add(true, "%s", pr.Name)
	if at := strings.TrimSpace(strings.ReplaceAll(pr.Address, "\n", ", ") + " " + pr.Postcode); at != "" {
		add(false, "%s", at)
	}
	if pr.Phone != "" {
		add(false, "Phone %s", pr.Phone)
	}
	if s.patient.ID == 0 {
		add(true, "Choose the patient first.")
		return out
	}
	p := s.patient
	add(true, "Social prescription for %s", p.FullName())
	line := "Date of birth " + data.FormatUKDate(p.DateOfBirth)
	if p.NHSNumber != "" {
		line += " · NHS number " + data.FormatNHSNumber(p.NHSNumber)
	}
	add(false, "%s", line)
	add(false, "Date %s · prescribed by %s", s.app.store.Now().Format("02/01/2006"), s.app.user.FullName)
	if needs := p.CommunicationNeeds(); len(needs) > 0 {
		add(false, "Communication needs: %s", strings.Join(needs, ", "))
	}
	if s.largePrint.Checked {
		add(false, "Printed in large print (16 pt and up).")
	}
	if len(s.items) == 0 {
		add(true, "No services yet: add at least one.")
	}
	for i, it := range s.items {
		sv := it.service
		add(true, "%d. %s", i+1, sv.Name)
		for _, pair := range [][2]string{
			{"Run by", sv.Organisation}, {"When", sv.Schedule},
			{"Where", strings.TrimSpace(strings.TrimSuffix(sv.Address+", "+sv.Postcode, ", "))},
			{"Cost", costOrFree(sv)}, {"Phone", sv.Phone}, {"E-mail", sv.Email}, {"Website", sv.Website},
		} {
			if v := strings.Trim(strings.TrimSpace(pair[1]), ", "); v != "" {
				add(false, "%s: %s", pair[0], v)
			}
		}
		if n := strings.TrimSpace(it.note.Text); n != "" {
			out = append(out, previewLine{text: "Note: " + n, note: true})
		}
	}
	if w := s.linkWorkerName(); w != "" {
		add(true, "Your link worker: %s (phone the practice on %s)", w, pr.Phone)
	}
	if s.appt != nil && s.includeAppt.Checked {
		add(true, "Your next appointment: %s", appointmentWords(*s.appt))
	}
	return out
}

func costOrFree(sv data.Service) string {
	if sv.Cost == "" && sv.IsFree {
		return "Free"
	}
	return sv.Cost
}

// linkWorkerName is who the document will name as the link worker, as the
// store chooses: the referral's, else the next appointment's, else the
// prescriber when a link worker prescribes.
func (s *PrescriptionScreen) linkWorkerName() string {
	if s.referralID != 0 {
		if r, err := s.app.store.Referral(context.Background(), s.app.session, s.referralID); err == nil && r.LinkWorkerID != 0 {
			if ws, err := s.app.store.UsersWithRole(context.Background(), s.app.session, data.RoleLinkWorker); err == nil {
				for _, w := range ws {
					if w.ID == r.LinkWorkerID {
						return w.FullName
					}
				}
			}
		}
	}
	if s.appt != nil && s.includeAppt.Checked {
		return s.appt.WorkerName
	}
	if s.app.user.Role.HasCaseload() {
		return s.app.user.FullName
	}
	return ""
}
